"""Crossref by ISSN over 127.0.0.1, replaying the real PeerJ recordings (habanero's cassettes)."""

from __future__ import annotations

import json
from datetime import date

from replay import ReplayServer, Reply, fixture_bytes

from pipeline.http import Http
from pipeline.models import CrossrefJournal, CrossrefSource, Endpoints
from pipeline.sources.crossref import fetch_journal

DAY = date(2026, 9, 2)
PEERJ = CrossrefJournal("2167-8359", "PeerJ")
SETTINGS = CrossrefSource(journals=(PEERJ,), mailto="radar@example.org", lookback_days=7)


def _fetch(replay: ReplayServer, journal: CrossrefJournal = PEERJ):  # noqa: ANN202
    endpoints = Endpoints(crossref_api_url=f"{replay.url}/", timeout=5)
    return fetch_journal(journal, SETTINGS, Http(user_agent="t", timeout=5), endpoints, DAY)


def test_recorded_works_become_papers(replay: ReplayServer) -> None:
    replay.routes["/journals/2167-8359/works"] = Reply(
        200, fixture_bytes("crossref/journals_works_0.json"), {"Content-Type": "application/json"}
    )
    result = _fetch(replay)
    assert not result.failed and len(result.papers) == 20
    fire = result.papers[0]
    assert fire.paper_id == "doi:10.7717/peerj.14276"
    assert fire.title.startswith("We’re building it up to burn it down: fire occurrence")
    assert fire.authors[:2] == ("Luisa Maria Diele Viegas", "Lilian Sales")
    # JATS <jats:sec>, <jats:title> and <jats:p> become paragraphs of plain text
    assert fire.abstract.startswith("Background\n\nTerrestrial biomes in South America are likely")
    assert "<jats" not in fire.abstract and fire.source_label == "PeerJ"
    assert fire.abs_url == "https://doi.org/10.7717/peerj.14276"
    reed = next(p for p in result.papers if p.paper_id == "doi:10.7717/peerj.4188")
    assert "(0∼4,500 mg kg⁻¹) in flood and drought" in reed.abstract  # <jats:sup>−1</jats:sup>
    genome = result.papers[1]
    assert genome.title == (
        "The genomic sequence of Exiguobacterium chiriqhucha str. N139 reveals "
        "a species that thrives in cold waters and extreme environmental "
        "conditions"
    )
    query = replay.requests_to("/journals/2167-8359/works")[0].query
    assert query["mailto"] == ["radar@example.org"]
    assert query["filter"] == [
        "from-created-date:2026-08-26,until-created-date:2026-09-02,type:journal-article"
    ]
    assert query["cursor"] == ["*"] and query["rows"] == ["100"]


def _recorded_page(name: str, next_cursor: str | None) -> Reply:
    """A recorded page as Crossref's deep paging serves it: the same body plus `next-cursor`."""
    body = json.loads(fixture_bytes(f"crossref/{name}"))
    if next_cursor is not None:
        body["message"]["next-cursor"] = next_cursor
    return Reply(200, json.dumps(body).encode(), {"Content-Type": "application/json"})


def test_pages_are_followed_by_cursor_until_an_empty_page(replay: ReplayServer) -> None:
    last = {"message": {"total-results": 203, "items": [], "next-cursor": "c-4"}}
    pages = {
        "*": _recorded_page("journals_works_0.json", "c-2"),
        "c-2": _recorded_page("journals_works_1.json", "c-3"),
        "c-3": Reply(200, json.dumps(last).encode()),
    }
    replay.routes["/journals/2167-8359/works"] = lambda request: pages[request.query["cursor"][0]]
    result = _fetch(replay)
    assert not result.failed and len(result.papers) == 40
    cursors = [r.query["cursor"][0] for r in replay.requests_to("/journals/2167-8359/works")]
    assert cursors == ["*", "c-2", "c-3"]
    spider = next(p for p in result.papers if p.paper_id == "doi:10.7717/peerj.6049")
    assert spider.title == (
        "Ecology and life history of Meta bourneti (Araneae: Tetragnathidae) "
        "from Monte Albo (Sardinia, Italy)"
    )  # <i> and the recorded line breaks reduced to text
    assert spider.authors[0] == "Enrico Lunghi"
    assert spider.abstract.startswith("The orb-weaver spider Meta bourneti Simon 1922")
    harrison = next(p for p in result.papers if p.paper_id == "doi:10.7717/peerj.616")
    assert harrison.authors == ("Xavier A. Harrison",) and harrison.abstract == ""


def test_html_error_page_is_a_failed_source(replay: ReplayServer) -> None:
    replay.routes["/journals/2167-8359/works"] = Reply(
        200, b"<html><body>Bad Gateway</body></html>", {"Content-Type": "text/html"}
    )
    result = _fetch(replay)
    assert result.failed and result.error == "not Crossref's works JSON (no message.items)"


def test_unknown_issn_is_a_failed_source_with_the_reason(replay: ReplayServer) -> None:
    replay.routes["/journals/4444-4444/works"] = Reply(
        404, fixture_bytes("crossref/journals_bad_id_warn_0.json")
    )
    result = _fetch(replay, CrossrefJournal("4444-4444", "Nowhere"))
    assert result.failed and result.error.endswith(": HTTP 404")
    assert "/journals/4444-4444/works?" in result.error
    assert result.source == "Crossref Nowhere"
