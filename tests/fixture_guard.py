"""Tests need the repository and nothing else: every file a test opens beside the repository
(a library folder that a fork's checks never have) is recorded, and so is every fixture used."""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
_INSIDE = str(REPO) + os.sep
_WATCHED_EVENTS = {"open", "os.listdir", "os.scandir"}

outside_reads: list[str] = []
fixtures_read: set[str] = set()
_siblings: set[str] = set()


def _beside_repository(path: str) -> bool:
    """Under a folder that stood beside the repository before the tests began. A clone in the
    temporary folder (as CI makes) shares it with the tests' own temporary files, which are new
    or pytest's, so those are not counted."""
    parent, _, rest = path.partition(str(REPO.parent) + os.sep)
    return not parent and rest.split(os.sep, 1)[0] in _siblings


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event not in _WATCHED_EVENTS or not args:
        return
    target = args[0]
    if isinstance(target, bytes):
        target = os.fsdecode(target)
    elif isinstance(target, os.PathLike):
        target = os.fspath(target)
    if not isinstance(target, str):
        return
    path = os.path.abspath(target)
    if path == str(REPO) or path.startswith(_INSIDE):
        if path.startswith(str(FIXTURES) + os.sep):
            fixtures_read.add(path)
    elif _beside_repository(path):
        outside_reads.append(path)


def install() -> None:
    _siblings.update(
        entry
        for entry in os.listdir(REPO.parent)
        if entry != REPO.name and not entry.startswith("pytest-of-")
    )
    sys.addaudithook(_audit)


def unused_fixtures() -> list[str]:
    """Fixture files no test opened (notes such as README.md, INDEX.md and SOURCES.md excepted)."""
    unused = []
    for path in sorted(FIXTURES.rglob("*")):
        if path.is_file() and path.suffix != ".md" and str(path) not in fixtures_read:
            unused.append(str(path.relative_to(REPO)))
    return unused
