"""Monthly search shards: which shards a build re-indexes, what the manifest says, and that a
failed Pagefind run leaves the previous bundle in place. Pagefind itself is replaced by a
recording indexer here (the browser tests run the real one)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.site.search_index import (
    MANIFEST,
    SHARD_PAGES,
    index_site,
    plan_shards,
    recent_count,
)


class RecordingIndexer:
    """Writes a bundle as Pagefind would (runtime, UI files, entry) and records what it saw."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, site: Path, bundle: Path) -> None:
        pages = sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))
        self.calls.append(pages)
        bundle.mkdir(parents=True)
        for name in (
            "pagefind.js",
            "pagefind-worker.js",
            "wasm.en.pagefind",
            "pagefind-ui.js",
            "pagefind-ui.css",
            "pagefind-entry.json",
        ):
            (bundle / name).write_text(json.dumps(pages))


def make_site(root: Path, pages: dict[str, str]) -> tuple[Path, Path]:
    output, cache = root / "output", root / "cache"
    for page in pages:  # pages already there are left as they are, as a night's build does
        (output / page).parent.mkdir(parents=True, exist_ok=True)
        if not (output / page).exists():
            (output / page).write_text(f"<html><body>{page}</body></html>")
    cache.mkdir(parents=True, exist_ok=True)
    (cache / SHARD_PAGES).write_text(json.dumps(pages))
    return output, cache


PAGES = {
    "papers/a/index.html": "2026-05-30",
    "papers/b/index.html": "2026-06-01",
    "papers/c/index.html": "2026-06-18",
    "briefings/2026-06-18/index.html": "2026-06-18",
    "papers/d/index.html": "2025-12-31",
    "papers/a2/index.html": "2026-05-02",
    "papers/d2/index.html": "2025-12-01",
}  # three pages in June, two in May and in December: a month a shard with max_pages=3


def test_first_build_indexes_each_month_and_writes_the_manifest(tmp_path: Path) -> None:
    output, cache = make_site(tmp_path, PAGES)
    indexer = RecordingIndexer()
    run = index_site(output, cache, first_search_pages=3, max_pages=3, workers=1, indexer=indexer)
    assert run.indexed == ("2026-06", "2026-05", "2025-12")
    assert indexer.calls[0] == [
        "briefings/2026-06-18/index.html",
        "papers/b/index.html",
        "papers/c/index.html",
    ]
    manifest = json.loads((output / "pagefind" / MANIFEST).read_text())
    assert manifest["pages"] == 7
    assert manifest["recent"] == 1  # June alone holds 3 pages; adding May would pass 3
    assert manifest["shards"][0] == {
        "id": "2026-06",
        "bundle": "2026-06/",
        "pages": 3,
        "first": "2026-06-01",
        "last": "2026-06-18",
    }
    assert [s["id"] for s in manifest["shards"]] == ["2026-06", "2026-05", "2025-12"]
    # the runtime stays only in the newest shard; Pagefind's own UI in none
    assert (output / "pagefind/2026-06/pagefind.js").exists()
    assert not (output / "pagefind/2026-05/pagefind.js").exists()
    assert not (output / "pagefind/2025-12/wasm.en.pagefind").exists()
    assert (output / "pagefind/2025-12/pagefind-entry.json").exists()
    assert not list(output.glob("pagefind/*/pagefind-ui.*"))
    assert not list(cache.glob("search-staging*"))


def test_a_night_reindexes_only_the_month_that_changed(tmp_path: Path) -> None:
    output, cache = make_site(tmp_path, PAGES)
    index_site(output, cache, max_pages=4, indexer=RecordingIndexer())
    assert index_site(output, cache, max_pages=4, indexer=RecordingIndexer()).indexed == ()
    tonight = {**PAGES, "papers/e/index.html": "2026-06-19"}
    output, cache = make_site(tmp_path, tonight)
    (output / "papers/a/index.html").write_text("<html>re-rendered</html>")
    indexer = RecordingIndexer()
    run = index_site(output, cache, max_pages=4, workers=1, indexer=indexer)
    assert run.indexed == ("2026-06", "2025-12_2026-05")
    assert "papers/e/index.html" in indexer.calls[0]


def test_a_new_month_takes_the_runtime_and_the_old_one_gives_it_up(tmp_path: Path) -> None:
    output, cache = make_site(tmp_path, PAGES)
    index_site(output, cache, max_pages=3, indexer=RecordingIndexer())
    output, cache = make_site(tmp_path, {**PAGES, "papers/f/index.html": "2026-07-01"})
    run = index_site(output, cache, max_pages=3, indexer=RecordingIndexer())
    assert run.indexed == ("2026-07",)  # June's pages did not change: its index stays
    assert (output / "pagefind/2026-07/pagefind.js").exists()
    assert not (output / "pagefind/2026-06/pagefind.js").exists()


def test_a_failed_pagefind_run_keeps_the_previous_bundle(tmp_path: Path) -> None:
    output, cache = make_site(tmp_path, PAGES)
    index_site(output, cache, max_pages=3, indexer=RecordingIndexer())
    before = (output / "pagefind/2026-06/pagefind-entry.json").read_text()
    (output / "papers/c/index.html").write_text("<html>changed</html>")

    def failing(site: Path, bundle: Path) -> None:
        bundle.mkdir(parents=True)
        raise subprocess.CalledProcessError(1, ["pagefind"], stderr="Error: out of memory")

    with pytest.raises(subprocess.CalledProcessError):
        index_site(output, cache, max_pages=3, indexer=failing)
    (cache / "search-staging-2024-01/papers").mkdir(parents=True)  # as a killed build leaves it
    assert (output / "pagefind/2026-06/pagefind-entry.json").read_text() == before
    # and the next build retries the month that failed, and clears what a killed one left
    assert index_site(output, cache, max_pages=3, indexer=RecordingIndexer()).indexed == (
        "2026-06",
    )
    assert not list(cache.glob("search-staging*"))


