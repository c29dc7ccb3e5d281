"""The radar-health issue: what a night's report and job results decide, and the REST calls made
against a fake GitHub API on 127.0.0.1."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from replay import ReplayServer, Reply, Request, xml

from pipeline.__main__ import main as pipeline_main
from pipeline.health import LABEL, MARKER, assess, decide, main, needs_keepalive, report_summary
from pipeline.text import markdown_cell

DAY = "2026-06-18"
RUN = "https://github.com/ada/radar/actions/runs/42"


def report(*statuses: tuple[str, str, str]) -> dict[str, Any]:
    """(source, status, error) rows as `pipeline run` saves them in content/reports/DAY.json."""
    return {
        "announce_day": DAY,
        "seconds": 12.5,
        "fetched": 40,
        "matched": 5,
        "duplicates": 1,
        "new": 4,
        "updated": 0,
        "tokens_in": 0,
        "tokens_out": 0,
        "notes": [],
        "sources": [
            {
                "source": name,
                "status": status,
                "items": 0 if error else 20,
                "error": error,
                "note": "",
                "seconds": 0.8,
                "skipped": [],
            }
            for name, status, error in statuses
        ],
    }


ALL_FAILED = report(
    ("arXiv cs.AI", "FAILED", "HTTP 503 from rss.arxiv.org"),
    ("arXiv API: author Zeyu Cao", "FAILED", "timed out after 30 s"),
)
ONE_FAILED = report(("arXiv cs.AI", "ok", ""), ("Nature", "FAILED", "HTTP 404"))


def test_all_sources_failing_is_a_problem_some_failing_is_weather() -> None:
    night = assess(ALL_FAILED, day=DAY, run_result="success", build_result="success")
    [problem] = night.problems
    assert problem.what == "All 2 sources failed, so no papers were collected"
    assert problem.details == (
        "arXiv cs.AI: HTTP 503 from rss.arxiv.org",
        "arXiv API: author Zeyu Cao: timed out after 30 s",
    )
    assert assess(ONE_FAILED, day=DAY, run_result="success", build_result="success").healthy


def test_broken_build_and_unfinished_run_are_problems() -> None:
    broken = assess(ONE_FAILED, day=DAY, run_result="success", build_result="failure")
    assert [p.what for p in broken.problems] == [
        "The site did not build, so last night's papers are not published"
    ]
    assert "make site" in broken.problems[0].fix
    crashed = assess(
        None,
        day=DAY,
        run_result="failure",
        pipeline_result="failure",
        commit_result="success",
        build_result="success",
    )
    assert [p.what for p in crashed.problems] == [
        "The pipeline step did not finish: it crashed or ran past its time limit"
    ]
    assert "make check" in crashed.problems[0].fix
    undeployed = assess(
        ONE_FAILED, day=DAY, run_result="success", build_result="success", deploy_result="failure"
    )
    assert [p.what for p in undeployed.problems] == [
        "The site was built but not deployed to GitHub Pages"
    ]
    assert "Source to GitHub Actions" in undeployed.problems[0].fix


def test_a_cancelled_night_is_a_problem_not_a_clean_run() -> None:
    """Once closed the issue as "ran cleanly (pipeline cancelled, site skipped)"."""
    results = dict(run_result="cancelled", pipeline_result="cancelled", commit_result="skipped")
    night = assess(None, day=DAY, **results, build_result="skipped", deploy_result="skipped")
    assert [p.what for p in night.problems] == [
        "The run was cancelled before the pipeline finished, so nothing was committed",
        "The site was not built (skipped), so the night's papers are not published",
    ]
    action = decide(night, 7, RUN)
    assert (action.kind, action.number) == ("update", 7)
    assert "ran cleanly" not in action.body


RESULTS = ("run_result", "pipeline_result", "commit_result", "build_result", "deploy_result")


@pytest.mark.parametrize("result", ["failure", "cancelled", "skipped", ""])
@pytest.mark.parametrize("which", RESULTS)
def test_any_step_that_did_not_succeed_keeps_the_issue_open(which: str, result: str) -> None:
    good = dict.fromkeys(RESULTS, "success")
    assert decide(assess(ONE_FAILED, day=DAY, **good), 7, RUN).kind == "close"
    night = assess(ONE_FAILED, day=DAY, **good | {which: result})
    assert not night.healthy
    assert decide(night, 7, RUN).kind == "update"


def test_each_unsuccessful_step_is_named() -> None:
    def what(**changes: str) -> list[str]:
        results = dict.fromkeys(RESULTS, "success") | changes
        return [p.what for p in assess(ONE_FAILED, day=DAY, **results).problems]

    assert what(pipeline_result="skipped") == [
        "The pipeline did not run: a step before it failed (check-out, Python or install)"
    ]
    assert what(commit_result="failure") == [
        "Tonight's papers were not committed (the commit step: failure)"
    ]
    assert what(deploy_result="cancelled") == [
        "The site was built but its deployment was cancelled"
    ]
    assert what(run_result="failure") == [
        "A step of the nightly run did not succeed (failure)"
    ]  # e.g. the step summary


def test_decide_opens_updates_and_closes_one_issue() -> None:
    bad = assess(ALL_FAILED, day=DAY, run_result="success", build_result="success")
    good = assess(ONE_FAILED, day=DAY, run_result="success", build_result="success")
    opened = decide(bad, None, RUN)
    assert (opened.kind, opened.number) == ("open", None)
    assert opened.body.startswith(MARKER + "\nThe nightly run for **2026-06-18** needs attention.")
    assert "- arXiv cs.AI: HTTP 503 from rss.arxiv.org" in opened.body
    assert f"[The run's log]({RUN})" in opened.body
    assert (decide(bad, 7, RUN).kind, decide(bad, 7, RUN).number) == ("update", 7)
    closed = decide(good, 7, RUN)
    assert (closed.kind, closed.number) == ("close", 7)
    assert closed.body.startswith("Fixed: the night of 2026-06-18 ran cleanly (1 of 2 sources")
    assert decide(good, None, RUN).kind == "none"


def test_issue_body_carries_no_markup_or_mention_from_a_source_error() -> None:
    hostile = report(("<img src=x onerror=alert(1)>", "FAILED", "@octocat [x](javascript:y) | #"))
    body = decide(
        assess(hostile, day=DAY, run_result="success", build_result="success"), None, RUN
    ).body
    assert "<img" not in body and "@octocat" not in body and "[x](javascript" not in body
    assert "&lt;img src=x onerror=alert(1)&gt;: @\u2060octocat \\[x\\](javascript:y) \\| #" in body


def test_step_summary_lists_each_source() -> None:
    text = report_summary(ONE_FAILED, DAY)
    assert text.startswith("## AcademicHub run for 2026-06-18\n")
    assert "**new 4**" in text
    assert "| arXiv cs.AI | ok | 20 | 0.8 s |  |" in text
    assert "| Nature | FAILED | 0 | 0.8 s | HTTP 404 |" in text
    assert "1 of 2 sources failed" in text
    assert "No run report was saved" in report_summary(None, DAY)
    damaged = {
        "path": "content/papers/arxiv/2606/arxiv-2606-70001.md",
        "reason": "the file is empty",
    }
    text = report_summary({**ONE_FAILED, "damaged": [damaged]}, DAY)
    assert (
        "1 damaged article(s) skipped; repair or remove each (python -m pipeline remove PATH):"
        in text
    )
    assert "- damaged: content/papers/arxiv/2606/arxiv-2606-70001.md: the file is empty" in text


def test_keepalive_only_after_fifty_idle_days() -> None:
    now = datetime(2026, 8, 30, tzinfo=UTC)
    assert not needs_keepalive(datetime(2026, 7, 12, tzinfo=UTC), now)  # 49 days
    assert needs_keepalive(datetime(2026, 7, 11, tzinfo=UTC), now)  # 50 days


class FakeGitHub:
    """Issues of one repository, as the REST API lists, creates and edits them."""

    def __init__(self, server: ReplayServer, issues: list[dict[str, Any]]) -> None:
        self.issues = issues
        server.routes["/repos/ada/radar/issues"] = self.issues_route
        for issue in issues:
            server.routes[f"/repos/ada/radar/issues/{issue['number']}"] = self.edit_route
            server.routes[f"/repos/ada/radar/issues/{issue['number']}/comments"] = Reply(201, b"{}")

    def issues_route(self, request: Request) -> Reply:
        if request.method == "GET":
            assert request.query["labels"] == [LABEL] and request.query["state"] == ["open"]
            return Reply(200, json.dumps(self.issues).encode())
        self.issues.append({"number": 99, **json.loads(request.body)})
        return Reply(201, b'{"number": 99}')

    def edit_route(self, request: Request) -> Reply:
        return Reply(200, b"{}")


@pytest.fixture
def github(replay: ReplayServer, monkeypatch: pytest.MonkeyPatch) -> ReplayServer:
    monkeypatch.setenv("GITHUB_API_URL", replay.url)
    monkeypatch.setenv("GITHUB_REPOSITORY", "ada/radar")
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_fake_token_for_tests")
    monkeypatch.setenv("GITHUB_RUN_ID", "42")
    return replay


def save_report(content: Path, data: dict[str, Any]) -> None:
    (content / "reports").mkdir(parents=True)
    (content / "reports" / f"{DAY}.json").write_text(json.dumps(data))


def issue_cli(content: Path, build: str = "success") -> list[str]:
    return [
        "issue",
        "--content",
        str(content),
        "--day",
        DAY,
        "--run-result",
        "success",
        "--build-result",
        build,
    ]


def test_bad_night_opens_the_issue_with_label(
    github: ReplayServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = FakeGitHub(github, [])
    save_report(tmp_path, ALL_FAILED)
    assert main(issue_cli(tmp_path)) == 0
    [listing, created] = github.requests
    assert listing.headers["Authorization"] == "Bearer ghs_fake_token_for_tests"
    assert (created.method, created.path) == ("POST", "/repos/ada/radar/issues")
    [issue] = fake.issues
    assert issue["labels"] == [LABEL] and issue["title"].startswith("Radar health")
    assert "HTTP 503 from rss.arxiv.org" in issue["body"]
    out = capsys.readouterr().out
    assert "needs attention; issue: open" in out and "ghs_fake" not in out


def test_bad_night_updates_the_open_issue_and_good_night_closes_it(
    github: ReplayServer, tmp_path: Path
) -> None:
    FakeGitHub(github, [{"number": 7, "body": f"{MARKER}\nold", "labels": [{"name": LABEL}]}])
    save_report(tmp_path, ONE_FAILED)
    assert main(issue_cli(tmp_path, build="failure")) == 0
    update = github.requests[-1]
    assert (update.method, update.path) == ("PATCH", "/repos/ada/radar/issues/7")
    assert "The site did not build" in json.loads(update.body)["body"]
    github.requests.clear()
    assert main(issue_cli(tmp_path)) == 0
    comment, close = github.requests[1:]
    assert (comment.method, comment.path) == ("POST", "/repos/ada/radar/issues/7/comments")
    assert json.loads(close.body) == {"state": "closed", "state_reason": "completed"}


def test_issues_turned_off_is_a_warning_not_a_failure(
    github: ReplayServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    github.routes["/repos/ada/radar/issues"] = Reply(410, b'{"message": "Issues are disabled"}')
    save_report(tmp_path, ALL_FAILED)
    assert main(issue_cli(tmp_path)) == 0
    assert capsys.readouterr().out.startswith("::warning::Issues are turned off")


def test_api_error_is_one_line_without_the_token(
    github: ReplayServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    github.routes["/repos/ada/radar/issues"] = Reply(403, b'{"message": "Resource not accessible"}')
    save_report(tmp_path, ALL_FAILED)
    assert main(issue_cli(tmp_path)) == 1
    err = capsys.readouterr().err
    listing = "/issues?state=open&labels=radar-health&per_page=20"
    assert err == f"error: GitHub API GET {listing}: 403 Resource not accessible\n"


def test_keepalive_enables_the_workflow_when_idle(github: ReplayServer) -> None:
    github.routes["/repos/ada/radar/actions/workflows/nightly.yml/enable"] = Reply(204)
    assert main(["keepalive", "--last-commit", "2026-01-01T03:00:00+00:00"]) == 0
    [enable] = github.requests
    assert enable.method == "PUT"
    assert main(["keepalive", "--last-commit", datetime.now(UTC).isoformat()]) == 0
    assert len(github.requests) == 1  # recent activity: no call


# ---- the LLM's refusals, from `pipeline run` against a Messages API on 127.0.0.1 to the issue ----

RADAR = """
topics:
  - {name: World models, keywords: [world models, DiLoCo, federated]}
