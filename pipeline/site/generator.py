"""The site's own pages: home, listings per watched author / topic / source / day, their Atom
feeds, browse, subscribe and status. Pelican's generic pages (per co-author, tag, category) stay
off; this generator writes only what a visitor needs (README, "Design notes")."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import asdict
from html import escape
from pathlib import Path
from typing import Any

from pelican.generators import Generator
from pelican.paginator import Paginator

from ..write import write_atomically
from .author_index import FOLDER as AUTHOR_FOLDER
from .author_index import author_buckets
from .build import DAMAGED_FILE, read_builds
from .charts import night_strip, term_bars, weekly_bars
from .id_index import FOLDER as ID_FOLDER
from .id_index import id_buckets
from .incremental import RenderCache, build_key, prune_output, source_stamp
from .listings import SECTION, Listing, build_listings, by_relevance, listing_pages, newest_first
from .reader import damaged_articles
from .search_index import BUNDLE_DIR, SHARD_PAGES
from .trends import Table, rising_terms, source_nights, source_weeks, topic_weeks

log = logging.getLogger(__name__)

STATUS_NIGHTS = 30
# Listing pages show compact cards (~0.5 KB): twice the home page's count makes the page chrome
# a smaller share of a large archive's listing pages.
LISTING_PAGE_FACTOR = 2
HOME_PAGES = 10  # older papers are reached by day, topic and source: a 50k archive stays small
FEED_ALL = "feeds/all.atom.xml"
FEED_BRIEFINGS = "feeds/briefings.atom.xml"


def is_paper(article: Any) -> bool:
    return bool(getattr(article, "paper_id", ""))


def is_briefing(article: Any) -> bool:
    return getattr(article, "category", None) is not None and article.category.name == "briefings"


def day_neighbours(days_newest_first: list[str]) -> dict[str, tuple[str, str]]:
    """Day → (the day before it with papers, the day after it with papers), '' at the ends."""
    days = days_newest_first
    return {
        day: (days[i + 1] if i + 1 < len(days) else "", days[i - 1] if i > 0 else "")
        for i, day in enumerate(days)
    }


def read_reports(folder: Path, limit: int = STATUS_NIGHTS) -> list[dict[str, Any]]:
    """The last nights' run reports, newest first; an unreadable one is shown as such, not fatal."""
    reports = []
    for path in sorted(folder.glob("*.json"), reverse=True)[:limit]:
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            report = {"announce_day": path.stem, "unreadable": str(err)}
        if isinstance(report, dict):
            reports.append(report)
    return reports


def why_line(article: Any) -> str:
    """Why a paper is on the radar, in words, for feeds: topics and authors that matched, the
    library paper it is similar to, and its relevance."""
    parts = []
    for match in getattr(article, "matches", []):
        if match.get("kind") == "library":
            parts.append(f"suggested by your library: {match.get('reason', '')}")
        elif match.get("kind") == "topic":
            parts.append(f"{match.get('name', '')}: {match.get('reason', '')}")
        else:
            parts.append(f"watched author {match.get('name', '')}")
    relevance = getattr(article, "relevance", None)
    if relevance is not None:
        related = getattr(article, "related", [])
        nearest = f", nearest in your library: ‹{related[0]}›" if related else ""
        parts.append(f"relevance {relevance:.2f}{nearest}")
    return "; ".join(part for part in parts if part)


class FeedEntry:
    """An article as Pelican's feed writer should see it. Our titles are plain text (escaped by
    the templates), but the writer strips tags from them, which would turn 'n<m and k>2' into
    'n2': hand it the title escaped so its strip-then-unescape gives the text back. Paper
    entries' summaries open with why the paper is there."""

    def __init__(self, article: Any) -> None:
        self._article = article
        self.title = escape(article.title)
        tldr = getattr(article, "tldr", "")
        why = why_line(article) if is_paper(article) else ""
        if tldr:  # the entry's <summary> is the paper's TL;DR; <content> stays the abstract
            self.summary = f"<p>TL;DR: {escape(tldr)}</p>" + (
                f"<p>Why: {escape(why)}</p>" if why else ""
            )
        elif why:
            self.summary = f"<p>Why: {escape(why)}</p>{article.summary}"

    def __getattr__(self, name: str) -> Any:
        return getattr(self._article, name)


def feed_entries(articles: Iterable[Any]) -> list[FeedEntry]:
    return [FeedEntry(article) for article in articles]


