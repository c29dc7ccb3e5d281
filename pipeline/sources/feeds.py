"""Any RSS 1.0/2.0 or Atom feed: journals' tables of contents (Nature, Science, PLOS, …) and the
preprint servers' subject feeds. Bytes in, Papers out; fetching goes through Http."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import feedparser

from ..errors import SourceError
from ..http import Http
from ..models import FeedSource, Paper, SourceResult
from ..text import one_line, plain_text, plain_text_paragraphs, safe_url, tidy_text
from .caps import MAX_DOI_CHARS
from .common import Parsed, convert_items, timed_fetch
from .validators import Validators

DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
# Nature's content:encoded opens with "<p>Nature, Published online: DATE; doi:…</p>"
PUBLISHED_LINE = re.compile(r"^[^.]{0,80}Published online:.*?(doi:\S+)?$", re.IGNORECASE)
# PLOS's summaries open with "by AUTHOR, AUTHOR", APS's with "Author(s): A, B, and C"
BYLINE = re.compile(r"^(?:by|author\(s\):)\s.{1,400}$", re.IGNORECASE)
# APS's end with "[Phys. Rev. Lett. 137, 100401] Published Wed Sep 02, 2026"
CITATION_LINE = re.compile(r"^\[(?P<ref>[^\]]{3,120})\]\s*Published\b.{0,60}$")
# a text/plain title that still carries markup (APS's MathML, <i>…</i>) is HTML after all;
# "n<m" alone is not
CLOSING_TAG = re.compile(r"</(?:math|mi|mn|mo|msub|msup|i|b|em|strong|sub|sup|span)>", re.I)
# one creator naming several people: "A. Smith, B. Jones, and C. Wu"
AND = re.compile(r",?\s+and\s+|\s*&\s*")


@dataclass(frozen=True)
class ParsedFeed(Parsed):
    is_whole: bool = True  # well-formed with items: worth a conditional GET next time


def find_doi(entry: Any) -> str:
    """prism:doi, dc:identifier "doi:10.…", a DOI guid, or a DOI inside a link (doi.org, a
    publisher's /doi/ path, PLOS's ?id=), lower-cased; '' when none. Links lose their query and
    fragment first, so Science's "?af=R" never becomes part of the DOI."""
    for candidate in (entry.get("prism_doi"), entry.get("dc_identifier"), entry.get("id")):
        found = DOI.search(candidate or "")
        if found and not (candidate or "").lower().startswith(("http://", "https://")):
            return _clean_doi(found.group(1))
    for candidate in (entry.get("id"), entry.get("link")):
        parts = urlsplit(candidate or "")
        for piece in (unquote(parts.path), *(v for _, v in parse_qsl(parts.query))):
            found = DOI.search(piece)
            if found:
                return _clean_doi(found.group(1))
    return ""


def _clean_doi(raw: str) -> str:
    """'' for a "DOI" longer than any real one (they stay under 300 characters)."""
    doi = raw.rstrip(".,;)").lower()
    return doi if len(doi) <= MAX_DOI_CHARS else ""


def guid_id(source: FeedSource, identity: str) -> str:
    """The id of an item known only by its guid (or link): a key of this feed's own, so the same
    guid in another feed is another paper (dedupe still joins them by title and first author)."""
    return "guid:" + hashlib.sha1(f"{source.name}\n{identity}".encode()).hexdigest()[:20]


def _text(entry: Any, key: str) -> str:
    value = entry.get(key, "") or ""
    detail = entry.get(f"{key}_detail") or {}
    is_html = "html" in (detail.get("type") or "html") or CLOSING_TAG.search(value)
    return plain_text(value) if is_html else tidy_text(value)


@dataclass(frozen=True)
class Abstract:
    text: str
    journal_ref: str = ""  # the citation a publisher appends, e.g. "Phys. Rev. Lett. 137, 100401"


def _abstract(entry: Any) -> Abstract:
    """The longest of content and summary, as plain text, without the publisher's dateline,
    byline or citation line around it (each dropped only when the abstract is more than it)."""
    texts = [_text(c, "value") for c in entry.get("content") or []]
    texts.append(_text(entry, "summary"))
    paragraphs = plain_text_paragraphs(max(texts, key=len, default=""))
    if len(paragraphs) > 1 and (PUBLISHED_LINE.match(paragraphs[0]) or BYLINE.match(paragraphs[0])):
        paragraphs = paragraphs[1:]
    journal_ref = ""
    citation = CITATION_LINE.match(paragraphs[-1]) if len(paragraphs) > 1 else None
    if citation:
        journal_ref, paragraphs = citation.group("ref"), paragraphs[:-1]
    return Abstract("\n\n".join(paragraphs), one_line(journal_ref))


