"""`python -m pipeline` and `academichub`: the command line, and the only place that knows the
order of the stages. Each command imports the stages it uses when it runs, so `check` answers
without loading the sources, the LLM client or Pelican, and `health` runs on the standard
library alone (the workflow calls it on the runner's own Python)."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import posixpath
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import AcademicHubError

if TYPE_CHECKING:
    from .models import Paper, Radar, RunReport, SourceResult, Tldr
    from .relevance import Ranking

# Commands that are programs of their own (their own options and --help), given the rest of the
# command line; `python -m pipeline.health` and `python -m pipeline.commit_back` run them too.
PROGRAMS = {
    "health": (
        "pipeline.health",
        "the night's report as Markdown; file or close the radar-health issue; keep the "
        "schedule alive (standard library only)",
    ),
    "commit-back": (
        "pipeline.commit_back",
        "commit content/ as the bot and push, merging clashing articles",
    ),
}


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date; write YYYY-MM-DD") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="academichub",
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
        "--rebrief",
        type=_day,
        default=None,
        metavar="YYYY-MM-DD",
        help="ask again for the briefing of this day (never asked twice otherwise)",
    )
    run.add_argument(
        "--cache",
        default=None,
        help="folder for derived data such as the archive index "
        "(default: cache/ beside the archive folder)",
    )
    run.add_argument(
        "--date",
        type=_day,
        default=None,
        help="announcement day to collect, YYYY-MM-DD (default: today, UTC)",
    )
    run.add_argument(
        "--summary",
        default="",
        metavar="FILE",
        help="also append the report as Markdown, a row per source, to FILE "
        "(e.g. $GITHUB_STEP_SUMMARY)",
    )
    check = commands.add_parser(
        "check",
        help="validate radar.yaml only",
        description="Validate radar.yaml and exit: "
        "0 when valid, 2 with the file, line and key of the first mistake otherwise.",
    )
    check.add_argument("--radar", default="radar.yaml", help="radar file (default: radar.yaml)")
    check.add_argument(
        "--format",
        choices=["text", "github"],
        default="text",
        help="github: also print the mistake as an annotation on its line of the pull request",
    )
    backtest = commands.add_parser(
        "backtest",
        help="what a changed radar would match over the archive, offline",
        description="Compare two radars over the papers already in content/: papers added and "
        "removed per topic and watched author, and the daily briefing's estimated token cost.",
    )
    backtest.add_argument("--radar", default="radar.yaml", help="new radar (default: radar.yaml)")
    backtest.add_argument(
        "--base",
        default="HEAD:radar.yaml",
        help="old radar: a file, or git REV:PATH such as origin/main:radar.yaml "
        "(default: HEAD:radar.yaml, the last committed one)",
    )
    backtest.add_argument("--content", default="content", help="archive folder (default: content)")
    backtest.add_argument(
        "--summary",
        default="",
        help="append the Markdown to this file instead of printing it (e.g. $GITHUB_STEP_SUMMARY)",
    )
    site = commands.add_parser(
        "site",
        help="build output/ with Pelican and index it with Pagefind (no network)",
        description="Build the site from the archive alone and index it for search.",
    )
    site.add_argument("--radar", default="radar.yaml", help="radar file (default: radar.yaml)")
    site.add_argument("--content", default="content", help="archive folder (default: content)")
    site.add_argument("--output", default="output", help="site folder (default: output)")
    site.add_argument(
        "--settings",
        default="pelicanconf.py",
        help="Pelican settings (default: pelicanconf.py; publishconf.py to deploy)",
    )
    site.add_argument("--cache", default="cache", help="Pelican's cache (default: cache)")
    digest = commands.add_parser(
        "digest",
        help="send the due digest by e-mail or chat (radar.yaml digest:)",
        description="Send the day's or the week's top papers to the Apprise URLs in the secret "
        "named by digest.channels_env, once per period; a failed channel is reported, never "
        "fatal, and retried next run. The sent state is kept in content/state/digest.json.",
    )
    digest.add_argument("--radar", default="radar.yaml", help="radar file (default: radar.yaml)")
    digest.add_argument("--content", default="content", help="archive folder (default: content)")
    digest.add_argument(
        "--date", type=_day, default=None, help="the run's day, YYYY-MM-DD (default: today, UTC)"
    )
    digest.add_argument(
        "--summary",
        default="",
        metavar="FILE",
        help="also append what was sent to FILE (e.g. $GITHUB_STEP_SUMMARY)",
    )
    remove = commands.add_parser(
        "remove",
        help="take a paper out of the archive for good",
        description="Delete a paper's article and remember it in content/state/removed.json, "
        "so no source collects it again. The next site build takes its page down.",
    )
    remove.add_argument(
        "paper", metavar="PAPER_ID_OR_PATH", help="a paper id (arxiv:2606.19025) or its article"
    )
    remove.add_argument("--reason", default="", help="why, kept with the tombstone")
    remove.add_argument("--content", default="content", help="archive folder (default: content)")
    remove.add_argument(
        "--radar",
        default="radar.yaml",
        help="radar file, for briefing the paper's day again (default: radar.yaml)",
    )
    serve = commands.add_parser(
        "serve",
        help="preview the built site on http://127.0.0.1:8000",
        description="Serve output/ locally, gzipped as GitHub Pages serves it. Ctrl-C stops.",
    )
    serve.add_argument("--output", default="output", help="site folder (default: output)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    for name, (_, about) in PROGRAMS.items():
        commands.add_parser(name, help=about, add_help=False)  # the program parses the rest
    return parser


def _progress_printer(total: int):
    done = 0
    lock = threading.Lock()  # sources finish in several threads

    def show(result: SourceResult) -> None:
        nonlocal done
        outcome = f"FAILED: {result.error}" if result.failed else f"{len(result.papers)} items"
        if result.note and not result.failed and not result.papers:
            outcome += f" ({result.note})"
        with lock:
            done += 1
            print(
                f"[{done}/{total}] {result.source} … {outcome}, {result.seconds:.1f} s",
                file=sys.stderr,
                flush=True,
            )

    return show


def command_run(args: argparse.Namespace) -> int:
    from .archive.index import load_archive_keys, update_archive_keys
    from .archive.store import store_papers
    from .config import load_endpoints, load_radar
    from .dedupe import dedupe
    from .http import Http
    from .match import match_papers
    from .models import RunReport
    from .relevance import prepare_ranking
    from .report import format_report, report_as_dict, report_as_json, report_summary
    from .sources import plan_lanes, run_lanes
    from .sources.validators import Validators, radar_fingerprint
    from .state import HTTP_VALIDATORS, read_state, save_state
    from .suggest import score_papers
    from .write import clear_temporaries, write_atomically

    started = time.monotonic()
    radar = load_radar(args.radar)
    endpoints = load_endpoints()
    day = args.date or datetime.now(UTC).date()
    content_dir = Path(args.content)
    cache_dir = Path(args.cache) if args.cache else content_dir.parent / "cache"
    report = RunReport(announce_day=day)
    for folder in (content_dir, cache_dir):  # what a killed run left half-written
        clear_temporaries(folder)
    saved = read_state(content_dir, HTTP_VALIDATORS)
    validators = Validators.from_state(saved, radar_fingerprint(radar))

    lanes = plan_lanes(radar, endpoints, day, validators)
    total = sum(len(lane) for lane in lanes)
    print(f"Collecting {day.isoformat()} from {total} sources …", file=sys.stderr)
    report.sources.extend(
        run_lanes(
            lanes,
            lambda: Http(endpoints.user_agent, endpoints.timeout, limits=endpoints.limits),
            _progress_printer(total),
        )
    )
    fetched = [paper for result in report.sources for paper in result.papers]
    report.fetched = len(fetched)

    matched = match_papers(fetched, radar)
    report.matched = len(matched)
    zotero_key = os.environ.get("ZOTERO_API_KEY", "").strip()
    http = lambda: Http(endpoints.user_agent, endpoints.timeout, limits=endpoints.limits)  # noqa: E731
    ranking = prepare_ranking(radar, content_dir, cache_dir, endpoints, http, day, zotero_key)
    report.notes.extend(ranking.notes)
    suggested = suggestions_for(ranking, radar, fetched, matched)
    kept = _keep_out_removed(content_dir, [*matched, *suggested], report)
    report.suggested = sum(1 for p in kept if any(m.kind == "library" for m in p.matches))
    archive_keys = load_archive_keys(content_dir, cache_dir)
    archived = lambda paper_id: _read_archived(content_dir, paper_id)  # noqa: E731
    deduped = dedupe(kept, archive_keys, archived)
    report.duplicates = deduped.duplicates + deduped.into_archive
    report.notes.extend(deduped.notes)
    papers = score_papers(ranking.ranker, deduped.papers) if ranking.ranker else deduped.papers

    # the night each paper reached the radar: its briefing's day (the merge keeps an earlier one)
    stored = store_papers(content_dir, [replace(p, first_seen=day) for p in papers])
    report.written.extend(stored.outcomes)
    report.damaged.extend(stored.damaged)
    update_archive_keys(cache_dir, archive_keys, deduped.papers, content_dir)
    # only now: the papers these validators vouch for are stored
    save_state(content_dir, HTTP_VALIDATORS, validators.state())

    brief_days(radar, content_dir, day, args.rebrief, report)

    report.seconds = time.monotonic() - started
    write_atomically(content_dir / "reports" / f"{day.isoformat()}.json", report_as_json(report))
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as summary:
            summary.write(report_summary(report_as_dict(report), day.isoformat()))
    print(format_report(report))
    return 0


def suggestions_for(
    ranking: Ranking, radar: Radar, fetched: list[Paper], matched: list[Paper]
) -> list[Paper]:
    """Papers no topic or author matched that the library ranks high (radar.yaml's
    library.suggest a night)."""
    from .suggest import excluded_terms, pick_suggestions

    if ranking.ranker is None or not radar.library.suggest:
        return []
    kept = {paper.paper_id for paper in matched}
    unmatched = [paper for paper in fetched if paper.paper_id not in kept]
    return pick_suggestions(ranking.ranker, unmatched, radar.library, excluded_terms(radar.topics))


def brief_days(
    radar: Radar, content_dir: Path, day: date, rebrief: date | None, report: RunReport
) -> None:
    """Brief tonight's papers (every paper first seen tonight, whatever its source dates it),
    any recent night left without a briefing, a --rebrief day, and — once a model answers — the
    recent nights briefed automatically; then give every paper its TL;DR. The key is read here
    only, from the environment variable radar.yaml's llm: names."""
    from .archive import scan_archive
    from .automatic import automatic_tldr
    from .brief import brief_day, briefing_relpath, render_briefing, stored_briefing
    from .llm import connect
    from .report import UNPRICED
    from .write import write_atomically

    settings = radar.llm
    api_key = os.environ.get(settings.key_variable, "").strip()
    model = connect(settings, api_key) if api_key else None
    window = {day - timedelta(days=n) for n in range(settings.upgrade_days + 1)}
    # every article, once: damaged ones are named
    night = scan_archive(content_dir, window | ({rebrief} if rebrief else set()))
    report.damaged.extend(d for d in night.damaged if d not in report.damaged)
    for when in sorted(night.first_seen):
        papers = night.first_seen[when]
        stored = stored_briefing(content_dir / briefing_relpath(when))
        if when != rebrief and stored is not None and not (model and stored.may_ask_again()):
            continue
        if not papers:
            if when in (day, rebrief):
                report.notes.append(f"briefing: no papers first seen on {when}, so no briefing")
            continue
        how = f"with {model.label}" if model else f"automatic: no {settings.key_variable}"
        print(f"Briefing {when} ({len(papers)} papers, {how}) …", file=sys.stderr, flush=True)
        done = brief_day(when, papers, settings, model, stored.asked if stored else 0)
        briefing = done.briefing
        write_atomically(
            content_dir / briefing_relpath(when), render_briefing(briefing, papers, done.tldrs)
        )
        _store_tldrs(content_dir, papers, done.tldrs)
        report.tokens_in += briefing.tokens_in
        report.tokens_out += briefing.tokens_out
        report.llm_calls += briefing.calls
        report.cost_usd += briefing.cost_usd or 0.0
        report.cost_unknown |= briefing.calls > 0 and briefing.cost_usd is None
        report.llm_failure = briefing.llm_failure or report.llm_failure
        report.notes.extend(done.notes)
        from_model = sum(1 for t in done.tldrs.values() if t.kind == "llm")
        cost = f", US${briefing.cost_usd:.4f}" if briefing.cost_usd is not None else UNPRICED
        calls = f", {briefing.calls} call(s){cost}" if briefing.calls else ""
        report.notes.append(
            f"briefing of {when}: {briefing.kind}, {len(briefing.themes)} themes, "
            f"{len(papers)} papers, {len(done.tldrs)} new TL;DRs "
            f"({from_model} from the model){calls}"
        )
    if night.without_tldr:
        _store_tldrs(
            content_dir,
            night.without_tldr,
            {p.paper_id: automatic_tldr(p) for p in night.without_tldr},
        )
        report.notes.append(
            f"TL;DRs: {len(night.without_tldr)} older paper(s) without one got the automatic TL;DR"
        )


