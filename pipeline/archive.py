"""Reads the archive in content/ back into Papers: for merging a rerun or a new version into an
existing article, and for anything that looks over past papers (backtests, briefings)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from .models import Match, Paper
from .text import unescape_markdown
from .write import PAPERS_DIR, article_relpath


class ArchiveError(Exception):
    """An article in content/ that is not in the format the writer produces."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")


def split_article(text: str) -> tuple[dict[str, str], str]:
    header, _, body = text.partition("\n\n")
    fields: dict[str, str] = {}
    for line in header.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip().lower()] = value.strip()
    return fields, body.strip()


def _list(fields: dict[str, str], key: str) -> tuple[str, ...]:
    raw = fields.get(key, "")
    return tuple(json.loads(raw)) if raw else ()


def parse_article(text: str, path: Path = Path("<article>")) -> Paper:
    fields, body = split_article(text)
    try:
        matches = tuple(
            Match(m["kind"], m["name"], m["reason"])
            for m in json.loads(fields.get("matches", "[]"))
        )
        return Paper(
            paper_id=fields["paper_id"],
            title=fields.get("title", ""),
            authors=_list(fields, "paper_authors"),
            abstract="" if body == "No abstract was given\\." else unescape_markdown(body),
            announced=date.fromisoformat(fields["date"]),
            updated=date.fromisoformat(fields["modified"]) if fields.get("modified") else None,
            source_label=fields.get("source_label", ""),
            source=fields.get("source", ""),
            also_in=_list(fields, "also_in"),
            categories=_list(fields, "paper_categories"),
            matches=matches,
            abs_url=fields.get("abs_url", ""),
            pdf_url=fields.get("pdf_url", ""),
            doi=fields.get("doi", ""),
            journal_doi=fields.get("journal_doi", ""),
            journal_ref=fields.get("journal_ref", ""),
            version=int(fields["version"]) if fields.get("version") else None,
            announce_type=fields.get("announce_type", ""),
        )
    except (KeyError, ValueError, TypeError) as err:
        raise ArchiveError(path, f"not a paper article ({err!r}); was it edited by hand?") from None


def read_existing(content_dir: Path, paper_id: str) -> tuple[Paper, str] | None:
    """The archived paper with this id and its file's text, or None when it is new."""
    path = content_dir / article_relpath(paper_id)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return parse_article(text, path), text


def iter_archive(content_dir: Path) -> Iterator[Paper]:
    for path in sorted((content_dir / PAPERS_DIR).rglob("*.md")):
        yield parse_article(path.read_text(encoding="utf-8"), path)


def papers_announced_on(content_dir: Path, days: set[date]) -> dict[date, list[Paper]]:
    """The archived papers first announced on these days; one read of each file's first lines,
    so a 50k archive is scanned in seconds. Unreadable articles are left out."""
    wanted = {f"\nDate: {d.isoformat()}\n": d for d in days}
    found: dict[date, list[Paper]] = {d: [] for d in days}
    for path in sorted((content_dir / PAPERS_DIR).rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        head = text[: text.find("\n\n") + 1]
        day = next((d for line, d in wanted.items() if line in head), None)
        if day is None:
            continue
        try:
            found[day].append(parse_article(text, path))
        except ArchiveError:
            continue
    return found
