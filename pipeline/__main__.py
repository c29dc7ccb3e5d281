"""`python -m pipeline`: the only place that knows the order of the stages."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from .config import RadarError, load_endpoints, load_radar
from .dedupe import dedupe
from .http import Http
from .match import match_papers
from .models import RunReport, SourceResult
from .report import format_report, report_as_json
from .sources.arxiv import fetch_arxiv, planned_fetches
from .store import store_papers
from .write import write_atomically

EXIT_BAD_INPUT = 2


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date; write YYYY-MM-DD") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="AcademicHub's nightly pipeline: fetch new papers, match them to radar.yaml, "
        "write one Markdown article per paper into content/, and report.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging to stderr")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser(
        "run",
        help="fetch, match, dedupe, write Markdown, report",
        description="Collect one announcement day. A failing source is reported, never fatal; "
        "papers already in the archive are never lost.",
    )
    run.add_argument("--radar", default="radar.yaml", help="radar file (default: radar.yaml)")
    run.add_argument("--content", default="content", help="archive folder (default: content)")
    run.add_argument(
        "--date", type=_day, default=None,
        help="announcement day to collect, YYYY-MM-DD (default: today, UTC)",
    )  # fmt: skip
    check = commands.add_parser(
        "check", help="validate radar.yaml only", description="Validate radar.yaml and exit: "
        "0 when valid, 2 with the file, line and key of the first mistake otherwise.",
    )  # fmt: skip
    check.add_argument("--radar", default="radar.yaml", help="radar file (default: radar.yaml)")
    return parser


def _progress_printer(total: int):
    done = 0

    def show(result: SourceResult) -> None:
        nonlocal done
        done += 1
        outcome = f"FAILED: {result.error}" if result.failed else f"{len(result.papers)} items"
        print(f"[{done}/{total}] {result.source} … {outcome}, {result.seconds:.1f} s",
              file=sys.stderr, flush=True)  # fmt: skip

    return show


def command_run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    radar = load_radar(args.radar)
    endpoints = load_endpoints()
    day = args.date or datetime.now(UTC).date()
    content_dir = Path(args.content)
    report = RunReport(announce_day=day)
    http = Http(user_agent=endpoints.user_agent, timeout=endpoints.timeout)

    total = len(planned_fetches(radar))
    print(f"Collecting {day.isoformat()} from {total} arXiv fetches …", file=sys.stderr)
    report.sources.extend(fetch_arxiv(radar, http, endpoints, day, _progress_printer(total)))
    fetched = [paper for result in report.sources for paper in result.papers]
    report.fetched = len(fetched)

    matched = match_papers(fetched, radar)
    report.matched = len(matched)
    deduped = dedupe(matched)
    report.duplicates = deduped.duplicates

    stored = store_papers(content_dir, deduped.papers)
    report.written.extend(stored.outcomes)
    report.notes.extend(stored.problems)

    report.seconds = time.monotonic() - started
    write_atomically(content_dir / "reports" / f"{day.isoformat()}.json", report_as_json(report))
    print(format_report(report))
    return 0


def command_check(args: argparse.Namespace) -> int:
    radar = load_radar(args.radar)
    print(
        f"{radar.path} is valid: {len(radar.topics)} topics, {len(radar.authors)} watched "
        f"authors, {len(radar.arxiv.categories)} arXiv categories, {len(radar.feeds)} feeds."
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING)
    try:
        return {"run": command_run, "check": command_check}[args.command](args)
    except RadarError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as err:
        print(f"error: {err.filename or ''}: {err.strerror or err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
