"""Any RSS 1.0/2.0 or Atom feed: journals' tables of contents (Nature, Science, PLOS, …) and the
preprint servers' subject feeds. Bytes in, Papers out; fetching goes through Http."""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

import feedparser

from ..http import Http, SourceError
from ..models import FeedSource, Paper, SkippedItem, SourceResult
from ..text import one_line, plain_text, plain_text_paragraphs, safe_url, tidy_text
from .validators import Validators

DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
# Nature's content:encoded opens with "<p>Nature, Published online: DATE; doi:…</p>"
PUBLISHED_LINE = re.compile(r"^[^.]{0,80}Published online:.*?(doi:\S+)?$", re.IGNORECASE)
# PLOS's summaries open with "by AUTHOR, AUTHOR"
BYLINE = re.compile(r"^by [^.]{1,300}$")


@dataclass(frozen=True)
class ParsedFeed:
    papers: tuple[Paper, ...]
    skipped: tuple[SkippedItem, ...]
    note: str


def find_doi(entry: Any) -> str:
    """prism:doi, dc:identifier "doi:10.…", or a doi.org link, lower-cased; '' when none."""
    candidates = [entry.get("prism_doi"), entry.get("dc_identifier"), entry.get("id"),
                  entry.get("link")]  # fmt: skip
    for candidate in candidates:
        found = DOI.search(candidate or "")
        if found:
            return found.group(1).rstrip(".,;)").lower()
    return ""


def _text(entry: Any, key: str) -> str:
    value = entry.get(key, "") or ""
    detail = entry.get(f"{key}_detail") or {}
    return plain_text(value) if "html" in (detail.get("type") or "html") else tidy_text(value)


def _abstract(entry: Any) -> str:
    """The longest of content and summary, as plain text, without a publisher's dateline."""
    texts = [_text(c, "value") for c in entry.get("content") or []]
    texts.append(_text(entry, "summary"))
    best = max(texts, key=len, default="")
    paragraphs = plain_text_paragraphs(best)
    if paragraphs and (PUBLISHED_LINE.match(paragraphs[0]) or BYLINE.match(paragraphs[0])):
        paragraphs = paragraphs[1:]
    return "\n\n".join(paragraphs)


def _authors(entry: Any) -> tuple[str, ...]:
    names = [one_line(plain_text(a.get("name", ""))) for a in entry.get("authors") or []]
    if not any(names) and entry.get("author"):
        names = [one_line(n) for n in re.split(r",| and ", plain_text(entry["author"]))]
    return tuple(dict.fromkeys(n for n in names if n))


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
    paper_id = f"doi:{doi}" if doi else "guid:" + hashlib.sha1(identity.encode()).hexdigest()[:20]
    return Paper(
        paper_id=paper_id,
        title=title,
        authors=_authors(entry),
        abstract=_abstract(entry),
        announced=day,
        source_label=source.name,
        source=f"feeds:{source.name}",
        categories=tuple(
            one_line(t.get("term", "")) for t in entry.get("tags") or [] if t.get("term")
        )[:8],  # fmt: skip
        abs_url=link or (f"https://doi.org/{doi}" if doi else ""),
        doi=doi,
    )


def parse_feed(body: bytes, source: FeedSource, day: date) -> ParsedFeed:
    """Pure. Raises SourceError when the bytes are no feed at all (an HTML error page, garbage)."""
    parsed = feedparser.parse(body)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception") or "no RSS or Atom root element"
        raise SourceError(f"not an RSS/Atom feed ({one_line(str(reason))[:100]})")
    papers, skipped = [], []
    for index, entry in enumerate(parsed.entries):
        try:
            papers.append(entry_to_paper(entry, source, day))
        except (ValueError, KeyError, TypeError) as err:
            label = one_line(entry.get("id") or entry.get("link") or f"item {index + 1}")[:80]
            skipped.append(SkippedItem(source.name, label, one_line(str(err))[:120]))
    note = ""
    if not parsed.entries:
        note = "the feed had no items"
    elif parsed.get("bozo"):
        note = f"ill-formed feed, read what could be ({one_line(str(parsed.bozo_exception))[:80]})"
    return ParsedFeed(tuple(papers), tuple(skipped), note)


def fetch_feed(source: FeedSource, http: Http, day: date, validators: Validators) -> SourceResult:
    """One feed, with ETag / Last-Modified so an unchanged feed costs one small 304."""
    started = time.monotonic()
    try:
        response = http.get(source.url, headers=validators.headers_for(source.url))
        if response.status == 304:
            note = "not modified since the last run (HTTP 304)"
            return SourceResult(source.name, note=note, seconds=time.monotonic() - started)
        feed = parse_feed(response.body, source, day)
    except SourceError as err:
        return SourceResult(source.name, error=str(err), seconds=time.monotonic() - started)
    validators.remember(source.url, response.headers)
    return SourceResult(source.name, feed.papers, note=feed.note, skipped=feed.skipped,
                        seconds=time.monotonic() - started)  # fmt: skip
