"""Shared fixtures: a replay server on 127.0.0.1 and endpoints pointing at it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fixture_guard  # noqa: E402
from replay import ReplayServer, point_pipeline_at  # noqa: E402

from pipeline.models import Endpoints  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
fixture_guard.install()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when a test read beside the repository, or (on a whole-suite run) when a
    fixture in tests/fixtures is never used."""
    problems = [
        f"a test read outside the repository: {path}"
        for path in sorted(set(fixture_guard.outside_reads))
    ]
    whole_suite = not (
        session.config.option.keyword
        or session.config.option.markexpr
        or [str(Path(arg).resolve()) for arg in session.config.args] != [str(REPO / "tests")]
        or getattr(session.config.option, "lf", False)
        or session.testsfailed
    )
    if whole_suite and session.testscollected:
        problems += [
            f"fixture never used by a test: {path}" for path in fixture_guard.unused_fixtures()
        ]
    if problems:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        for problem in problems:
            reporter.write_line(f"ERROR {problem}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def replay() -> Iterator[ReplayServer]:
    with ReplayServer() as server:
        yield server


@pytest.fixture
def endpoints(replay: ReplayServer) -> Endpoints:
    return Endpoints(
        arxiv_api_url=f"{replay.url}/api/query",
        arxiv_rss_url=f"{replay.url}/rss/",
        arxiv_api_delay=0.0,
        timeout=5.0,
    )


@pytest.fixture
def arxiv_env(replay: ReplayServer, monkeypatch: pytest.MonkeyPatch) -> ReplayServer:
    """The environment `python -m pipeline` reads, pointed at the replay server."""
    point_pipeline_at(replay, monkeypatch)
    return replay
