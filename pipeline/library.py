"""The reader's own papers (radar.yaml's `library:`), read once a night into a `Library`.

BibTeX, RIS and CSL-JSON exports are parsed by their own well-kept libraries; a Zotero library
is read through its web API. An entry with an arXiv id or a DOI but no abstract is completed once
from arXiv or Crossref, and every lookup (and the last Zotero copy) is kept in
`content/state/library.json`, so a fresh clone ranks offline with no key. A malformed entry is
skipped and named (file and line, or key); nothing here ever fails the night.

This module owns `content/state/library.json` (lookups, the Zotero copy, the library the
archive was last scored with). The site's 👍 / ☆ / 👎 feedback (pipeline/feedback.py, which owns
`content/state/feedback.json`) adds papers to the library and to not_interested.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import bibtexparser
import rispy

from .feedback import read_feedback
from .models import LibrarySettings, Paper
from .text import fold, one_line, plain_text
from .write import write_atomically

STATE_FILE = "state/library.json"

ARXIV_NEW = re.compile(r"(?<![\d.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\d])")
ARXIV_OLD = re.compile(r"\b([a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?\b")
ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)
DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>{}]+)")
VERSION = re.compile(r"v\d+$")
LATEX_COMMAND = re.compile(r"\\[a-zA-Z]+\s*|\\.")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LibraryPaper:
    """One paper of the reader's library. `key` is "arxiv:ID", "doi:DOI" or, for an entry with
    neither, where it came from ("library.bib#cao2026")."""

    key: str
    title: str
    abstract: str = ""
    authors: tuple[str, ...] = ()
    added: date | None = None  # when it entered the library, when the export says
    origin: str = ""  # "library.bib:12", "zotero", "radar.yaml", "feedback"

    @property
    def text(self) -> str:
        return f"{self.title}. {self.abstract}".strip()


@dataclass(frozen=True)
class Library:
    """What ranking needs: the papers, the ones not wanted, and what was skipped and why."""

    papers: tuple[LibraryPaper, ...] = ()
    not_interested: tuple[str, ...] = ()  # paper ids
    problems: tuple[str, ...] = ()  # one line each, for the run report
    fingerprint: str = ""  # changes when any paper or not_interested changes

    @property
    def is_empty(self) -> bool:
        return not self.papers


@dataclass(frozen=True)
class Parsed:
    papers: tuple[LibraryPaper, ...] = ()
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Found:
    """What an arXiv or Crossref lookup gave for one id (or that it found nothing)."""

    title: str = ""
    abstract: str = ""
    authors: tuple[str, ...] = ()

    @property
    def is_missing(self) -> bool:
        return not self.title


Lookup = Callable[[list[str]], tuple[dict[str, Found], list[str]]]  # ids → found, problems


# ---- ids and text ---------------------------------------------------------------------------


def paper_key(arxiv_id: str = "", doi: str = "") -> str:
    """The library's key for a paper: its arXiv id when known (also from an arXiv DOI), else DOI."""
    doi = doi.strip().lower().removeprefix("https://doi.org/").removeprefix("doi:")
    from_doi = ARXIV_DOI.match(doi)
    if not arxiv_id and from_doi:
        arxiv_id = from_doi.group(1)
    if arxiv_id:
        return "arxiv:" + VERSION.sub("", arxiv_id.strip().lower())
    return f"doi:{doi}" if doi else ""


def find_arxiv_id(*texts: str) -> str:
    """An arXiv id in a URL, an `eprint` field or Zotero's "arXiv: 2411.02908" note."""
    for text in texts:
        if not text:
            continue
        found = ARXIV_NEW.search(text) or ARXIV_OLD.search(text)
        if found and ("arxiv" in text.lower() or ARXIV_NEW.fullmatch(text.strip())):
            return found.group(1)
    return ""


def clean_latex(value: str) -> str:
    """BibTeX values keep braces and commands ({LLM}, \\'e); ranking only needs the words."""
    value = LATEX_COMMAND.sub("", value.replace("\\&", "&"))
    return one_line(value.replace("{", "").replace("}", "").replace("~", " "))


def _day(value: str) -> date | None:
    found = re.search(r"(\d{4})[-/](\d{2})[-/](\d{2})", value or "")
    if not found:
        return None
    try:
        return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        return None


def _entry_key(origin: str, key: str, arxiv_id: str, doi: str) -> str:
    return paper_key(arxiv_id, doi) or f"{origin.split(':')[0]}#{key}"


# ---- parsers: pure, text in, papers and problems out ---------------------------------------------