class SiteGenerator(Generator):
    def generate_context(self) -> None:
        radar = self.settings["RADAR"]
        articles = self.context.get("articles", [])
        self.papers = newest_first(a for a in articles if is_paper(a))
        self.briefings = newest_first(a for a in articles if is_briefing(a))
        # with a library, each day's papers most relevant first; newest first one click away
        self.ranked = radar.library.is_configured or any(
            getattr(a, "relevance", None) is not None for a in self.papers
        )
        self.home_papers = by_relevance(self.papers) if self.ranked else self.papers
        self.listings = build_listings(
            self.papers, radar.authors, [topic.name for topic in radar.topics], self.ranked
        )
        by_kind: dict[str, list[Listing]] = {kind: [] for kind in SECTION}
        for listing in self.listings:
            by_kind[listing.kind].append(listing)
        self.reports = read_reports(Path(self.settings["PATH"]) / "reports")
        self.builds = read_builds(Path(self.settings["CACHE_PATH"]))
        days = [listing.name for listing in by_kind["day"]]
        self.context.update(
            day_neighbours=day_neighbours(days),
            last_report=self.reports[0] if self.reports else None,
            papers=self.papers,
            briefings=self.briefings,
            latest_briefing=self.briefings[0] if self.briefings else None,
            listings_by_kind=by_kind,
            day_briefings={b.date.strftime("%Y-%m-%d"): b for b in reversed(self.briefings)},
            FEED_ALL=FEED_ALL,
            FEED_BRIEFINGS=FEED_BRIEFINGS if self.briefings else "",
            RANKED=self.ranked,
        )
        key = build_key(self.settings, extra=f"briefings={bool(self.briefings)}")
        self.render_cache = RenderCache(
            Path(self.settings["CACHE_PATH"]), Path(self.output_path), key
        )
        self.context["RENDER_CACHE"] = self.render_cache

    def generate_output(self, writer: Any) -> None:
        shown = self.settings["DEFAULT_PAGINATION"] * HOME_PAGES
        newest = self.home_papers[:shown]
        older = len(self.papers) - len(newest)
        latest = self.context["latest_briefing"]
        self._write_paginated(
            writer,
            "index",
            "index.html",
            "",
            newest,
            f"{older}:{latest.url if latest else ''}:{self.ranked}",
            page_name="index",
            older=older,
        )
        if self.ranked:
            self._write_paginated(
                writer,
                "index",
                "newest/index.html",
                "newest/",
                self.papers[:shown],
                f"{older}:{latest.url if latest else ''}:newest",
                page_name="newest",
                older=older,
                newest_first=True,
            )
        for listing in self.listings:
            self._write_listing(writer, listing)
        charts = self._charts()
        for name in ("browse", "subscribe", "status", "search", "briefings", "trends"):
            writer.write_file(
                f"{name}/index.html",
                self.get_template(name),
                self.context,
                self.settings["RELATIVE_URLS"],
                reports=self.reports,
                builds=self.builds,
                page_name=name,
                charts=charts,
                damaged=damaged_articles(self.settings),
            )
        self._write_feeds(writer)
        self._write_id_index()
        self._write_author_index()
        self.render_cache.save()
        self._list_search_pages()
        self._remove_stale_pages()

    def _remove_stale_pages(self) -> None:
        """Pages of removed papers (and listings they emptied) go, even from a restored output/;
        the articles this build skipped as damaged are listed for build_site to report."""
        keep = (self.settings["THEME_STATIC_DIR"], BUNDLE_DIR)
        stale = prune_output(Path(self.output_path), self.render_cache.written, keep)
        log.info("removed %d stale pages", len(stale))
        damaged = [asdict(d) for d in damaged_articles(self.settings)]
        write_atomically(Path(self.settings["CACHE_PATH"]) / DAMAGED_FILE, json.dumps(damaged))

    def _charts(self) -> dict[str, tuple[Table, str]]:
        """The Trends page's charts and the status page's strip: (table, inline SVG) each."""
        nights = source_nights(self.reports)
        charts = {"nights": (nights, night_strip(nights))}
        if self.papers:
            newest = self.papers[0].date.date()
            topics = [topic.name for topic in self.settings["RADAR"].topics]
            by_topic = topic_weeks(self.papers, topics, newest)
            by_source = source_weeks(self.papers, newest)
            rising = rising_terms(self.papers, newest)
            charts |= {
                "topics": (by_topic, weekly_bars(by_topic)),
                "sources": (by_source, weekly_bars(by_source)),
                "terms": (rising, term_bars(rising)),
            }
        return charts

    def _write_id_index(self) -> None:
        """ids/: the exact-id lookup search.js asks when a query looks like an id or DOI."""
        entries = [(key, paper.url) for paper in self.papers for key in paper.id_keys]
        self._write_buckets(ID_FOLDER, *id_buckets(entries))

    def _write_author_index(self) -> None:
        """author-counts/: how many papers an author site.js's chip names has in the archive;
        papers numbered oldest first, so a night's new papers leave old numbers alone."""
        oldest_first = reversed(self.papers)
        self._write_buckets(AUTHOR_FOLDER, *author_buckets(a.paper_authors for a in oldest_first))

    def _write_buckets(self, name: str, count: int, buckets: dict[int, Any]) -> None:
        """A bucketed index: index.json (how many buckets) and one XX.json per bucket."""
        folder = Path(self.output_path) / name
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(folder / "index.json", json.dumps({"buckets": count}))
        for number, keys in buckets.items():
            text = json.dumps(keys, separators=(",", ":"), ensure_ascii=False)
            write_atomically(folder / f"{number:02x}.json", text)

    def _list_search_pages(self) -> None:
        """Which page goes in which search shard (by its day), for search_index.index_site."""
        pages = {a.save_as: a.date.strftime("%Y-%m-%d") for a in [*self.papers, *self.briefings]}
        cache = Path(self.settings["CACHE_PATH"])
        write_atomically(cache / SHARD_PAGES, json.dumps(pages, separators=(",", ":")))

    def _write_paginated(
        self,
        writer: Any,
        template_name: str,
        name: str,
        url: str,
        articles: list[Any],
        inputs: str,
        **kwargs: Any,
    ) -> None:
        """Pelican's pagination, one page at a time, so unchanged pages are not rendered."""
        template = self.get_template(template_name)
        paginator = Paginator(
            name, url, articles, self.settings, self.settings["DEFAULT_PAGINATION"]
        )
        pages = [paginator.page(number) for number in range(1, paginator.num_pages + 1)]
        for index, page in enumerate(pages):
            fingerprint = self.render_cache.fingerprint(
                template_name,
                inputs,
                f"{page.number}/{paginator.num_pages}",
                *(source_stamp(article) for article in page.object_list),
            )
            if self.render_cache.is_fresh(page.save_as, fingerprint):
                continue
            writer.write_file(
                page.save_as,
                template,
                self.context,
                self.settings["RELATIVE_URLS"],
                articles_page=page,
                articles_paginator=paginator,
                articles_previous_page=pages[index - 1] if index > 0 else None,
                articles_next_page=pages[index + 1] if index + 1 < len(pages) else None,
                **kwargs,
            )

    def _write_listing(self, writer: Any, listing: Listing) -> None:
        """A listing's pages; a full older page is rendered once, when it is first cut."""
        template = self.get_template("listing")
        briefing = (
            self.context["day_briefings"].get(listing.name) if listing.kind == "day" else None
        )
        per_page = LISTING_PAGE_FACTOR * self.settings["DEFAULT_PAGINATION"]
        neighbours = self.context["day_neighbours"].get(listing.name, ("", ""))
        for page in listing_pages(listing, per_page):
            fingerprint = self.render_cache.fingerprint(
                "listing",
                listing.kind,
                listing.name,
                page.newer_url,
                page.older_url,
                *neighbours,
                str(len(listing.articles)) if page.is_front else "",
                briefing.url if briefing else "",
                *(source_stamp(article) for article in page.articles),
            )
            if self.render_cache.is_fresh(page.save_as, fingerprint):
                continue
            writer.write_file(
                page.save_as,
                template,
                self.context,
                self.settings["RELATIVE_URLS"],
                listing=listing,
                listing_page=page,
                page_name=listing.url.rstrip("/"),
            )

    def _write_feeds(self, writer: Any) -> None:
        """Feeds carry absolute links (radar.yaml site.url) so feed readers can follow them."""
        site_url = self.settings["RADAR"].site.url.rstrip("/")
        context = dict(self.context, SITEURL=site_url, FEED_DOMAIN=site_url)
        writer.write_feed(
            feed_entries(newest_first([*self.papers, *self.briefings])),
            context,
            FEED_ALL,
            feed_title="all papers and briefings",
        )
        if self.briefings:
            writer.write_feed(
                feed_entries(self.briefings), context, FEED_BRIEFINGS, feed_title="daily briefings"
            )
        for listing in self.listings:
            if listing.feed:
                writer.write_feed(
                    feed_entries(listing.articles), context, listing.feed, feed_title=listing.title
                )
