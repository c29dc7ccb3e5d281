"""Index the built site with Pagefind, in bundles ("shards") of whole months of papers.

One index for a whole archive does not scale: Pagefind holds ~160 KB of memory per page while
indexing (8 GB at 50k papers), re-indexes every page every night, and its metadata file — which a
browser fetches before the first result — grows ~6 bytes per page. Shards of at most 5,000
pages bound all three: a night re-indexes only the shards whose pages changed (the newest), each
run holds one shard in memory, and a first search fetches only the newest shards (`recent`);
the search page merges older shards on request (theme/static/js/search.js).

The site generator writes which page belongs to which shard (`SHARD_PAGES` in the cache folder);
this module decides which shards are stale, indexes them, and writes `pagefind/shards.json`."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from pathlib import Path

from ..write import write_atomically

SHARD_PAGES = "search-pages.json"  # {page path in output/: its day}, from the site generator
SHARD_STATE = "search-shards.json"  # {shard id: fingerprint} of the bundles now in output/
BUNDLE_DIR = "pagefind"
MANIFEST = "shards.json"
# Pagefind holds ~160 KB a page while indexing: two runs of 5,000 pages at once stay near 1.6 GB.
SHARD_MAX_PAGES = 5_000
INDEX_WORKERS = 2  # Pagefind keeps ~1.3 of 2 cores busy: a second run fills the rest
# A first query searches the newest shards holding at most this many pages: each page costs
# ~6 bytes of Pagefind metadata and each shard one index chunk (~20 KB) for the word.
FIRST_SEARCH_PAGES = 14_000
# What a merged shard needs; the newest (primary) shard also keeps Pagefind's runtime.
RUNTIME_FILES = ("pagefind.js", "pagefind-worker.js", "wasm.")
UNUSED_FILES = (
    "pagefind-ui.",
    "pagefind-component-ui.",
    "pagefind-modular-ui.",
    "pagefind-highlight.js",
)


@dataclass(frozen=True)
class Shard:
    id: str  # "2026-11"
    bundle: str  # "2026-11/", relative to the manifest's folder
    pages: int
    first: str  # first and last day of its pages, "2026-11-01"
    last: str


@dataclass(frozen=True)
class IndexRun:
    shards: int
    indexed: tuple[str, ...]  # shards indexed this run; the others were unchanged
    pages: int


def plan_shards(pages: Mapping[str, str], max_pages: int = SHARD_MAX_PAGES) -> dict[str, list[str]]:
    """{page: day} → {shard: sorted pages}, newest shard first. Whole months (or, for a month
    bigger than `max_pages`, whole days) are grouped from the oldest while a shard holds at most
    `max_pages`, so a night's papers change only the newest shard, and one that overflows starts
    the next. Shards are named by their first and last unit: "2026-06", "2026-03_2026-06",
    "2026-07-01_2026-07-15"."""
    days: dict[str, list[str]] = {}
    for page, day in pages.items():
        days.setdefault(day, []).append(page)
    months: dict[str, list[str]] = {}
    for day in sorted(days):
        months.setdefault(day[:7], []).append(day)
    units: list[tuple[str, list[str]]] = []  # (name, pages), oldest first
    for month, month_days in months.items():
        month_pages = [page for day in month_days for page in days[day]]
        if len(month_pages) <= max_pages:
            units.append((month, month_pages))
        else:
            units.extend((day, days[day]) for day in month_days)
    groups: list[tuple[list[str], list[str]]] = []  # (unit names, pages), oldest first
    for name, unit_pages in units:
        if groups and len(groups[-1][1]) + len(unit_pages) <= max_pages:
            groups[-1][0].append(name)
            groups[-1][1].extend(unit_pages)
        else:
            groups.append(([name], list(unit_pages)))
    return {
        "_".join(dict.fromkeys([names[0], names[-1]])): sorted(group)
        for names, group in reversed(groups)
    }


def recent_count(page_counts: list[int], budget: int = FIRST_SEARCH_PAGES) -> int:
    """How many of the newest shards (counts newest first) a first query searches: as many as
    fit in `budget` pages, and always the newest one."""
    total, count = 0, 0
    for pages in page_counts:
        if count and total + pages > budget:
            break
        total, count = total + pages, count + 1
    return count


def fingerprint(output: Path, pages: list[str]) -> str:
    """Changes when a page of the shard is added, removed or rewritten."""
    digest = hashlib.sha1()
    for page in pages:
        stat = os.stat(output / page)
        digest.update(f"{page}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _read_json(path: Path) -> dict:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _stage(output: Path, pages: list[str], staging: Path) -> None:
    """A folder holding just the shard's pages, at their paths, for Pagefind's --site; index_site
    has cleared any staging folder a stopped build left."""
    for page in pages:
        target = staging / page
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(output / page, target)
        except OSError:  # another filesystem: copy instead
            shutil.copyfile(output / page, target)


def run_pagefind(site: Path, bundle: Path) -> None:
    """Index every HTML page under `site` into `bundle`; BuildError-worthy failures raise
    subprocess.CalledProcessError with Pagefind's own output."""
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site),
        "--output-path",
        str(bundle),
        "--silent",
    ]
    subprocess.run(command, capture_output=True, text=True, check=True)


