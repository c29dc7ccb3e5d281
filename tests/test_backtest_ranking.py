"""The backtest of a library change over a recorded archive (the seed day's three papers and 40
real papers of 2026-06-23): how the archive would be reordered and what would be suggested."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from daily_papers import real_day
from replay import FIXTURES, fixture_bytes

from pipeline.__main__ import main
from pipeline.archive import iter_archive
from pipeline.archive.store import store_papers
from pipeline.backtest_ranking import format_ranking_backtest, ranking_backtest
from pipeline.config import parse_radar
from pipeline.library import Library, LibrarySources, load_library
from pipeline.sources.arxiv import parse_category_feed

PHOTON = "Photon: Federated LLM Pre-Training"
FOMOE = "arxiv:2606.19025"
BASE = """
topics:
  - name: World models
    keywords: [world models]
  - name: Low-communication training
    keywords: [DiLoCo, federated]
"""
WITH_LIBRARY = """
topics:
  - name: World models
    keywords: [world models]
library:
  bibtex: [library.bib]
  suggest: 2
  threshold: 0.5
"""
DAY = date(2026, 6, 24)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    seed = parse_category_feed(fixture_bytes("arxiv-rss/seed-day.xml"), "cs.AI", date(2026, 6, 18))
    store_papers(content, [*seed.papers, *real_day()])
    shutil.copy(FIXTURES / "library/fomoe-library.bib", tmp_path / "library.bib")
    return tmp_path


def library_of(folder: Path, text: str) -> Library:
    radar = parse_radar(text, str(folder / "radar.yaml"))
    return load_library(radar.library, LibrarySources(folder, folder / "content"))


def test_a_new_library_ranks_the_archive_and_shows_what_it_would_suggest(folder: Path) -> None:
    papers = list(iter_archive(folder / "content"))
    new = parse_radar(WITH_LIBRARY, str(folder / "radar.yaml"))
    result = ranking_backtest(
        papers, new, library_of(folder, WITH_LIBRARY), library_of(folder, BASE), DAY
    )
    assert result is not None
    assert (result.base_library, result.new_library, result.archived) == (0, 2, 43)
    assert [m.paper_id for m in result.top[:2]] == ["arxiv:2411.02908", FOMOE]  # Photon: yours
    assert result.top[1].base_rank is None and result.top[1].new_rank == 2
    assert result.risen == () and result.fallen == ()
    # FoMoE: no topic of the new radar keeps it (it was "federated"), the library would
    suggested = {s.paper_id: s for s in result.suggested}
    assert FOMOE in suggested
    assert suggested[FOMOE].reason.startswith(f"similar to ‹{PHOTON}› (shared: ")
    assert all(s.relevance >= 0.5 for s in result.suggested)
    assert len([s for s in result.suggested if s.day == "2026-06-18"]) <= 2
    text = format_ranking_backtest(result)
    assert "### Ranking by your library" in text
    assert "Library: 0 papers before, 2 after; 43 archived papers ranked." in text
    assert (
        "| #2 | 0.95 | FoMoE: Breaking the Full-Replica Barrier with a Federation of MoEs "
        "(arxiv:2606.19025) |" in text
    )
    assert "**Would have been suggested**" in text


def test_not_interested_shows_the_paper_moving_down(folder: Path) -> None:
    papers = list(iter_archive(folder / "content"))
    unwanted = WITH_LIBRARY + f"  not_interested: [{FOMOE}]\n"
    new = parse_radar(unwanted, str(folder / "radar.yaml"))
    base = library_of(folder, WITH_LIBRARY)
    changed = library_of(folder, unwanted)
    result = ranking_backtest(papers, new, changed, base, DAY)
    assert result is not None
    assert changed.not_interested == (FOMOE,)
    fallen = {m.paper_id: m for m in result.fallen}
    assert fallen[FOMOE].base_rank == 2 and fallen[FOMOE].new_rank >= 9
    assert fallen[FOMOE].relevance == 0.0  # as close to Photon as to itself: pulled to zero
    assert FOMOE not in [s.paper_id for s in result.suggested]
    assert "Moved down the most" in format_ranking_backtest(result)


def test_no_library_on_either_side_adds_nothing(folder: Path) -> None:
    papers = list(iter_archive(folder / "content"))
    radar = parse_radar(BASE)
    assert ranking_backtest(papers, radar, Library(), Library(), DAY) is None


def test_cli_appends_the_ranking_to_the_summary(folder: Path) -> None:
    (folder / "base.yaml").write_text(BASE)
    (folder / "radar.yaml").write_text(WITH_LIBRARY)
    summary = folder / "summary.md"
    args = ["backtest", "--radar", str(folder / "radar.yaml"), "--base", str(folder / "base.yaml")]
    assert main([*args, "--content", str(folder / "content"), "--summary", str(summary)]) == 0
    text = summary.read_text()
    assert "### Ranking by your library" in text and "**Would have been suggested**" in text
