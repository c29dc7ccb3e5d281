"""The layers written down in pyproject.toml ([tool.importlinter]) hold, and a forbidden import
breaks them: the contracts are checked on this tree and on a copy with one import planted."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LINT = "from importlinter.cli import lint_imports_command; lint_imports_command()"


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports over the `pipeline` package and pyproject.toml found in `tree`."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [sys.executable, "-c", LINT, "--no-cache", str(tree / "pyproject.toml")],
        capture_output=True,
        text=True,
        cwd=tree,
        env=env,
        timeout=120,
    )


def broken_contracts(output: str) -> set[str]:
    """The names of the contracts lint-imports reports BROKEN."""
    return {
        line.removesuffix(" BROKEN") for line in output.splitlines() if line.endswith(" BROKEN")
    }


def copy_of_tree(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    shutil.copytree(
        REPO / "pipeline", tree / "pipeline", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(REPO / "pyproject.toml", tree / "pyproject.toml")
    return tree


def test_the_layers_hold_on_this_tree() -> None:
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^Contracts: \d+ kept, 0 broken\.$", result.stdout, re.MULTILINE)


@pytest.mark.parametrize(
    ("module", "planted", "contract"),
    [
        ("models.py", "from . import text", "models import nothing of ours"),
        (
            "sources/feeds.py",
            "from ..write import write_atomically",
            "sources never write the archive",
        ),
        ("site/reader.py", "import feedparser", "the site build and the settings it reads"),
        ("config.py", "from .sources import collect", "the site build and the settings it reads"),
        (
            "backtest.py",
            "import subprocess",
            "matching, dedupe, the briefing and the backtest never",
        ),
        ("dedupe.py", "from .match import Matcher", "matching and dedupe know nothing"),
        ("health.py", "import yaml", "health runs on the standard library alone"),
        ("feedback.py", "from . import config", "feedback runs on the standard library alone"),
    ],
)
def test_a_planted_forbidden_import_breaks_its_contract(
    tmp_path: Path, module: str, planted: str, contract: str
) -> None:
    tree = copy_of_tree(tmp_path)
    target = tree / "pipeline" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{planted}  # planted\n")
    result = lint_imports(tree)
    assert result.returncode == 1, result.stdout + result.stderr
    assert [name[: len(contract)] for name in broken_contracts(result.stdout)] == [contract]
