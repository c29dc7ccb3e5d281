"""The guard that keeps tests inside the repository can see a read beside it."""

from __future__ import annotations

import fixture_guard
import pytest


def test_a_read_beside_the_repository_is_recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    recorded: list[str] = []
    monkeypatch.setattr(fixture_guard, "outside_reads", recorded)
    monkeypatch.setattr(fixture_guard, "_siblings", {"shared-library"})
    beside = fixture_guard.REPO.parent / "shared-library" / "fixtures" / "SOURCES.md"
    with pytest.raises(OSError):
        open(beside)  # noqa: SIM115 - the audit event fires before the open fails
    assert recorded == [str(beside)]


def test_a_folder_made_beside_the_repository_during_the_tests_is_not_counted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A clone in /tmp shares its parent with the tests' temporary folders."""
    recorded: list[str] = []
    monkeypatch.setattr(fixture_guard, "outside_reads", recorded)
    monkeypatch.setattr(fixture_guard, "_siblings", {"shared-library"})
    with pytest.raises(OSError):
        open(fixture_guard.REPO.parent / "tmp-made-by-a-test" / "x")  # noqa: SIM115
    assert recorded == []


def test_reads_inside_the_repository_are_not_recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    recorded: list[str] = []
    monkeypatch.setattr(fixture_guard, "outside_reads", recorded)
    (fixture_guard.FIXTURES / "SOURCES.md").read_text()
    assert recorded == []


BESIDE = "../" + "shared"  # spelled apart so this file does not name it


def test_no_test_names_a_path_beside_the_repository() -> None:
    offenders = [
        str(path.relative_to(fixture_guard.REPO))
        for path in (fixture_guard.REPO / "tests").rglob("*.py")
        if BESIDE in path.read_text()
    ]
    assert offenders == []
