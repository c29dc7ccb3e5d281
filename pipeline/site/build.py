"""Build the site: Pelican renders output/ from content/ and theme/, Pagefind indexes it.

One function for `make site`, the tests and the benchmark, so all three build the same way. Each
tool runs in its own process (a failed build fails here, with the tool's own message); the time
of each build is kept in the cache folder for the status page."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..archive import count_papers, is_paper_path
from ..errors import RunError
from ..models import Damaged
from ..write import clear_temporaries, write_atomically
from .search_index import BUNDLE_DIR, FIRST_SEARCH_PAGES, SHARD_MAX_PAGES, index_site

BUILDS_FILE = "builds.json"
DAMAGED_FILE = "damaged-articles.json"  # written by the site generator: what Pelican skipped
BUILDS_KEPT = 30


class BuildError(RunError):
    """Pelican or Pagefind failed; the message is the tool's own, last lines first."""


@dataclass(frozen=True)
class BuildRecord:
    finished: str  # ISO time, UTC
    papers: int
    pelican_seconds: float
    pagefind_seconds: float
    damaged: tuple[Damaged, ...] = ()  # articles skipped as damaged (not kept in builds.json)

    @property
    def seconds(self) -> float:
        return self.pelican_seconds + self.pagefind_seconds


def _run(command: list[str], env: dict[str, str], what: str) -> float:
    started = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise BuildError(f"{what} failed (exit {done.returncode}):\n{tail}")
    return time.monotonic() - started


def build_site(
    content: Path,
    output: Path,
    *,
    radar: Path = Path("radar.yaml"),
    settings: Path = Path("pelicanconf.py"),
    cache: Path = Path("cache"),
    index: bool = True,
    first_search_pages: int = FIRST_SEARCH_PAGES,
    shard_max_pages: int = SHARD_MAX_PAGES,
) -> BuildRecord:
    for folder in (cache, output / BUNDLE_DIR):  # what a killed build left half-written
        clear_temporaries(folder, recursive=False)
    (cache / DAMAGED_FILE).unlink(missing_ok=True)
    env = dict(os.environ, ACADEMICHUB_RADAR=str(radar))
    pelican = [
        sys.executable,
        "-m",
        "pelican",
        str(content),
        "--settings",
        str(settings),
        "--output",
        str(output),
        "--quiet",
        "--extra-settings",
        f"CACHE_PATH={json.dumps(str(cache.resolve()))}",
    ]
    pelican_seconds = _run(pelican, env, "Pelican")
    pagefind_seconds = 0.0
    if index:
        started = time.monotonic()
        try:
            index_site(
                output, cache, first_search_pages=first_search_pages, max_pages=shard_max_pages
            )
        except subprocess.CalledProcessError as err:
            tail = "\n".join((err.stderr or err.stdout or "").strip().splitlines()[-15:])
            raise BuildError(f"Pagefind failed (exit {err.returncode}):\n{tail}") from None
        pagefind_seconds = time.monotonic() - started
    damaged = read_damaged(cache)
    record = BuildRecord(
        finished=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        papers=count_papers(content) - sum(is_paper_path(d.path) for d in damaged),
        pelican_seconds=round(pelican_seconds, 2),
        pagefind_seconds=round(pagefind_seconds, 2),
        damaged=damaged,
    )
    remember_build(cache, record)
    return record


def read_builds(cache: Path) -> list[BuildRecord]:
    """Recent builds, newest first; a missing or damaged file just means no history."""
    try:
        rows = json.loads((cache / BUILDS_FILE).read_text(encoding="utf-8"))
        return [BuildRecord(**row) for row in rows]
    except (OSError, ValueError, TypeError):
        return []


def read_damaged(cache: Path) -> tuple[Damaged, ...]:
    try:
        rows = json.loads((cache / DAMAGED_FILE).read_text(encoding="utf-8"))
        return tuple(Damaged(**row) for row in rows)
    except (OSError, ValueError, TypeError):
        return ()


def remember_build(cache: Path, record: BuildRecord) -> None:
    rows = [
        {k: v for k, v in asdict(b).items() if k != "damaged"}
        for b in [record, *read_builds(cache)][:BUILDS_KEPT]
    ]
    write_atomically(cache / BUILDS_FILE, json.dumps(rows, indent=1) + "\n")
