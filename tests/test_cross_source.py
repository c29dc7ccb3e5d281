"""A preprint and its journal version end as one article, whether they arrive the same night or
months apart, and the site lists it once with both sources and links."""

from __future__ import annotations

from pathlib import Path

import pytest
from replay import ReplayServer, Reply, fixture_bytes, xml

from pipeline.__main__ import main
from pipeline.archive import iter_archive
from pipeline.site.build import build_site

REPO = Path(__file__).resolve().parents[1]
FOMOE = "FoMoE: Breaking the Full-Replica Barrier with a Federation of MoEs"
RADAR = """
site: {{title: Test, url: https://radar.example.org}}
topics:
  - {{name: Low-communication training, keywords: [DiLoCo, federated]}}
  - {{name: World models, keywords: [world model, world models]}}
authors: [Zeyu Cao]
sources:
  arxiv: {{categories: [cs.AI], api: false}}
  feeds: [{{name: Nature, url: "{base}/nature.rss"}}]
"""


@pytest.fixture
def radar(arxiv_env: ReplayServer, tmp_path: Path) -> Path:
    arxiv_env.routes["/rss/cs.AI"] = xml("arxiv-rss/seed-day.xml")
    arxiv_env.routes["/nature.rss"] = Reply(200, fixture_bytes("journals/nature.rss"))
    path = tmp_path / "radar.yaml"
    path.write_text(RADAR.format(base=arxiv_env.url))
    return path


def run(radar: Path, content: Path, day: str) -> None:
    assert main(["run", "--radar", str(radar), "--content", str(content), "--date", day]) == 0


def fomoe_articles(content: Path) -> list:
    return [p for p in iter_archive(content) if p.title == FOMOE]


def test_journal_version_months_later_joins_the_preprint(
    arxiv_env: ReplayServer, radar: Path, tmp_path: Path
) -> None:
    content = tmp_path / "content"
    arxiv_env.routes["/nature.rss"] = Reply(200, b'<rss version="2.0"><channel/></rss>')
    run(radar, content, "2026-06-18")
    arxiv_env.routes["/nature.rss"] = Reply(200, fixture_bytes("journals/nature.rss"))
    arxiv_env.routes["/rss/cs.AI"] = Reply(200, b'<rss version="2.0"><channel/></rss>')
    run(radar, content, "2026-09-02")
    (fomoe,) = fomoe_articles(content)
    assert fomoe.paper_id == "arxiv:2606.19025"  # the preprint's article, at its old path
    assert fomoe.source_label == "arXiv (cs.AI)" and fomoe.also_in == ("Nature",)
    assert fomoe.doi == "10.1038/s41586-026-01234-5"
    assert fomoe.announced.isoformat() == "2026-06-18"
    assert fomoe.pdf_url == "https://arxiv.org/pdf/2606.19025v1"
    assert not list(content.rglob("doi-10-1038-s41586-026-01234-5.md"))
    assert (content / "papers/doi/10-1038/doi-10-1038-s41586-026-05678-9.md").exists()


def test_same_night_one_article_listed_once_with_both_sources(radar: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    run(radar, content, "2026-06-18")
    (fomoe,) = fomoe_articles(content)
    assert fomoe.paper_id == "arxiv:2606.19025" and fomoe.also_in == ("Nature",)
    run(radar, content, "2026-06-18")  # a rerun changes nothing
    assert fomoe_articles(content) == [fomoe]

    output = tmp_path / "output"
    build_site(
        content,
        output,
        radar=radar,
        settings=REPO / "pelicanconf.py",
        cache=tmp_path / "cache",
        index=False,
    )
    home = (output / "index.html").read_text()
    assert home.count('data-paper-id="arxiv:2606.19025"') == 1  # one card (the briefing cites it)
    assert home.count('class="card"') == 4  # the seed day's three and Nature's world model
    page = (output / "papers/arxiv-2606-19025/index.html").read_text()
    assert 'href="../../sources/nature/">Nature</a>' in page
    assert 'href="https://doi.org/10.1038/s41586-026-01234-5"' in page
    assert 'href="https://arxiv.org/abs/2606.19025"' in page
    nature = (output / "sources/nature/index.html").read_text()
    title_link = '<h2 class="card-title"><a href="../../papers/arxiv-2606-19025/">'
    assert nature.count(title_link) == 1  # one compact card