def parse_bibtex(text: str, name: str) -> Parsed:
    """Entries of a BibTeX file; a broken or duplicate entry is skipped and named."""
    logging.getLogger("bibtexparser").setLevel(logging.ERROR)
    parsed = bibtexparser.parse_string(text)
    problems = []
    for block in parsed.failed_blocks:
        raw_key = re.match(r"\s*@\w+\s*[{(]\s*([^,\s]+)", block.raw or "")
        key = f" '{raw_key.group(1)}'" if raw_key else ""
        why = "its key is given twice" if "Duplicate" in type(block).__name__ else "malformed"
        problems.append(f"{name}:{block.start_line + 1}: entry{key} skipped: {why}")
    papers = []
    for entry in parsed.entries:
        fields = {k.lower(): clean_latex(str(v.value)) for k, v in entry.fields_dict.items()}
        arxiv_id = (
            fields.get("eprint", "")
            if fields.get("archiveprefix", "").lower() == "arxiv"
            else find_arxiv_id(
                fields.get("url", ""),
                fields.get("journal", ""),
                fields.get("note", ""),
                fields.get("eprint", ""),
            )
        )
        origin = f"{name}:{entry.start_line + 1}"
        key = _entry_key(origin, entry.key, arxiv_id, fields.get("doi", ""))
        if not fields.get("title") and not key.startswith(("arxiv:", "doi:")):
            problems.append(f"{origin}: entry '{entry.key}' skipped: no title, arXiv id or DOI")
            continue
        authors = tuple(
            _person(a) for a in re.split(r"\s+and\s+", fields.get("author", "")) if a.strip()
        )
        added = _day(
            fields.get("timestamp", "")
            or fields.get("added-at", "")
            or fields.get("date-added", "")
            or fields.get("urldate", "")
        )
        papers.append(
            LibraryPaper(
                key, fields.get("title", ""), fields.get("abstract", ""), authors, added, origin
            )
        )
    return Parsed(tuple(papers), tuple(problems))


def _person(name: str) -> str:
    """'Cao, Zeyu' → 'Zeyu Cao'."""
    family, comma, given = name.partition(",")
    return one_line(f"{given} {family}" if comma else name)


def parse_ris(text: str, name: str) -> Parsed:
    """Records of a RIS file, each parsed alone so one broken record loses only itself."""
    papers, problems = [], []
    lines = text.splitlines()
    start = 0
    for index, line in enumerate([*lines, "ER  - "]):
        if not line.startswith("ER  -"):
            continue
        chunk = "\n".join(lines[start : index + 1]).strip()
        first_line = (
            start
            + 1
            + next((i for i, raw in enumerate(lines[start : index + 1]) if raw.strip()), 0)
        )
        start = index + 1
        if not chunk:
            continue
        origin = f"{name}:{first_line}"
        try:
            records = rispy.loads(chunk if chunk.endswith("ER  -") else f"{chunk}\nER  - ")
        except (ValueError, KeyError, IndexError, TypeError) as err:
            problems.append(f"{origin}: record skipped: {str(err).splitlines()[0][:120]}")
            continue
        for record in records:
            title = one_line(record.get("title") or record.get("primary_title") or "")
            urls = " ".join(record.get("urls") or [])
            key = _entry_key(
                origin, f"line{first_line}", find_arxiv_id(urls), str(record.get("doi") or "")
            )
            if not title and not key.startswith(("arxiv:", "doi:")):
                problems.append(f"{origin}: record skipped: no title, arXiv id or DOI")
                continue
            authors = tuple(
                _person(a) for a in (record.get("authors") or record.get("first_authors") or [])
            )
            papers.append(
                LibraryPaper(
                    key,
                    title,
                    one_line(record.get("abstract") or ""),
                    authors,
                    _day(str(record.get("date") or "")),
                    origin,
                )
            )
    return Parsed(tuple(papers), tuple(problems))


def parse_csl_json(text: str, name: str) -> Parsed:
    """Items of a CSL-JSON file (Zotero's and Pandoc's format); a broken item is named by index."""
    try:
        items = json.loads(text)
    except ValueError as err:
        return Parsed((), (f"{name}: not JSON ({err}); file skipped",))
    if isinstance(items, dict):
        items = items.get("items", [items])
    if not isinstance(items, list):
        return Parsed((), (f"{name}: expected a list of items; file skipped",))
    papers, problems = [], []
    for index, item in enumerate(items):
        origin = f"{name}[{index}]"
        if not isinstance(item, dict):
            problems.append(f"{origin}: item skipped: not an object")
            continue
        arxiv_id = find_arxiv_id(
            str(item.get("URL") or ""), str(item.get("note") or ""), str(item.get("number") or "")
        )
        key = _entry_key(origin, str(item.get("id") or index), arxiv_id, str(item.get("DOI") or ""))
        title = one_line(str(item.get("title") or ""))
        if not title and not key.startswith(("arxiv:", "doi:")):
            problems.append(
                f"{origin}: item '{item.get('id', index)}' skipped: no title, id or DOI"
            )
            continue
        authors = tuple(
            one_line(f"{a.get('given', '')} {a.get('family', '')}")
            or one_line(a.get("literal", ""))
            for a in item.get("author") or []
            if isinstance(a, dict)
        )
        issued = item.get("accessed") or {}
        parts = (issued.get("date-parts") or [[]])[0] if isinstance(issued, dict) else []
        added = date(*[int(p) for p in parts[:3]]) if len(parts) == 3 else None
        papers.append(
            LibraryPaper(
                key,
                title,
                plain_text(str(item.get("abstract") or "")),
                tuple(a for a in authors if a),
                added,
                origin,
            )
        )
    return Parsed(tuple(papers), tuple(problems))


