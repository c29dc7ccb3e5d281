"""The radar-health issue: what a night's report and job results decide, and the REST calls made
against a fake GitHub API on 127.0.0.1."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from replay import ReplayServer, Reply, Request

from pipeline.health import LABEL, MARKER, assess, decide, main, needs_keepalive, report_summary

DAY = "2026-06-18"
RUN = "https://github.com/ada/radar/actions/runs/42"


def report(*statuses: tuple[str, str, str]) -> dict[str, Any]:
    """(source, status, error) rows as `pipeline run` saves them in content/reports/DAY.json."""
    return {
        "announce_day": DAY, "seconds": 12.5, "fetched": 40, "matched": 5, "duplicates": 1,
        "new": 4, "updated": 0, "tokens_in": 0, "tokens_out": 0, "notes": [],
        "sources": [
            {"source": name, "status": status, "items": 0 if error else 20, "error": error,
             "note": "", "seconds": 0.8, "skipped": []}
            for name, status, error in statuses
        ],
    }  # fmt: skip


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
    crashed = assess(None, day=DAY, run_result="failure", build_result="skipped")
    assert [p.what for p in crashed.problems] == [
        "The pipeline run did not finish (no run report was saved)"
    ]
    assert "make check" in crashed.problems[0].fix
    assert not assess(None, day=DAY, run_result="cancelled", build_result="skipped").problems
    undeployed = assess(ONE_FAILED, day=DAY, run_result="success", build_result="success",
                        deploy_result="failure")  # fmt: skip
    assert [p.what for p in undeployed.problems] == [
        "The site was built but not deployed to GitHub Pages"
    ]
    assert "Source to GitHub Actions" in undeployed.problems[0].fix


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
    return ["issue", "--content", str(content), "--day", DAY, "--run-result", "success",
            "--build-result", build]  # fmt: skip


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
