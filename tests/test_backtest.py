"""`pipeline backtest` over a recorded archive: 3 arXiv RSS papers and 100 recorded API results,
written to content/ by the real writer, compared under two radars."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import arxiv
import pytest
from replay import ReplayServer, fixture_bytes, xml

from pipeline.__main__ import main
from pipeline.archive import iter_archive, write_paper
from pipeline.backtest import backtest, estimate_daily_cost, format_backtest
from pipeline.config import RadarError, load_radar_at, parse_radar
from pipeline.models import Endpoints, LLMSettings
from pipeline.sources.arxiv import api_result_to_paper, make_api_client, parse_category_feed

BASE = """
topics:
  - name: Software testing
    keywords: [metamorphic testing]
  - name: Low-communication training
    keywords: [DiLoCo]
authors: [Zeyu Cao]
"""
WIDER = BASE.replace("[metamorphic testing]", "[metamorphic testing, mutation testing]")


@pytest.fixture
def content(replay: ReplayServer, tmp_path: Path) -> Path:
    """The recorded archive: seed-day RSS papers plus the recorded `search_query=testing` page."""
    papers = list(
        parse_category_feed(
            fixture_bytes("arxiv-rss/seed-day.xml"), "cs.AI", date(2026, 6, 18)
        ).papers
    )
    replay.routes["/api/query"] = xml("arxiv-api/q_testing_s0_m100_cfe7536492ca.xml")
    endpoints = Endpoints(arxiv_api_url=f"{replay.url}/api/query", arxiv_api_delay=0.0)
    client = make_api_client(endpoints, page_size=100)
    papers += [
        api_result_to_paper(r) for r in client.results(arxiv.Search("testing", max_results=100))
    ]
    folder = tmp_path / "content"
    for paper in papers:
        write_paper(folder, paper, None)
    return folder


def _added(result, name: str) -> dict[str, str]:
    [change] = [c for c in result.changes if c.name == name]
    return {ref.paper_id: ref.title for ref in change.added}


def test_adding_a_keyword_shows_the_papers_it_would_add(content: Path) -> None:
    result = backtest(iter_archive(content), parse_radar(WIDER), parse_radar(BASE))
    assert result.archived == 103
    added = _added(result, "Software testing")
    assert added["arxiv:2301.13615"] == "Property-Based Mutation Testing"
    assert added["arxiv:1908.03707"] == "Mutation Testing for Ethereum Smart Contract"
    assert added["arxiv:2301.05651"] == (
        "Mutation Testing of Deep Reinforcement Learning Based on Real Faults"
    )
    assert "arxiv:2312.06056" not in added  # METAL: already matched by "metamorphic testing"
    [testing] = [c for c in result.changes if c.name == "Software testing"]
    assert testing.removed == () and testing.kept == 9
    untouched = [c for c in result.changes if c.name != "Software testing"]
    assert all(not c.added and not c.removed for c in untouched)
    assert [c.kept for c in untouched] == [2, 3]  # DiLoCo: FoMoE, Photon; Zeyu Cao: seed day
    assert result.new_matched == result.base_matched + len(added)
    assert result.new_cost.tokens_in > result.base_cost.tokens_in


def test_removing_a_topic_and_author_lists_what_would_be_dropped(content: Path) -> None:
    narrower = BASE.replace("authors: [Zeyu Cao]", "authors: [Nicholas D. Lane]")
    result = backtest(iter_archive(content), parse_radar(narrower), parse_radar(BASE))
    [cao] = [c for c in result.changes if c.name == "Zeyu Cao"]
    [lane] = [c for c in result.changes if c.name == "Nicholas D. Lane"]
    assert {r.paper_id for r in cao.removed} == {
        "arxiv:2606.19025",
        "arxiv:2606.18001",
        "arxiv:2411.02908",
    }
    assert {r.paper_id for r in lane.added} == {"arxiv:2606.19025", "arxiv:2411.02908"}
    assert (cao.kind, lane.kind) == ("author", "author")


def test_report_lists_counts_and_papers_per_topic(content: Path) -> None:
    result = backtest(iter_archive(content), parse_radar(WIDER), parse_radar(BASE))
    text = format_backtest(result, "radar.yaml", "HEAD^1:radar.yaml")
    assert "| topic: Software testing | 3 | 0 | 9 |" in text
    assert "| author: Zeyu Cao | 0 | 0 | 3 |" in text
    assert "  - added: Property-Based Mutation Testing (arxiv:2301.13615, 2023-01-31)" in text
    assert "## Radar backtest: radar.yaml against HEAD^1:radar.yaml" in text
    assert "claude-sonnet-5-5" in text


def test_titles_are_escaped_in_the_summary() -> None:
    from pipeline.backtest import Backtest, PaperRef, TokenEstimate, TopicChange

    nothing = TokenEstimate("m", 0.0, 0, 0)
    ref = PaperRef("arxiv:1", "<script>x</script> | [a](javascript:b) # h", "2026-01-01")
    result = Backtest(1, 1, 0, 1, (TopicChange("topic", "T|<b>", (ref,), (), 0),), nothing, nothing)
    text = format_backtest(result, "new", "old")
    assert "<script>" not in text and "<b>" not in text and "[a](javascript" not in text
    assert "&lt;script&gt;" in text and "T\\|&lt;b&gt;" in text and "\\[a\\]" in text


def test_cost_estimate_spreads_matched_papers_over_archive_days(content: Path) -> None:
    papers = list(iter_archive(content))[:10]
    one_day = estimate_daily_cost(papers, days=1)
    ten_days = estimate_daily_cost(papers, days=10)
    assert one_day.papers_per_day == 10 and ten_days.papers_per_day == 1
    assert one_day.tokens_in > ten_days.tokens_in and one_day.dollars_per_day > 0
    assert estimate_daily_cost([], days=5).tokens_in == 0
    # priced as a run is priced (pipeline/llm.py), at claude-sonnet-5-5's $3 / $15
    assert one_day.dollars_per_day == pytest.approx(
        (one_day.tokens_in * 3 + one_day.tokens_out * 15) / 1e6
    )
    unknown = estimate_daily_cost(papers, 1, LLMSettings(model="claude-experimental-9"))
    assert unknown.dollars_per_day is None and unknown.tokens_in == one_day.tokens_in


def test_base_radar_from_git_revision(tmp_path: Path) -> None:
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    (tmp_path / "radar.yaml").write_text(BASE)
    subprocess.run([*git, "add", "radar.yaml"], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    (tmp_path / "radar.yaml").write_text(WIDER)
    radar = load_radar_at("HEAD:radar.yaml", repo=tmp_path)
    assert radar.topics[0].keywords == ("metamorphic testing",)
    assert radar.path == "HEAD:radar.yaml"
    with pytest.raises(RadarError, match="cannot read it from git"):
        load_radar_at("HEAD:missing.yaml", repo=tmp_path)


def test_cli_writes_the_step_summary(content: Path, tmp_path: Path) -> None:
    new, base = tmp_path / "new.yaml", tmp_path / "old.yaml"
    new.write_text(WIDER)
    base.write_text(BASE)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    argv = ["backtest", "--radar", str(new), "--base", str(base), "--content", str(content)]
    assert main([*argv, "--summary", str(summary)]) == 0
    text = summary.read_text()
    assert text.startswith("earlier step\n## Radar backtest:")
    assert "Mutation Testing for Ethereum Smart Contract (arxiv:1908.03707" in text


def test_cli_reports_a_broken_new_radar_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "radar.yaml"
    bad.write_text("topics:\n  - name: X\n    keyword: [y]\n")
    assert main(["backtest", "--radar", str(bad), "--base", str(bad)]) == 2
    assert f"{bad}:3: topics[0].keyword: unknown key" in capsys.readouterr().err
