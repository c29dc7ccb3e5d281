"""The GitHub Actions workflows: zizmor finds nothing, actions are pinned, pull requests get no
secret and a read-only token, and the nightly hands its one secret to one step, never echoed."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from gitrepo import git
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from pipeline.archive import article_relpath, write_paper
from pipeline.models import Paper

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = REPO / ".github" / "workflows"


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
    done = subprocess.run(
        [str(zizmor), "--offline", "--no-progress", str(WORKFLOWS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings to report" in done.stdout


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
    assert text.count("secrets.") == 3
    holders = [
        (job, step["name"], key)
        for job, step in steps(workflow)
        for key, value in step.get("env", {}).items()
        if "secrets." in str(value)
    ]
    assert holders == [
        ("collect", "Run the pipeline", "ANTHROPIC_API_KEY"),
        ("collect", "Run the pipeline", "OPENAI_API_KEY"),
        ("collect", "Send the digest", "APPRISE_URLS"),
    ]
    for _, step in steps(workflow):
        run = step.get("run", "")
        assert "secrets" not in run and "ANTHROPIC_API_KEY" not in run and "OPENAI" not in run
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


# ---- actions on Node 24 ------------------------------------------------------------------------

# Each SHA checked in the action's own repository: the release tag points at this commit, and its
# action.yml says `runs: using: node24` (composite for upload-pages-artifact, whose inner
# upload-artifact is v7.0.0, node24). configure-pages v6.0.0 was not in the mirror here: its SHA is
# the one ten independent repositories pin as v6.0.0, whose release notes say "upgrade to node 24".
NODE24_RELEASES = {
    "actions/checkout": ("08c6903cd8c0fde910a37f88322edcfb5dd907a8", "v5.0.0"),
    "actions/setup-python": ("e797f83bcb11b83ae66e0230d6156d7c80228e7c", "v6.0.0"),
    "actions/cache": ("27d5ce7f107fe9357f9df03efb73ab90386fccae", "v5.0.5"),
    "actions/upload-pages-artifact": ("fc324d3547104276b827a68afc52ff2a11cc49c9", "v5.0.0"),
    "actions/configure-pages": ("45bfe0192ca1faeb007ade9deae92b16b8254a0d", "v6.0.0"),
    "actions/deploy-pages": ("cd2ce8fcbc39b97be8ca5fce6e763baed58fa128", "v5.0.0"),
    "actions/upload-artifact": ("bbbca2ddaa5d8feaa63e36b76fdaad77386f024f", "v7.0.0"),
}
NODE20_RELEASES = {  # what the workflows pinned before; runners no longer ship Node 20
    "0057852bfaa89a56745cba8c7296529d2fc39830": "actions/cache v4.3.0",
    "983d7736d9b0ae728b81ab479565c72886d7745b": "actions/configure-pages v5.0.0",
    "d6db90164ac5ed86f2b6aed7e0febac5b3c0c03e": "actions/deploy-pages v4.0.5",
    "ea165f8d65b6e75b540449e92b4886f43607fa02": "actions/upload-artifact v4.6.2",
    "7b1f4a764d45c48632c6b24a0339c27f5614fb0b": "actions/upload-pages-artifact v4.0.0",
}


@pytest.mark.parametrize("name", ["nightly.yml", "pr.yml"])
def test_every_action_is_a_verified_node24_release(name: str) -> None:
    text = (WORKFLOWS / name).read_text()
    pins = re.findall(r"uses: ([\w.-]+/[\w.-]+)@(\S+) # (v[\d.]+)\n", text)
    assert len(pins) == text.count("uses:") > 0
    for action, sha, version in pins:
        assert re.fullmatch(r"[0-9a-f]{40}", sha), (action, sha)
        assert sha not in NODE20_RELEASES, NODE20_RELEASES.get(sha)
        assert NODE24_RELEASES.get(action) == (sha, version), (
            f"{action}@{sha} # {version}: not a release verified here; check its action.yml says "
            "node24 and add it to NODE24_RELEASES"
        )


# ---- a crashed or timed-out pipeline step still commits and reports ----------------------------


def collect_steps() -> dict[str, dict[str, Any]]:
    _, workflow = load("nightly.yml")
    return {step["name"]: step for step in workflow["jobs"]["collect"]["steps"]}


def test_pipeline_step_has_its_own_time_limit_inside_the_jobs() -> None:
    """The runner marks a step past its own timeout-minutes Failed, so `!cancelled()` steps
    still run; the job's limit cancels the job and them (actions/runner, StepsRunner.cs)."""
    _, workflow = load("nightly.yml")
    collect = workflow["jobs"]["collect"]
    step = collect_steps()["Run the pipeline"]
    assert step["id"] == "pipeline"
    assert collect["timeout-minutes"] - step["timeout-minutes"] >= 15  # time left to commit
    names = list(collect_steps())
    after = names[names.index("Run the pipeline") + 1 :]
    always = [
        "Record an unfinished run in the report",
        "Run report to the step summary",
        "Commit content/ back",
    ]
    assert [name for name in after if name in always] == always
    assert after[-1] == "Commit content/ back"
    for name in always:  # run after a failed or timed-out step, not after a cancel
        condition = collect_steps()[name]["if"]
        assert condition.startswith("${{ !cancelled() && ") and "success()" not in condition
    for name in after:  # none can take the commit's time
        assert collect_steps()[name]["timeout-minutes"] <= 10
    assert "steps.pipeline.outcome != 'success'" in collect_steps()[always[0]]["if"]
    outputs = collect["outputs"]
    assert outputs["pipeline"] == "${{ steps.pipeline.outcome }}"
    assert outputs["commit"] == "${{ steps.commit.outcome }}"


