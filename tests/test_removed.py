"""Removing a paper: `python -m pipeline remove` deletes the article and writes a tombstone; the
next build over a restored output/ takes down its page, listing entries, feed entries and search
hit; the next night, served the same feed over 127.0.0.1, does not bring it back."""

from __future__ import annotations

import gzip
import json
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from replay import ReplayServer, Reply, xml

from pipeline.__main__ import main
from pipeline.archive import article_relpath
from pipeline.archive.store import store_papers
from pipeline.models import Paper
from pipeline.removed import (
    STATE_FILE,
    Tombstone,
    TombstoneError,
    drop_removed,
    load_tombstones,
    remove_paper,
)

REPO = Path(__file__).resolve().parents[1]
RADAR = """
site: {title: Removal test, url: "https://radar.example.org/hub"}
topics:
  - name: Low-communication training
    keywords: [DiLoCo, federated]
  - name: World models
    keywords: [world models]
authors: [Zeyu Cao]
sources:
  arxiv: {categories: [cs.AI]}
"""
FOMOE_ID = "arxiv:2606.19025"
FOMOE_SLUG = "arxiv-2606-19025"
DAY = "2026-06-18"


def search_urls(output: Path) -> set[str]:
    """The pages Pagefind's index can return: each fragment is gzip'd 'pagefind_dcd' + JSON."""
    urls = set()
    for fragment in output.glob("pagefind/*/fragment/*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        urls.add(json.loads(data)["url"])
    return urls


def pages_naming(output: Path, needle: str) -> list[str]:
    return sorted(
        str(path.relative_to(output))
        for path in output.rglob("*")
        if path.suffix in (".html", ".xml") and needle in path.read_text(encoding="utf-8")
    )


@pytest.mark.parametrize("cache_restored", [True, False], ids=["cache-restored", "cache-lost"])
def test_a_removed_paper_leaves_the_site_and_never_comes_back(
    arxiv_env: ReplayServer,
    tmp_path: Path,
    cache_restored: bool,
    capsys: pytest.CaptureFixture[str],
) -> None:
    arxiv_env.routes["/rss/cs.AI"] = xml("arxiv-rss/seed-day.xml")
    arxiv_env.routes["/api/query"] = Reply(200, b'<rss version="2.0"><channel/></rss>')
    (tmp_path / "radar.yaml").write_text(RADAR)
    content, output, cache = tmp_path / "content", tmp_path / "output", tmp_path / "cache"
    run = ["run", "--radar", str(tmp_path / "radar.yaml"), "--content", str(content)]
    site = [
        "site",
        "--radar",
        str(tmp_path / "radar.yaml"),
        "--content",
        str(content),
        "--output",
        str(output),
        "--cache",
        str(cache),
        "--settings",
        str(REPO / "pelicanconf.py"),
    ]
    assert main([*run, "--date", DAY]) == 0
    assert main(site) == 0
    # before: the page, its entries in listings and feeds, and its search hit are all there
    assert (output / "papers" / FOMOE_SLUG / "index.html").exists()
    listed = pages_naming(output, FOMOE_SLUG)
    assert {
        "index.html",
        "authors/zeyu-cao/index.html",
        "feeds/all.atom.xml",
        "feeds/authors/zeyu-cao.atom.xml",
        "days/2026-06-18/index.html",
    } <= set(listed)
    assert f"/papers/{FOMOE_SLUG}/" in search_urls(output)

    capsys.readouterr()
    assert (
        main(["remove", FOMOE_ID, "--reason", "takedown request", "--content", str(content)]) == 0
    )
    said = capsys.readouterr().out
    assert said.startswith(f"Removed {FOMOE_ID}: deleted {content}/papers/arxiv/2606/")
    assert "The briefing of 2026-06-18 cited it, so it was made again without it." in said
    assert not (content / article_relpath(FOMOE_ID)).exists()
    if not cache_restored:
        shutil.rmtree(cache)
    assert main(site) == 0  # over the output/ (and cache/) the last build left, as CI restores

    assert not (output / "papers" / FOMOE_SLUG).exists()
    assert pages_naming(output, FOMOE_SLUG) == []  # listings, day page, home, every feed
    assert pages_naming(output, "FoMoE") == []
    assert f"/papers/{FOMOE_SLUG}/" not in search_urls(output)
    assert "/papers/arxiv-2411-02908/" in search_urls(output)  # the others stay searchable
    assert (output / "papers/arxiv-2411-02908/index.html").exists()
    shards = json.loads((output / "pagefind/shards.json").read_text())
    assert shards["pages"] == 3  # two papers and the day's briefing

    # the next night: the same feed, FoMoE still in it
    assert main([*run, "--date", DAY]) == 0
    assert not (content / article_relpath(FOMOE_ID)).exists()
    out = capsys.readouterr().out
    assert f"note: kept out 1 removed paper(s): {FOMOE_ID}" in out
    report = json.loads((content / "reports" / f"{DAY}.json").read_text())
    assert report["new"] == 0
    assert main(site) == 0
    assert not (output / "papers" / FOMOE_SLUG).exists()


def paper(paper_id: str, **extra: object) -> Paper:
    fields: dict[str, object] = {
        "paper_id": paper_id,
        "title": "Federated mixtures of experts without full replicas",
        "authors": ("Zeyu Cao", "Nicholas D. Lane"),
        "abstract": "An abstract.",
        "announced": date(2026, 6, 18),
        "source_label": "arXiv (cs.LG)",
    }
    return Paper(**{**fields, **extra})  # type: ignore[arg-type]


def test_a_tombstone_keeps_out_other_records_of_the_same_work(tmp_path: Path) -> None:
    preprint = paper("arxiv:2606.19025", doi="10.48550/arXiv.2606.19025")
    store_papers(tmp_path, [preprint])
    done = remove_paper(tmp_path, "arxiv:2606.19025", "mistaken match", date(2026, 6, 20))
    assert done.deleted and not done.already
    stones = load_tombstones(tmp_path)
    assert stones["arxiv:2606.19025"] == Tombstone(
        "arxiv:2606.19025",
        "papers/arxiv/2606/arxiv-2606-19025.md",
        "2026-06-20",
        "mistaken match",
        (
            "id:arxiv:2606.19025",
            "doi:10.48550/arxiv.2606.19025",
            "title:federated mixtures of experts without full replicas|cao",
        ),
    )
    assert oct((tmp_path / STATE_FILE).stat().st_mode & 0o777) == "0o644"
    journal = paper("doi:10.1000/j.1", doi="10.48550/ARXIV.2606.19025", title="Another title")
    by_title = paper("doi:10.1000/j.2", title=preprint.title.upper())
    other = paper("arxiv:2606.18001", title="World models are scientists")
    kept, dropped = drop_removed([journal, by_title, other, preprint], stones)
    assert kept == [other] and dropped == [journal, by_title, preprint]
    assert remove_paper(tmp_path, "arxiv:2606.19025", "", date(2026, 6, 21)).already


def test_a_damaged_article_is_removed_by_its_path(tmp_path: Path) -> None:
    article = tmp_path / "papers/arxiv/2606/arxiv-2606-18001.md"
    article.parent.mkdir(parents=True)
    article.write_bytes(b"Title: \xff broken\n\nno id here\n")
    done = remove_paper(tmp_path, str(article), "damaged", date(2026, 6, 20))
    assert done.deleted and not article.exists()
    assert done.tombstone.name == "papers/arxiv/2606/arxiv-2606-18001.md"
    kept, dropped = drop_removed([paper("arxiv:2606.18001")], load_tombstones(tmp_path))
    assert kept == [] and [p.paper_id for p in dropped] == ["arxiv:2606.18001"]
    with pytest.raises(TombstoneError, match="not an article in"):
        remove_paper(tmp_path, str(tmp_path.parent / "elsewhere.md"), "", date(2026, 6, 20))


def test_an_unreadable_tombstone_file_keeps_the_night_going_and_stores_nothing(
    arxiv_env: ReplayServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arxiv_env.routes["/rss/cs.AI"] = xml("arxiv-rss/seed-day.xml")
    arxiv_env.routes["/api/query"] = Reply(200, b'<rss version="2.0"><channel/></rss>')
    (tmp_path / "radar.yaml").write_text(RADAR)
    content = tmp_path / "content"
    (content / STATE_FILE).parent.mkdir(parents=True)
    (content / STATE_FILE).write_text('[{"paper_id": "arxiv:2606.19025",\n<<<<<<< HEAD\n')
    argv = ["run", "--radar", str(tmp_path / "radar.yaml"), "--content", str(content)]
    assert main([*argv, "--date", DAY]) == 0
    assert list(content.glob("papers/**/*.md")) == []
    report = json.loads((content / "reports" / f"{DAY}.json").read_text())
    [damaged] = report["damaged"]
    assert damaged["path"] == str(content / STATE_FILE)
    assert damaged["reason"].startswith("cannot be read (") and "git checkout" in damaged["reason"]
    assert "3 papers not stored tonight" in capsys.readouterr().out


def test_removing_a_paper_not_yet_collected_keeps_it_out(tmp_path: Path) -> None:
    done = remove_paper(tmp_path, "doi:10.1000/xyz", "", date(2026, 6, 20))
    assert not done.deleted and done.tombstone.paper_id == "doi:10.1000/xyz"
    arriving = replace(paper("doi:10.1000/xyz"), title="Short")
    assert drop_removed([arriving], load_tombstones(tmp_path)) == ([], [arriving])
