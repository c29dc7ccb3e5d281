"""Fields the site derives from a paper: code link, search ids, BibTeX, watched bylines."""

from __future__ import annotations

from pipeline.site.paper_fields import (
    abstract_lead,
    author_pages,
    bibtex_entry,
    briefing_teaser,
    find_code_url,
    id_keys,
    search_ids,
)


def test_code_url_is_the_first_repository_named() -> None:
    abstract = "We release code at https://github.com/ZeyuCao/FoMoE.git. See also github.com/x/y"
    assert find_code_url(abstract) == "https://github.com/ZeyuCao/FoMoE"
    comment = "12 pages; code: https://gitlab.com/group/tool."
    assert find_code_url("No code here.", comment) == "https://gitlab.com/group/tool"
    assert find_code_url("See https://github.com/sponsors/me") == ""
    assert find_code_url("") == ""


def test_search_ids_and_exact_keys() -> None:
    ids = search_ids("arxiv:2606.19025", "1", ["10.48550/arXiv.2606.19025", ""], "arxiv-2606-19025")
    assert ids == [
        "2606.19025",
        "arXiv:2606.19025",
        "2606.19025v1",
        "10.48550/arXiv.2606.19025",
        "arxiv-2606-19025",
    ]
    assert id_keys("arxiv:2606.19025", [""], "arxiv-2606-19025") == [
        "2606.19025",
        "10.48550/arxiv.2606.19025",
        "arxiv-2606-19025",
    ]
    keys = id_keys("doi:10.1101/2026.06.01.1", ["10.1101/2026.06.01.1"], "doi-10-1101")
    assert keys == ["10.1101/2026.06.01.1", "doi-10-1101"]


def test_a_watched_author_is_found_under_initials_accents_and_order() -> None:
    byline = ["Z. Cao", "Ada Lovelace", "Cao, Zéyu", "Wei Cao"]
    assert author_pages(byline, ["Zeyu Cao"]) == {"Z. Cao": "Zeyu Cao", "Cao, Zéyu": "Zeyu Cao"}


def test_bibtex_entry_cannot_be_broken_by_its_title() -> None:
    entry = bibtex_entry(
        title="A {bad} title } @misc{x, 100% & more",
        authors=["Zeyu Cao", "Nicholas D. Lane"],
        year="2026",
        month="06",
        url="https://arxiv.org/abs/2606.19025",
        arxiv="2606.19025",
    )
    assert entry.startswith("@misc{cao2026title,\n")
    assert "  title = {{A (bad) title ) @misc(x, 100\\% \\& more}},\n" in entry
    assert "  author = {Zeyu Cao and Nicholas D. Lane},\n" in entry
    assert "  eprint = {2606.19025},\n" in entry
    assert entry.count("{") == entry.count("}")
    journal = bibtex_entry(title="T", authors=[], year="2026", month="01", url="", journal="Nature")
    assert journal.startswith("@article{anon2026paper,") and "journal = {Nature}" in journal


def test_briefing_teaser_is_the_overview_and_theme_names() -> None:
    body = (
        "<p>3 new papers, <em>two</em> themes.</p>\n<h3>“parameter”</h3>\n<p>x</p>\n"
        "<h3>Shared &amp; sparse</h3>\n<h3>Notable papers</h3>\n<ul><li>a</li></ul>"
    )
    assert briefing_teaser(body) == (
        "3 new papers, two themes.",
        ["“parameter”", "Shared & sparse"],
    )
    assert briefing_teaser("") == ("", [])


def test_a_listing_card_holds_the_abstracts_whole_opening_sentences() -> None:
    abstract = (
        "Pre-training Large Language Models (LLMs) typically demands large-scale infrastructure "
        "with tightly coupled hardware accelerators. While increasing model and dataset scale "
        "remains the dominant driver of performance, Mixture-of-Experts (MoEs) architectures "
        "have recently achieved state-of-the-art results."
    )
    first = abstract.split(" While")[0]
    assert abstract_lead(abstract) == (abstract, False)  # 304 characters: all of it
    assert abstract_lead(abstract, 200) == (first, True)
    assert abstract_lead(abstract, 100) == (
        "Pre-training Large Language Models (LLMs) typically demands large-scale infrastructure "
        "with tightly …",
        True,
    )  # a first sentence longer than the room: cut at a word, never mid-word
    assert abstract_lead("  Line\none.\n\nTwo.  ") == ("Line one. Two.", False)
