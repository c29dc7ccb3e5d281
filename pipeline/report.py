"""The run report: printed at the end of every run and saved as JSON for the site's status page."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

from .models import Damaged, RunReport, SourceResult


def source_status(result: SourceResult) -> str:
    if result.failed:
        return "FAILED"
    return "ok" if result.papers else "empty"


def format_report(report: RunReport) -> str:
    """Plain text, one screen: totals, a row per source, what failed and why."""
    lines = [
        f"AcademicHub run for {report.announce_day.isoformat()} — {report.seconds:.1f} s",
        f"  fetched {report.fetched}, matched {report.matched}, duplicates {report.duplicates}, "
        f"new {report.new}, updated {report.updated}",
    ]
    if report.tokens_in or report.tokens_out:
        lines.append(f"  briefing tokens: {report.tokens_in} in, {report.tokens_out} out")
    width = max((len(r.source) for r in report.sources), default=10)
    lines.append("")
    lines.append(f"  {'source':<{width}}  {'status':<6}  {'items':>5}  {'time':>6}  note")
    for result in report.sources:
        detail = result.error or result.note
        if result.skipped:
            detail = f"{detail}; " if detail else ""
            detail += f"skipped {len(result.skipped)} bad item(s)"
        if result.cut:
            detail = f"{detail}; " if detail else ""
            detail += "fields cut to a limit"
        lines.append(
            f"  {result.source:<{width}}  {source_status(result):<6}  {len(result.papers):>5}  "
            f"{result.seconds:>5.1f}s  {detail}"
        )
    for result in report.sources:
        for item in result.skipped:
            lines.append(f"  skipped in {item.source}: {item.item}: {item.reason}")
        for cut in result.cut:
            lines.append(f"  limit in {result.source}: {cut}")
    failed = [r for r in report.sources if r.failed]
    if failed:
        lines.append("")
        lines.append(f"  {len(failed)} of {len(report.sources)} sources failed; "
                     "papers already in content/ are untouched.")  # fmt: skip
    if report.fetched == 0 and not failed:
        lines.append("")
        lines.append("  No papers tonight: " + (_empty_reason(report) or "the sources had none."))
    if report.damaged:
        lines.append("")
        lines += [f"  {line}" for line in format_damaged(report.damaged)]
    for note in report.notes:
        lines.append(f"  note: {note}")
    return "\n".join(lines)


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
        "duplicates": report.duplicates,
        "new": report.new,
        "updated": report.updated,
        "tokens_in": report.tokens_in,
        "tokens_out": report.tokens_out,
        "finished": True,
        "llm_failure": asdict(report.llm_failure) if report.llm_failure else None,
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
