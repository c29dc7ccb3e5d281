"""git in a test's own repository, as a fixed author, on branch main: the one helper the
commit-back and workflow tests share."""

from __future__ import annotations

import subprocess
from pathlib import Path

IDENTITY = ("-c", "user.name=Seed", "-c", "user.email=seed@example.org")


def git(repo: Path, *args: str) -> str:
    """`git -C repo args…`; its standard output, or CalledProcessError when it fails."""
    done = subprocess.run(
        ["git", "-C", str(repo), *IDENTITY, "-c", "init.defaultBranch=main", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout
