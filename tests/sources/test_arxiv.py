from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from replay import ReplayServer, Reply, fixture_bytes, xml

from pipeline.archive import read_article_file, write_paper
from pipeline.config import parse_radar
from pipeline.http import Http
from pipeline.models import Endpoints
from pipeline.sources import run_lanes
from pipeline.sources.arxiv import (
    api_queries,
    arxiv_fetches,
    fetch_category,
    make_api_client,
    parse_category_feed,
    run_api_query,
)

SEED_DAY = date(2026, 6, 18)
RADAR_TEXT = """
topics:
  - {name: Federated, keywords: [federated learning, DiLoCo], categories: [cs.LG]}
  - {name: Vision, categories: [cs.CV]}
authors: [Zeyu Cao]
sources:
  arxiv: {categories: [cs.AI], api_max_results: 10, api_lookback_days: 7}
"""
RADAR = parse_radar(RADAR_TEXT)


def http() -> Http:
    return Http(user_agent="AcademicHub-test/1 (+https://example.org)", timeout=5, backoff=0)


def test_seed_day_items_become_papers() -> None:
    feed = parse_category_feed(fixture_bytes("arxiv-rss/seed-day.xml"), "cs.AI", SEED_DAY)
    assert [p.paper_id for p in feed.papers] == [
        "arxiv:2606.19025",
        "arxiv:2606.18001",
        "arxiv:2411.02908",
    ]
    fomoe, looped, photon = feed.papers
    assert fomoe.title == "FoMoE: Breaking the Full-Replica Barrier with a Federation of MoEs"
    assert fomoe.authors == ("Zeyu Cao", "Nicholas D. Lane")
    assert fomoe.announce_type == "cross" and fomoe.is_cross_list and fomoe.version == 1
    assert fomoe.categories == ("cs.AI", "cs.DC", "cs.LG")
    assert fomoe.source_label == "arXiv (cs.AI)" and fomoe.announced == SEED_DAY
    assert fomoe.abstract.startswith("Pre-training Large Language Models (LLMs) typically")
    assert "Announce Type" not in fomoe.abstract
    assert fomoe.abs_url == "https://arxiv.org/abs/2606.19025"
    assert fomoe.pdf_url == "https://arxiv.org/pdf/2606.19025v1"
    assert looped.authors == ("Zeyu Cao",) and looped.announce_type == "new"
    assert photon.version == 2 and photon.announce_type == "replace"
    assert len(photon.authors) == 11 and photon.authors[0] == "Lorenzo Sani"
    assert photon.authors[-1] == "Nicholas D. Lane"
    assert feed.note == "" and feed.skipped == ()


def test_replace_cross_item_keeps_doi_journal_and_skips_broken_items() -> None:
    feed = parse_category_feed(
        fixture_bytes("arxiv-rss/replace-cross.xml"), "math.OC", date(2024, 2, 23)
    )
    [paper] = feed.papers
    assert paper.paper_id == "arxiv:2203.01250" and paper.version == 3
    assert paper.announce_type == "replace-cross"
    assert paper.doi == "10.5802/jep.257"
    assert paper.journal_ref.startswith("Journal de l'Ecole polytechnique")
    assert paper.comment == (
        "30 pages; final version, code at https://gitlab.com/pegon/kantorovich-duality"
    )
    assert paper.authors == ("Antonin Monteil", "Paul Pegon")
    assert paper.title == (
        "Kantorovich duality for a transport problem with $\\alpha < 1$ & _(n) constraints"
    )
    assert "0<\\alpha<1" in paper.abstract
    assert [s.item for s in feed.skipped] == [
        "An item with no identifier at all",
        "oai:arXiv.org:2402.99999v1",
    ]
    assert "no arXiv id" in feed.skipped[0].reason and "no title" in feed.skipped[1].reason


def test_weekend_feed_is_explained_not_an_error(replay: ReplayServer, endpoints: Endpoints) -> None:
    replay.routes["/rss/cs.AI"] = xml("arxiv-rss/weekend.xml")
    result = fetch_category("cs.AI", http(), endpoints, date(2026, 6, 20))
    assert not result.failed and result.papers == ()
    assert result.note.startswith("arXiv announces nothing on Saturday")


def test_fetch_sends_our_user_agent(replay: ReplayServer, endpoints: Endpoints) -> None:
    replay.routes["/rss/cs.AI"] = xml("arxiv-rss/seed-day.xml")
    result = fetch_category("cs.AI", http(), endpoints, SEED_DAY)
    assert len(result.papers) == 3
    assert replay.requests_to("/rss/cs.AI")[0].headers["User-Agent"].startswith("AcademicHub")


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (
            Reply(
                200,
                b"<!doctype html><html><body>Service Unavailable</body></html>",
                {"Content-Type": "text/html"},
            ),
            "not an RSS feed",
        ),
        (Reply(404, b"nope"), "HTTP 404"),
        (Reply(503, b"busy", {"Retry-After": "0"}), "HTTP 503 after 3 tries"),
        (Reply(200, fixture_bytes("feedparser-illformed/rss_empty_document.xml")), "not an RSS"),
    ],
)
def test_broken_feed_is_one_line_reason(
    replay: ReplayServer, endpoints: Endpoints, reply: Reply, reason: str
) -> None:
    replay.routes["/rss/cs.AI"] = reply
    result = fetch_category("cs.AI", http(), endpoints, SEED_DAY)
    assert result.failed and reason in result.error and "\n" not in result.error