def test_bundles_of_an_older_layout_and_empty_months_are_removed(tmp_path: Path) -> None:
    output, cache = make_site(tmp_path, PAGES)
    (output / "pagefind/fragment").mkdir(parents=True)
    (output / "pagefind/pagefind-ui.js").write_text("old single index")
    index_site(output, cache, max_pages=3, indexer=RecordingIndexer())
    assert sorted(p.name for p in (output / "pagefind").iterdir()) == [
        "2025-12",
        "2026-05",
        "2026-06",
        MANIFEST,
    ]


@settings(deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=9_000), max_size=30),
    st.integers(min_value=1, max_value=50_000),
)
def test_recent_shards_fit_the_budget_and_always_include_the_newest(
    counts: list[int], budget: int
) -> None:
    recent = recent_count(counts, budget)
    if not counts:
        assert recent == 0
        return
    assert recent >= 1
    assert recent == 1 or sum(counts[:recent]) <= budget
    assert recent == len(counts) or sum(counts[: recent + 1]) > budget


def test_months_group_into_shards_up_to_the_cap_newest_first() -> None:
    assert plan_shards(PAGES, max_pages=4) == {
        "2026-06": [
            "briefings/2026-06-18/index.html",
            "papers/b/index.html",
            "papers/c/index.html",
        ],
        "2025-12_2026-05": [
            "papers/a/index.html",
            "papers/a2/index.html",
            "papers/d/index.html",
            "papers/d2/index.html",
        ],
    }
    assert list(plan_shards(PAGES, max_pages=3)) == ["2026-06", "2026-05", "2025-12"]
    assert list(plan_shards(PAGES, max_pages=7)) == ["2025-12_2026-06"]


def test_a_month_bigger_than_a_shard_is_cut_by_days() -> None:
    june = {f"papers/{n}/index.html": f"2026-06-{1 + n // 3:02d}" for n in range(9)}  # 3 a day
    shards = plan_shards({**june, "papers/may/index.html": "2026-05-31"}, max_pages=4)
    assert list(shards) == ["2026-06-03", "2026-06-02", "2026-05_2026-06-01"]  # 3, 3, 1 + 3 pages
    assert shards["2026-06-02"] == sorted(f"papers/{n}/index.html" for n in range(3, 6))


@settings(deadline=None)
@given(
    st.dictionaries(
        st.integers(0, 10_000).map(lambda n: f"papers/{n}/index.html"),
        st.dates().map(lambda d: d.isoformat()),
        max_size=60,
    ),
    st.integers(1, 20),
    st.dictionaries(
        st.integers(20_000, 30_000).map(lambda n: f"papers/{n}/index.html"),
        st.just("9999-12-31"),
        max_size=10,
    ),
)
def test_new_papers_change_only_the_newest_shards(
    pages: dict[str, str], cap: int, tonight: dict[str, str]
) -> None:
    before = plan_shards(pages, cap)
    after = plan_shards({**pages, **tonight}, cap)
    assert sorted(p for group in after.values() for p in group) == sorted({**pages, **tonight})
    for group in after.values():
        days = {pages.get(p, "9999-12-31") for p in group}
        assert len(group) <= cap or len(days) == 1
    # every shard but the newest of last night is still there, with the same pages
    for name, group in list(before.items())[1:]:
        assert after.get(name) == group


def test_a_month_that_becomes_newest_again_takes_the_runtime_back(tmp_path: Path) -> None:
    """July's only paper is removed: June is newest again, its pages unchanged, yet its bundle
    has no runtime (July held it), so it must be indexed again or search breaks."""
    july = {**PAGES, "papers/f/index.html": "2026-07-01"}
    output, cache = make_site(tmp_path, july)
    index_site(output, cache, max_pages=3, indexer=RecordingIndexer())
    assert not (output / "pagefind/2026-06/pagefind.js").exists()
    (output / "papers/f/index.html").unlink()
    (cache / SHARD_PAGES).write_text(json.dumps(PAGES))
    run = index_site(output, cache, max_pages=3, indexer=RecordingIndexer())
    assert run.indexed == ("2026-06",)
    assert (output / "pagefind/2026-06/pagefind.js").exists()
    assert not (output / "pagefind/2026-07").exists()
    manifest = json.loads((output / "pagefind" / MANIFEST).read_text())
    assert [s["id"] for s in manifest["shards"]] == ["2026-06", "2026-05", "2025-12"]


def test_the_manifest_is_written_atomically_with_mode_0644(tmp_path: Path) -> None:
    output, cache = make_site(tmp_path, PAGES)
    (output / "pagefind").mkdir()
    (output / "pagefind/.shards.json.x1.tmp").write_text('{"pages": ')  # a killed build's
    index_site(output, cache, max_pages=3, indexer=RecordingIndexer())
    assert sorted(p.name for p in (output / "pagefind").iterdir() if p.is_file()) == [MANIFEST]
    assert oct((output / "pagefind" / MANIFEST).stat().st_mode & 0o777) == "0o644"
