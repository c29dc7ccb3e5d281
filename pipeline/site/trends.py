"""What the Trends page and the status strip count: papers per topic and per source by week,
the title words rising this month against the archive, and each source's last nights.

Pure: articles and run reports in, plain tables out; charts.py draws them."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ..text import fold

WEEKS = 12
NIGHTS = 30
TOP_SOURCES = 8
RISING_TERMS = 10
# Words that say nothing of a field: English function words and the words every paper uses.
STOPWORDS = frozenset(
    [
        "about",
        "after",
        "against",
        "also",
        "among",
        "analysis",
        "approach",
        "based",
        "between",
        "beyond",
        "both",
        "data",
        "deep",
        "does",
        "during",
        "each",
        "efficient",
        "empirical",
        "from",
        "into",
        "large",
        "learning",
        "method",
        "methods",
        "model",
        "models",
        "more",
        "network",
        "networks",
        "novel",
        "over",
        "paper",
        "study",
        "than",
        "their",
        "them",
        "these",
        "this",
        "those",
        "through",
        "towards",
        "under",
        "using",
        "very",
        "what",
        "when",
        "which",
        "while",
        "with",
        "within",
        "without",
    ]
)


@dataclass(frozen=True)
class Series:
    """One row of a chart: a name and a value per column."""

    name: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class Table:
    """A chart's data: column labels and rows (the table shown behind the chart too)."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[Series, ...]


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly(
    dated: Iterable[tuple[date, Sequence[str]]], newest: date, weeks: int = WEEKS
) -> tuple[tuple[str, ...], dict[str, list[int]]]:
    """Week labels (Mondays, oldest first) and name → papers per week, for the `weeks` weeks
    up to the one holding `newest`."""
    last = week_start(newest)
    starts = [last - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    index = {start: i for i, start in enumerate(starts)}
    counts: dict[str, list[int]] = {}
    for day, names in dated:
        column = index.get(week_start(day))
        if column is None:
            continue
        for name in names:
            counts.setdefault(name, [0] * weeks)[column] += 1
    return tuple(start.isoformat() for start in starts), counts


def topic_weeks(papers: Sequence[Any], topics: Sequence[str], newest: date) -> Table:
    columns, counts = weekly(((p.date.date(), p.topics) for p in papers), newest)
    names = list(dict.fromkeys([*topics, *counts]))
    rows = tuple(Series(n, tuple(counts.get(n, [0] * len(columns)))) for n in names)
    return Table("Papers per topic by week", columns, rows)


def source_weeks(papers: Sequence[Any], newest: date) -> Table:
    columns, counts = weekly(((p.date.date(), [p.source_label]) for p in papers), newest)
    top = sorted(counts, key=lambda name: (-sum(counts[name]), name))[:TOP_SOURCES]
    return Table(
        "Papers per source by week", columns, tuple(Series(n, tuple(counts[n])) for n in top)
    )


def title_words(title: str) -> set[str]:
    return {w for w in fold(title).split() if len(w) > 3 and w not in STOPWORDS and not w.isdigit()}


def rising_terms(papers: Sequence[Any], newest: date, limit: int = RISING_TERMS) -> Table:
    """Title words of the newest month that are more frequent than in the months before,
    by the ratio of their shares (add-one smoothed); a word needs two papers this month."""
    month = newest.strftime("%Y-%m")
    this, before = Counter(), Counter()
    this_n = before_n = 0
    for paper in papers:
        words = title_words(paper.title)
        if paper.date.strftime("%Y-%m") == month:
            this.update(words)
            this_n += 1
        else:
            before.update(words)
            before_n += 1
    scored = []
    for word, n in this.items():
        if n < 2:
            continue
        ratio = (n / max(this_n, 1)) / ((before[word] + 1) / (before_n + 1))
        scored.append((ratio, n, word))
    scored.sort(key=lambda item: (-item[0], -item[1], item[2]))
    rows = tuple(Series(word, (n, before[word])) for _, n, word in scored[:limit])
    return Table(f"Title words rising in {month}", (month, "before"), rows)


def source_nights(reports: Sequence[dict[str, Any]], nights: int = NIGHTS) -> Table:
    """Each source's items over the last `nights` run reports (oldest first); a failed night
    is -1, a night the source was not run is absent from nothing: 0."""
    readable = [r for r in reports[:nights] if not r.get("unreadable")][::-1]
    columns = tuple(str(r.get("announce_day", "")) for r in readable)
    rows: dict[str, list[int]] = {}
    for column, report in enumerate(readable):
        for source in report.get("sources", []):
            name = str(source.get("source", ""))
            values = rows.setdefault(name, [0] * len(readable))
            failed = source.get("status") == "FAILED"
            values[column] = -1 if failed else int(source.get("items", 0) or 0)
    series = tuple(Series(name, tuple(values)) for name, values in rows.items())
    return Table("Items per source per night", columns, series)


_SLUG = re.compile(r"[^a-z0-9]+")


def chart_id(title: str) -> str:
    return _SLUG.sub("-", title.lower()).strip("-")