def test_what_was_committed_is_built_and_deployed_and_every_result_reaches_the_health_job() -> None:
    _, workflow = load("nightly.yml")
    jobs = workflow["jobs"]
    assert jobs["build"]["if"] == "${{ !cancelled() && needs.collect.outputs.sha != '' }}"
    assert jobs["deploy"]["if"].startswith("${{ !cancelled() && needs.build.result == 'success'")
    assert jobs["keepalive"]["if"] == "${{ always() && needs.collect.outputs.commit != 'success' }}"
    committed = "${{ !cancelled() && needs.collect.outputs.commit == 'success' }}"
    assert jobs["feedback"]["if"] == committed  # closes what the commit recorded, crash or not
    [step] = [s for s in jobs["health"]["steps"] if "pipeline.health issue" in s.get("run", "")]
    assert step["env"]["PIPELINE_RESULT"] == "${{ needs.collect.outputs.pipeline }}"
    assert step["env"]["COMMIT_RESULT"] == "${{ needs.collect.outputs.commit }}"
    for job in ("run", "pipeline", "commit", "build", "deploy"):
        assert f"--{job}-result" in step["run"]


def run_step(name: str, repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A collect step's own `run:` script, as the runner runs it (bash -e, in the checkout)."""
    return subprocess.run(
        ["bash", "-e", "-c", collect_steps()[name]["run"]],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_crashed_pipeline_steps_papers_and_report_are_committed(tmp_path: Path) -> None:
    origin, repo = tmp_path / "origin.git", tmp_path / "checkout"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True)
    subprocess.run(["git", "clone", "-q", str(origin), str(repo)], check=True, capture_output=True)
    (repo / "content" / "papers").mkdir(parents=True)
    (repo / "content" / "papers" / ".gitkeep").write_text("")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "seed")
    git(repo, "push", "-q", "origin", "HEAD:main")
    stored = [
        Paper(
            paper_id=f"arxiv:2606.1900{n}",
            title=f"Stored before the crash {n}",
            authors=("Zeyu Cao",),
            abstract="About it.",
            announced=date(2026, 6, 18),
            source_label="arXiv (cs.LG)",
            source="arxiv",
        )
        for n in (1, 2)
    ]
    for paper in stored:
        write_paper(repo / "content", paper, None)
    (repo / "radar.yaml").write_text("topics: [\n")  # the crash: the pipeline exits 2
    bin_dir = Path(sys.executable).parent  # this environment's python and python3
    outputs = tmp_path / "github_output"
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "PYTHONPATH": str(REPO),
        "HOME": str(tmp_path),
        "DAY": "2026-06-18",
        "STARTED": "0",
        "OUTCOME": "failure",
        "GITHUB_OUTPUT": str(outputs),
    }
    crashed = run_step("Run the pipeline", repo, env)
    assert crashed.returncode == 2, crashed.stderr
    token = re.search(r"^::stop-commands::(\w+)$", crashed.stdout, re.MULTILINE)
    assert token and f"\n::{token.group(1)}::\n" in crashed.stdout  # commands resumed on exit
    assert run_step("Record an unfinished run in the report", repo, env).returncode == 0
    committed = run_step("Commit content/ back", repo, env)
    assert committed.returncode == 0, committed.stderr
    listed = git(origin, "ls-tree", "-r", "--name-only", "main", "content").split()
    assert sorted(p for p in listed if p.endswith(".md")) == [
        f"content/{article_relpath(p.paper_id)}" for p in stored
    ]
    first = git(origin, "show", f"main:content/{article_relpath(stored[0].paper_id)}")
    assert "Title: Stored before the crash 1\n" in first
    report = json.loads(git(origin, "show", "main:content/reports/2026-06-18.json"))
    assert report["finished"] is False and report["notes"][0].startswith("the pipeline step did")
    assert git(origin, "log", "-1", "--format=%an %s", "main") == (
        "github-actions[bot] Nightly radar: 2026-06-18\n"
    )
    assert outputs.read_text() == f"sha={git(repo, 'rev-parse', 'HEAD')}"