sources:
  arxiv: {categories: [cs.AI], api: false}
llm: {model: claude-sonnet-5-5}
"""
RETRY_NOW = {"retry-after-ms": "5", "retry-after": "0", "Content-Type": "application/json"}


def api_error(kind: str, message: str) -> bytes:
    """An error body as the Messages API documents it (errors: `{"type": "error", "error":
    {"type", "message"}}`)."""
    return json.dumps({"type": "error", "error": {"type": kind, "message": message}}).encode()


def night_with_llm_answer(
    github: ReplayServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer: Reply
) -> dict[str, Any]:
    """One real night: the seed day's arXiv RSS, the given answer from the model; its report."""
    github.routes["/rss/cs.AI"] = xml("arxiv-rss/seed-day.xml")
    github.routes["/v1/messages"] = answer
    monkeypatch.setenv("ARXIV_RSS_URL", f"{github.url}/rss/")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-revoked-0000")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", github.url)
    (tmp_path / "radar.yaml").write_text(RADAR)
    content = tmp_path / "content"
    argv = ["run", "--radar", str(tmp_path / "radar.yaml"), "--content", str(content)]
    assert pipeline_main([*argv, "--date", DAY]) == 0
    return json.loads((content / "reports" / f"{DAY}.json").read_text())


LLM_REFUSALS = [
    (
        Reply(401, api_error("authentication_error", "invalid x-api-key")),
        "The LLM API refused the key (HTTP 401), so the briefing was made without it",
        "secret `ANTHROPIC_API_KEY` (Settings → Secrets and variables → Actions)",
    ),
    (
        Reply(404, api_error("not_found_error", "model: claude-sonnet-5-5")),
        "The LLM API does not know the model `claude-sonnet-5-5` (HTTP 404), so the briefing "
        "was made without it",
        "Set `llm.model` in radar.yaml to a model the provider serves now",
    ),
    (
        Reply(400, api_error("invalid_request_error", "max_tokens: 2000 > 1024, the maximum")),
        "The LLM API rejected the request (HTTP 400), so the briefing was made without it",
        "Check `llm.model` and the settings beside it under `llm:` in radar.yaml",
    ),
]


