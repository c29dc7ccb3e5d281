"""Render only what changed: a page whose inputs are the same as last build is not rendered again.

Each page gets a fingerprint of everything it is made from — the build key (theme files, our
site code, the settings pages show) plus the page's own inputs (its articles' source files and
their places in the listing). Fingerprints of the last build live in the cache folder; a page
is skipped when its fingerprint is unchanged and its file is still in output/. A nightly run
that adds 200 papers to a 50k archive so re-renders those papers and the listing pages they
land on, not 50k paper pages.

Because output/ outlives the build (kept in CI's cache, DELETE_OUTPUT_DIRECTORY off), a page this
build did not write is stale: the article behind it was removed. prune_output deletes it, so the
published site holds exactly the archive."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from pathlib import Path
from typing import Any

from pelican.writers import Writer

from ..write import write_atomically

log = logging.getLogger(__name__)

MANIFEST = "rendered.json"
SITE_CODE = Path(__file__).resolve().parent
# Settings that appear on every page; anything else a page shows is in its own fingerprint.
PAGE_SETTINGS = (
    "SITENAME",
    "SITEURL",
    "RELATIVE_URLS",
    "DEFAULT_PAGINATION",
    "RADAR",
    "THEME_STATIC_DIR",
    "DEFAULT_LANG",
    "FEEDBACK_REPOSITORY",
)


def _hash_files(folder: Path, pattern: str) -> list[str]:
    return [
        f"{path.relative_to(folder)}:{hashlib.sha1(path.read_bytes()).hexdigest()}"
        for path in sorted(folder.rglob(pattern))
        if path.is_file()
    ]


def build_key(settings: dict[str, Any], extra: str = "") -> str:
    """Changes whenever a change could show on every page: theme, site code, settings."""
    parts = _hash_files(Path(settings["THEME"]), "*") + _hash_files(SITE_CODE, "*.py")
    parts += [f"{name}={settings.get(name)!r}" for name in PAGE_SETTINGS]
    return hashlib.sha1("\n".join([*parts, extra]).encode()).hexdigest()


def source_stamp(article: Any) -> str:
    stat = os.stat(article.source_path)
    return f"{article.source_path}:{stat.st_size}:{stat.st_mtime_ns}"


class RenderCache:
    """Fingerprints of the pages written by the last build, and of this one."""

    def __init__(self, cache_path: Path, output_path: Path, key: str) -> None:
        self.file = cache_path / MANIFEST
        self.output_path = output_path
        self.key = key
        try:
            self.previous: dict[str, str] = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.previous = {}
        self.current: dict[str, str] = {}
        self.written: set[str] = set()  # every page and feed of this build, rendered or kept
        self.skipped = 0

    def fingerprint(self, *inputs: str) -> str:
        return hashlib.sha1("\n".join([self.key, *inputs]).encode()).hexdigest()

    def is_fresh(self, name: str, fingerprint: str) -> bool:
        """Record the page for this build; True when last build wrote the same page. Either
        way the page belongs to this build: a fresh page is kept, never pruned."""
        self.current[name] = fingerprint
        self.written.add(name)
        fresh = self.previous.get(name) == fingerprint and (self.output_path / name).exists()
        self.skipped += fresh
        return fresh

    def save(self) -> None:
        write_atomically(self.file, json.dumps(self.current, separators=(",", ":")))
        log.info("rendered %d pages, %d unchanged", len(self.current) - self.skipped, self.skipped)


PAGE_SUFFIXES = (".html", ".xml")


def prune_output(output: Path, written: set[str], keep: tuple[str, ...]) -> list[str]:
    """Delete the pages and feeds in `output` this build did not write (a removed paper's page,
    a listing page or a listing that no longer exists), and the folders they leave empty.
    Folders in `keep` (the theme's files, the search index) are left alone. Returns what went."""
    stale = []
    for path in sorted(output.rglob("*")):
        name = path.relative_to(output).as_posix()
        kept = name in written or name.startswith(tuple(f"{folder}/" for folder in keep))
        if path.suffix in PAGE_SUFFIXES and not kept and path.is_file():
            path.unlink()
            stale.append(name)
    for name in stale:
        for folder in Path(name).parents:
            if (
                folder == Path(".")
                or not (output / folder).is_dir()
                or any((output / folder).iterdir())
            ):
                break
            (output / folder).rmdir()
    return stale


_PREFORMATTED = re.compile(r"(<pre\b.*?</pre>)", re.DOTALL)


class CompactTemplate:
    """A template whose pages lose the indentation of their lines: whitespace between tags
    renders the same, and at 50k papers it is ~9 MB of site. Preformatted text (a paper's
    BibTeX, a briefing quoting code) keeps its indentation."""

    def __init__(self, template: Any) -> None:
        self.template = template

    def render(self, *args: Any, **kwargs: Any) -> str:
        html = self.template.render(*args, **kwargs)
        if "<textarea" in html:
            return html
        parts = _PREFORMATTED.split(html)  # odd parts are <pre>…</pre> blocks
        return "".join(p if i % 2 else _unindent(p) for i, p in enumerate(parts))


def _unindent(text: str) -> str:
    """Spaces and tabs around each newline dropped (what `[ \\t]*\\n[ \\t]*` → "\\n" does, in a
    fraction of its time: a regex that may start at any blank was 5% of a build)."""
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    first, *middle, last = lines
    return "\n".join(
        [first.rstrip(" \t"), *(line.strip(" \t") for line in middle), last.lstrip(" \t")]
    )


class IncrementalWriter(Writer):
    """Pelican's writer, except that a paper page whose fingerprint is unchanged is not
    rendered. The fingerprint covers the paper's file and the day's briefing it links to;
    the cache comes from the site generator through the context ("RENDER_CACHE")."""

    def write_file(
        self, name: str, template: Any, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> None:
        article = kwargs.get("article")
        cache = context.get("RENDER_CACHE")
        if cache is not None:
            cache.written.add(name)
        if cache is not None and article is not None and getattr(article, "paper_id", ""):
            day = article.date.strftime("%Y-%m-%d")
            briefing = context.get("day_briefings", {}).get(day)
            briefing_url = briefing.url if briefing is not None else ""
            neighbours = context.get("day_neighbours", {}).get(day, ("", ""))
            fingerprint = cache.fingerprint(source_stamp(article), briefing_url, *neighbours)
            if cache.is_fresh(name, fingerprint):
                return
        super().write_file(name, CompactTemplate(template), context, *args, **kwargs)

    def write_feed(
        self,
        elements: Any,
        context: dict[str, Any],
        path: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        cache = context.get("RENDER_CACHE")
        if cache is not None and path:
            cache.written.add(path)
        return super().write_feed(elements, context, path, *args, **kwargs)