def test_make_test_on_a_plain_checkout_installs_from_the_locks_chromium_and_npm() -> None:
    """What the PR check's `make test` does in a bare python:3.12-bookworm container (root, no
    Chromium, no npm), read from make's dry run; .ci/run is the same `make test`."""
    _, workflow = load("pr.yml")
    job = workflow["jobs"]["test"]
    assert job["container"]["image"] == "python:3.12-bookworm"
    assert [step["run"] for step in job["steps"] if "run" in step] == ["make test"]
    assert (REPO / ".ci" / "run").read_text().rstrip().endswith("\nmake test")
    outer = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")  # when this runs inside `make test`
    env = {k: v for k, v in os.environ.items() if k not in outer}
    dry = subprocess.run(
        ["make", "--no-print-directory", "-n", "-B", "test", "CHROMIUM=/nonexistent"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    commands = [line.strip() for line in dry.splitlines()]
    installs = [c for c in commands if "pip install" in c and " -r " in c]
    assert installs == [
        ".venv/bin/python -m pip install --quiet --require-hashes -r requirements.lock",
        ".venv/bin/python -m pip install --quiet --require-hashes -r requirements-dev.lock",
    ]
    assert "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium" in dry
    assert "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm" in dry
    assert "npm ci --no-audit --no-fund --silent" in commands
    assert commands[-1] == ".venv/bin/python -m pytest -q"


# ---- the lock files every install reads ---------------------------------------------------------


def locked(name: str) -> dict[str, tuple[str, int]]:
    """requirements*.lock as `uv pip compile --generate-hashes` writes it: normalised name →
    (version, number of hashes)."""
    text = (REPO / name).read_text()
    hashed = r"^([A-Za-z0-9_.-]+)==(\S+)(?: ;[^\n\\]*)?((?: \\\n\s+--hash=sha256:[0-9a-f]{64})+)"
    pins = re.findall(hashed, text, re.MULTILINE)
    assert len(pins) == len(re.findall(r"^[A-Za-z0-9_.-]+==", text, re.MULTILINE))  # all hashed
    return {canonicalize_name(n): (v, hashes.count("--hash=")) for n, v, hashes in pins}


def test_lock_files_pin_every_dependency_within_its_range_with_hashes() -> None:
    """Adding a dependency or moving a range without `make lock` fails here, not on a fork."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    runtime, dev = locked("requirements.lock"), locked("requirements-dev.lock")
    for line in project["dependencies"]:
        requirement = Requirement(line)
        version, _ = runtime[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(version), (line, version)
        assert any(spec.operator in ("<", "<=", "==", "~=") for spec in requirement.specifier), (
            f"{line}: give it an upper bound"
        )
    for line in project["optional-dependencies"]["dev"]:
        requirement = Requirement(line)
        [spec] = requirement.specifier
        assert spec.operator == "==", f"{line}: dev tools are pinned exactly"
        assert dev[canonicalize_name(requirement.name)][0] == spec.version
    both = runtime.keys() & dev.keys()
    assert {n: runtime[n][0] for n in both} == {n: dev[n][0] for n in both}
    assert runtime.keys() <= dev.keys()  # the dev lock installs over the runtime one unchanged