@pytest.mark.parametrize(("answer", "what", "fix"), LLM_REFUSALS)
def test_llm_refusal_opens_the_issue_naming_the_setting_to_fix(
    github: ReplayServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer: Reply,
    what: str,
    fix: str,
) -> None:
    fake = FakeGitHub(github, [])
    report = night_with_llm_answer(github, tmp_path, monkeypatch, answer)
    assert len(github.requests_to("/v1/messages")) == 1  # none of these is retried
    failure = report["llm_failure"]
    assert (failure["status"], failure["requests"]) == (answer.status, 1)
    assert failure["message"].startswith(f"the Anthropic API answered HTTP {answer.status} (")
    assert failure["message"].endswith(") after 1 request")
    assert failure["model_setting"] == "llm.model"
    assert any("after 1 request; the automatic briefing stands in" in n for n in report["notes"])
    assert main(issue_cli(tmp_path / "content")) == 0
    [issue] = fake.issues
    assert f"### {markdown_cell(what)}\n" in issue["body"]
    assert markdown_cell(fix) in issue["body"]  # escaped as all issue text is
    assert f"- {markdown_cell(failure['message'])}" in issue["body"]
    if answer.status == 400:  # the API's own words say which setting it rejected
        assert (
            "(invalid\\_request\\_error: max\\_tokens: 2000 &gt; 1024, the maximum)"
            in issue["body"]
        )
    assert "sk-ant-test" not in issue["body"]


