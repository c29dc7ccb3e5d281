"""The GitHub Actions workflows: zizmor finds nothing, actions are pinned, pull requests get no
secret and a read-only token, and the nightly hands its one secret to one step, never echoed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

WORKFLOWS = Path(__file__).resolve().parents[1] / ".github" / "workflows"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40} # v\d+(\.\d+)*$")


def load(name: str) -> tuple[str, dict[str, Any]]:
    """The workflow's text without comment lines, and the workflow parsed."""
    text = (WORKFLOWS / name).read_text()
    workflow = yaml.safe_load(text)
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads `on` as true
    return text, workflow


def steps(workflow: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(job, step) for job, spec in workflow["jobs"].items() for step in spec["steps"]]


def test_zizmor_reports_no_finding() -> None:
    zizmor = Path(sys.executable).with_name("zizmor")
    if not zizmor.exists():
        pytest.fail("zizmor is missing: pip install -e '.[dev]' (make test does)")
    done = subprocess.run([str(zizmor), "--offline", "--no-progress", str(WORKFLOWS)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings to report" in done.stdout


@pytest.mark.parametrize("name", ["nightly.yml", "pr.yml"])
def test_every_action_is_pinned_to_a_commit_with_its_version(name: str) -> None:
    text, _ = load(name)
    uses = [line.split("uses:", 1)[1].strip() for line in text.splitlines() if "uses:" in line]
    assert uses and all(PINNED.match(u) for u in uses), uses


def test_pull_requests_get_no_secret_and_a_read_only_token() -> None:
    text, workflow = load("pr.yml")
    assert list(workflow["on"]) == ["pull_request"]
    assert "pull_request_target" not in text and "secrets." not in text
    assert "github.token" not in text and "GITHUB_TOKEN" not in text
    assert workflow["permissions"] == {"contents": "read"}
    for spec in workflow["jobs"].values():
        assert spec["permissions"] == {"contents": "read"}
    for _, step in steps(workflow):
        assert step.get("with", {}).get("persist-credentials", False) is False


def test_pull_request_checks_annotate_backtest_and_build() -> None:
    _, workflow = load("pr.yml")
    runs = " ".join(step.get("run", "") for _, step in steps(workflow))
    assert "python -m pipeline check --format github" in runs
    assert 'backtest --base "HEAD^1:radar.yaml" --summary "$GITHUB_STEP_SUMMARY"' in runs
    assert "make test" in runs and "make site" in runs
    uploads = [s for _, s in steps(workflow) if "upload-artifact" in s.get("uses", "")]
    assert [u["with"]["path"] for u in uploads] == ["output"]


def test_nightly_passes_each_secret_to_its_one_step_only_never_echoed() -> None:
    text, workflow = load("nightly.yml")
    assert text.count("secrets.") == 2
    holders = [
        (job, step["name"], key)
        for job, step in steps(workflow)
        for key, value in step.get("env", {}).items()
        if "secrets." in str(value)
    ]
    assert holders == [
        ("collect", "Run the pipeline", "ANTHROPIC_API_KEY"),
        ("collect", "Send the digest", "APPRISE_URLS"),
    ]
    for _, step in steps(workflow):
        run = step.get("run", "")
        assert "secrets" not in run and "ANTHROPIC_API_KEY" not in run
        assert "APPRISE_URLS" not in run
        assert "set -x" not in run and "printenv" not in run and not re.search(r"\benv\b", run)
    assert not re.search(r"echo[^\n]*\$\{\{\s*secrets", text)


def test_nightly_permissions_are_per_job_and_least() -> None:
    _, workflow = load("nightly.yml")
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    assert jobs["collect"]["permissions"] == {"contents": "write", "issues": "read"}
    assert jobs["feedback"]["permissions"] == {"contents": "read", "issues": "write"}
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["health"]["permissions"] == {"contents": "read", "issues": "write"}
    assert jobs["keepalive"]["permissions"] == {"actions": "write", "contents": "read"}
    writers = [job for job, spec in jobs.items() if "write" in spec["permissions"].values()]
    assert writers == ["collect", "deploy", "health", "feedback", "keepalive"]


def test_nightly_schedule_concurrency_and_order() -> None:
    _, workflow = load("nightly.yml")
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}
    assert re.fullmatch(r"\d+ \d+ \* \* \*", workflow["on"]["schedule"][0]["cron"])
    assert workflow["concurrency"]["cancel-in-progress"] is False
    jobs = workflow["jobs"]
    assert jobs["build"]["needs"] == "collect" and jobs["deploy"]["needs"] == "build"
    assert jobs["health"]["if"] == "${{ always() }}"
    collect = [step.get("name") for step in jobs["collect"]["steps"]]
    assert collect.index("Run the pipeline") < collect.index("Commit content/ back")
    assert collect.index("Run the pipeline") < collect.index("Send the digest")
    assert collect.index("Send the digest") < collect.index("Commit content/ back")
    assert collect.index("Read feedback from issues") < collect.index("Run the pipeline")
    assert jobs["feedback"]["needs"] == "collect"
    closing = jobs["feedback"]["steps"]
    assert closing[0]["with"]["ref"] == "${{ needs.collect.outputs.sha }}"
    assert closing[-1]["run"] == "python3 -m pipeline.feedback close"
    uses = " ".join(s.get("uses", "") for _, s in steps(workflow))
    for action in ("upload-pages-artifact", "deploy-pages", "configure-pages", "setup-python"):
        assert f"actions/{action}@" in uses
    setup = [s for _, s in steps(workflow) if "setup-python" in s.get("uses", "")]
    assert all(s["with"]["cache"] == "pip" for s in setup)
