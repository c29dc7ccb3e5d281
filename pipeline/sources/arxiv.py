"""arXiv, both ways: the daily category RSS feeds (what was announced today, cross-lists included)
and API queries for watched authors and topic keywords (what the feeds of other categories had)."""

from __future__ import annotations

import email.utils
import re
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import arxiv
import feedparser
import requests

from ..errors import SourceError
from ..http import (
    BoundedSession,
    DeadlineExceeded,
    Http,
    ResponseTooLarge,
    network_error_reason,
)
from ..models import Endpoints, Paper, Radar, SkippedItem, SourceResult
from ..text import one_line, plain_text, tidy_text
from .common import Parsed, convert_items, timed_fetch
from .plan import Fetch

ARXIV_ID = re.compile(
    r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z.-]*(?:\.[A-Z]{2})?/\d{7})(?:v(?P<version>\d+))?"
)
_DESCRIPTION = re.compile(
    r"^\s*arXiv:\S+\s+Announce Type:\s*(?P<type>[\w-]+)\s*Abstract:\s*", re.IGNORECASE
)
WEEKEND = {5: "Saturday", 6: "Sunday"}


def split_arxiv_id(raw: str) -> tuple[str, int | None]:
    """'oai:arXiv.org:2606.19025v1' / 'http://arxiv.org/abs/2606.19025v1' → ('2606.19025', 1)."""
    found = ARXIV_ID.search(raw)
    if not found:
        raise ValueError(f"no arXiv id in {raw!r}")
    version = found.group("version")
    return found.group("id"), int(version) if version else None


def arxiv_links(arxiv_id: str, version: int | None) -> tuple[str, str]:
    suffix = f"v{version}" if version else ""
    return f"https://arxiv.org/abs/{arxiv_id}", f"https://arxiv.org/pdf/{arxiv_id}{suffix}"


def source_label(category: str) -> str:
    return f"arXiv ({category})"


def _detail_text(entry: Any, key: str) -> str:
    """feedparser gives text/plain or text/html; only HTML goes through the HTML reducer."""
    value = entry.get(key, "") or ""
    detail = entry.get(f"{key}_detail") or {}
    if "html" in (detail.get("type") or ""):
        return plain_text(value)
    return tidy_text(value)


def _feed_day(raw: str | None) -> date | None:
    if not raw:
        return None
    try:
        return email.utils.parsedate_to_datetime(raw).date()
    except (TypeError, ValueError):
        return None


def _split_creators(entry: Any) -> tuple[str, ...]:
    names: list[str] = []
    for author in entry.get("authors") or [{"name": entry.get("author", "")}]:
        names.extend(
            part for part in (one_line(p) for p in author.get("name", "").split(",")) if part
        )
    return tuple(names)


def rss_item_to_paper(entry: Any, category: str, day: date) -> Paper:
    """One RSS item → Paper; raises ValueError for an item that lacks what a paper needs."""
    arxiv_id, version = split_arxiv_id(entry.get("id") or entry.get("link") or "")
    title = _detail_text(entry, "title")
    if not title:
        raise ValueError("item has no title")
    description = _detail_text(entry, "summary")
    header = _DESCRIPTION.match(description)
    announce_type = entry.get("arxiv_announce_type") or (header.group("type") if header else "")
    abstract = description[header.end() :] if header else description
    abs_url, pdf_url = arxiv_links(arxiv_id, version)
    return Paper(
        paper_id=f"arxiv:{arxiv_id}",
        title=title,
        authors=_split_creators(entry),
        abstract=abstract,
        announced=_feed_day(entry.get("published")) or day,
        source_label=source_label(category),
        source="arxiv",
        categories=tuple(t["term"] for t in entry.get("tags", []) if t.get("term")),
        abs_url=abs_url,
        pdf_url=pdf_url,
        doi=one_line(entry.get("arxiv_doi", "")),
        version=version,
        announce_type=one_line(announce_type).lower(),
        journal_ref=one_line(entry.get("arxiv_journal_reference", "")),
        comment=one_line(entry.get("arxiv_comment", "")),
    )


def parse_category_feed(body: bytes, category: str, day: date) -> Parsed:
    """Pure: the bytes of rss.arxiv.org/rss/CATEGORY → papers. Raises SourceError when the bytes
    are not an RSS feed at all (an HTML error page, truncated XML)."""
    name = f"arXiv {category}"
    parsed = feedparser.parse(body)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception") or "no RSS or Atom root element"
        raise SourceError(f"not an RSS feed ({one_line(str(reason))[:100]})")
    papers, skipped = convert_items(
        parsed.entries,
        name,
        lambda entry: rss_item_to_paper(entry, category, day),
        lambda entry: entry.get("id") or entry.get("title"),
    )
    note = ""
    feed_day = _feed_day(parsed.feed.get("published") or parsed.feed.get("updated"))
    if not parsed.entries:
        if day.weekday() in WEEKEND or b"<skipDays>" in body:
            note = (
                f"arXiv announces nothing on {WEEKEND.get(day.weekday(), 'skip days')} "
                "(the feed's skipDays); nothing to collect"
            )
        else:
            note = "empty feed: arXiv announced nothing today (an arXiv holiday?)"
    elif feed_day and feed_day != day:
        note = f"the feed is for {feed_day.isoformat()}, not {day.isoformat()}; kept its papers"
    return Parsed(tuple(papers), tuple(skipped), note)


