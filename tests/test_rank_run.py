"""`python -m pipeline run` with a BibTeX library: every kept paper ranked, a paper no topic
matched suggested with its reason, and a fresh clone with no network and no key ranking from the
archive alone."""

from __future__ import annotations

import re
import shutil
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from daily_papers import real_day
from replay import FIXTURES, ReplayServer, Reply, xml

from pipeline.__main__ import main
from pipeline.archive import iter_archive, parse_article
from pipeline.archive.store import store_papers
from pipeline.site.build import build_site

REPO = Path(__file__).resolve().parents[1]

EMPTY_FEED = Reply(200, b'<rss version="2.0"><channel><title>cs.LG</title></channel></rss>')
PHOTON = "Photon: Federated LLM Pre-Training"
FOMOE = "papers/arxiv/2606/arxiv-2606-19025.md"
LOOPED = "papers/arxiv/2606/arxiv-2606-18001.md"
RADAR = """
topics:
  - name: World models
    keywords: [world models]
sources:
  arxiv: {categories: [cs.AI, cs.LG]}
library:
  bibtex: [library.bib]
  suggest: 2
"""


def earlier_nights(content: Path) -> None:
    """The archive as earlier nights left it: 40 real papers of 2026-06-23 kept by a topic."""
    store_papers(content, real_day(date(2026, 6, 17), topic="Everything"))


@pytest.fixture
def radar(tmp_path: Path) -> Path:
    shutil.copy(FIXTURES / "library/fomoe-library.bib", tmp_path / "library.bib")
    path = tmp_path / "radar.yaml"
    path.write_text(RADAR)
    return path


def run(radar: Path, content: Path, day: str) -> int:
    return main(["run", "--radar", str(radar), "--content", str(content), "--date", day])


def first_night(server: ReplayServer, radar: Path, content: Path) -> None:
    """The seed day's feed over loopback, onto an archive of 40 earlier papers."""
    server.routes["/rss/cs.AI"] = xml("arxiv-rss/seed-day.xml")
    server.routes["/rss/cs.LG"] = EMPTY_FEED
    server.routes["/api/query"] = EMPTY_FEED
    earlier_nights(content)
    assert run(radar, content, "2026-06-18") == 0


