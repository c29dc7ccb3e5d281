"""The archive: content/papers/, one Markdown article per paper at a path fixed by its id. This
module alone writes and reads the article format (header lines, a blank line, escaped Markdown)
and knows the paths; `archive.store` merges a night's papers into it and `archive.index` keeps
the work keys dedupe asks. The run, the site's reader, the briefing, the digest, removal and the
commit-back merge all ask here, so an article is judged damaged the same way everywhere.

Untrusted text reaches a file only through pipeline.text: each metadata value is one line
(lists are JSON arrays of one-line strings), the body is escaped Markdown.

A damaged article (not UTF-8, empty, no header, no Paper_id, a date that is not YYYY-MM-DD)
raises DamagedArticle naming the file and what is wrong; callers skip it and report it, so one
bad file never stops the night or takes other papers with it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import RunError
from ..models import Damaged, Match, Paper, Tldr, WriteOutcome
from ..text import escape_markdown, one_line, safe_url, slugify, unescape_markdown
from ..write import write_atomically

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
        *([("Comment", one_line(paper.comment))] if one_line(paper.comment) else []),
        ("Version", str(paper.version) if paper.version else ""),
        ("Announce_type", one_line(paper.announce_type)),
    ]
    if paper.first_seen:
        fields.append(("First_seen", paper.first_seen.isoformat()))
    if paper.tldr:
        fields += tldr_fields(paper.tldr)
    if paper.relevance is not None:
        fields += [("Relevance", f"{paper.relevance:.2f}"), ("Related", _json_list(paper.related))]
    header = "\n".join(f"{key}: {value}" for key, value in fields)
    body = escape_markdown(paper.abstract) or "No abstract was given\\."
    return f"{header}\n\n{body}\n"


def tldr_fields(tldr: Tldr) -> list[tuple[str, str]]:
    """A TL;DR as header keys: each one line (the model's words never start another key); the
    theme escapes them for HTML."""
    fields = [("Tldr", one_line(tldr.line)), ("Tldr_kind", one_line(tldr.kind))]
    for key, value in (("problem", tldr.problem), ("method", tldr.method), ("result", tldr.result)):
        if one_line(value):
            fields.append((f"Tldr_{key}", one_line(value)))
    return fields


def write_paper(content_dir: Path, paper: Paper, existing_text: str | None) -> WriteOutcome:
    """Write one (already merged) paper; untouched when the file already says the same."""
    relpath = article_relpath(paper.paper_id)
    text = render_article(paper)
    if existing_text == text:
        return WriteOutcome(paper.paper_id, relpath, "unchanged")
    write_atomically(content_dir / relpath, text)
    return WriteOutcome(paper.paper_id, relpath, "new" if existing_text is None else "updated")


# Pelican's own metadata syntax (Python-Markdown's meta extension) for a header line.
_HEADER_LINE = re.compile(r"([A-Za-z0-9_-]+):(.*)")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
REQUIRED_KEYS = ("title", "date", "paper_id")
NO_ABSTRACT = "No abstract was given\\."


class DamagedArticle(RunError):
    """An article in content/ that is not in the format the writer produces."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason

    def shown(self, content_dir: Path) -> Damaged:
        """As reports show it: the path from the archive folder's name ("content/papers/…")."""
        return Damaged(shown_path(Path(self.path), content_dir), self.reason)


ArchiveError = DamagedArticle  # the name callers used before damage had its own reasons


def shown_path(path: Path, content_dir: Path) -> str:
    try:
        return str(
            Path(content_dir.resolve().name) / path.resolve().relative_to(content_dir.resolve())
        )
    except ValueError:
        return str(path)


def decode_article(data: bytes, path: Path | str) -> str:
    try:
        return data.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise DamagedArticle(
            path, f"not UTF-8 text (byte 0x{data[err.start]:02x} on line {line}); save it as UTF-8"
        ) from None


def read_article_text(path: Path) -> str:
    return decode_article(path.read_bytes(), path)


def split_article(text: str, path: Path | str = "<article>") -> tuple[dict[str, str], str]:
    """Header fields (keys lower-cased, as Pelican reads them) and the body."""
    if not text.strip():
        raise DamagedArticle(path, "the file is empty")
    header, _, body = text.partition("\n\n")
    if not header.strip():
        raise DamagedArticle(path, "no header: the file starts with a blank line")
    fields: dict[str, str] = {}
    for number, line in enumerate(header.splitlines(), 1):
        found = _HEADER_LINE.fullmatch(line)
        if found is None:
            where = (
                "no header: line 1 should be 'Title: …'"
                if number == 1
                else (f"header line {number} is not 'Key: value'")
            )
            raise DamagedArticle(path, f"{where} (it reads {line[:60]!r})")
        fields[found.group(1).lower()] = found.group(2).strip()
    return fields, body.strip()


def check_paper_fields(fields: dict[str, str], path: Path | str) -> None:
    """What every paper article needs to be read, listed and dated."""
    for key in REQUIRED_KEYS:
        if not fields.get(key):
            raise DamagedArticle(path, f"no {key.capitalize()} line in the header")
    for key in ("date", "modified", "first_seen"):
        value = fields.get(key, "")
        if value and not _valid_day(value):
            raise DamagedArticle(path, f"{key.capitalize()}: {value!r} is not a date (YYYY-MM-DD)")


def _valid_day(value: str) -> bool:
    if not _ISO_DAY.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def read_paper_file(path: Path) -> tuple[dict[str, str], str]:
    """A paper article's checked header and its body, straight from the file."""
    try:
        text = read_article_text(path)
    except OSError as err:
        raise DamagedArticle(path, f"cannot be read ({err.strerror or err})") from None
    fields, body = split_article(text, path)
    check_paper_fields(fields, path)
    return fields, body


def _list(fields: dict[str, str], key: str) -> tuple[str, ...]:
    raw = fields.get(key, "")
    return tuple(json.loads(raw)) if raw else ()


def _tldr(fields: dict[str, str]) -> Tldr | None:
    if not fields.get("tldr"):
        return None
    return Tldr(
        fields["tldr"],
        fields.get("tldr_problem", ""),
        fields.get("tldr_method", ""),
        fields.get("tldr_result", ""),
        fields.get("tldr_kind") or "llm",
    )


def _relevance(value: str) -> float | None:
    """`Relevance: 0.87` (written by the ranking); a hand-edited value that is no number in
    0–1 reads as unscored rather than damaging the article."""
    try:
        number = float(value)
    except ValueError:
        return None
    return number if 0.0 <= number <= 1.0 else None


def paper_from_fields(fields: dict[str, str], body: str, path: Path | str) -> Paper:
    check_paper_fields(fields, path)
    try:
        matches = tuple(
            Match(m["kind"], m["name"], m["reason"])
            for m in json.loads(fields.get("matches", "[]"))
        )
        return Paper(
            paper_id=fields["paper_id"],
            title=fields.get("title", ""),
            authors=_list(fields, "paper_authors"),
            abstract="" if body == NO_ABSTRACT else unescape_markdown(body),
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
            comment=fields.get("comment", ""),
            version=int(fields["version"]) if fields.get("version") else None,
            announce_type=fields.get("announce_type", ""),
            first_seen=date.fromisoformat(fields["first_seen"])
            if fields.get("first_seen")
            else None,
            tldr=_tldr(fields),
            relevance=_relevance(fields.get("relevance", "")),
            related=_list(fields, "related"),
        )
    except (KeyError, ValueError, TypeError) as err:
        raise DamagedArticle(
            path, f"not a paper article ({err!r}); was it edited by hand?"
        ) from None


def parse_article(text: str, path: Path | str = "<article>") -> Paper:
    fields, body = split_article(text, path)
    return paper_from_fields(fields, body, path)


def read_existing(content_dir: Path, paper_id: str) -> tuple[Paper, str] | None:
    """The archived paper with this id and its file's text, or None when it is new."""
    path = content_dir / article_relpath(paper_id)
    try:
        text = read_article_text(path)
    except FileNotFoundError:
        return None
    return parse_article(text, path), text


def article_paths(content_dir: Path) -> list[Path]:
    return sorted((content_dir / PAPERS_DIR).rglob("*.md"))


def is_paper_path(shown: str) -> bool:
    """Whether a path as reports show it ("content/papers/…", see shown_path) is a paper's."""
    return Path(shown).parts[1:2] == (PAPERS_DIR,)


def count_papers(content_dir: Path) -> int:
    """Articles in the archive, damaged ones included: a cheap test of whether it changed."""
    return sum(1 for _ in (content_dir / PAPERS_DIR).rglob("*.md"))


def read_article_file(path: Path) -> Paper:
    """One article as a Paper; an unreadable file is a DamagedArticle too."""
    fields, body = read_paper_file(path)
    return paper_from_fields(fields, body, path)


def iter_archive(content_dir: Path, damaged: list[Damaged] | None = None) -> Iterator[Paper]:
    """Every readable paper; damaged articles are skipped (and listed in `damaged` if given)."""
    for path in article_paths(content_dir):
        try:
            yield read_article_file(path)
        except DamagedArticle as err:
            if damaged is not None:
                damaged.append(err.shown(content_dir))


@dataclass(frozen=True)
class ArchiveScan:
    announced: dict[date, list[Paper]] = field(default_factory=dict)  # by their Date
    damaged: tuple[Damaged, ...] = ()
    first_seen: dict[date, list[Paper]] = field(default_factory=dict)  # by the night seen
    without_tldr: tuple[Paper, ...] = ()  # the others lacking a TL;DR (older articles)


def scan_archive(content_dir: Path, days: set[date]) -> ArchiveScan:
    """One read of every article: the papers dated and first seen on `days` (an article from
    before First_seen: its Date), the others without a TL;DR, and every article that is
    damaged. Only the header of the rest is parsed, so a 50k archive takes seconds."""
    found: dict[date, list[Paper]] = {d: [] for d in days}
    seen: dict[date, list[Paper]] = {d: [] for d in days}
    without_tldr: list[Paper] = []
    damaged: list[Damaged] = []
    for path in article_paths(content_dir):
        try:
            fields, body = read_paper_file(path)
            day = date.fromisoformat(fields["date"])
            night = date.fromisoformat(fields.get("first_seen") or fields["date"])
            if day not in found and night not in seen and fields.get("tldr"):
                continue
            paper = paper_from_fields(fields, body, path)
        except DamagedArticle as err:
            damaged.append(err.shown(content_dir))
            continue
        if day in found:
            found[day].append(paper)
        if night in seen:
            seen[night].append(paper)
        elif not paper.tldr:
            without_tldr.append(paper)
    return ArchiveScan(found, tuple(damaged), seen, tuple(without_tldr))


def read_archive(content_dir: Path) -> tuple[list[tuple[Paper, str]], list[str]]:
    """Every readable article with its file's text, and a line for each one left out."""
    found, problems = [], []
    for path in article_paths(content_dir):
        try:
            text = read_article_text(path)
            found.append((parse_article(text, path), text))
        except DamagedArticle as err:
            problems.append(f"left out of ranking: {err}")
    return found, problems


def papers_announced_on(content_dir: Path, days: set[date]) -> dict[date, list[Paper]]:
    """The archived papers first announced on these days; damaged articles are left out."""
    return scan_archive(content_dir, days).announced


def header_fields(path: Path) -> dict[str, str] | None:
    """The header of any article (a briefing, a page), None when the file is missing or
    damaged. The briefing asks this for its kind, and how often the model was asked for it."""
    try:
        fields, _ = split_article(read_article_text(path), path)
    except (OSError, DamagedArticle):
        return None
    return fields


def header_value(path: Path, key: str) -> str | None:
    fields = header_fields(path)
    return None if fields is None else fields.get(key.lower())
