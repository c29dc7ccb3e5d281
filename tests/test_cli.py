"""One command line: `academichub COMMAND` / `python -m pipeline COMMAND`, each command loading
only what it uses; errors of ours end in one line and the exit status of their branch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import errors
from pipeline.__main__ import main
from pipeline.archive import DamagedArticle
from pipeline.commit_back import CommitBackError
from pipeline.config import RadarError
from pipeline.github import GitHubError
from pipeline.llm import LLMError
from pipeline.models import LLMFailure
from pipeline.removed import TombstoneError
from pipeline.site.build import BuildError

REPO = Path(__file__).resolve().parents[1]
# Modules `check` must not load: the network stack, the LLM clients, the site generator, the
# stages it does not run.
HEAVY = (
    "anthropic",
    "openai",
    "requests",
    "feedparser",
    "arxiv",
    "pelican",
    "sklearn",
    "pipeline.sources",
    "pipeline.http",
    "pipeline.brief",
    "pipeline.site",
    "pipeline.backtest",
)


def test_check_loads_no_stage_it_does_not_run() -> None:
    probe = (
        "import sys\n"
        "from pipeline.__main__ import main\n"
        "status = main(['check'])\n"
        f"print(status, sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "0 []"
    assert "radar.yaml is valid: 3 topics, 1 watched authors" in result.stdout


def test_health_runs_on_the_standard_library_alone(tmp_path: Path) -> None:
    """`python -S` leaves site-packages out, as the runner's own Python has none of ours."""
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "2026-09-02.json").write_text(
        json.dumps(
            {"announce_day": "2026-09-02", "fetched": 7, "matched": 3, "new": 2, "sources": []}
        )
    )
    for command in (["-m", "pipeline", "health"], ["-m", "pipeline.health"]):
        result = subprocess.run(
            [
                sys.executable,
                "-S",
                *command,
                "summary",
                "--day",
                "2026-09-02",
                "--content",
                str(tmp_path),
            ],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("## AcademicHub run for 2026-09-02\n")
        assert "Fetched 7, matched 3" in result.stdout


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["commit-back", "--help"], "--message MESSAGE"),
        (["-v", "health", "--help"], "{summary,issue,keepalive"),
        (["--help"], "commit-back"),
    ],
)
def test_programs_are_subcommands(
    capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 0
    assert expected in capsys.readouterr().out


@pytest.mark.parametrize(
    ("error", "branch", "status"),
    [
        (RadarError("radar.yaml", 3, "topics", "fix it"), errors.UserError, 2),
        (BuildError("pagefind failed"), errors.RunError, 1),
        (DamagedArticle(Path("content/papers/x.md"), "not UTF-8"), errors.RunError, 1),
        (TombstoneError("arxiv:2606.00001", "no such article"), errors.UserError, 2),
        (errors.SourceError("https://x.org: HTTP 500"), errors.RunError, 1),
        (LLMError(LLMFailure("model refused after 1 request", 400, 1)), errors.RunError, 1),
        (GitHubError("GET", "/repos/o/r/issues", 403, "forbidden"), errors.RunError, 1),
        (CommitBackError("push refused"), errors.RunError, 1),
    ],
)
def test_every_error_of_ours_ends_in_one_line_and_its_branch_s_status(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    error: errors.AcademicHubError,
    branch: type,
    status: int,
) -> None:
    assert isinstance(error, branch)

    def fail(args: object) -> int:
        raise error

    monkeypatch.setattr("pipeline.__main__.command_check", fail)
    assert main(["check"]) == status
    assert capsys.readouterr().err == f"error: {error}\n"
