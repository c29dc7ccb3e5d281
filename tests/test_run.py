"""`python -m pipeline run` end to end over the replay server: articles, reruns, new versions."""

from __future__ import annotations

from pathlib import Path

import pytest
from replay import ReplayServer, Reply, xml

from pipeline.__main__ import main
from pipeline.archive import iter_archive, parse_article

RADAR_TEXT = """
topics:
  - name: Low-communication training
    keywords: [DiLoCo, federated]
    exclude: [survey]
  - name: World models
    keywords: [world models]
authors: [Zeyu Cao]
sources:
  arxiv: {categories: [cs.AI, cs.LG]}
"""
EMPTY_FEED = Reply(200, b'<rss version="2.0"><channel><title>cs.LG</title></channel></rss>')
FOMOE = "papers/arxiv/2606/arxiv-2606-19025.md"


@pytest.fixture
def radar(tmp_path: Path) -> Path:
    path = tmp_path / "radar.yaml"
    path.write_text(RADAR_TEXT)
    return path


def run(radar: Path, content: Path, day: str) -> int:
    return main(["run", "--radar", str(radar), "--content", str(content), "--date", day])


def snapshot(content: Path) -> dict[str, bytes]:
    return {str(p.relative_to(content)): p.read_bytes() for p in content.rglob("*.md")}


def test_recorded_day_lands_as_articles(
    arxiv_env: ReplayServer, radar: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arxiv_env.routes["/rss/cs.AI"] = xml("arxiv-rss/seed-day.xml")
    arxiv_env.routes["/rss/cs.LG"] = EMPTY_FEED
    arxiv_env.routes["/api/query"] = xml("arxiv-api/id_0000.0000_s0_m100_8b51d9633a68.xml")
    content = tmp_path / "content"
    assert run(radar, content, "2026-06-18") == 0
    assert sorted(snapshot(content)) == [
        "briefings/2026/briefing-2026-06-18.md",  # automatic: no ANTHROPIC_API_KEY here
        "papers/arxiv/2411/arxiv-2411-02908.md",
        "papers/arxiv/2606/arxiv-2606-18001.md",
        FOMOE,
    ]
    text = (content / FOMOE).read_text()
    assert text.startswith(
        "Title: FoMoE: Breaking the Full-Replica Barrier with a Federation of MoEs\n"
        "Date: 2026-06-18\nSlug: arxiv-2606-19025\n"
    )
    assert 'Paper_authors: ["Zeyu Cao", "Nicholas D. Lane"]\n' in text
    assert "Source_label: arXiv (cs.AI)\n" in text
    assert 'Paper_categories: ["cs.AI", "cs.DC", "cs.LG"]\n' in text
    assert "Pdf_url: https://arxiv.org/pdf/2606.19025v1\n" in text
    assert "\nAuthors:" not in text and "\nAuthor:" not in text  # co-authors stay out of Pelican's
    paper = parse_article(text)
    assert [(m.kind, m.name, m.reason) for m in paper.matches] == [
        ("topic", "Low-communication training", 'keyword "DiLoCo" in abstract'),
        ("author", "Zeyu Cao", "author Zeyu Cao"),
    ]
    looped = parse_article((content / "papers/arxiv/2606/arxiv-2606-18001.md").read_text())
    assert [m.name for m in looped.matches] == ["World models", "Zeyu Cao"]
    out = capsys.readouterr()
    assert "new 3" in out.out and "arXiv cs.LG" in out.out
    assert "[1/5] arXiv cs.AI … 3 items" in out.err
    assert (content / "reports/2026-06-18.json").exists()


def test_rerun_of_the_same_night_writes_nothing(
    arxiv_env: ReplayServer, radar: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arxiv_env.routes["/rss/cs.AI"] = xml("arxiv-rss/seed-day.xml")
    arxiv_env.routes["/rss/cs.LG"] = xml("arxiv-rss/seed-day.xml")  # cross-lists seen twice
    arxiv_env.routes["/api/query"] = EMPTY_FEED
    content = tmp_path / "content"
    assert run(radar, content, "2026-06-18") == 0
    first = snapshot(content)
    mtimes = {p: p.stat().st_mtime_ns for p in content.rglob("*.md")}
    capsys.readouterr()
    assert run(radar, content, "2026-06-18") == 0
    assert snapshot(content) == first
    assert {p: p.stat().st_mtime_ns for p in content.rglob("*.md")} == mtimes
    assert "new 0, updated 0" in capsys.readouterr().out
    assert len(first) == 4  # three papers and the day's briefing, none written twice


def test_new_version_updates_its_article(
    arxiv_env: ReplayServer, radar: Path, tmp_path: Path
) -> None:
    arxiv_env.routes["/rss/cs.LG"] = EMPTY_FEED
    arxiv_env.routes["/api/query"] = EMPTY_FEED
    content = tmp_path / "content"
    arxiv_env.routes["/rss/cs.AI"] = xml("arxiv-rss/seed-day.xml")
    assert run(radar, content, "2026-06-18") == 0
    arxiv_env.routes["/rss/cs.AI"] = xml("arxiv-rss/next-day-v2.xml")
    assert run(radar, content, "2026-06-19") == 0
    papers = {p.paper_id: p for p in iter_archive(content)}
    assert len(papers) == 3
    fomoe = papers["arxiv:2606.19025"]
    assert fomoe.version == 2 and fomoe.abstract.startswith("Revised version. Pre-training")
    assert fomoe.announced.isoformat() == "2026-06-18"
    assert fomoe.updated is not None and fomoe.updated.isoformat() == "2026-06-19"
    assert "Pdf_url: https://arxiv.org/pdf/2606.19025v2" in (content / FOMOE).read_text()


def test_no_network_keeps_the_archive_and_reports_failures(
    radar: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    content = tmp_path / "content"
    article = content / FOMOE
    article.parent.mkdir(parents=True)
    article.write_text("Title: kept\n\nhand-written archive entry\n")
    monkeypatch.setenv("ARXIV_RSS_URL", "http://127.0.0.1:9/rss/")  # discard port: refused
    monkeypatch.setenv("ARXIV_API_URL", "http://127.0.0.1:9/api/query")
    monkeypatch.setenv("ARXIV_API_DELAY_SECONDS", "0")
    assert run(radar, content, "2026-06-18") == 0
    assert article.read_text() == "Title: kept\n\nhand-written archive entry\n"
    out = capsys.readouterr().out
    assert "5 of 5 sources failed" in out and "cannot connect" in out
