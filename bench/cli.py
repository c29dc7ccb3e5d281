"""How long `python -m pipeline check` takes on the shipped radar.yaml, start to exit (the
interpreter's own start-up shown beside it): the command line imports only what a command uses,
so `check` does not pay for the sources, the LLM client or Pelican."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RUNS = 11


def wall_seconds(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=REPO, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    check = [wall_seconds([sys.executable, "-m", "pipeline", "check"]) for _ in range(RUNS)]
    bare = [wall_seconds([sys.executable, "-c", "pass"]) for _ in range(RUNS)]
    print(
        f"python -m pipeline check (shipped radar.yaml): {statistics.median(check):.2f} s median "
        f"of {RUNS} (min {min(check):.2f} s); "
        f"the interpreter alone: {statistics.median(bare):.2f} s"
    )