def test_api_query_turns_recorded_entry_into_paper(
    replay: ReplayServer, endpoints: Endpoints
) -> None:
    replay.routes["/api/query"] = xml("arxiv-api/id_2104.12255v1_s0_m100_6ae69987ffe1.xml")
    client = make_api_client(endpoints, page_size=10)
    query = api_queries(RADAR)[0]
    result = run_api_query(client, query, RADAR, date(2021, 4, 22))
    [paper] = result.papers
    assert paper.paper_id == "arxiv:2104.12255" and paper.version == 1 and paper.title == "0"
    assert paper.authors == ("Quan Thoi Minh Nguyen",)
    assert paper.categories == ("cs.CR",) and paper.source_label == "arXiv (cs.CR)"
    assert paper.pdf_url == "https://arxiv.org/pdf/2104.12255v1"
    assert paper.announced == date(2021, 4, 20)
    assert paper.abstract.startswith("What is the funniest number in cryptography? 0.")
    [request] = replay.requests_to("/api/query")
    assert request.query["search_query"] == ['au:"Zeyu Cao"']
    assert request.query["sortBy"] == ["lastUpdatedDate"]
    assert request.headers["User-Agent"].startswith("AcademicHub")


def test_api_comment_naming_code_reaches_the_article(
    replay: ReplayServer, endpoints: Endpoints, tmp_path: Path
) -> None:
    """arXiv's <arxiv:comment> is where authors name their code; the article keeps it."""
    replay.routes["/api/query"] = xml("arxiv-api/q_testing_s0_m100_cfe7536492ca.xml")
    radar = parse_radar(RADAR_TEXT.replace("api_max_results: 10", "api_max_results: 100"))
    client = make_api_client(endpoints, page_size=100)
    result = run_api_query(client, api_queries(radar)[1], radar, date(2018, 7, 2))
    paper = next(p for p in result.papers if p.paper_id == "arxiv:1706.00679")
    assert paper.title == "Testing Gaussian Process with Applications to Super-Resolution"
    assert paper.comment == (
        "Final version, 6 figures, Python code and Jupyter notebook available at "
        "https://github.com/ydecastro/super-resolution-testing"
    )
    written = write_paper(tmp_path, paper, None)
    lines = (tmp_path / written.path).read_text().split("\n\n")[0].splitlines()
    assert f"Comment: {paper.comment}" in lines
    assert read_article_file(tmp_path / written.path).comment == paper.comment


def test_api_results_outside_the_lookback_window_are_not_news(
    replay: ReplayServer, endpoints: Endpoints
) -> None:
    replay.routes["/api/query"] = xml("arxiv-api/q_testing_s0_m10_bc5a6c384fe9.xml")
    client = make_api_client(endpoints, page_size=10)
    result = run_api_query(client, api_queries(RADAR)[1], RADAR, date(2025, 8, 14))
    [paper] = result.papers  # 10 recorded results, one updated within 7 days of 2025-08-14
    assert paper.paper_id == "arxiv:2503.05378" and paper.version == 2
    assert paper.title == "A Survey on Web Testing: On the Rise of AI and Applications in Industry"
    assert paper.announced == date(2025, 8, 12)


def test_api_error_entry_is_reported(replay: ReplayServer, endpoints: Endpoints) -> None:
    replay.routes["/api/query"] = xml("arxiv-api/id_abc_s0_m100_b79c8dcf6bc3.xml", status=400)
    client = make_api_client(endpoints, page_size=10)
    result = run_api_query(client, api_queries(RADAR)[0], RADAR, SEED_DAY)
    assert result.failed and "HTTP 400" in result.error


def test_topic_queries_or_keywords_and_narrow_by_category() -> None:
    queries = {q.name: q.query for q in api_queries(RADAR)}
    assert queries["arXiv API: topic Federated"] == (
        '(ti:"federated learning" OR abs:"federated learning" OR ti:"DiLoCo" OR abs:"DiLoCo")'
        " AND (cat:cs.LG)"
    )
    assert "arXiv API: topic Vision" not in queries  # category-only: the RSS feeds carry it


def test_api_client_honours_arxiv_rate_limit_by_default() -> None:
    assert make_api_client(Endpoints(), page_size=50).delay_seconds == 3.0


def test_arxiv_fetches_run_in_one_lane_and_report_each(
    replay: ReplayServer, endpoints: Endpoints
) -> None:
    replay.routes["/rss/cs.AI"] = xml("arxiv-rss/seed-day.xml")
    replay.routes["/api/query"] = Reply(500, b"down")
    seen = []
    results = run_lanes([arxiv_fetches(RADAR, endpoints, SEED_DAY)], http, progress=seen.append)
    assert [r.source for r in results] == [
        "arXiv cs.AI",
        "arXiv API: author Zeyu Cao",
        "arXiv API: topic Federated",
    ]
    assert seen == results
    assert len(results[0].papers) == 3 and results[1].failed and results[2].failed
