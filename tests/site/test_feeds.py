"""Every Atom feed of the built site parses cleanly, carries the right papers and is linked."""

from __future__ import annotations

import re
from html import escape

import feedparser
import pytest
from sitedata import MD_TITLE, SCRIPT_TITLE, BuiltSite

SITE = "https://radar.example.org/hub"
FOMOE = f"{SITE}/papers/arxiv-2606-19025/"
LOOPED = f"{SITE}/papers/arxiv-2606-18001/"
PHOTON = f"{SITE}/papers/arxiv-2411-02908/"
GOSSIP = f"{SITE}/papers/arxiv-2605-17001/"  # sitedata.OLDER
ZCAO = f"{SITE}/papers/doi-10-1101-2026-06-10-598765/"  # sitedata.ZCAO
FEEDS = {
    "feeds/all.atom.xml": 13,  # ten papers and three briefings
    "feeds/briefings.atom.xml": [  # 2026-06-16: a hostile paper's night, left unbriefed till then
        f"{SITE}/briefings/2026-06-18/",
        f"{SITE}/briefings/2026-06-17/",
        f"{SITE}/briefings/2026-06-16/",
    ],
    "feeds/authors/zeyu-cao.atom.xml": [FOMOE, LOOPED, PHOTON, ZCAO],  # "Z. Cao" on bioRxiv
    "feeds/authors/ada-lovelace.atom.xml": 4,
    "feeds/topics/world-models.atom.xml": [LOOPED],
    "feeds/topics/low-communication-training.atom.xml": [FOMOE, PHOTON, GOSSIP],
    "feeds/sources/nature.atom.xml": [
        f"{SITE}/papers/arxiv-2606-90004/",
        f"{SITE}/papers/arxiv-2606-90003/",
    ],
    "feeds/sources/arxiv-cs-ai.atom.xml": [FOMOE, LOOPED, PHOTON],
}


@pytest.mark.parametrize("path", sorted(FEEDS))
def test_feed_parses_with_the_right_entries(built_site: BuiltSite, path: str) -> None:
    parsed = feedparser.parse((built_site.output / path).read_bytes())
    assert parsed.bozo is False, parsed.get("bozo_exception")
    assert parsed.feed.links[1].href == f"{SITE}/{path}"  # rel=self, absolute for feed readers
    links = [entry.link for entry in parsed.entries]
    expected = FEEDS[path]
    assert links == expected if isinstance(expected, list) else len(links) == expected


def test_feed_entries_carry_text_not_markup(built_site: BuiltSite) -> None:
    parsed = feedparser.parse((built_site.output / "feeds/all.atom.xml").read_bytes())
    by_link = {entry.link: entry for entry in parsed.entries}
    fomoe = by_link[FOMOE]
    assert fomoe.title == "FoMoE: Breaking the Full-Replica Barrier with a Federation of MoEs"
    assert fomoe.author == "Zeyu Cao, Nicholas D. Lane"
    assert fomoe.published.startswith("2026-06-18")
    hostile = by_link[f"{SITE}/papers/arxiv-2606-90001/"]
    assert hostile.title == SCRIPT_TITLE  # text, read back as the same text
    assert "<script" not in hostile.content[0].value
    raw = (built_site.output / "feeds/all.atom.xml").read_text()
    assert f"<title>{escape(SCRIPT_TITLE, quote=False)}</title>" in raw  # text, as Atom says
    assert by_link[f"{SITE}/papers/arxiv-2606-90003/"].title == MD_TITLE


def test_every_feed_is_linked_from_its_page_and_the_subscribe_page(built_site: BuiltSite) -> None:
    written = {
        str(p.relative_to(built_site.output)) for p in (built_site.output / "feeds").rglob("*.xml")
    }
    assert set(FEEDS) <= written
    subscribe = (built_site.output / "subscribe/index.html").read_text()
    for feed in written:
        assert f'href="../{feed}"' in subscribe, feed
        if feed != "feeds/all.atom.xml":
            page = built_site.output / feed.removeprefix("feeds/").removesuffix(".atom.xml")
            html = (page / "index.html").read_text()
            alternates = re.findall(
                r'<link rel="alternate" type="application/atom\+xml"[^>]*>', html
            )
            up = "../" * len(page.relative_to(built_site.output).parts)
            assert any(f'href="{up}{feed}"' in link for link in alternates), feed


def test_paper_entries_summarise_the_paper_by_its_tldr(built_site: BuiltSite) -> None:
    """A paper's <summary> is its TL;DR (its <content> stays the abstract); with no key here,
    the automatic one: the abstract's sentence stating the contribution; then why it is there."""
    parsed = feedparser.parse(
        (built_site.output / "feeds/topics/world-models.atom.xml").read_bytes()
    )
    (entry,) = parsed.entries
    assert entry.summary == (
        "<p>TL;DR: We resolve this by introducing Looped World Models "
        "(LoopWM), which are the first looped architectures for world "
        "modelling.</p>"
        "<p>Why: World models: keyword &quot;world models&quot; in title; "
        "watched author Zeyu Cao</p>"
    )
    assert entry.content[0].value.startswith("<p>Current world models face a fundamental tension")
    every = feedparser.parse((built_site.output / "feeds/all.atom.xml").read_bytes())
    papers = [e for e in every.entries if "/papers/" in e.link]
    assert papers and all(e.summary.startswith("<p>TL;DR: ") for e in papers)
