"""The site's weekly digest (a page per week, an index and an Atom feed) and the Saved page
(papers marked ☆ or 👍 through GitHub issues, with a BibTeX file). The weeks hold the papers
in the e-mail digest's order (pipeline.digest.digest_order); the saved papers come from
content/state/feedback.json (pipeline.feedback)."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from feedgenerator import Atom1Feed
from pelican.generators import Generator

from ..digest_order import digest_order, parse_relevance
from ..feedback import read_feedback
from ..write import write_atomically
from .generator import is_briefing, is_paper

log = logging.getLogger(__name__)

FEED_DIGEST = "feeds/digest.atom.xml"
SAVED_BIB = "saved/saved.bib"
FEED_WEEKS = 20


def relevance(article: Any) -> float | None:
    return parse_relevance(getattr(article, "relevance", None))


def in_digest_order(articles: list[Any]) -> list[Any]:
    return sorted(articles, key=lambda a: digest_order(relevance(a), a.date.date(), a.paper_id))


@dataclass(frozen=True)
class Week:
    """One ISO week (Monday to Sunday) of papers, its top ones in digest order."""

    year: int
    number: int
    papers: tuple[Any, ...]  # the top ones
    total: int
    briefings: tuple[Any, ...]  # newest first

    @property
    def key(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    @property
    def start(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def url(self) -> str:
        return f"digest/{self.key.lower()}/"

    @property
    def label(self) -> str:
        return f"Week {self.key}: {self.start.isoformat()} – {self.end.isoformat()}"


def weeks_of(papers: list[Any], briefings: list[Any], top: int) -> list[Week]:
    """Every week with papers, newest first."""
    by_week: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for paper in papers:
        year, number, _ = paper.date.date().isocalendar()
        by_week[(year, number)].append(paper)
    briefed: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for briefing in briefings:
        year, number, _ = briefing.date.date().isocalendar()
        briefed[(year, number)].append(briefing)
    return [
        Week(
            year,
            number,
            tuple(in_digest_order(found)[:top]),
            len(found),
            tuple(sorted(briefed[(year, number)], key=lambda b: b.date, reverse=True)),
        )
        for (year, number), found in sorted(by_week.items(), reverse=True)
    ]


def saved_bibtex(articles: list[Any]) -> str:
    """The papers' own BibTeX entries (enrich_paper makes them), one after the other."""
    return "".join(f"{a.bibtex.strip()}\n\n" for a in articles if getattr(a, "bibtex", ""))


class DigestPagesGenerator(Generator):
    """Runs before SiteGenerator (which prunes pages the build did not write); its pages are
    few (one per week) and rendered every build."""

    def generate_context(self) -> None:
        radar = self.settings["RADAR"]
        articles = self.context.get("articles", [])
        papers = [a for a in articles if is_paper(a)]
        briefings = [a for a in articles if is_briefing(a)]
        self.weeks = weeks_of(papers, briefings, radar.digest.top)
        by_id = {a.paper_id: a for a in papers}
        feedback = read_feedback(Path(self.settings["PATH"]))
        self.saved = [by_id[i] for i in reversed(feedback.saved) if i in by_id]
        self.liked = [by_id[i] for i in reversed(feedback.liked) if i in by_id]
        self.context.update(FEED_DIGEST=FEED_DIGEST if self.weeks else "")

    def generate_output(self, writer: Any) -> None:
        relative = self.settings["RELATIVE_URLS"]
        weeks = self.weeks
        for index, week in enumerate(weeks):
            writer.write_file(
                f"{week.url}index.html",
                self.get_template("digest_week"),
                self.context,
                relative,
                week=week,
                newer=weeks[index - 1] if index else None,
                older=weeks[index + 1] if index + 1 < len(weeks) else None,
                page_name=week.url.rstrip("/"),
            )
        writer.write_file(
            "digest/index.html",
            self.get_template("digest"),
            self.context,
            relative,
            weeks=weeks,
            page_name="digest",
        )
        self._write_feed()
        listed = [*self.saved, *(a for a in self.liked if a not in self.saved)]
        bibtex = saved_bibtex(listed)
        writer.write_file(
            "saved/index.html",
            self.get_template("saved"),
            self.context,
            relative,
            saved=self.saved,
            liked=self.liked,
            bibtex=bibtex,
            SAVED_BIB=SAVED_BIB,
            page_name="saved",
        )
        self._write_output_file(SAVED_BIB, bibtex)

    def _write_output_file(self, name: str, text: str) -> None:
        write_atomically(Path(self.output_path) / name, text)
        cache = self.context.get("RENDER_CACHE")
        if cache is not None:  # a page this build wrote: never pruned as stale
            cache.written.add(name)

    def _write_feed(self) -> None:
        """One entry per week, its top papers as a list of links (absolute, from site.url)."""
        if not self.weeks:
            return
        site_url = self.settings["RADAR"].site.url.rstrip("/")
        feed = Atom1Feed(
            title=f"{self.settings['SITENAME']} — weekly digest",
            link=f"{site_url}/digest/",
            feed_url=f"{site_url}/{FEED_DIGEST}",
            description="The top papers of each week",
        )
        template = self.get_template("digest_feed_entry")
        for week in self.weeks[:FEED_WEEKS]:
            newest = max(paper.date for paper in week.papers)
            feed.add_item(
                title=f"{week.label}, {week.total} paper{'' if week.total == 1 else 's'}",
                link=f"{site_url}/{week.url}",
                unique_id=f"{site_url}/{week.url}",
                description=template.render(week=week, SITEURL=site_url),
                pubdate=newest,
                updateddate=newest,
            )
        self._write_output_file(FEED_DIGEST, feed.writeString("utf-8"))
