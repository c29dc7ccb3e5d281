"""What a changed library (or radar) would do to the ranking, over the papers already archived:
which papers it would move up or down, the new top of the archive, and which archived papers it
would have suggested although the new radar's topics and authors no longer keep them.

Pure: Libraries, Radars and archived papers in, a RankingBacktest out; offline (the libraries are
read from files and the lookup cache, never fetched). Only archived papers are ranked, as in the
topic backtest (pipeline/backtest.py): what arXiv offered and the radar never kept is not here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from .library import Library
from .match import Matcher
from .models import Paper, Radar
from .rank import Ranker, paper_text
from .text import markdown_cell

SHOWN = 10  # papers per list


@dataclass(frozen=True)
class Moved:
    paper_id: str
    title: str
    base_rank: int | None  # 1 = the most relevant archived paper; None: no base library
    new_rank: int
    relevance: float  # under the new library


@dataclass(frozen=True)
class WouldSuggest:
    paper_id: str
    title: str
    day: str
    relevance: float
    reason: str


@dataclass(frozen=True)
class RankingBacktest:
    archived: int
    base_library: int  # papers in each library
    new_library: int
    top: tuple[Moved, ...]  # the archive's most relevant papers under the new library
    risen: tuple[Moved, ...]  # the biggest moves up, then down
    fallen: tuple[Moved, ...]
    suggested: tuple[WouldSuggest, ...]
    unchanged: bool  # the two libraries rank the archive the same way


def _ranker(library: Library, papers: Sequence[Paper], texts: Sequence[str], today: date) -> Ranker:
    """Fitted on the archive and measured against it; not-interested papers found there."""
    unwanted = [
        text for p, text in zip(papers, texts, strict=True) if p.paper_id in library.not_interested
    ]
    ranker = Ranker.fit(library, texts, today, unwanted)
    ranker.measure_against(texts)
    return ranker


def _ranks(
    library: Library, papers: Sequence[Paper], texts: Sequence[str], today: date
) -> tuple[np.ndarray, np.ndarray]:
    """Each text's rank (1 = most relevant) and relevance under `library`."""
    ranker = _ranker(library, papers, texts, today)
    order, values = ranker.order(texts)
    ranks = np.empty(len(texts), dtype=np.int64)
    ranks[order] = np.arange(1, len(texts) + 1)
    return ranks, values


def ranking_backtest(
    papers: Sequence[Paper], new: Radar, new_library: Library, base_library: Library, today: date
) -> RankingBacktest | None:
    """None when neither radar has a library (nothing is ranked)."""
    if new_library.is_empty and base_library.is_empty:
        return None
    texts = [paper_text(p) for p in papers]
    if not texts or new_library.is_empty:
        return RankingBacktest(len(papers), len(base_library.papers), 0, (), (), (), (), False)
    new_ranks, relevance = _ranks(new_library, papers, texts, today)
    base_ranks = (
        _ranks(base_library, papers, texts, today)[0] if not base_library.is_empty else None
    )

    def moved(index: int) -> Moved:
        base = int(base_ranks[index]) if base_ranks is not None else None
        paper = papers[index]
        return Moved(
            paper.paper_id, paper.title, base, int(new_ranks[index]), float(relevance[index])
        )

    top = tuple(moved(int(i)) for i in np.argsort(new_ranks)[:SHOWN])
    risen: tuple[Moved, ...] = ()
    fallen: tuple[Moved, ...] = ()
    unchanged = False
    if base_ranks is not None:
        change = base_ranks - new_ranks  # positive: moved up
        unchanged = not change.any()
        risen = tuple(
            moved(int(i)) for i in np.argsort(-change, kind="stable")[:SHOWN] if change[i] > 0
        )
        fallen = tuple(
            moved(int(i)) for i in np.argsort(change, kind="stable")[:SHOWN] if change[i] < 0
        )
    suggested = _would_suggest(papers, texts, new, new_library, relevance, today)
    return RankingBacktest(
        len(papers),
        len(base_library.papers),
        len(new_library.papers),
        top,
        risen,
        fallen,
        suggested,
        unchanged,
    )


def _would_suggest(
    papers: Sequence[Paper],
    texts: Sequence[str],
    radar: Radar,
    library: Library,
    relevance: np.ndarray,
    today: date,
) -> tuple[WouldSuggest, ...]:
    """Archived papers the new radar's topics and authors would not keep but the library would
    suggest: at or above the threshold, at most `suggest` a day, most relevant first."""
    settings = radar.library
    if not settings.suggest:
        return ()
    matcher = Matcher(radar)
    yours = {p.key for p in library.papers} | set(library.not_interested)
    by_day: dict[date, list[int]] = defaultdict(list)
    for index, paper in enumerate(papers):
        if paper.paper_id in yours or relevance[index] < settings.threshold:
            continue
        if not matcher.matches_for(paper):
            by_day[paper.announced].append(index)
    chosen = [
        index
        for day in sorted(by_day, reverse=True)
        for index in sorted(by_day[day], key=lambda i: -relevance[i])[: settings.suggest]
    ]
    if not chosen:
        return ()
    reasons = _ranker(library, papers, texts, today).score([texts[i] for i in chosen])
    return tuple(
        WouldSuggest(
            papers[i].paper_id,
            papers[i].title,
            papers[i].announced.isoformat(),
            float(relevance[i]),
            reason.reason,
        )
        for i, reason in zip(chosen, reasons, strict=True)
    )


def _rank_change(item: Moved) -> str:
    if item.base_rank is None:
        return f"#{item.new_rank}"
    return f"#{item.base_rank} → #{item.new_rank}"


def _paper_cell(title: str, paper_id: str) -> str:
    return f"{markdown_cell(title)} ({markdown_cell(paper_id)})"


def format_ranking_backtest(result: RankingBacktest) -> str:
    """Markdown for the pull request's step summary (after the topic backtest)."""
    lines = [
        "",
        "### Ranking by your library",
        "",
        f"Library: {result.base_library} papers before, {result.new_library} after; "
        f"{result.archived} archived papers ranked.",
    ]
    if result.unchanged:
        lines += ["", "The archive's order by relevance does not change."]
    sections = (
        ("Most relevant archived papers", result.top),
        ("Moved up the most", result.risen),
        ("Moved down the most", result.fallen),
    )
    for heading, items in sections:
        if not items:
            continue
        lines += ["", f"**{heading}**", "", "| rank | relevance | paper |", "|---|---:|---|"]
        lines += [
            f"| {_rank_change(i)} | {i.relevance:.2f} | {_paper_cell(i.title, i.paper_id)} |"
            for i in items
        ]
    if result.suggested:
        lines += [
            "",
            f"**Would have been suggested** ({len(result.suggested)}: archived papers no topic or "
            "author of the new radar keeps, at or above library.threshold)",
            "",
            "| day | relevance | paper | why |",
            "|---|---:|---|---|",
        ]
        lines += [
            f"| {s.day} | {s.relevance:.2f} | {_paper_cell(s.title, s.paper_id)} "
            f"| {markdown_cell(s.reason)} |"
            for s in result.suggested
        ]
    return "\n".join(lines) + "\n"
