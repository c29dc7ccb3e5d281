"""The radar looks after itself: after each night, one GitHub issue says what broke and how to fix
it, and the next good night closes it. Also prints the run report for the step summary (worded
by pipeline.report, like the terminal's).

Pure logic (`assess`, `decide`) over the report JSON the run saved in
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
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from .github import GitHubApi, GitHubError
from .report import report_as_json, report_summary, unfinished_report
from .text import markdown_cell
from .write import write_atomically

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


LOG_HINT = "Open the run's log (linked below) at the first red step"


def _pipeline_problems(report: Mapping[str, Any] | None, pipeline_result: str) -> list[Problem]:
    """The pipeline step: it crashed or timed out (its papers are committed all the same), was
    cancelled (nothing committed), never ran, or ran and saved no report."""
    stored = f" ({report.get('new', 0)} new papers were stored and committed)" if report else ""
    if pipeline_result == "failure":
        return [
            Problem(
                "The pipeline step did not finish: it crashed or ran past its time limit",
                f"{LOG_HINT}. The papers it stored before stopping are kept{stored}. A radar.yaml "
                "mistake is printed with its file, line and key (`make check` shows the same "
                "locally); a source that hangs is named in the progress lines.",
            )
        ]
    if pipeline_result == "cancelled":
        return [
            Problem(
                "The run was cancelled before the pipeline finished, so nothing was committed",
                "Cancelling means stop: what it had collected is dropped and the next night "
                "collects again. If nobody cancelled it, it hit the job's 60-minute limit: see "
                "the run's log.",
            )
        ]
    if pipeline_result == "skipped":
        return [
            Problem(
                "The pipeline did not run: a step before it failed (check-out, Python or install)",
                f"{LOG_HINT}. A failed install is usually a registry outage that passes; if it "
                "repeats, re-make the lock files with `make lock` (see README).",
            )
        ]
    if report is None:
        return [
            Problem(
                "The pipeline step finished but no run report was saved for this day",
                f"{LOG_HINT}: the report is content/reports/DAY.json, and `make run` writes one "
                "locally.",
            )
        ]
    return []


def _llm_problems(report: Mapping[str, Any]) -> list[Problem]:
    """A refused key, an unknown model or a rejected request does not pass by itself: say which
    setting to change. Rate limits, overload and timeouts are weather and stay in the report."""
    failure = report.get("llm_failure") or {}
    status = failure.get("status")
    setting = failure.get("model_setting") or "the model setting"
    key = failure.get("key_env") or "the API key secret"
    model = failure.get("model") or "?"
    details = (f"{failure.get('message', '')}",)
    automatic = "so the briefing was made without it"
    if status in (401, 403):
        return [
            Problem(
                f"The LLM API refused the key (HTTP {status}), {automatic}",
                f"Put a working key in the repository secret `{key}` (Settings → Secrets and "
                "variables → Actions): the one there was revoked, expired, mistyped or lacks "
                "access.",
                details,
            )
        ]
    if status == 404:
        return [
            Problem(
                f"The LLM API does not know the model `{model}` (HTTP 404), {automatic}",
                f"Set `{setting}` in radar.yaml to a model the provider serves now: `{model}` was "
                "retired or is misspelt.",
                details,
            )
        ]
    if status == 400:
        section = setting.rpartition(".")[0] or setting
        return [
            Problem(
                f"The LLM API rejected the request (HTTP 400), {automatic}",
                f"Check `{setting}` and the settings beside it under `{section}:` in radar.yaml "
                "(such as the output token limit) against the model's limits; the error below says "
                "which.",
                details,
            )
        ]
    return []


def _site_problems(build_result: str, deploy_result: str) -> list[Problem]:
    if build_result == "failure":
        return [
            Problem(
                "The site did not build, so last night's papers are not published",
                "Run `make site` locally: Pelican's or Pagefind's own message names the template "
                "or article at fault. A hand-edited article in content/ is the usual cause.",
            )
        ]
    if build_result != "success":
        return [
            Problem(
                f"The site was not built ({build_result}), so the night's papers are not published",
                "It is built after the papers are committed: see the problem above, or the run's "
                "log when it was cancelled. Run the workflow again once that is fixed.",
            )
        ]
    if deploy_result == "failure":
        return [
            Problem(
                "The site was built but not deployed to GitHub Pages",
                "In Settings → Pages → Build and deployment, set Source to GitHub Actions, then "
                "re-run the workflow (Actions → Nightly radar → Run workflow).",
            )
        ]
    if deploy_result != "success":
        return [
            Problem(
                f"The site was built but its deployment was {deploy_result}",
                "See the deploy job in the run's log; re-run the workflow to publish.",
            )
        ]
    return []


def _result(value: str) -> str:
    """A job that never started has an empty result: it was skipped."""
    return value or "skipped"


def assess(
    report: Mapping[str, Any] | None,
    *,
    day: str,
    run_result: str,
    build_result: str,
    deploy_result: str = "success",
    pipeline_result: str | None = None,
    commit_result: str | None = None,
) -> NightHealth:
    """The results are the jobs' and steps': success, failure, cancelled or skipped (an empty
    one, a job that never started, counts as skipped). A night is healthy only when every one is
    success, the run saved its report, some source answered and the LLM did not refuse the key,
    the model or the request; some sources failing is normal weather and stays in the report."""
    run_result, build_result, deploy_result = (
        _result(r) for r in (run_result, build_result, deploy_result)
    )
    pipeline_result = _result(pipeline_result) if pipeline_result is not None else run_result
    commit_result = _result(commit_result) if commit_result is not None else "success"
    results = {run_result, pipeline_result, commit_result, build_result, deploy_result}
    problems = _pipeline_problems(report, pipeline_result)
    if pipeline_result in ("success", "failure") and commit_result != "success":
        problems.append(
            Problem(
                f"Tonight's papers were not committed (the commit step: {commit_result})",
                "Check Settings → Actions → General → Workflow permissions (read and write) and "
                "that no branch rule stops github-actions[bot] from pushing; git's message is in "
                "the run's log. The next night collects and commits again.",
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
        problems += _llm_problems(report)
    problems += _site_problems(build_result, deploy_result)
    unsuccessful = ", ".join(sorted(results - {"success"}))
    if not problems and unsuccessful:
        problems.append(
            Problem(
                f"A step of the nightly run did not succeed ({unsuccessful})",
                f"{LOG_HINT}; re-run the workflow once it is fixed.",
            )
        )
    if report is not None:
        ok = sum(1 for s in report.get("sources", []) if s.get("status") != "FAILED")
        summary = (
            f"{ok} of {len(report.get('sources', []))} sources answered, "
            f"{report.get('new', 0)} new papers, site {build_result}"
        )
    else:
        summary = f"pipeline {pipeline_result}, site {build_result}"
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


def mark_unfinished(content: Path, day: str, outcome: str, since: float) -> int:
    """Keep tonight's report figures if the run saved any, mark the report unfinished, so the
    commit, the step summary, the status page and the health issue all say the night broke."""
    path = content / "reports" / f"{day}.json"
    try:
        saved = load_report(path) if path.stat().st_mtime >= since else None
    except FileNotFoundError:
        saved = None
    report = unfinished_report(date.fromisoformat(day), outcome, saved)
    write_atomically(path, report_as_json(report))
    print(f"{path}: marked unfinished ({outcome})")
    return 0


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
    unfinished = commands.add_parser(
        "unfinished", help="mark the day's run report as unfinished (the pipeline step failed)"
    )
    for command in (summary, issue, unfinished):
        command.add_argument("--content", default="content")
        command.add_argument("--day", required=True, help="YYYY-MM-DD, the night's report")
    issue.add_argument("--run-result", required=True, help="the collect job's result")
    issue.add_argument("--pipeline-result", default=None, help="the pipeline step's outcome")
    issue.add_argument("--commit-result", default=None, help="the commit step's outcome")
    issue.add_argument("--build-result", required=True)
    issue.add_argument("--deploy-result", default="success")
    unfinished.add_argument("--outcome", required=True, help="the pipeline step's outcome")
    unfinished.add_argument(
        "--since",
        type=float,
        required=True,
        help="when the run started, in Unix seconds: a "
        "report saved before then is an earlier run's, and is replaced",
    )
    keepalive.add_argument("--last-commit", required=True, help="ISO time of the last commit")
    keepalive.add_argument("--workflow", default="nightly.yml")
    args = parser.parse_args(argv)
    if args.command == "summary":
        report = load_report(Path(args.content) / "reports" / f"{args.day}.json")
        print(report_summary(report, args.day), end="")
        return 0
    if args.command == "unfinished":
        return mark_unfinished(Path(args.content), args.day, args.outcome, args.since)
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
            pipeline_result=args.pipeline_result,
            commit_result=args.commit_result,
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