def test_overloaded_llm_is_weather_and_the_report_counts_four_requests(
    github: ReplayServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    overloaded = Reply(529, api_error("overloaded_error", "Overloaded"), RETRY_NOW)
    report = night_with_llm_answer(github, tmp_path, monkeypatch, overloaded)
    assert len(github.requests_to("/v1/messages")) == 4
    assert (report["llm_failure"]["status"], report["llm_failure"]["requests"]) == (529, 4)
    assert report["llm_failure"]["message"] == (
        "the Anthropic API answered HTTP 529 (overloaded_error) after 4 requests"
    )
    assert assess(report, day=DAY, run_result="success", build_result="success").healthy


# ---- a pipeline step that crashed or timed out: its report, then the issue -----------------------


def unfinished_cli(content: Path, since: float, outcome: str = "failure") -> list[str]:
    where = ["--content", str(content), "--day", DAY]
    return ["unfinished", *where, "--since", str(since), "--outcome", outcome]


def test_unfinished_run_gets_a_report_saying_so(tmp_path: Path) -> None:
    assert main(unfinished_cli(tmp_path, since=0)) == 0
    saved = json.loads((tmp_path / "reports" / f"{DAY}.json").read_text())
    assert saved["finished"] is False and saved["announce_day"] == DAY
    assert (saved["new"], saved["sources"]) == (0, [])
    assert saved["notes"][0].startswith("the pipeline step did not finish: it crashed or ran past")
    summary = report_summary(saved, DAY)
    assert "**The pipeline step did not finish**" in summary
    assert "- note: the pipeline step did not finish" in summary


def test_unfinished_keeps_tonights_figures_and_replaces_an_earlier_runs(tmp_path: Path) -> None:
    save_report(tmp_path, ONE_FAILED)
    path = tmp_path / "reports" / f"{DAY}.json"
    written = path.stat().st_mtime
    assert main(unfinished_cli(tmp_path, since=written - 60)) == 0  # saved during this run
    kept = json.loads(path.read_text())
    assert (kept["finished"], kept["new"], len(kept["sources"])) == (False, 4, 2)
    path.write_text(json.dumps(ONE_FAILED))
    assert main(unfinished_cli(tmp_path, since=path.stat().st_mtime + 60, outcome="skipped")) == 0
    replaced = json.loads(path.read_text())
    assert (replaced["finished"], replaced["new"], replaced["sources"]) == (False, 0, [])
    assert replaced["notes"] == [
        "the pipeline step did not run: a step before it failed (see the run's log)"
    ]


def test_crashed_night_opens_the_issue_and_a_good_night_closes_it(
    github: ReplayServer, tmp_path: Path
) -> None:
    fake = FakeGitHub(github, [])
    assert main(unfinished_cli(tmp_path, since=0)) == 0
    results = ["--pipeline-result", "failure", "--commit-result", "success"]
    assert main([*issue_cli(tmp_path), *results]) == 0
    [issue] = fake.issues
    assert (
        "### The pipeline step did not finish: it crashed or ran past its time limit"
        in (issue["body"])
    )
    assert "(0 new papers were stored and committed)" in issue["body"]
    FakeGitHub(github, [{"number": 99, **issue}])
    github.requests.clear()
    (tmp_path / "reports" / f"{DAY}.json").write_text(json.dumps(ONE_FAILED))
    good = ["--pipeline-result", "success", "--commit-result", "success"]
    assert main([*issue_cli(tmp_path), *good]) == 0
    [_, comment, close] = github.requests
    assert (comment.path, close.path) == (
        "/repos/ada/radar/issues/99/comments",
        "/repos/ada/radar/issues/99",
    )
    assert json.loads(close.body) == {"state": "closed", "state_reason": "completed"}


@pytest.mark.parametrize(
    ("results", "what"),
    [
        (
            "cancelled cancelled skipped skipped skipped",
            "The run was cancelled before the pipeline finished, so nothing was committed",
        ),
        (
            "failure skipped failure skipped skipped",
            "The pipeline did not run: a step before it failed (check-out, Python or install)",
        ),
        (
            "success success success success cancelled",
            "The site was built but its deployment was cancelled",
        ),
    ],
)
def test_cancelled_or_skipped_night_updates_the_open_issue_instead_of_closing_it(
    github: ReplayServer, tmp_path: Path, results: str, what: str
) -> None:
    """`results`: the collect job's, the pipeline and commit steps', the build's and deploy's."""
    FakeGitHub(github, [{"number": 7, "body": f"{MARKER}\nold", "labels": [{"name": LABEL}]}])
    save_report(tmp_path, ONE_FAILED)
    jobs = ["run", "pipeline", "commit", "build", "deploy"]
    argv = [
        arg
        for job, result in zip(jobs, results.split(), strict=True)
        for arg in (f"--{job}-result", result)
    ]
    assert main(["issue", "--content", str(tmp_path), "--day", DAY, *argv]) == 0
    [listing, update] = github.requests
    assert (update.method, update.path) == ("PATCH", "/repos/ada/radar/issues/7")
    body = json.loads(update.body)["body"]
    assert f"### {markdown_cell(what)}\n" in body
    assert "closed" not in update.body.decode() and "ran cleanly" not in body
