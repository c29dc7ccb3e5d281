"""Feedback links, new-since-last-visit marks, copy-BibTeX, the Saved page and the weekly digest
pages, in Debian's Chromium on the site built in conftest (feedback repository octo/radar,
FoMoE saved and a hostile paper liked, weekly digest of the top 3)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import bibtexparser
import feedparser
import pytest
from sitedata import SCRIPT_TITLE, BuiltSite
from test_browser import serious_violations

from pipeline.feedback import FORM

FOMOE = "FoMoE: Breaking the Full-Replica Barrier with a Federation of MoEs"


def page_bibtex(page, path: str) -> str:  # noqa: ANN001
    """The BibTeX a paper page shows (pipeline/site/paper_fields.py makes it)."""
    page.goto(path)
    return page.locator(".bibtex pre").text_content().strip() + "\n"


@pytest.mark.browser
def test_a_cards_like_link_opens_the_new_issue_form_with_the_paper_prefilled(page) -> None:  # noqa: ANN001
    opened: list[str] = []
    page.route(
        "https://github.com/**",
        lambda route: (
            opened.append(route.request.url),
            route.fulfill(status=200, body="<title>New issue</title>"),
        ),
    )
    page.goto("/")
    card = page.locator("#cards .card").first
    paper_id = card.get_attribute("data-paper-id")
    card.get_by_role("link", name="More like this").click()
    page.wait_for_url("https://github.com/octo/radar/issues/new?*")
    parts = urlsplit(opened[-1])
    assert (parts.netloc, parts.path) == ("github.com", "/octo/radar/issues/new")
    assert parse_qs(parts.query) == {"template": [FORM], "paper": [paper_id], "verdict": ["like"]}
    page.goto("/papers/arxiv-2606-19025/")
    links = page.locator(".feedback a")
    assert links.evaluate_all("as => as.map(a => a.textContent)") == ["👍", "👎", "☆"]
    assert [
        parse_qs(urlsplit(h).query)["verdict"]
        for h in links.evaluate_all("as => as.map(a => a.href)")
    ] == [["like"], ["dislike"], ["save"]]


@pytest.mark.browser
def test_new_since_last_visit_marks_appear_on_a_second_visit_and_can_hide_the_rest(
    browser,  # noqa: ANN001
    built_site: BuiltSite,
) -> None:
    context = browser.new_context(base_url=built_site.url)
    first = context.new_page()
    first.goto("/")
    first.wait_for_load_state("networkidle")
    assert first.locator(".new-mark").count() == 0  # a first visit: nothing is "new" yet
    context.close()

    # an earlier visit saw the papers up to 2026-06-17; the next one finds 2026-06-18's new
    context = browser.new_context(base_url=built_site.url)
    earlier = context.new_page()
    earlier.goto("/days/2026-06-17/")
    earlier.wait_for_load_state("networkidle")
    assert earlier.locator(".new-mark").count() == 0
    later = context.new_page()
    later.goto("/")
    later.locator(".new-mark").first.wait_for()
    days = later.locator("#cards .card time").all_inner_texts()
    marked = later.locator("#cards .card").evaluate_all(
        "cs => cs.map(c => c.querySelector('.new-mark') !== null)"
    )
    assert marked == [day > "2026-06-17" for day in days]
    assert True in marked and False in marked  # both kinds on the page
    toggle = later.get_by_label("Hide papers seen before", exact=False)
    toggle.check()
    visible = later.locator("#cards .card").evaluate_all(
        "cs => cs.map(c => c.offsetParent !== null)"
    )
    assert visible == marked
    later.reload()  # the same visit: the marks and the choice stay
    later.locator(".new-mark").first.wait_for()
    assert later.get_by_label("Hide papers seen before", exact=False).is_checked()
    assert later.locator("#cards .card.is-seen").first.is_hidden()
    context.close()


@pytest.mark.browser
def test_copy_bibtex_puts_the_papers_entry_on_the_clipboard(browser, built_site: BuiltSite) -> None:  # noqa: ANN001
    context = browser.new_context(base_url=built_site.url)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    for path in ["/papers/arxiv-2606-19025/", "/papers/arxiv-2606-90001/"]:
        shown = page_bibtex(page, path)
        page.get_by_role("button", name="Copy BibTeX").click()
        page.get_by_role("status").filter(has_text="Copied").wait_for()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == shown
    [entry] = bibtexparser.parse_string(copied).entries
    assert entry.fields_dict["author"].value == "Ada Lovelace and <i>Mallory</i> O'Hara"
    context.close()


@pytest.mark.browser
def test_saved_page_lists_saved_and_liked_papers_with_bibtex(page, built_site: BuiltSite) -> None:  # noqa: ANN001
    page.goto("/browse/")
    page.get_by_role("link", name="Saved papers").click()
    saved = page.locator("section", has=page.get_by_role("heading", name="☆ Saved"))
    assert saved.locator(".card-title").all_inner_texts() == [FOMOE]
    liked = page.locator("section", has=page.get_by_role("heading", name="👍 More like this"))
    assert liked.locator(".card-title").all_inner_texts() == [SCRIPT_TITLE]
    listed = page.locator("pre.bibtex").inner_text().strip()
    assert serious_violations(page) == []
    bib = (built_site.output / "saved" / "saved.bib").read_text()
    assert listed == bib.strip()
    expected = [
        page_bibtex(page, p) for p in ("/papers/arxiv-2606-19025/", "/papers/arxiv-2606-90001/")
    ]
    assert bib == "".join(f"{entry}\n" for entry in expected)
    assert len(bibtexparser.parse_string(bib).entries) == 2


@pytest.mark.browser
def test_weekly_digest_page_and_feed(page, built_site: BuiltSite) -> None:  # noqa: ANN001
    page.goto("/digest/")
    page.get_by_role("link", name="Week 2026-W25", exact=False).click()
    assert page.locator("h1").inner_text() == "Week 2026-W25: 2026-06-15 – 2026-06-21"
    days = page.locator(".digest-item time").all_inner_texts()
    assert len(days) == 3 and days == sorted(days, reverse=True)  # top 3, newest first
    feed = feedparser.parse((built_site.output / "feeds" / "digest.atom.xml").read_bytes())
    assert not feed.bozo
    titles = [entry.title for entry in feed.entries]
    assert titles[0].startswith("Week 2026-W25: 2026-06-15 – 2026-06-21, ")
    # the oldest paper's week: sitedata.recorded_comment_paper, a 2018 arXiv API result
    assert titles[-1] == "Week 2018-W27: 2018-07-02 – 2018-07-08, 1 paper"
    assert feed.entries[0].link == "https://radar.example.org/hub/digest/2026-w25/"
    assert serious_violations(page) == []