def _store_tldrs(content_dir: Path, papers: Iterable[Paper], tldrs: dict[str, Tldr]) -> None:
    from .archive import article_relpath, render_article
    from .write import write_atomically

    for paper in papers:
        if paper.paper_id in tldrs:
            write_atomically(
                content_dir / article_relpath(paper.paper_id),
                render_article(replace(paper, tldr=tldrs[paper.paper_id])),
            )


def _keep_out_removed(content_dir: Path, papers: list[Paper], report: RunReport) -> list[Paper]:
    """Papers removed on purpose (content/state/removed.json) are never collected again."""
    from .models import Damaged
    from .removed import TombstoneError, drop_removed, load_tombstones

    try:
        kept, dropped = drop_removed(papers, load_tombstones(content_dir))
    except TombstoneError as err:
        report.damaged.append(Damaged(err.path, err.reason))
        report.notes.append(
            f"{len(papers)} papers not stored tonight: the list of removed papers cannot be "
            "read, and one of them might have come back"
        )
        return []
    if dropped:
        ids = ", ".join(p.paper_id for p in dropped)
        report.notes.append(f"kept out {len(dropped)} removed paper(s): {ids}")
    return kept


def _read_archived(content_dir: Path, paper_id: str) -> Paper | None:
    from .archive import DamagedArticle, read_existing

    try:
        found = read_existing(content_dir, paper_id)
    except DamagedArticle:
        return None
    return found[0] if found else None


