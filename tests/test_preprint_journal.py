"""bioRxiv preprints and their Nature versions a week later: joined by the DOI bioRxiv gives for
the published version, or by title + first author when it gives none; each ends as the
preprint's one article, which shows both sources and both DOIs."""

from __future__ import annotations

from pathlib import Path

import pytest
from replay import ReplayServer, Reply, fixture_bytes

from pipeline.__main__ import main
from pipeline.archive import iter_archive
from pipeline.site.build import build_site

REPO = Path(__file__).resolve().parents[1]
RADAR = """
site: {{title: Test, url: https://radar.example.org}}
topics:
  - {{name: World models, keywords: [world model, world models]}}
  - {{name: Federated, keywords: [federated]}}
authors: [Zeyu Cao]
sources:
  feeds: [{{name: Nature, url: "{base}/nature.rss"}}]
  biorxiv: {{lookback_days: 2}}
"""
NO_POSTS = b'{"messages": [{"status": "no posts found", "total": 0}], "collection": []}'
EMPTY_FEED = b'<rss version="2.0"><channel><title>Nature</title></channel></rss>'


@pytest.fixture
def radar(replay: ReplayServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BIORXIV_API_URL", f"{replay.url}/details/")
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    path = tmp_path / "radar.yaml"
    path.write_text(RADAR.format(base=replay.url))
    return path


def run(radar: Path, content: Path, day: str) -> None:
    assert main(["run", "--radar", str(radar), "--content", str(content), "--date", day]) == 0


def test_journal_versions_a_week_later_join_their_preprints(
    replay: ReplayServer, radar: Path, tmp_path: Path
) -> None:
    content = tmp_path / "content"
    replay.routes["/nature.rss"] = Reply(200, EMPTY_FEED)
    replay.routes["/details/biorxiv/2026-08-30/2026-09-01/0"] = Reply(
        200, fixture_bytes("biorxiv/details-2026-09-01.json")
    )
    run(radar, content, "2026-09-01")
    replay.routes["/nature.rss"] = Reply(200, fixture_bytes("journals/nature-2026-09-09.rss"))
    replay.routes["/details/biorxiv/2026-09-07/2026-09-09/0"] = Reply(200, NO_POSTS)
    run(radar, content, "2026-09-09")

    papers = {p.paper_id: p for p in iter_archive(content)}
    assert sorted(papers) == ["doi:10.1101/2026.08.29.610002", "doi:10.1101/2026.08.30.610001"]
    atlas = papers["doi:10.1101/2026.08.29.610002"]  # joined by bioRxiv's published DOI
    assert atlas.title == "Federated atlases of single-cell expression"  # the preprint's page
    assert atlas.source_label == "bioRxiv (Bioinformatics)" and atlas.also_in == ("Nature",)
    assert atlas.journal_doi == "10.1038/s41586-026-07777-7"
    assert atlas.announced.isoformat() == "2026-09-01"
    looped = papers["doi:10.1101/2026.08.30.610001"]  # joined by title + first author
    assert looped.authors == ("Z. Cao", "M. Okafor", "N. D. Lane")
    assert looped.also_in == ("Nature",) and looped.journal_doi == "10.1038/s41586-026-08888-8"
    assert looped.abs_url == "https://www.biorxiv.org/content/10.1101/2026.08.30.610001v2"
    assert not list(content.rglob("doi-10-1038-*.md"))

    output = tmp_path / "output"
    build_site(
        content,
        output,
        radar=radar,
        settings=REPO / "pelicanconf.py",
        cache=tmp_path / "cache",
        index=False,
    )
    page = (output / "papers/doi-10-1101-2026-08-30-610001/index.html").read_text()
    assert 'href="https://doi.org/10.1101/2026.08.30.610001"' in page
    assert 'href="https://doi.org/10.1038/s41586-026-08888-8"' in page
    assert 'sources/nature/">Nature</a>' in page and ">bioRxiv (Neuroscience)</a>" in page
    home = (output / "index.html").read_text()
    assert home.count('class="card"') == 2  # the two matched preprints, each once
