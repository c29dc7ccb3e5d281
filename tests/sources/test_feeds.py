"""Journal feeds: constructed Nature/PLOS/Science feeds, feedparser's attack and ill-formed feeds,
conditional GET over a real server on 127.0.0.1."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import markdown
import pytest
from replay import FIXTURES, ReplayServer, Reply, fixture_bytes

from pipeline.archive import render_article
from pipeline.errors import SourceError
from pipeline.http import Http
from pipeline.models import FeedSource
from pipeline.presets import find_preset, preset_names
from pipeline.sources.feeds import fetch_feed, parse_feed
from pipeline.sources.validators import Validators
from pipeline.state import HTTP_VALIDATORS, read_state, save_state

DAY = date(2026, 9, 2)
NATURE = FeedSource("Nature", "https://www.nature.com/nature.rss", "nature")


def test_nature_rss1_items_become_papers_with_dois_and_plain_text() -> None:
    feed = parse_feed(fixture_bytes("journals/nature.rss"), NATURE, DAY)
    fomoe, cortex = feed.papers
    assert fomoe.paper_id == "doi:10.1038/s41586-026-01234-5"
    assert fomoe.title == "FoMoE: Breaking the Full-Replica Barrier with a Federation of MoEs"
    assert fomoe.authors == ("Zeyu Cao", "Nicholas D. Lane")
    assert fomoe.abstract.startswith("Partitioning expert layers")  # dateline dropped
    assert fomoe.source_label == "Nature" and fomoe.announced == DAY
    assert fomoe.abs_url == "https://www.nature.com/articles/s41586-026-01234-5"
    assert cortex.authors == ("Maria Okafor", "Jun Watanabe", "Ada Lovelace")
    assert cortex.abstract == (
        "Recordings of 10⁴ neurons show that a learned world model of "
        "cortical dynamics predicts behaviour seconds ahead."
    )


def test_plos_atom_keeps_subscripts_as_text_and_drops_the_byline() -> None:
    feed = parse_feed(fixture_bytes("journals/plos-one.atom"), FeedSource("PLOS ONE", "u"), DAY)
    first = feed.papers[0]
    assert first.paper_id == "doi:10.1371/journal.pone.0312345"
    assert first.title == "Federated learning of CO₂ flux models across 40 eddy-covariance sites"
    assert first.authors == ("Lena Novak", "Omar Silva")
    assert first.abstract.startswith("We train CO₂ flux models") and "10³ fewer" in first.abstract


def test_science_rss2_item_without_title_is_skipped_and_reported() -> None:
    feed = parse_feed(fixture_bytes("journals/science.rss"), FeedSource("Science", "u"), DAY)
    assert [p.paper_id for p in feed.papers] == ["doi:10.1126/science.adz1234"]
    assert feed.papers[0].authors == ("Wei Chen", "Alan Turing")
    assert "E = mc² is not involved" in feed.papers[0].abstract
    assert [(s.item, s.reason) for s in feed.skipped] == [
        ("https://www.science.org/doi/abs/10.1126/science.broken", "no title")
    ]


ATTACKS = sorted((FIXTURES / "feedparser-sanitize").glob("*.xml"))
ILLFORMED = sorted((FIXTURES / "feedparser-illformed").glob("*.xml"))


@pytest.mark.parametrize("path", ATTACKS, ids=lambda p: p.stem)
def test_attack_feeds_yield_no_markup(path: Path) -> None:
    try:
        feed = parse_feed(path.read_bytes(), FeedSource("Attack", "u"), DAY)
    except SourceError:
        return  # reported as a failing source: nothing reaches the site
    for paper in feed.papers:
        html = markdown.markdown(render_article(paper).partition("\n\n")[2])
        assert html.count("<") == html.count("<p>") + html.count("</p>"), html
        assert "javascript:" not in paper.abs_url.lower()


def test_attack_corpus_is_present() -> None:
    assert len(ATTACKS) == 50 and len(ILLFORMED) == 8


@pytest.mark.parametrize("path", ILLFORMED, ids=lambda p: p.stem)
def test_illformed_feeds_are_read_or_reported_never_crash(path: Path) -> None:
    try:
        feed = parse_feed(path.read_bytes(), FeedSource("Broken", "u"), DAY)
    except SourceError as err:
        assert str(err).startswith("not an RSS/Atom feed")
    else:
        assert feed.note or feed.papers or feed.skipped


def test_html_error_page_is_not_a_feed() -> None:
    with pytest.raises(SourceError, match="not an RSS/Atom feed"):
        parse_feed(
            b"<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>", NATURE, DAY
        )


def test_presets_resolve_to_publisher_feeds() -> None:
    assert find_preset("Nature") == NATURE
    assert find_preset("plos_one").url == "https://journals.plos.org/plosone/feed/atom"
    neuro = find_preset("biorxiv-neuroscience")
    assert neuro.name == "bioRxiv (Neuroscience)"
    assert neuro.url == "https://connect.biorxiv.org/biorxiv_xml.php?subject=neuroscience"
    assert find_preset("medrxiv-infectious-diseases").name == "medRxiv (Infectious Diseases)"
    assert find_preset("nature-physics-typo") is None
    wanted = {
        "nature",
        "science",
        "pnas",
        "cell",
        "plos-one",
        "plos-biology",
        "prl",
        "nejm",
        "lancet",
        "biorxiv-neuroscience",
        "medrxiv-epidemiology",
    }
    assert wanted <= set(preset_names())


def saved_validators(content: Path) -> Validators:
    return Validators.from_state(read_state(content, HTTP_VALIDATORS))


def test_conditional_get_sends_validators_and_treats_304_as_unchanged(
    replay: ReplayServer, tmp_path: Path
) -> None:
    def nature(request):  # noqa: ANN001, ANN202
        if request.headers.get("If-None-Match") == '"v1"':
            return Reply(304, b"")
        return Reply(200, fixture_bytes("journals/nature.rss"), {"ETag": '"v1"'})

    replay.routes["/nature.rss"] = nature
    source = FeedSource("Nature", f"{replay.url}/nature.rss")
    http = Http(user_agent="AcademicHub-test", timeout=5)
    validators = saved_validators(tmp_path)
    first = fetch_feed(source, http, DAY, validators)
    assert len(first.papers) == 2 and not first.failed
    save_state(tmp_path, HTTP_VALIDATORS, validators.state())
    again = fetch_feed(source, http, DAY, saved_validators(tmp_path))
    assert again.papers == () and not again.failed
    assert again.note == "not modified since the last run (HTTP 304)"
    sent = replay.requests_to("/nature.rss")
    assert "If-None-Match" not in sent[0].headers and sent[1].headers["If-None-Match"] == '"v1"'
    assert sent[0].headers["User-Agent"] == "AcademicHub-test"


LINKS_ONLY = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Links</title>
<item><title>Science item with no prism:doi</title>
  <link>https://www.science.org/doi/abs/10.1126/science.adz1234?af=R</link></item>
<item><title>PLOS item, DOI percent-encoded in the query</title>
  <link>https://journals.plos.org/plosone/article?id=10.1371%2Fjournal.pone.0312345</link></item>
<item><title>NEJM guid with a query</title>
  <guid>https://www.nejm.org/doi/full/10.1056/NEJMoa2612345?query=TOC</guid></item>
<item><title>Lancet item, no DOI anywhere</title>
  <link>https://www.thelancet.com/journals/lancet/article/PIIS0140-6736(26)01234-5/fulltext?rss=yes</link>
  <guid>PIIS0140-6736(26)01234-5</guid></item>
</channel></rss>"""


