"""Listing pages are cut from the oldest paper, so a night's papers change the front page and
never a full older page (which is then not rendered again)."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.site.listings import Listing, listing_pages


@dataclass(frozen=True)
class FakePaper:
    number: int

    @property
    def day(self) -> str:
        return f"2026-06-{1 + self.number // 10:02d}"


def topic(count: int) -> Listing:
    """A topic listing of `count` papers, newest (highest number) first."""
    return Listing("topic", "World models", tuple(FakePaper(n) for n in reversed(range(count))))


def test_front_page_holds_the_newest_and_older_pages_are_full() -> None:
    pages = listing_pages(topic(47), per_page=10)
    assert [p.number for p in pages] == [4, 3, 2, 1]
    front, *older = pages
    assert [a.number for a in front.articles] == list(range(46, 29, -1))  # 17 papers
    assert (front.url, front.save_as) == ("topics/world-models/", "topics/world-models/index.html")
    assert front.is_front and front.older_url == "topics/world-models/page/3/"
    assert [a.number for a in older[-1].articles] == list(range(9, -1, -1))
    assert older[-1].url == "topics/world-models/page/1/" and older[-1].older_url == ""
    assert older[0].newer_url == "topics/world-models/"
    assert (older[-1].first_day, older[-1].last_day) == ("2026-06-01", "2026-06-01")


def test_a_short_listing_is_one_page() -> None:
    (only,) = listing_pages(topic(19), per_page=10)
    assert [a.number for a in only.articles] == list(range(18, -1, -1))
    assert only.newer_url == only.older_url == "" and only.url == "topics/world-models/"
    (empty,) = listing_pages(topic(0), per_page=10)
    assert empty.articles == () and empty.first_day == ""


@settings(deadline=None)
@given(st.integers(0, 400), st.integers(0, 300), st.integers(1, 25))
def test_new_papers_leave_full_older_pages_as_they_were(
    before: int, new: int, per_page: int
) -> None:
    old_pages = listing_pages(topic(before), per_page)
    new_pages = {p.number: p for p in listing_pages(topic(before + new), per_page)}
    seen = [a.number for p in new_pages.values() for a in p.articles]
    assert sorted(seen) == list(range(before + new))  # every paper on exactly one page
    for page in old_pages[1:]:  # all but the front page
        assert new_pages[page.number].articles == page.articles
        assert new_pages[page.number].url == page.url
        assert len(page.articles) == per_page
    front = listing_pages(topic(before + new), per_page)[0]
    assert len(front.articles) < 2 * per_page
    assert len(front.articles) >= per_page or before + new < per_page
