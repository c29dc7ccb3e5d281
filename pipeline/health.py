"""The radar looks after itself: after each night, one GitHub issue says what broke and how to fix
it, and the next good night closes it. Also renders the run report for the step summary.

Pure logic (`assess`, `decide`, `report_summary`) over the report JSON the run saved in
content/reports/DAY.json and the jobs' results; the REST calls sit in `apply` and `main`.
Imports only the standard library and this package's light modules, so it runs on the runner's
own Python without installing anything."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from .github import GitHubApi, GitHubError
from .text import markdown_cell

LABEL = "radar-health"
MARKER = "<!-- academichub:radar-health -->"
TITLE = "Radar health: last night's run needs attention"
IDLE_DAYS_BEFORE_KEEPALIVE = 50  # GitHub disables scheduled workflows after 60 idle days


@dataclass(frozen=True)
class Problem:
    what: str  # one line: what failed
    fix: str  # one line: what to do about it
    details: tuple[str, ...] = ()  # e.g. one line per failed source


@dataclass(frozen=True)
class NightHealth:
    day: str
    problems: tuple[Problem, ...]
    summary: str  # one line for the closing comment

    @property
    def healthy(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Action:
    kind: str  # "open", "update", "close" or "none"
    number: int | None = None
    body: str = ""  # issue body (open, update) or closing comment (close)


def _failed_sources(report: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [s for s in report.get("sources", []) if s.get("status") == "FAILED"]


def assess(
    report: Mapping[str, Any] | None,
    *,
    day: str,
    run_result: str,
    build_result: str,
    deploy_result: str = "success",
) -> NightHealth:
    """The results are the jobs': success, failure, cancelled or skipped. A night is unhealthy
    when the run did not finish, every source failed, or the site was not built or deployed;
    some sources failing is normal weather and stays in the report."""
    problems: list[Problem] = []
    if run_result == "failure" or (report is None and run_result == "success"):
        problems.append(
            Problem(
                "The pipeline run did not finish"
                + ("" if report else " (no run report was saved)"),
                "Open the run's log: a radar.yaml mistake is printed with its file, line and key "
                "(`make check` shows the same locally); a push that kept being refused is retried "
                "next night.",
            )
        )
    if report is not None:
        sources = report.get("sources", [])
        failed = _failed_sources(report)
        if sources and len(failed) == len(sources):
            problems.append(
                Problem(
                    f"All {len(sources)} sources failed, so no papers were collected",
                    "Usually a network or service outage that passes by itself; if it lasts, check "
                    "the URLs under `sources` in radar.yaml and the errors below.",
                    tuple(
                        f"{s.get('source', '?')}: {s.get('error', '') or 'failed'}" for s in failed
                    ),
                )
            )
    if build_result == "failure":
        problems.append(
            Problem(
                "The site did not build, so last night's papers are not published",
                "Run `make site` locally: Pelican's or Pagefind's own message names the template "
                "or article at fault. A hand-edited article in content/ is the usual cause.",
            )
        )
    if deploy_result == "failure" and build_result == "success":
        problems.append(
            Problem(
                "The site was built but not deployed to GitHub Pages",
                "In Settings → Pages → Build and deployment, set Source to GitHub Actions, then "
                "re-run the workflow (Actions → Nightly radar → Run workflow).",
            )
        )
    if report is not None:
        ok = sum(1 for s in report.get("sources", []) if s.get("status") != "FAILED")
        summary = (
            f"{ok} of {len(report.get('sources', []))} sources answered, "
            f"{report.get('new', 0)} new papers, site {build_result}"
        )
    else:
        summary = f"pipeline {run_result}, site {build_result}"
    return NightHealth(day, tuple(problems), summary)


def issue_body(health: NightHealth, run_url: str) -> str:
    lines = [MARKER, f"The nightly run for **{health.day}** needs attention.", ""]
    for problem in health.problems:
        lines.append(f"### {markdown_cell(problem.what)}")
        lines += [f"- {markdown_cell(detail)}" for detail in problem.details]
        lines += ["", f"**How to fix:** {markdown_cell(problem.fix)}", ""]
    lines.append(
        f"[The run's log]({run_url}). This issue is updated by each failing night and "
        "closes itself after the next good one."
    )
    return "\n".join(lines) + "\n"


def decide(health: NightHealth, open_issue: int | None, run_url: str) -> Action:
    """One issue at most: open it, keep it current, or close it when a night went well."""
    if health.healthy:
        if open_issue is None:
            return Action("none")
        summary = markdown_cell(health.summary)
        comment = f"Fixed: the night of {health.day} ran cleanly ({summary}, [log]({run_url})). "
        return Action("close", open_issue, comment + "Closing.")
    return Action("update" if open_issue else "open", open_issue, issue_body(health, run_url))


def report_summary(report: Mapping[str, Any] | None, day: str) -> str:
    """The run report as Markdown for $GITHUB_STEP_SUMMARY."""
    if report is None:
        return f"## AcademicHub run for {day}\n\nNo run report was saved: see the log.\n"
    lines = [
        f"## AcademicHub run for {markdown_cell(str(report.get('announce_day', day)))}",
        "",
        f"Fetched {report.get('fetched', 0)}, matched {report.get('matched', 0)}, duplicates "
        f"{report.get('duplicates', 0)}, **new {report.get('new', 0)}**, updated "
        f"{report.get('updated', 0)} in {report.get('seconds', 0)} s.",
    ]
    if report.get("tokens_in") or report.get("tokens_out"):
        lines.append(
            f"Briefing tokens: {report.get('tokens_in', 0)} in, {report.get('tokens_out', 0)} out."
        )
    lines += ["", "| source | status | items | time | note |", "|---|---|---:|---:|---|"]
    for source in report.get("sources", []):
        note = source.get("error") or source.get("note") or ""
        if source.get("skipped"):
            note = f"{note}; skipped {len(source['skipped'])} bad item(s)".lstrip("; ")
        lines.append(
            f"| {markdown_cell(str(source.get('source', '')))} | {source.get('status', '')} "
            f"| {source.get('items', 0)} | {source.get('seconds', 0)} s | {markdown_cell(note)} |"
        )
    failed = _failed_sources(report)
    if failed:
        lines += [
            "",
            f"{len(failed)} of {len(report.get('sources', []))} sources failed; "
            "papers already in content/ are untouched.",
        ]
    lines += [f"- note: {markdown_cell(str(note))}" for note in report.get("notes", [])]
    return "\n".join(lines) + "\n"


def needs_keepalive(last_commit: datetime, now: datetime) -> bool:
    return now - last_commit >= timedelta(days=IDLE_DAYS_BEFORE_KEEPALIVE)


def find_open_issue(api: GitHubApi) -> int | None:
    issues = api.call("GET", f"/issues?state=open&labels={LABEL}&per_page=20") or []
    for issue in issues:
        if MARKER in (issue.get("body") or "") and "pull_request" not in issue:
            return int(issue["number"])
    return None


def apply(api: GitHubApi, action: Action) -> None:
    if action.kind == "open":
        api.call("POST", "/issues", {"title": TITLE, "body": action.body, "labels": [LABEL]})
    elif action.kind == "update":
        api.call("PATCH", f"/issues/{action.number}", {"body": action.body})
    elif action.kind == "close":
        api.call("POST", f"/issues/{action.number}/comments", {"body": action.body})
        api.call(
            "PATCH", f"/issues/{action.number}", {"state": "closed", "state_reason": "completed"}
        )


def load_report(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None


def run_url(environ: Mapping[str, str] = os.environ) -> str:
    server = environ.get("GITHUB_SERVER_URL", "https://github.com")
    repository, run = environ.get("GITHUB_REPOSITORY", ""), environ.get("GITHUB_RUN_ID", "")
    return f"{server}/{repository}/actions/runs/{run}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.health",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    summary = commands.add_parser("summary", help="the run report as Markdown, to stdout")
    issue = commands.add_parser("issue", help="open, update or close the radar-health issue")
    keepalive = commands.add_parser(
        "keepalive",
        help="re-enable the nightly workflow when the repository has been idle for 50 days",
    )
    for command in (summary, issue):
        command.add_argument("--content", default="content")
        command.add_argument("--day", required=True, help="YYYY-MM-DD, the night's report")
    issue.add_argument("--run-result", required=True)
    issue.add_argument("--build-result", required=True)
    issue.add_argument("--deploy-result", default="success")
    keepalive.add_argument("--last-commit", required=True, help="ISO time of the last commit")
    keepalive.add_argument("--workflow", default="nightly.yml")
    args = parser.parse_args(argv)
    if args.command == "summary":
        report = load_report(Path(args.content) / "reports" / f"{args.day}.json")
        print(report_summary(report, args.day), end="")
        return 0
    try:
        api = GitHubApi.from_environment()
        if args.command == "keepalive":
            last = datetime.fromisoformat(args.last_commit)
            if not needs_keepalive(last, datetime.now(UTC)):
                print(f"Last commit {last.date()}: the schedule is alive; nothing to do.")
                return 0
            api.call("PUT", f"/actions/workflows/{args.workflow}/enable")
            print(f"Idle since {last.date()}: re-enabled {args.workflow} to keep its schedule.")
            return 0
        report = load_report(Path(args.content) / "reports" / f"{args.day}.json")
        health = assess(
            report,
            day=args.day,
            run_result=args.run_result,
            build_result=args.build_result,
            deploy_result=args.deploy_result,
        )
        action = decide(health, find_open_issue(api), run_url())
        apply(api, action)
    except GitHubError as err:
        if err.status == 410:
            print(
                "::warning::Issues are turned off for this repository, so no health issue was "
                "filed: enable them in Settings → General → Features."
            )
            return 0
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(
        f"Radar health for {args.day}: {'ok' if health.healthy else 'needs attention'}; "
        f"issue: {action.kind}{f' #{action.number}' if action.number else ''}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
