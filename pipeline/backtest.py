"""What a changed radar.yaml would have matched over the papers already in the archive.

Pure: archived papers and two Radars in, a Backtest out (config.load_radar_at reads the base radar
from a file or from git, at the command line's edge). The pull-request check writes it to the
step summary; `python -m pipeline backtest` prints it locally. Only the archive is searched (the
papers the old radar kept), so a widened topic shows what it adds among those, not what it would
have found in the whole of arXiv; a narrowed topic shows exactly what it would drop.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .brief import Plan, plan_batches
from .llm import cost_usd, price_per_mtok
from .match import Matcher
from .models import LLMSettings, Paper, Radar
from .text import markdown_cell, one_line

SHOWN_PER_LIST = 15  # papers listed per topic and direction; the rest are counted


@dataclass(frozen=True)
class PaperRef:
    paper_id: str
    title: str
    announced: str


@dataclass(frozen=True)
class TopicChange:
    """One topic or watched author: the papers the new radar adds and the ones it drops."""

    kind: str  # "topic" or "author"
    name: str
    added: tuple[PaperRef, ...]
    removed: tuple[PaperRef, ...]
    kept: int


@dataclass(frozen=True)
class TokenEstimate:
    model: str
    papers_per_day: float
    tokens_in: int
    tokens_out: int
    calls: int = 0
    dollars_per_day: float | None = 0.0  # None: the model's price is unknown
    prices: tuple[float, float] | None = (3.0, 15.0)  # US$ per million tokens; None: unknown


@dataclass(frozen=True)
class Backtest:
    archived: int  # papers searched
    days: int  # announcement days they span
    base_matched: int
    new_matched: int
    changes: tuple[TopicChange, ...]  # every topic and author of either radar, base order first
    base_cost: TokenEstimate
    new_cost: TokenEstimate

    @property
    def changed(self) -> bool:
        return any(c.added or c.removed for c in self.changes)


def _ref(paper: Paper) -> PaperRef:
    return PaperRef(paper.paper_id, one_line(paper.title), paper.announced.isoformat())


def _names(radar: Radar) -> list[tuple[str, str]]:
    return [("topic", t.name) for t in radar.topics] + [("author", a) for a in radar.authors]


def estimate_daily_cost(
    matched: Iterable[Paper], days: int, settings: LLMSettings | None = None
) -> TokenEstimate:
    """A typical day's briefing and TL;DRs: a day's worth of the archive's matched papers,
    taken evenly across it, planned as brief.py plans a night (its batches, trimmed abstracts
    and token estimate) and priced as llm.py prices a run. Under a paper a day, a one-paper
    night on that share of the days."""
    settings = settings or LLMSettings()
    papers = list(matched)
    per_day = len(papers) / max(days, 1)
    count = max(1, round(per_day)) if papers else 0
    day = [papers[i * len(papers) // count] for i in range(count)]
    plan = plan_batches(day[0].announced, day, settings) if day else Plan((), 0)
    share = min(1.0, per_day)
    tokens_in, tokens_out = round(share * plan.tokens_in), round(share * plan.tokens_out)
    return TokenEstimate(
        settings.model,
        per_day,
        tokens_in,
        tokens_out,
        plan.calls,
        cost_usd(settings, tokens_in, tokens_out),
        price_per_mtok(settings),
    )


def backtest(papers: Iterable[Paper], new: Radar, base: Radar) -> Backtest:
    new_matcher, base_matcher = Matcher(new), Matcher(base)
    keys = list(dict.fromkeys(_names(base) + _names(new)))
    added: dict[tuple[str, str], list[PaperRef]] = {k: [] for k in keys}
    removed: dict[tuple[str, str], list[PaperRef]] = {k: [] for k in keys}
    kept = dict.fromkeys(keys, 0)
    new_matched: list[Paper] = []
    base_matched: list[Paper] = []
    archived = 0
    days: set[str] = set()
    for paper in papers:
        archived += 1
        days.add(paper.announced.isoformat())
        now = {(m.kind, m.name) for m in new_matcher.matches_for(paper)}
        before = {(m.kind, m.name) for m in base_matcher.matches_for(paper)}
        if now:
            new_matched.append(paper)
        if before:
            base_matched.append(paper)
        for key in now - before:
            added[key].append(_ref(paper))
        for key in before - now:
            removed[key].append(_ref(paper))
        for key in now & before:
            kept[key] += 1
    changes = tuple(
        TopicChange(
            kind, name, tuple(added[kind, name]), tuple(removed[kind, name]), kept[kind, name]
        )
        for kind, name in keys
    )
    return Backtest(
        archived=archived,
        days=len(days),
        base_matched=len(base_matched),
        new_matched=len(new_matched),
        changes=changes,
        base_cost=estimate_daily_cost(base_matched, len(days), base.llm),
        new_cost=estimate_daily_cost(new_matched, len(days), new.llm),
    )


def _paper_lines(refs: tuple[PaperRef, ...], sign: str) -> list[str]:
    lines = [
        f"  - {sign} {markdown_cell(r.title)} ({r.paper_id}, {r.announced})"
        for r in refs[:SHOWN_PER_LIST]
    ]
    if len(refs) > SHOWN_PER_LIST:
        lines.append(f"  - … and {len(refs) - SHOWN_PER_LIST} more")
    return lines


def _cost_line(label: str, cost: TokenEstimate) -> str:
    day, month = (
        (f"${cost.dollars_per_day:.3f}", f"${cost.dollars_per_day * 30:.2f}")
        if cost.dollars_per_day is not None
        else ("price unknown", "price unknown")
    )
    return (
        f"| {label} | {cost.papers_per_day:.1f} | {cost.calls} | {cost.tokens_in:,} "
        f"| {cost.tokens_out:,} | {day} | {month} |"
    )


def format_backtest(result: Backtest, new_label: str, base_label: str) -> str:
    """Markdown: readable as plain text in a terminal, rendered in a GitHub step summary."""
    lines = [
        f"## Radar backtest: {markdown_cell(new_label)} against {markdown_cell(base_label)}",
        "",
        f"Over the {result.archived} papers already in the archive ({result.days} announcement "
        f"days): {result.base_matched} matched before, {result.new_matched} would match now.",
        "",
    ]
    if not result.changed:
        lines += ["No paper in the archive would be added or removed.", ""]
    lines += ["| topic or author | added | removed | unchanged |", "|---|---:|---:|---:|"]
    for change in result.changes:
        label = f"{change.kind}: {markdown_cell(change.name)}"
        lines.append(f"| {label} | {len(change.added)} | {len(change.removed)} | {change.kept} |")
    for change in result.changes:
        if change.added or change.removed:
            lines += ["", f"- **{change.kind}: {markdown_cell(change.name)}**"]
            lines += _paper_lines(change.added, "added:")
            lines += _paper_lines(change.removed, "removed:")
    lines += [
        "",
        f"### Estimated nightly briefing and TL;DR cost ({result.new_cost.model}, computed "
        "offline)",
        "",
        "| radar | papers/day | calls | tokens in | tokens out | per day | per 30 days |",
        "|---|---:|---:|---:|---:|---:|---:|",
        _cost_line("before", result.base_cost),
        _cost_line("after", result.new_cost),
        "",
        _price_note(result.new_cost),
    ]
    return "\n".join(lines) + "\n"


def _price_note(cost: TokenEstimate) -> str:
    if cost.prices is None:
        prices = (
            f"{cost.model} is not in the price table (pipeline/llm.py): set "
            "llm.price_per_mtok in radar.yaml for a cost"
        )
    else:
        prices = f"prices ${cost.prices[0]:.2f} in and ${cost.prices[1]:.2f} out per million tokens"
    return (
        f"Input counted conservatively (3 characters a token, as the budget counts it); "
        f"{prices}. Without a key the briefing and TL;DRs are made locally and cost "
        "nothing."
    )
