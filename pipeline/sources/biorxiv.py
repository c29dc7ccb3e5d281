"""bioRxiv and medRxiv through their public details API: the preprints posted in a date range,
100 a page, filtered here by subject. Richer than their RSS (full abstracts, versions, and the
DOI of the published journal version, which dedupe uses)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from ..errors import SourceError
from ..http import Http
from ..models import Endpoints, Paper, PreprintSource, SkippedItem, SourceResult
from ..presets import SERVERS, subject_label
from ..text import one_line, plain_text
from .common import Parsed, convert_items, timed_fetch

MAX_PAGES = 50  # 5,000 preprints at 100 a page: more than bioRxiv posts in a week


def source_name(source: PreprintSource) -> str:
    label = SERVERS[source.server][0]
    if not source.subjects:
        return label
    return f"{label} ({', '.join(subject_label(s) for s in source.subjects)})"


def _author_name(raw: str) -> str:
    """'Cao, Z.' → 'Z. Cao'; names without a comma are kept as they are."""
    family, sep, given = raw.partition(",")
    return one_line(f"{given} {family}" if sep else raw)


def item_to_paper(item: dict[str, Any], server: str, day: date) -> Paper:
    doi = one_line(str(item.get("doi") or "")).lower()
    title = plain_text(str(item.get("title") or ""))
    if not doi or not title:
        raise ValueError("no DOI" if not doi else "no title")
    version = int(item["version"]) if str(item.get("version") or "").isdigit() else None
    label, _ = SERVERS[server]
    category = one_line(str(item.get("category") or ""))
    published = one_line(str(item.get("published") or ""))
    base = f"https://www.{server}.org/content/{doi}" + (f"v{version}" if version else "")
    subject = subject_label(category.replace(" ", "_"))
    return Paper(
        paper_id=f"doi:{doi}",
        title=title,
        authors=tuple(
            name
            for name in (_author_name(a) for a in str(item.get("authors") or "").split(";"))
            if name
        ),
        abstract=plain_text(str(item.get("abstract") or "")),
        announced=day,
        source_label=f"{label} ({subject})" if category else label,
        source=server,
        categories=(category,) if category else (),
        abs_url=base,
        pdf_url=f"{base}.full.pdf",
        doi=doi,
        version=version,
        journal_doi="" if published.upper() in ("", "NA") else published.lower(),
    )


def parse_page(
    body: bytes, source: PreprintSource, day: date
) -> tuple[list[Paper], list[SkippedItem], int, int]:
    """One page of the details API → (papers in the wanted subjects, skipped items, total,
    preprints on this page before the subject filter)."""
    try:
        data = json.loads(body)
        messages = data["messages"][0]
        collection = data.get("collection") or []
    except (ValueError, KeyError, IndexError, TypeError):
        raise SourceError("not the details API's JSON (no messages/collection)") from None
    total = int(messages.get("total") or 0) if str(messages.get("total", "")).isdigit() else 0
    wanted = {s.replace("_", " ") for s in source.subjects}
    kept = [
        item
        for item in collection
        if isinstance(item, dict) and (not wanted or _category(item) in wanted)
    ]
    papers, skipped = convert_items(
        kept,
        source_name(source),
        lambda item: item_to_paper(item, source.server, day),
        lambda item: item.get("doi"),
    )
    return papers, skipped, total, len(collection)


def _category(item: dict[str, Any]) -> str:
    return str(item.get("category") or "").strip().lower().replace("_", " ")


def fetch_preprints(
    source: PreprintSource, http: Http, endpoints: Endpoints, day: date
) -> SourceResult:
    first = (day - timedelta(days=source.lookback_days)).isoformat()

    def fetch() -> Parsed:
        papers: list[Paper] = []
        skipped: list[SkippedItem] = []
        cursor, note = 0, ""
        for _ in range(MAX_PAGES):
            url = f"{endpoints.biorxiv_api_url}{source.server}/{first}/{day.isoformat()}/{cursor}"
            page, bad, total, served = parse_page(http.get(url).body, source, day)
            papers += page
            skipped += bad
            cursor += served
            if not served or cursor >= total:
                break
        else:
            note = f"stopped after {cursor} preprints; lower lookback_days or name subjects"
        if not total:
            note = f"no preprints posted between {first} and {day.isoformat()}"
        return Parsed(tuple(papers), tuple(skipped), note)

    return timed_fetch(source_name(source), fetch)
