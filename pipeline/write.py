"""Papers → Markdown articles in content/, one per paper at a path fixed by its id.

Untrusted text reaches the file only through pipeline.text: each metadata value is one line
(lists are JSON arrays of one-line strings), the body is escaped Markdown."""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .models import Paper, WriteOutcome
from .text import escape_markdown, one_line, safe_url, slugify

PAPERS_DIR = "papers"


def article_slug(paper_id: str) -> str:
    slug = slugify(paper_id.replace(":", "-").replace("/", "-").replace(".", "-"), limit=120)
    return slug or "paper"


def article_relpath(paper_id: str) -> str:
    """Stable path under content/: papers/arxiv/2606/arxiv-2606-19025.md and so on."""
    scheme, _, rest = paper_id.partition(":")
    if scheme == "arxiv":
        new_style = re.match(r"^(\d{4})\.\d{4,5}$", rest)
        shard = new_style.group(1) if new_style else rest.split("/")[0]
    elif scheme == "doi":
        shard = rest.split("/")[0]
    else:
        shard = rest[:2]
    folder = f"{PAPERS_DIR}/{slugify(scheme) or 'other'}/{slugify(shard) or '0'}"
    return f"{folder}/{article_slug(paper_id)}.md"


def _json_list(values: Iterable[str]) -> str:
    return json.dumps([one_line(v) for v in values], ensure_ascii=False)


def render_article(paper: Paper) -> str:
    """The whole Markdown file for a paper. Pure, deterministic: equal papers give equal bytes."""
    matches = [
        {"kind": m.kind, "name": one_line(m.name), "reason": one_line(m.reason)}
        for m in paper.matches
    ]
    fields: list[tuple[str, str]] = [
        ("Title", one_line(paper.title) or "(untitled)"),
        ("Date", paper.announced.isoformat()),
    ]
    if paper.updated:
        fields.append(("Modified", paper.updated.isoformat()))
    fields += [
        ("Slug", article_slug(paper.paper_id)),
        ("Category", "papers"),
        ("Paper_id", one_line(paper.paper_id)),
        ("Paper_authors", _json_list(paper.authors)),
        ("Source_label", one_line(paper.source_label)),
        ("Source", one_line(paper.source)),
        ("Also_in", _json_list(paper.also_in)),
        ("Paper_categories", _json_list(paper.categories)),
        ("Matches", json.dumps(matches, ensure_ascii=False)),
        ("Abs_url", safe_url(paper.abs_url)),
        ("Pdf_url", safe_url(paper.pdf_url)),
        ("Doi", one_line(paper.doi)),
        *([("Journal_doi", one_line(paper.journal_doi))] if paper.journal_doi else []),
        ("Journal_ref", one_line(paper.journal_ref)),
        ("Version", str(paper.version) if paper.version else ""),
        ("Announce_type", one_line(paper.announce_type)),
    ]
    header = "\n".join(f"{key}: {value}" for key, value in fields)
    body = escape_markdown(paper.abstract) or "No abstract was given\\."
    return f"{header}\n\n{body}\n"


TEMP_SUFFIX = ".tmp"  # and a leading dot: ".NAME.RANDOM.tmp"; Pelican and git ignore these
FILE_MODE = 0o644  # mkstemp's 0600 would hide a committed article from every other reader


def write_atomically(path: Path, text: str) -> None:
    """The one way state is written (articles, reports, caches, the search manifest): a
    temporary file beside `path`, fsync, rename. Never a half-written file; a killed run leaves
    at most a temporary file, which clear_temporaries removes at the start of the next."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def clear_temporaries(folder: Path, *, recursive: bool = True) -> list[Path]:
    """Remove the temporary files a killed run left (write_atomically's, and nothing else)."""
    if not folder.is_dir():
        return []
    found = folder.rglob(f".*{TEMP_SUFFIX}") if recursive else folder.glob(f".*{TEMP_SUFFIX}")
    removed = [path for path in found if path.is_file()]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def write_paper(content_dir: Path, paper: Paper, existing_text: str | None) -> WriteOutcome:
    """Write one (already merged) paper; untouched when the file already says the same."""
    relpath = article_relpath(paper.paper_id)
    text = render_article(paper)
    if existing_text == text:
        return WriteOutcome(paper.paper_id, relpath, "unchanged")
    write_atomically(content_dir / relpath, text)
    return WriteOutcome(paper.paper_id, relpath, "new" if existing_text is None else "updated")