def command_check(args: argparse.Namespace) -> int:
    from .config import RadarError, load_radar

    try:
        radar = load_radar(args.radar)
    except RadarError as err:
        if args.format == "github":
            from .github import annotation

            print(
                annotation(
                    "error",
                    f"{err.key}: {err.hint}" if err.key else err.hint,
                    file=err.path,
                    line=err.line,
                    title="radar.yaml",
                )
            )
        raise
    print(
        f"{radar.path} is valid: {len(radar.topics)} topics, {len(radar.authors)} watched "
        f"authors, {len(radar.arxiv.categories)} arXiv categories, {len(radar.feeds)} feeds, "
        f"{len(radar.preprints)} preprint servers, {len(radar.crossref.journals)} Crossref "
        "journals."
    )
    return 0


def command_backtest(args: argparse.Namespace) -> int:
    from .archive import iter_archive
    from .backtest import backtest, format_backtest
    from .config import load_radar, load_radar_at
    from .models import Damaged
    from .report import format_damaged

    new = load_radar(args.radar)
    base = load_radar_at(args.base)
    damaged: list[Damaged] = []
    papers = list(iter_archive(Path(args.content), damaged))
    result = backtest(papers, new, base)
    for line in format_damaged(damaged):
        print(line, file=sys.stderr)
    text = format_backtest(result, args.radar, args.base)
    text += ranking_backtest_text(new, base, args.base, Path(args.content), papers)
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as summary:
            summary.write(text)
    else:
        print(text, end="")
    return 0


