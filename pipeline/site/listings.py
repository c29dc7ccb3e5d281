"""Which listing pages and feeds the site has: one per watched author, topic, source and day.

Pure: it groups already-read articles; the Pelican generator in `generator.py` writes them. Only
what a visitor needs gets a page — never one per co-author (see README, "Design notes")."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..text import slugify

KINDS = ("author", "topic", "source", "day", "suggested")
SECTION = {
    "author": "authors",
    "topic": "topics",
    "source": "sources",
    "day": "days",
    "suggested": "suggested",
}
HEADING = {
    "author": "Watched author",
    "topic": "Topic",
    "source": "Source",
    "day": "Day",
    "suggested": "Suggested by your library",
}
SUGGESTED = "Suggested"  # the one listing of kind "suggested": papers no topic or author matched


@dataclass(frozen=True)
class Listing:
    kind: str  # one of KINDS
    name: str  # as the visitor reads it: "Zeyu Cao", "World models", "arXiv (cs.AI)", "2026-06-18"
    articles: tuple[Any, ...]  # newest first

    @property
    def slug(self) -> str:
        return slugify(self.name) or "untitled"

    @property
    def url(self) -> str:
        if self.kind == "suggested":
            return "suggested/"
        return f"{SECTION[self.kind]}/{self.slug}/"

    @property
    def save_as(self) -> str:
        return f"{self.url}index.html"

    @property
    def feed(self) -> str:
        """Days have no feed: the whole-site feed already is the feed of days."""
        if self.kind == "suggested":
            return "feeds/suggested.atom.xml"
        return "" if self.kind == "day" else f"feeds/{SECTION[self.kind]}/{self.slug}.atom.xml"

    @property
    def title(self) -> str:
        if self.kind == "suggested":
            return HEADING[self.kind]
        return f"{HEADING[self.kind]}: {self.name}"

    @property
    def heading(self) -> str:
        return HEADING[self.kind]

    @property
    def month(self) -> str:
        """Days are grouped by month on the browse page."""
        return self.name[:7]


@lru_cache(maxsize=65536)  # a name per author, topic, source and day, looked up on every page
def listing_url(name: str, kind: str) -> str:
    """Jinja filter: the page of a watched author, topic, source or day, from its name."""
    return Listing(kind, name, ()).url


def newest_first(articles: Iterable[Any]) -> list[Any]:
    return sorted(articles, key=lambda a: (a.date, a.slug), reverse=True)


def relevance_of(article: Any) -> float:
    value = getattr(article, "relevance", None)
    return value if isinstance(value, float) else -1.0


def by_relevance(articles: Iterable[Any]) -> list[Any]:
    """Days newest first, each day's papers most relevant to the reader's library first."""
    return sorted(articles, key=lambda a: (a.date, relevance_of(a), a.slug), reverse=True)


def source_names(article: Any) -> list[str]:
    """The source an article came from and any it was also seen in ('Nature' beside 'arXiv …')."""
    names = [article.source_label] if getattr(article, "source_label", "") else []
    return names + [label for label in getattr(article, "also_in", []) if label not in names]


def build_listings(
    papers: Sequence[Any],
    watched_authors: Sequence[str],
    topics: Sequence[str],
    ranked: bool = False,
) -> list[Listing]:
    """Every listing, in a stable order: watched authors and topics in radar.yaml's order (kept
    even when empty, so their links never break), then sources by name, then days newest first,
    then (with a library, `ranked`) the papers the library suggested. Ranked listings order each
    day's papers by relevance."""
    order = by_relevance if ranked else newest_first
    groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for article in papers:
        if getattr(article, "suggestion", None):
            groups["suggested", SUGGESTED].append(article)
        for name in article.watched_authors:
            groups["author", name].append(article)
        for name in article.topics:
            groups["topic", name].append(article)
        for name in source_names(article):
            groups["source", name].append(article)
        groups["day", article.date.strftime("%Y-%m-%d")].append(article)

    def listing(kind: str, name: str) -> Listing:
        return Listing(kind, name, tuple(order(groups.get((kind, name), ()))))

    found = {kind: sorted({name for k, name in groups if k == kind}) for kind in KINDS}
    authors = list(dict.fromkeys([*watched_authors, *found["author"]]))
    topic_names = list(dict.fromkeys([*topics, *found["topic"]]))
    return (
        [listing("author", name) for name in authors]
        + [listing("topic", name) for name in topic_names]
        + [listing("source", name) for name in found["source"]]
        + [listing("day", name) for name in reversed(found["day"])]
        + ([listing("suggested", SUGGESTED)] if ranked else [])
    )


@dataclass(frozen=True)
class ListingPage:
    """One page of a listing. Pages are cut from the oldest paper, so a page once full never
    changes and is not rendered again: a night's papers land on the front page, which holds
    `per_page` to 2 × `per_page` − 1 papers and splits off a full page when it overflows.
    `object_list` and `start_index` are what partials/cards.html reads of Pelican's Page."""

    number: int  # 1 = the oldest page; the front page has the highest number
    articles: tuple[Any, ...]  # newest first
    url: str
    save_as: str
    newer_url: str  # "" on the front page
    older_url: str  # "" on the oldest page

    @property
    def is_front(self) -> bool:
        return not self.newer_url

    @property
    def object_list(self) -> tuple[Any, ...]:
        return self.articles

    def start_index(self) -> int:
        """Cards are numbered within their page, so a full page reads the same every night."""
        return 1

    @property
    def first_day(self) -> str:
        return self.articles[-1].day if self.articles else ""

    @property
    def last_day(self) -> str:
        return self.articles[0].day if self.articles else ""


def listing_pages(listing: Listing, per_page: int) -> list[ListingPage]:
    """The pages of a listing, front page first."""
    oldest_first = list(reversed(listing.articles))
    count = max(1, len(oldest_first) // per_page)

    def url(number: int) -> str:
        return listing.url if number == count else f"{listing.url}page/{number}/"

    pages = []
    for number in range(count, 0, -1):
        start = (number - 1) * per_page
        stop = len(oldest_first) if number == count else start + per_page
        pages.append(
            ListingPage(
                number=number,
                articles=tuple(reversed(oldest_first[start:stop])),
                url=url(number),
                save_as=f"{url(number)}index.html",
                newer_url=url(number + 1) if number < count else "",
                older_url=url(number - 1) if number > 1 else "",
            )
        )
    return pages