def fetch_category(category: str, http: Http, endpoints: Endpoints, day: date) -> SourceResult:
    return timed_fetch(
        f"arXiv {category}",
        lambda: parse_category_feed(
            http.get(endpoints.arxiv_rss_url + category).body, category, day
        ),
    )


@dataclass(frozen=True)
class ApiQuery:
    name: str  # for the report: "arXiv API: author Zeyu Cao"
    query: str  # arXiv search_query syntax


def _quoted(term: str) -> str:
    return '"' + term.replace('"', " ").strip() + '"'


def api_queries(radar: Radar) -> list[ApiQuery]:
    """One query per watched author and one per keyword topic (its keywords OR-ed together)."""
    queries = [ApiQuery(f"arXiv API: author {a}", f"au:{_quoted(a)}") for a in radar.authors]
    for topic in radar.topics:
        if not topic.keywords:
            continue  # category-only topics come from the RSS feeds
        words = " OR ".join(f"ti:{_quoted(k)} OR abs:{_quoted(k)}" for k in topic.keywords)
        query = f"({words})"
        if topic.categories:
            query += " AND (" + " OR ".join(f"cat:{c}" for c in topic.categories) + ")"
        queries.append(ApiQuery(f"arXiv API: topic {topic.name}", query))
    return queries


def api_result_to_paper(result: arxiv.Result) -> Paper:
    arxiv_id, version = split_arxiv_id(result.entry_id)
    abs_url, pdf_url = arxiv_links(arxiv_id, version)
    return Paper(
        paper_id=f"arxiv:{arxiv_id}",
        title=one_line(result.title),
        authors=tuple(one_line(a.name) for a in result.authors),
        abstract=tidy_text(result.summary),
        announced=result.updated.date(),
        source_label=source_label(result.primary_category),
        source="arxiv",
        categories=tuple(result.categories),
        abs_url=abs_url,
        pdf_url=result.pdf_url or pdf_url,
        doi=one_line(result.doi or ""),
        version=version,
        announce_type="",
        journal_ref=one_line(result.journal_ref or ""),
        comment=one_line(result.comment or ""),
    )


def make_api_client(endpoints: Endpoints, page_size: int) -> arxiv.Client:
    """The arxiv library's client, reaching the API through our bounded session (the library
    itself sets no timeout, no size limit and its own User-Agent)."""
    client = arxiv.Client(
        page_size=page_size, delay_seconds=endpoints.arxiv_api_delay, num_retries=2
    )
    client.query_url_format = endpoints.arxiv_api_url + "?{}"
    client._session = BoundedSession(endpoints.user_agent, endpoints.timeout, endpoints.limits)
    return client


def run_api_query(client: arxiv.Client, query: ApiQuery, radar: Radar, day: date) -> SourceResult:
    """Results updated within the lookback window ending on `day`; older ones are not news."""
    started = time.monotonic()
    settings = radar.arxiv
    oldest = day - timedelta(days=settings.api_lookback_days)
    search = arxiv.Search(
        query=query.query,
        max_results=settings.api_max_results,
        sort_by=arxiv.SortCriterion.LastUpdatedDate,
        sort_order=arxiv.SortOrder.Descending,
    )
    papers: list[Paper] = []
    skipped: list[SkippedItem] = []
    try:
        for result in client.results(search):
            try:
                paper = api_result_to_paper(result)
            except ValueError as err:
                skipped.append(SkippedItem(query.name, result.entry_id, str(err)))
                continue
            if oldest <= paper.announced <= day:
                papers.append(paper)
    except arxiv.HTTPError as err:
        error = f"arXiv API answered HTTP {err.status} after {err.retry + 1} tries"
        return SourceResult(query.name, error=error, seconds=time.monotonic() - started)
    except arxiv.UnexpectedEmptyPageError:
        error = "arXiv API returned an empty page mid-way (try again later)"
        return SourceResult(query.name, error=error, seconds=time.monotonic() - started)
    except (DeadlineExceeded, ResponseTooLarge) as err:
        return SourceResult(
            query.name, error=f"arXiv API: {err}", seconds=time.monotonic() - started
        )
    except requests.RequestException as err:
        error = f"cannot reach the arXiv API ({network_error_reason(err)})"
        return SourceResult(query.name, error=error, seconds=time.monotonic() - started)
    note = "" if papers else f"nothing updated between {oldest} and {day}"
    return SourceResult(
        query.name,
        tuple(papers),
        note=note,
        skipped=tuple(skipped),
        seconds=time.monotonic() - started,
    )


def arxiv_fetches(radar: Radar, endpoints: Endpoints, day: date) -> list[Fetch]:
    """Every arXiv fetch the radar asks for, in order, to be run one after another: the API
    queries share one client, which keeps arXiv's rate limit between them."""
    settings = radar.arxiv
    fetches = []
    if settings.rss:
        fetches += [
            Fetch(f"arXiv {c}", lambda http, c=c: fetch_category(c, http, endpoints, day))
            for c in settings.categories
        ]
    if settings.api:
        client = make_api_client(endpoints, settings.api_max_results)
        fetches += [
            Fetch(q.name, lambda http, q=q: _api_fetch(client, q, radar, day, http))
            for q in api_queries(radar)
        ]
    return fetches


def _api_fetch(
    client: arxiv.Client, query: ApiQuery, radar: Radar, day: date, http: Http
) -> SourceResult:
    client._session = http.session  # this fetch's deadline and limits
    return run_api_query(client, query, radar, day)