def ranking_backtest_text(
    new: Radar, base: Radar, base_spec: str, content_dir: Path, papers: list[Paper]
) -> str:
    """How the library of each radar ranks the archive, and what the new one would suggest
    (offline: files and the lookup cache). A base radar from git has its library files read
    from the same revision."""
    if not (new.library.is_configured or base.library.is_configured):
        return ""
    from .backtest_ranking import format_ranking_backtest, ranking_backtest
    from .library import LibrarySources, load_library

    new_library = load_library(new.library, LibrarySources(Path(new.path).parent, content_dir))
    from_git = ":" in base_spec and not Path(base_spec).exists()
    base_sources = LibrarySources(
        Path(base.path).parent if not from_git else Path("."),
        content_dir,
        read=_git_file_reader(base_spec) if from_git else None,
    )
    base_library = load_library(base.library, base_sources)
    today = datetime.now(UTC).date()
    result = ranking_backtest(papers, new, new_library, base_library, today)
    return format_ranking_backtest(result) if result is not None else ""


def _git_file_reader(spec: str):
    """Files beside the radar of a git spec (REV:dir/radar.yaml), read at that revision."""
    revision, _, radar_path = spec.partition(":")
    folder = posixpath.dirname(radar_path)

    def read(name: str) -> str:
        shown = subprocess.run(
            ["git", "show", f"{revision}:{posixpath.join(folder, name)}"],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        if shown.returncode != 0:
            raise FileNotFoundError(name)
        return shown.stdout

    return read


def command_digest(args: argparse.Namespace) -> int:
    """The channels are read from the environment here only, and never printed."""
    from .config import load_radar
    from .digest import parse_channels, send_digests
    from .text import markdown_cell

    radar = load_radar(args.radar)
    urls = parse_channels(os.environ.get(radar.digest.channels_env, ""))
    day = args.date or datetime.now(UTC).date()
    notes = send_digests(radar, Path(args.content), day, urls)
    for note in notes or ["digest: off (radar.yaml digest.cadence)"]:
        print(note)
    if args.summary and notes:
        with open(args.summary, "a", encoding="utf-8") as summary:
            summary.write("\n".join(f"- {markdown_cell(note)}" for note in notes) + "\n")
    return 0


def command_site(args: argparse.Namespace) -> int:
    from .config import load_radar
    from .report import format_damaged
    from .site.build import build_site

    load_radar(args.radar)  # a mistake in radar.yaml is reported here, not deep in Pelican
    print(f"Building {args.output}/ from {args.content}/ …", file=sys.stderr, flush=True)
    record = build_site(
        Path(args.content),
        Path(args.output),
        radar=Path(args.radar),
        settings=Path(args.settings),
        cache=Path(args.cache),
    )
    print(
        f"Site built: {record.papers} papers; Pelican {record.pelican_seconds:.1f} s, "
        f"Pagefind {record.pagefind_seconds:.1f} s → {args.output}/"
    )
    for line in format_damaged(record.damaged):
        print(line)
    return 0


def command_remove(args: argparse.Namespace) -> int:
    from .config import load_radar
    from .models import RunReport
    from .removed import remove_paper

    radar = load_radar(args.radar)
    content_dir = Path(args.content)
    done = remove_paper(content_dir, args.paper, args.reason, datetime.now(UTC).date())
    stone = done.tombstone
    where = f"{args.content}/{stone.article}"
    what = f"deleted {where}" if done.deleted else f"no article at {where}"
    again = " (it was already listed)" if done.already else ""
    print(
        f"Removed {stone.name}: {what}; it will not be collected again{again}. "
        "Commit content/ and rebuild the site (make site) to take its page down."
    )
    if done.deleted and done.announced and _cites(content_dir, done.announced, stone.article):
        report = RunReport(announce_day=done.announced)
        brief_days(radar, content_dir, done.announced, done.announced, report)
        print(f"The briefing of {done.announced} cited it, so it was made again without it.")
        for note in report.notes:
            print(f"  note: {note}")
    return 0


def _cites(content_dir: Path, day: date, article: str) -> bool:
    """Whether the day's briefing links to this article (papers/…/x.md, Pelican's {filename})."""
    from .archive import DamagedArticle, read_article_text
    from .brief import briefing_relpath

    try:
        return article in read_article_text(content_dir / briefing_relpath(day))
    except (OSError, DamagedArticle):
        return False


def command_serve(args: argparse.Namespace) -> int:
    from .site.serve import serve_site

    if not (Path(args.output) / "index.html").exists():
        print(f"error: {args.output}/index.html is missing: run `make site` first", file=sys.stderr)
        return 1
    with serve_site(Path(args.output), args.port) as url:
        print(f"Serving {args.output}/ on {url}/ — Ctrl-C stops.", file=sys.stderr)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


def _program(argv: list[str]) -> tuple[str, list[str]] | None:
    """The program a command line names (`health ...`, `commit-back ...`) and its arguments."""
    for index, arg in enumerate(argv):
        if not arg.startswith("-"):
            return (PROGRAMS[arg][0], argv[index + 1 :]) if arg in PROGRAMS else None
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    program = _program(argv)
    if program is None:
        args = build_parser().parse_args(argv)
        logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING)
    try:
        if program is not None:
            module, program_args = program
            return importlib.import_module(module).main(program_args)
        commands = {
            "run": command_run,
            "check": command_check,
            "site": command_site,
            "serve": command_serve,
            "backtest": command_backtest,
            "digest": command_digest,
        }
        commands["remove"] = command_remove
        return commands[args.command](args)
    except AcademicHubError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_status
    except OSError as err:
        print(f"error: {err.filename or ''}: {err.strerror or err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