def test_dois_in_links_lose_query_and_encoding_and_guid_is_the_fallback() -> None:
    science, plos, nejm, lancet = parse_feed(LINKS_ONLY, FeedSource("Mixed", "u"), DAY).papers
    assert science.paper_id == "doi:10.1126/science.adz1234"
    assert science.abs_url == "https://www.science.org/doi/abs/10.1126/science.adz1234?af=R"
    assert plos.paper_id == "doi:10.1371/journal.pone.0312345"
    assert nejm.paper_id == "doi:10.1056/nejmoa2612345"
    assert lancet.doi == "" and lancet.paper_id.startswith("guid:")
    again = parse_feed(LINKS_ONLY, FeedSource("Mixed", "u"), DAY).papers[3]
    assert again.paper_id == lancet.paper_id  # the same guid is the same paper every night


def test_empty_or_broken_reply_is_not_remembered_for_conditional_get(
    replay: ReplayServer, tmp_path: Path
) -> None:
    empty = b'<rss version="2.0"><channel><title>Nature</title></channel></rss>'
    replay.routes["/nature.rss"] = [
        Reply(200, fixture_bytes("journals/nature.rss"), {"ETag": '"v1"'}),
        Reply(200, empty, {"ETag": '"v2"'}),
        Reply(200, fixture_bytes("journals/nature.rss"), {"ETag": '"v3"'}),
    ]
    source = FeedSource("Nature", f"{replay.url}/nature.rss")
    http = Http(user_agent="t", timeout=5)
    validators = saved_validators(tmp_path)
    assert len(fetch_feed(source, http, DAY, validators).papers) == 2
    emptied = fetch_feed(source, http, DAY, validators)
    assert emptied.papers == () and emptied.note == "the feed had no items"
    save_state(tmp_path, HTTP_VALIDATORS, validators.state())
    fetch_feed(source, http, DAY, saved_validators(tmp_path))
    sent = replay.requests_to("/nature.rss")
    assert sent[1].headers["If-None-Match"] == '"v1"'
    assert "If-None-Match" not in sent[2].headers  # "v2" vouched for nothing


def test_aps_prl_item_math_byline_and_citation() -> None:
    prl = FeedSource("Physical Review Letters", "https://feeds.aps.org/rss/recent/prl.xml", "prl")
    (paper,) = parse_feed(fixture_bytes("journals/prl.rss"), prl, DAY).papers
    assert paper.paper_id == "doi:10.1103/physrevlett.137.100401"
    assert paper.title == "Scaling of T_(c) with world models"  # MathML in a text title
    assert paper.authors == ("Zeyu Cao", "Ada Lovelace", "Wei Chen")  # one dc:creator, split
    assert paper.abstract == "The energy scales as L⁻²."  # no byline, no citation line
    assert paper.journal_ref == "Phys. Rev. Lett. 137, 100401"


def test_a_byline_alone_is_the_abstract_not_dropped() -> None:
    one = b"""<rss version="2.0"><channel><title>t</title><item><title>By design</title>
    <link>https://example.org/a</link><description>By combining two sensors we see more
    </description><author>Lane, Nicholas D.</author></item></channel></rss>"""
    (paper,) = parse_feed(one, FeedSource("T", "u"), DAY).papers
    assert paper.abstract == "By combining two sensors we see more"
    assert paper.authors == ("Lane, Nicholas D.",)
