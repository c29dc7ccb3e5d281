"""The run report: printed at the end of every run and saved as JSON for the site's status page."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

from .models import Damaged, RunReport, SourceResult
from .text import markdown_cell


def source_status(result: SourceResult) -> str:
    if result.failed:
        return "FAILED"
    return "ok" if result.papers else "empty"


# The report's sentences, said once: the terminal's text (`format_report`) and the step
# summary's Markdown (`report_summary`, also `health summary`) both render the saved form
# (`report_as_dict`), so the two cannot drift apart.


def heading(report: Mapping[str, Any], day: str = "") -> str:
    return f"AcademicHub run for {report.get('announce_day') or day}"


def totals(report: Mapping[str, Any], strong: Callable[[str], str] = str) -> str:
    """'fetched 40, matched 5, duplicates 1, new 4, updated 0'; `strong` marks the new ones."""
    new = strong(f"new {report.get('new', 0)}")
    return (
        f"fetched {report.get('fetched', 0)}, matched {report.get('matched', 0)}, duplicates "
        f"{report.get('duplicates', 0)}, {new}, updated {report.get('updated', 0)}"
    )


# The cost of a model the price table (pipeline/llm.py) does not know, and how to give it.
UNPRICED = ", cost unknown (give the model's price as llm.price_per_mtok)"


def token_use(report: Mapping[str, Any]) -> str:
    """'briefing tokens: 1200 in, 300 out', or '' when the briefing asked no model."""
    if not report.get("tokens_in") and not report.get("tokens_out"):
        return ""
    text = f"briefing tokens: {report.get('tokens_in', 0)} in, {report.get('tokens_out', 0)} out"
    if report.get("llm_calls"):
        text += f", {report['llm_calls']} call(s)"
        text += UNPRICED if report.get("cost_unknown") else f", US${report.get('cost_usd', 0):.4f}"
    return text


def source_detail(source: Mapping[str, Any]) -> str:
    """A source's note in its row: its error or note, bad items skipped, fields cut."""
    parts = [source.get("error") or source.get("note") or ""]
    if source.get("skipped"):
        parts.append(f"skipped {len(source['skipped'])} bad item(s)")
    if source.get("cut"):
        parts.append("fields cut to a limit")
    return "; ".join(part for part in parts if part)


def failures(report: Mapping[str, Any]) -> str:
    """'1 of 2 sources failed; …', or '' when none did."""
    sources = report.get("sources", [])
    failed = sum(1 for source in sources if source.get("status") == "FAILED")
    if not failed:
        return ""
    return f"{failed} of {len(sources)} sources failed; papers already in content/ are untouched."


def format_report(report: RunReport) -> str:
    """Plain text, one screen: totals, a row per source, what failed and why."""
    saved = report_as_dict(report)
    lines = [f"{heading(saved)} — {report.seconds:.1f} s", f"  {totals(saved)}"]
    if saved.get("suggested"):
        lines.append(f"  suggested by your library: {saved['suggested']}")
    if token_use(saved):
        lines.append(f"  {token_use(saved)}")
    width = max((len(r.source) for r in report.sources), default=10)
    lines.append("")
    lines.append(f"  {'source':<{width}}  {'status':<6}  {'items':>5}  {'time':>6}  note")
    for result, source in zip(report.sources, saved["sources"], strict=True):
        lines.append(
            f"  {result.source:<{width}}  {source['status']:<6}  {len(result.papers):>5}  "
            f"{result.seconds:>5.1f}s  {source_detail(source)}"
        )
    for result in report.sources:
        for item in result.skipped:
            lines.append(f"  skipped in {item.source}: {item.item}: {item.reason}")
        for cut in result.cut:
            lines.append(f"  limit in {result.source}: {cut}")
    if failures(saved):
        lines += ["", f"  {failures(saved)}"]
    elif report.fetched == 0:
        lines.append("")
        lines.append("  No papers tonight: " + (_empty_reason(report) or "the sources had none."))
    if report.damaged:
        lines.append("")
        lines += [f"  {line}" for line in format_damaged(report.damaged)]
    for note in report.notes:
        lines.append(f"  note: {note}")
    return "\n".join(lines)