def _index_shard(
    output: Path, cache: Path, shard: str, pages: list[str], indexer: Callable[[Path, Path], None]
) -> None:
    """Index into a new folder, then swap it in: a failed run leaves the old bundle in place."""
    bundles = output / BUNDLE_DIR
    staging = cache / f"search-staging-{shard}"
    fresh, current = bundles / f".{shard}.new", bundles / shard
    _stage(output, pages, staging)
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        indexer(staging, fresh)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for path in fresh.iterdir():
        if path.name.startswith(UNUSED_FILES):
            path.unlink()
    old = bundles / f".{shard}.old"
    if current.exists():
        current.rename(old)
    fresh.rename(current)
    shutil.rmtree(old, ignore_errors=True)


def _keep_runtime_only_in(bundles: Path, newest: str) -> None:
    """Merged shards use the primary's runtime; keep one copy of it, in the newest shard."""
    for bundle in bundles.iterdir():
        if bundle.is_dir() and bundle.name != newest and not bundle.name.startswith("."):
            for path in bundle.iterdir():
                if path.is_file() and path.name.startswith(RUNTIME_FILES):
                    path.unlink()


def index_site(
    output: Path,
    cache: Path,
    *,
    first_search_pages: int = FIRST_SEARCH_PAGES,
    max_pages: int = SHARD_MAX_PAGES,
    workers: int = INDEX_WORKERS,
    indexer: Callable[[Path, Path], None] = run_pagefind,
) -> IndexRun:
    """Bring output/pagefind/ up to date with the pages the generator listed; stale shards are
    indexed `workers` at a time (one Pagefind process each)."""
    days = {
        page: day
        for page, day in _read_json(cache / SHARD_PAGES).items()
        if (output / page).is_file()
    }
    shards = plan_shards(days, max_pages)
    previous = _read_json(cache / SHARD_STATE)
    bundles = output / BUNDLE_DIR
    bundles.mkdir(parents=True, exist_ok=True)
    newest = next(iter(shards), "")
    state = {shard: fingerprint(output, pages) for shard, pages in shards.items()}
    stale = [
        shard
        for shard in shards
        if previous.get(shard) != state[shard]
        or not (bundles / shard).is_dir()
        # the newest shard carries the runtime: re-index a month that has just become newest
        or (shard == newest and not (bundles / shard / "pagefind.js").exists())
    ]
    for leftover in cache.glob("search-staging-*"):  # from a build that was stopped
        shutil.rmtree(leftover, ignore_errors=True)
    done = {shard: stamp for shard, stamp in previous.items() if shard not in stale}
    failure: BaseException | None = None
    with ThreadPoolExecutor(max_workers=workers) as pool:
        running = {}
        for shard in stale:
            print(f"  indexing {shard}: {len(shards[shard])} pages", file=sys.stderr, flush=True)
            running[pool.submit(_index_shard, output, cache, shard, shards[shard], indexer)] = shard
        for future in as_completed(running):
            if future.exception() is not None:
                failure = failure or future.exception()
                continue
            done[running[future]] = state[running[future]]
            # saved as each shard lands: an interrupted build keeps what it indexed
            write_atomically(cache / SHARD_STATE, json.dumps(done))
    if failure is not None:
        raise failure
    for leftover in bundles.iterdir():  # a month with no pages left, a half-written bundle
        if leftover.is_dir() and leftover.name not in shards:
            shutil.rmtree(leftover)
        elif leftover.is_file() and leftover.name != MANIFEST:
            leftover.unlink()  # from a build before shards
    write_atomically(cache / SHARD_STATE, json.dumps(state))
    if newest:
        _keep_runtime_only_in(bundles, newest)
    manifest = [
        Shard(
            shard, f"{shard}/", len(pages), min(days[p] for p in pages), max(days[p] for p in pages)
        )
        for shard, pages in shards.items()
    ]
    recent = recent_count([s.pages for s in manifest], first_search_pages)
    shards_json = {"pages": len(days), "recent": recent, "shards": [asdict(s) for s in manifest]}
    write_atomically(bundles / MANIFEST, json.dumps(shards_json, indent=1))
    return IndexRun(len(manifest), tuple(stale), len(days))
