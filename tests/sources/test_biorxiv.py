"""bioRxiv's details API over 127.0.0.1: subjects, pagination by cursor, published DOIs."""

from __future__ import annotations

import json
from datetime import date

from replay import ReplayServer, Reply, fixture_bytes

from pipeline.http import Http
from pipeline.models import Endpoints, PreprintSource
from pipeline.sources.biorxiv import fetch_preprints

DAY = date(2026, 9, 1)


def _fetch(replay: ReplayServer, source: PreprintSource):  # noqa: ANN202
    endpoints = Endpoints(biorxiv_api_url=f"{replay.url}/details/", timeout=5)
    return fetch_preprints(source, Http(user_agent="t", timeout=5), endpoints, DAY)


def details_page(
    cursor: int, count: int, cursor_field: object, total: object, category: str, abstract: str
) -> Reply:
    """One page of the details API: `count` preprints numbered from `cursor`, with the cursor
    and total written as the test needs (the API sends numbers, sometimes as strings)."""
    items = [
        {
            "doi": f"10.1101/2026.09.01.{cursor + i:06d}",
            "title": f"Preprint {cursor + i}",
            "authors": "Cao, Z.",
            "version": "1",
            "category": category,
            "abstract": abstract,
            "published": "NA",
        }
        for i in range(count)
    ]
    message = {"status": "ok", "cursor": cursor_field, "count": count, "total": total}
    return Reply(200, json.dumps({"messages": [message], "collection": items}).encode())


def test_subject_filter_versions_and_author_names(replay: ReplayServer) -> None:
    replay.routes["/details/biorxiv/2026-08-30/2026-09-01/0"] = Reply(
        200, fixture_bytes("biorxiv/details-2026-09-01.json")
    )
    result = _fetch(replay, PreprintSource("biorxiv", ("neuroscience",), lookback_days=2))
    assert result.source == "bioRxiv (Neuroscience)" and not result.failed
    looped, dendrites = result.papers
    assert looped.paper_id == "doi:10.1101/2026.08.30.610001" and looped.version == 2
    assert looped.authors == ("Z. Cao", "M. Okafor", "N. D. Lane")
    assert looped.abstract.endswith("predicts Ca²⁺ transients.")
    assert looped.source_label == "bioRxiv (Neuroscience)"
    assert looped.pdf_url == "https://www.biorxiv.org/content/10.1101/2026.08.30.610001v2.full.pdf"
    assert dendrites.abstract == ""


def test_published_doi_is_kept_for_dedupe(replay: ReplayServer) -> None:
    replay.routes["/details/biorxiv/2026-08-30/2026-09-01/0"] = Reply(
        200, fixture_bytes("biorxiv/details-2026-09-01.json")
    )
    result = _fetch(replay, PreprintSource("biorxiv", ("bioinformatics",), lookback_days=2))
    (atlas,) = result.papers
    assert atlas.journal_doi == "10.1038/s41586-026-07777-7"
    assert atlas.source_label == "bioRxiv (Bioinformatics)"


def test_pages_are_followed_by_cursor(replay: ReplayServer) -> None:
    def page(cursor: int, count: int) -> Reply:
        return details_page(cursor, count, cursor, "150", "genomics", "Text.")

    replay.routes["/details/medrxiv/2026-08-31/2026-09-01/0"] = page(0, 100)
    replay.routes["/details/medrxiv/2026-08-31/2026-09-01/100"] = page(100, 50)
    result = _fetch(replay, PreprintSource("medrxiv", (), lookback_days=1))
    assert len(result.papers) == 150 and result.source == "medRxiv"
    assert result.papers[-1].paper_id == "doi:10.1101/2026.09.01.000149"
    assert result.papers[0].source_label == "medRxiv (Genomics)"


def test_malformed_json_fails_the_source_with_a_reason(replay: ReplayServer) -> None:
    replay.routes["/details/biorxiv/2026-08-30/2026-09-01/0"] = Reply(200, b"{not json")
    result = _fetch(replay, PreprintSource("biorxiv", (), lookback_days=2))
    assert result.failed and result.error == "not the details API's JSON (no messages/collection)"


def test_cursor_moves_by_what_a_page_held_not_by_a_fixed_size(replay: ReplayServer) -> None:
    def page(cursor: int, count: int) -> Reply:  # the API's numbers, sometimes as text
        return details_page(cursor, count, str(cursor), 70, "neuroscience", "")

    for cursor, count in ((0, 30), (30, 30), (60, 10)):
        replay.routes[f"/details/biorxiv/2026-08-31/2026-09-01/{cursor}"] = page(cursor, count)
    result = _fetch(replay, PreprintSource("biorxiv", ("neuroscience",), lookback_days=1))
    assert [p.paper_id[-6:] for p in result.papers] == [f"{n:06d}" for n in range(70)]