def report_summary(report: Mapping[str, Any] | None, day: str) -> str:
    """The saved report as Markdown for $GITHUB_STEP_SUMMARY (the run's --summary and
    `health summary`, which reads the JSON on the runner's own Python)."""
    if report is None:
        return f"## {heading({}, day)}\n\nNo run report was saved: see the log.\n"
    lines = [f"## {markdown_cell(heading(report, day))}", ""]
    if report.get("finished") is False:
        lines += ["**The pipeline step did not finish**: see the notes below and the log.", ""]
    lines.append(f"{totals(report, strong=_bold).capitalize()} in {report.get('seconds', 0)} s.")
    if token_use(report):
        lines.append(f"{token_use(report).capitalize()}.")
    lines += ["", "| source | status | items | time | note |", "|---|---|---:|---:|---|"]
    for source in report.get("sources", []):
        lines.append(
            f"| {markdown_cell(str(source.get('source', '')))} | {source.get('status', '')} "
            f"| {source.get('items', 0)} | {source.get('seconds', 0)} s "
            f"| {markdown_cell(source_detail(source))} |"
        )
    if failures(report):
        lines += ["", failures(report)]
    damaged = [
        Damaged(str(d.get("path", "")), str(d.get("reason", ""))) for d in report.get("damaged", [])
    ]
    if damaged:
        head, *rows = format_damaged(damaged)
        lines += ["", markdown_cell(head), *(f"- {markdown_cell(row.strip())}" for row in rows)]
    lines += [f"- note: {markdown_cell(str(note))}" for note in report.get("notes", [])]
    return "\n".join(lines) + "\n"


def _bold(text: str) -> str:
    return f"**{text}**"


def format_damaged(damaged: Sequence[Damaged]) -> list[str]:
    """The articles a run or a build skipped, one line each, and what to do about them."""
    if not damaged:
        return []
    return [
        f"{len(damaged)} damaged article(s) skipped; repair or remove each "
        "(python -m pipeline remove PATH):",
        *(f"  damaged: {d.path}: {d.reason}" for d in damaged),
    ]


def _empty_reason(report: RunReport) -> str:
    notes = [r.note for r in report.sources if r.note]
    return notes[0] if notes else ""


def report_as_dict(report: RunReport) -> dict[str, Any]:
    return {
        "announce_day": report.announce_day.isoformat(),
        "seconds": round(report.seconds, 2),
        "fetched": report.fetched,
        "matched": report.matched,
        "suggested": report.suggested,
        "duplicates": report.duplicates,
        "new": report.new,
        "updated": report.updated,
        "tokens_in": report.tokens_in,
        "tokens_out": report.tokens_out,
        "finished": True,
        "llm_failure": asdict(report.llm_failure) if report.llm_failure else None,
        "llm_calls": report.llm_calls,
        "cost_usd": round(report.cost_usd, 6),
        "cost_unknown": report.cost_unknown,
        "notes": list(report.notes),
        "damaged": [asdict(d) for d in report.damaged],
        "sources": [
            {
                "source": r.source,
                "status": source_status(r),
                "items": len(r.papers),
                "error": r.error,
                "note": r.note,
                "seconds": round(r.seconds, 2),
                "skipped": [asdict(s) for s in r.skipped],
                "cut": list(r.cut),
            }
            for r in report.sources
        ],
    }


def report_as_json(report: RunReport | Mapping[str, Any]) -> str:
    data = report if isinstance(report, Mapping) else report_as_dict(report)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


UNFINISHED_NOTES = {
    "failure": "the pipeline step did not finish: it crashed or ran past its time limit (see the "
    "run's log); the papers it had stored are kept",
    "skipped": "the pipeline step did not run: a step before it failed (see the run's log)",
}


def unfinished_report(day: date, outcome: str, saved: Mapping[str, Any] | None) -> dict[str, Any]:
    """The run report of a night whose pipeline step did not finish (the workflow's `outcome`
    of it): what it had saved, else zeros, marked unfinished with a note saying why."""
    base = dict(saved) if saved else report_as_dict(RunReport(announce_day=day))
    note = UNFINISHED_NOTES.get(outcome, f"the pipeline step ended with {outcome!r}")
    return {**base, "finished": False, "notes": [note, *base.get("notes", [])]}
