"""New works of journals with no feed, by ISSN, from the Crossref REST API (polite pool when a
mailto is set). JATS abstracts are reduced to plain text like any other HTML."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from ..errors import SourceError
from ..http import Http
from ..models import CrossrefJournal, CrossrefSource, Endpoints, Paper, SkippedItem, SourceResult
from ..text import one_line, plain_text, safe_url
from .common import Parsed, convert_items, timed_fetch

ROWS = 100
MAX_PAGES = 10  # 1,000 works a lookback: more than the busiest journal deposits in a week


def source_name(journal: CrossrefJournal) -> str:
    return f"Crossref {journal.name}"


def works_url(
    endpoints: Endpoints,
    settings: CrossrefSource,
    journal: CrossrefJournal,
    day: date,
    cursor: str = "*",
) -> str:
    """Works first deposited in the lookback window. Created date, not published date (a print
    date can lie months either side of deposit) nor indexed date (every old work is re-indexed
    now and then): each work is new exactly once. Articles only: PLOS alone deposits a DOI per
    figure."""
    since = (day - timedelta(days=settings.lookback_days)).isoformat()
    query = {
        "filter": f"from-created-date:{since},until-created-date:{day.isoformat()},"
        "type:journal-article",
        "rows": ROWS,
        "sort": "created",
        "order": "desc",
        "cursor": cursor,
    }
    if settings.mailto:
        query["mailto"] = settings.mailto
    return f"{endpoints.crossref_api_url}journals/{journal.issn}/works?{urlencode(query)}"


def _first(values: Any) -> str:
    return str(values[0]) if isinstance(values, list) and values else ""


def work_to_paper(work: dict[str, Any], journal: CrossrefJournal, day: date) -> Paper:
    doi = one_line(str(work.get("DOI") or "")).lower()
    title = plain_text(_first(work.get("title")))
    if not doi or not title:
        raise ValueError("no DOI" if not doi else "no title")
    authors = tuple(
        one_line(f"{a.get('given', '')} {a.get('family', '')}") or one_line(a.get("name", ""))
        for a in work.get("author") or []
        if isinstance(a, dict)
    )
    return Paper(
        paper_id=f"doi:{doi}",
        title=title,
        authors=tuple(a for a in authors if a),
        abstract=plain_text(str(work.get("abstract") or "")),
        announced=day,
        source_label=journal.name,
        source=f"crossref:{journal.issn}",
        categories=tuple(one_line(str(s)) for s in work.get("subject") or [])[:8],
        abs_url=safe_url(str(work.get("URL") or "")) or f"https://doi.org/{doi}",
        doi=doi,
        journal_ref=one_line(_first(work.get("container-title"))),
    )


@dataclass(frozen=True)
class WorksPage:
    papers: tuple[Paper, ...]
    skipped: tuple[SkippedItem, ...]
    total: int  # total-results of the whole query
    next_cursor: str  # '' on the last page
    items: int  # works on this page, kept or skipped


def parse_works(body: bytes, journal: CrossrefJournal, day: date) -> WorksPage:
    """Pure: one page of /journals/ISSN/works → papers. Raises SourceError for anything that is
    not Crossref's JSON (an HTML error page, truncated JSON)."""
    try:
        message = json.loads(body)["message"]
        items = message["items"]
        total = int(message.get("total-results") or 0)
    except (ValueError, KeyError, TypeError):
        raise SourceError("not Crossref's works JSON (no message.items)") from None
    if not isinstance(items, list):
        raise SourceError("not Crossref's works JSON (message.items is not a list)")
    papers, skipped = convert_items(
        items,
        source_name(journal),
        lambda work: work_to_paper(work, journal, day),
        lambda work: work.get("DOI") if isinstance(work, dict) else "",
    )
    cursor = message.get("next-cursor")
    return WorksPage(
        tuple(papers), tuple(skipped), total, cursor if isinstance(cursor, str) else "", len(items)
    )


def fetch_journal(
    journal: CrossrefJournal, settings: CrossrefSource, http: Http, endpoints: Endpoints, day: date
) -> SourceResult:
    """Every page of the window, by Crossref's deep-paging cursor."""

    def fetch() -> Parsed:
        papers: list[Paper] = []
        skipped: list[SkippedItem] = []
        cursor, seen, note = "*", 0, ""
        for _ in range(MAX_PAGES):
            url = works_url(endpoints, settings, journal, day, cursor)
            page = parse_works(http.get(url).body, journal, day)
            papers += page.papers
            skipped += page.skipped
            seen += page.items
            if not page.items or not page.next_cursor or seen >= page.total:
                break
            cursor = page.next_cursor
        else:
            note = f"stopped after {MAX_PAGES * ROWS} works; lower lookback_days"
        if not papers and not note:
            note = f"no new works in the last {settings.lookback_days} days"
        return Parsed(tuple(papers), tuple(skipped), note)

    return timed_fetch(source_name(journal), fetch)