def zotero_item_to_paper(item: Mapping[str, Any]) -> LibraryPaper | None:
    """One item of Zotero's web API (its `data`); attachments and notes are not papers."""
    data = item.get("data", item)
    if data.get("itemType") in ("attachment", "note", "annotation"):
        return None
    arxiv_id = find_arxiv_id(
        str(data.get("url") or ""), str(data.get("extra") or ""), str(data.get("archiveID") or "")
    )
    key = _entry_key("zotero", str(data.get("key") or ""), arxiv_id, str(data.get("DOI") or ""))
    title = one_line(str(data.get("title") or ""))
    if not title and not key.startswith(("arxiv:", "doi:")):
        return None
    authors = tuple(
        one_line(f"{c.get('firstName', '')} {c.get('lastName', '')}") or one_line(c.get("name", ""))
        for c in data.get("creators") or []
        if isinstance(c, dict)
    )
    return LibraryPaper(
        key,
        title,
        one_line(str(data.get("abstractNote") or "")),
        tuple(a for a in authors if a),
        _day(str(data.get("dateAdded") or "")),
        "zotero",
    )


# ---- state files ---------------------------------------------------------------------------------


def _read_json(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as err:
        log.warning("%s unreadable (%s); starting afresh", path, err)
        return {}
    return value if isinstance(value, dict) else {}


# ---- assembling the library ------------------------------------------------------------------


def _read_file(
    base: Path, name: str, problems: list[str], read: Callable[[str], str] | None = None
) -> str | None:
    path = base / name
    try:
        return read(name) if read is not None else path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        problems.append(f"library: {name} not found beside {base / 'radar.yaml'}; skipped")
    except (OSError, UnicodeDecodeError) as err:
        problems.append(f"library: cannot read {name} ({err}); skipped")
    return None


def _merge(papers: Iterable[LibraryPaper]) -> list[LibraryPaper]:
    """One paper per key (and per folded title): the first seen, completed by later ones."""
    by_key: dict[str, LibraryPaper] = {}
    title_key: dict[str, str] = {}
    for paper in papers:
        key = title_key.get(fold(paper.title), paper.key) if paper.title else paper.key
        kept = by_key.get(key)
        if kept is None:
            by_key[key] = paper
        else:
            by_key[key] = LibraryPaper(
                kept.key,
                kept.title or paper.title,
                kept.abstract or paper.abstract,
                kept.authors or paper.authors,
                kept.added or paper.added,
                kept.origin,
            )
        if paper.title:
            title_key.setdefault(fold(paper.title), key)
    return list(by_key.values())


def _found_as_dict(found: Found) -> dict[str, Any]:
    return {"title": found.title, "abstract": found.abstract, "authors": list(found.authors)}


def _complete(
    papers: list[LibraryPaper], lookups: dict[str, Any], lookup: Lookup | None, problems: list[str]
) -> list[LibraryPaper]:
    """Fill titles and abstracts from the cache, asking `lookup` once for ids never seen."""
    wanted = [p.key for p in papers if not p.abstract and p.key.startswith(("arxiv:", "doi:"))]
    unknown = [key for key in dict.fromkeys(wanted) if key not in lookups]
    if unknown and lookup is not None:
        found, lookup_problems = lookup(unknown)
        problems.extend(lookup_problems)
        for key, value in found.items():
            lookups[key] = _found_as_dict(value)
    completed = []
    for paper in papers:
        cached = lookups.get(paper.key) or {}
        if not paper.abstract and cached.get("title"):
            paper = LibraryPaper(
                paper.key,
                paper.title or cached["title"],
                cached.get("abstract", ""),
                paper.authors or tuple(cached.get("authors", [])),
                paper.added,
                paper.origin,
            )
        if not paper.title:
            problems.append(
                f"{paper.origin}: {paper.key} has no title and could not be looked "
                "up yet; left out tonight"
            )
            continue
        completed.append(paper)
    return completed


def fingerprint(papers: Iterable[LibraryPaper], not_interested: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for paper in papers:
        digest.update(f"{paper.key}\0{paper.text}\0{paper.added}\n".encode())
    digest.update("\0".join(sorted(not_interested)).encode())
    return digest.hexdigest()[:16]


@dataclass
class LibrarySources:
    """Where a night's library comes from; the network parts are passed in so tests replay."""

    base_dir: Path  # radar.yaml's folder: file names are relative to it
    content_dir: Path
    lookup: Lookup | None = None  # arXiv/Crossref by id; None = offline, cache only
    zotero: Callable[[], list[dict[str, Any]]] | None = None  # None = no key: cached copy
    archived: Callable[[str], Paper | None] = field(default=lambda paper_id: None)
    read: Callable[[str], str] | None = None  # a file beside radar.yaml by name (backtest: git)


def load_library(settings: LibrarySettings, sources: LibrarySources) -> Library:
    """Every configured part of the library, merged, completed and fingerprinted. Writes the
    lookup cache when it learnt something; never raises for a bad entry or an absent network."""
    feedback = read_feedback(sources.content_dir)
    if not settings.is_configured and not feedback.library:
        return Library()
    problems: list[str] = []
    state_path = sources.content_dir / STATE_FILE
    state = _read_json(state_path)
    lookups: dict[str, Any] = state.setdefault("lookups", {})
    before = json.dumps(state, sort_keys=True)

    papers: list[LibraryPaper] = []
    papers.extend(LibraryPaper(paper_id, "", origin="radar.yaml") for paper_id in settings.papers)
    for names, parse in (
        (settings.bibtex, parse_bibtex),
        (settings.ris, parse_ris),
        (settings.csl_json, parse_csl_json),
    ):
        for name in names:
            text = _read_file(sources.base_dir, name, problems, sources.read)
            if text is None:
                continue
            parsed = parse(text, name)
            papers.extend(parsed.papers)
            problems.extend(parsed.problems)
    if settings.zotero is not None:
        papers.extend(_zotero_papers(settings, sources, state, problems))

    for paper_id in feedback.library:
        archived = sources.archived(paper_id)
        if archived is not None:
            papers.append(
                LibraryPaper(
                    paper_id,
                    archived.title,
                    archived.abstract,
                    archived.authors,
                    archived.announced,
                    "feedback",
                )
            )
        else:
            papers.append(LibraryPaper(paper_id, "", origin="feedback"))

    completed = _complete(_merge(papers), lookups, sources.lookup, problems)
    if json.dumps(state, sort_keys=True) != before:
        write_atomically(state_path, json.dumps(state, indent=1, ensure_ascii=False) + "\n")
    not_interested = tuple(dict.fromkeys([*settings.not_interested, *feedback.not_interested]))
    return Library(
        papers=tuple(completed),
        not_interested=not_interested,
        problems=tuple(problems),
        fingerprint=fingerprint(completed, not_interested),
    )


def _zotero_papers(
    settings: LibrarySettings, sources: LibrarySources, state: dict[str, Any], problems: list[str]
) -> list[LibraryPaper]:
    """The Zotero library through the API when a key is set, else the copy kept last time."""
    assert settings.zotero is not None
    wanted = {"library": settings.zotero.library, "collection": settings.zotero.collection}
    cached = state.get("zotero") or {}
    items = cached.get("items", []) if {k: cached.get(k) for k in wanted} == wanted else []
    if sources.zotero is None:
        if not items:
            problems.append(
                "library: ZOTERO_API_KEY is not set and no copy of the Zotero "
                "library is kept yet; Zotero skipped"
            )
    else:
        try:
            items = sources.zotero()
            state["zotero"] = {**wanted, "items": items}
        except ZoteroError as err:
            kept = f"; using the copy of {len(items)} items kept last time" if items else ""
            problems.append(f"library: Zotero: {err}{kept}")
    papers = [zotero_item_to_paper(item) for item in items if isinstance(item, dict)]
    return [p for p in papers if p is not None]


class ZoteroError(Exception):
    """The Zotero web API could not be read (no such library or collection, a bad key, down)."""


def scored_with(content_dir: Path) -> str:
    """The library fingerprint the archive's relevance was last computed with."""
    return str(_read_json(content_dir / STATE_FILE).get("scored_with", ""))


def mark_scored(content_dir: Path, library_fingerprint: str) -> None:
    path = content_dir / STATE_FILE
    state = _read_json(path)
    state["scored_with"] = library_fingerprint
    write_atomically(path, json.dumps(state, indent=1, ensure_ascii=False) + "\n")