def _authors(entry: Any) -> tuple[str, ...]:
    names = [one_line(plain_text(a.get("name", ""))) for a in entry.get("authors") or []]
    if not any(names) and entry.get("author"):
        names = [plain_text(entry["author"])]
    if len(names) == 1:  # a byline in one field (APS): split it into people
        names = split_byline(re.sub(r"^author\(s\):\s*", "", names[0], flags=re.IGNORECASE))
    return tuple(dict.fromkeys(n for n in names if n))


def split_byline(byline: str) -> list[str]:
    """'A. Smith, B. Jones, and C. Wu' → three names; 'Lane, Nicholas D.' stays one (a single
    comma with one word before it is "Family, Given"); 'Smith, A.; Jones, B.' splits on ';'."""
    if ";" in byline:
        return [one_line(n) for n in byline.split(";")]
    parts = [p for p in AND.split(byline) if p.strip()]
    names: list[str] = []
    for part in parts:
        pieces = [one_line(p) for p in part.split(",") if p.strip()]
        if len(pieces) == 2 and len(pieces[0].split()) == 1:
            names.append(f"{pieces[0]}, {pieces[1]}")
        else:
            names.extend(pieces)
    return names


def entry_to_paper(entry: Any, source: FeedSource, day: date) -> Paper:
    """One feed item → Paper; raises ValueError when it has no title or no link/id."""
    title = _text(entry, "title")
    if not title:
        raise ValueError("no title")
    link = safe_url(entry.get("link") or "")
    doi = find_doi(entry)
    identity = entry.get("id") or link
    if not doi and not identity:
        raise ValueError("no DOI, id or link to tell it apart")
    paper_id = f"doi:{doi}" if doi else guid_id(source, identity)
    abstract = _abstract(entry)
    return Paper(
        paper_id=paper_id,
        title=title,
        authors=_authors(entry),
        abstract=abstract.text,
        announced=day,
        source_label=source.name,
        source=f"preset:{source.preset}" if source.preset else f"feeds:{source.name}",
        categories=tuple(
            one_line(t.get("term", "")) for t in entry.get("tags") or [] if t.get("term")
        )[:8],
        abs_url=link or (f"https://doi.org/{doi}" if doi else ""),
        doi=doi,
        journal_ref=abstract.journal_ref,
    )


def parse_feed(body: bytes, source: FeedSource, day: date) -> ParsedFeed:
    """Pure. Raises SourceError when the bytes are no feed at all (an HTML error page, garbage)."""
    parsed = feedparser.parse(body)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception") or "no RSS or Atom root element"
        raise SourceError(f"not an RSS/Atom feed ({one_line(str(reason))[:100]})")
    papers, skipped = convert_items(
        parsed.entries,
        source.name,
        lambda entry: entry_to_paper(entry, source, day),
        lambda entry: entry.get("id") or entry.get("link"),
    )
    note = ""
    if not parsed.entries:
        note = "the feed had no items"
    elif parsed.get("bozo"):
        note = f"ill-formed feed, read what could be ({one_line(str(parsed.bozo_exception))[:80]})"
    is_whole = bool(parsed.entries) and not parsed.get("bozo")
    return ParsedFeed(tuple(papers), tuple(skipped), note, is_whole)


def fetch_feed(source: FeedSource, http: Http, day: date, validators: Validators) -> SourceResult:
    """One feed, with ETag / Last-Modified so an unchanged feed costs one small 304."""

    def fetch() -> Parsed:
        response = http.get(source.url, headers=validators.headers_for(source.url))
        if response.status == 304:
            return Parsed(note="not modified since the last run (HTTP 304)")
        feed = parse_feed(response.body, source, day)
        if feed.is_whole:  # an empty or broken reply is asked for in full again next night
            validators.remember(source.url, response.headers)
        else:
            validators.forget(source.url)
        return feed

    return timed_fetch(source.name, fetch)