def test_night_ranks_kept_papers_and_suggests_one_no_topic_matched(
    arxiv_env: ReplayServer, radar: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content"
    first_night(arxiv_env, radar, content)
    out = capsys.readouterr().out
    assert "suggested by your library: 1" in out
    assert "fomoe-library.bib" not in out  # the file is library.bib here
    assert "library.bib:13: entry 'iacob2025broken' skipped: malformed" in out
    assert "the library changed; 40 archived papers re-scored" in out
    fomoe = parse_article((content / FOMOE).read_text())
    assert [(m.kind, m.name) for m in fomoe.matches] == [("library", PHOTON)]
    assert fomoe.matches[0].reason.startswith(f"similar to ‹{PHOTON}› (shared: ")
    assert fomoe.relevance == 0.95 and fomoe.related[0] == PHOTON  # Photon, in the feed, is above
    looped = parse_article((content / LOOPED).read_text())
    assert [m.name for m in looped.matches] == ["World models"]
    assert looped.relevance is not None and looped.relevance < fomoe.relevance
    assert not (content / "papers/arxiv/2411/arxiv-2411-02908.md").exists()  # Photon: yours
    archived = {p.paper_id: p for p in iter_archive(content)}
    assert all(p.relevance is not None for p in archived.values())
    assert archived["arxiv:2606.22875"].related[0] == PHOTON  # FedOT: federated, like Photon
    text = (content / FOMOE).read_text()
    assert "\nRelevance: 0.95\nRelated: [" in text
    # a rerun of the same night changes nothing
    before = {p: p.read_bytes() for p in content.rglob("*.md")}
    assert run(radar, content, "2026-06-18") == 0
    assert {p: p.read_bytes() for p in content.rglob("*.md")} == before


def test_fresh_clone_without_network_or_key_ranks_from_the_archive(
    arxiv_env: ReplayServer,
    radar: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    content = tmp_path / "content"
    first_night(arxiv_env, radar, content)
    clone = tmp_path / "clone"  # what git clone gives: content/, radar.yaml, library.bib; no cache/
    shutil.copytree(content, clone / "content")
    shutil.copy(radar, clone / "radar.yaml")
    shutil.copy(radar.parent / "library.bib", clone / "library.bib")
    committed = {p.relative_to(clone): p.read_bytes() for p in (clone / "content").rglob("*.md")}
    for name in ("ARXIV_RSS_URL", "ARXIV_API_URL", "CROSSREF_API_URL", "ZOTERO_API_URL"):
        monkeypatch.setenv(name, "http://127.0.0.1:9/")  # the discard port: refused
    monkeypatch.delenv("ZOTERO_API_KEY", raising=False)
    capsys.readouterr()
    assert run(clone / "radar.yaml", clone / "content", "2026-06-19") == 0
    out = capsys.readouterr().out
    assert "sources failed" in out
    assert "ranking: index fitted on 44 papers (no index was cached); library of 2 papers" in out
    assert "re-scored" not in out  # the library did not change: the archive stays as committed
    after = {p.relative_to(clone): p.read_bytes() for p in (clone / "content").rglob("*.md")}
    assert {k: v for k, v in after.items() if "briefing" not in str(k)} == {
        k: v for k, v in committed.items() if "briefing" not in str(k)
    }
    assert (clone / "cache/rank-index.pickle").exists()


def test_site_orders_by_relevance_shows_reasons_and_lists_suggestions(
    arxiv_env: ReplayServer, radar: Path, tmp_path: Path
) -> None:
    content = tmp_path / "content"
    first_night(arxiv_env, radar, content)
    output = tmp_path / "output"
    build_site(
        content, output, radar=radar, settings=REPO / "pelicanconf.py", cache=tmp_path / "cache"
    )
    home = (output / "index.html").read_text()
    titles = [unescape(t) for t in re.findall(r'class="card-title"><a href="[^"]*">([^<]*)<', home)]
    # 2026-06-18 first, most relevant first: FoMoE (0.95) before Looped World Models
    assert titles[:2] == [
        "FoMoE: Breaking the Full-Replica Barrier with a Federation of MoEs",
        "Looped World Models",
    ]
    assert '<a href="./newest/">newest first</a>' in home
    newest = (output / "newest/index.html").read_text()
    newest_titles = [
        unescape(t) for t in re.findall(r'class="card-title"><a href="[^"]*">([^<]*)<', newest)
    ]
    papers = list(iter_archive(content))

    def by(key):
        return [p.title for p in sorted(papers, key=key, reverse=True)][:30]  # a home page

    assert titles == by(lambda p: (p.announced, p.relevance, p.paper_id))
    assert newest_titles == by(lambda p: (p.announced, p.paper_id))
    assert titles[2:] != newest_titles[2:]  # the earlier day's 40 papers in another order
    assert "Newest first · <a" in newest
    card = home.split('data-paper-id="arxiv:2606.19025"')[1].split("</article>")[0]
    assert 'aria-label="Relevance to your library">0.95</meter> 0.95' in card
    assert '<span class="suggested">Suggested</span>' in card
    assert f"suggested by your library</a> — similar to ‹{PHOTON}› (shared: " in card
    suggested = (output / "suggested/index.html").read_text()
    assert "<h1>Suggested</h1>" in suggested and suggested.count('class="card compact"') == 1
    assert "FoMoE: Breaking the Full-Replica Barrier" in suggested
    feed = (output / "feeds/suggested.atom.xml").read_text()
    assert "FoMoE: Breaking the Full-Replica Barrier" in feed
    assert f"Why: suggested by your library: similar to ‹{PHOTON}› (shared:" in feed
    everything = (output / "feeds/all.atom.xml").read_text()
    assert "Why: World models: keyword &amp;quot;world models&amp;quot;" in everything
    page = (output / "papers/arxiv-2606-19025/index.html").read_text()
    assert "closer to your library than 95% of the archive" in page
    assert f"<li>‹{PHOTON}›</li>" in page
