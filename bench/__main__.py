"""`make bench`: prints figures (medians), never asserts. Sizes and repeats are settable:

python -m bench --sizes 1000,5000,10000,50000 --repeat 3 --defaults-at 5000,10000
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from pipeline.site.author_index import FOLDER as AUTHOR_FOLDER

from . import site
from .browser import QUERY, measure_transfer
from .matching import measure_match_dedupe

WORKDIR = Path(__file__).resolve().parent / "out"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    sizes = lambda text: [int(s) for s in text.split(",") if s]  # noqa: E731
    parser.add_argument("--sizes", type=sizes, default=[1000, 5000, 10000, 50000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--defaults-at",
        type=sizes,
        default=[5000, 10000],
        help="sizes at which Pelican's defaults are also built, once (slow: quadratic; "
        "50000 takes most of an hour)",
    )
    parser.add_argument("--only", choices=["site", "match", "extra"], default=None)
    return parser.parse_args(argv)


def bench_site(args: argparse.Namespace) -> None:
    print(
        f"\nSite build (medians of {args.repeat}; nightly = rebuild + index after "
        f"{site.NIGHTLY_NEW} new papers)"
    )
    header = (
        f"{'papers':>7} {'full s':>7} {'pelican':>7} {'pagefind':>8} {'per paper ms':>12} "
        f"{'nightly s':>9} {'peak MB':>7} {'output MB':>9} {'files':>7} "
        f"{'home KB':>7} {'search KB':>9}"
    )
    print(header)
    rows: dict[int, site.Timed] = {}
    author_counts: dict[int, site.BucketIndex] = {}
    for size in args.sizes:
        root = site.archive_for(size, WORKDIR)
        full = site.median(site.full_build(root, args.repeat))
        size_bytes, files = site.tree_size(root / "output")
        transfer = measure_transfer(root / "output", site.SITE_PATH)
        nightly = site.median(site.nightly_rebuild(root, size, args.repeat))
        rows[size] = full
        author_counts[size] = site.bucket_index(root / "output" / AUTHOR_FOLDER)
        print(
            f"{size:>7} {full.seconds:>7.1f} {full.pelican:>7.1f} {full.pagefind:>8.1f} "
            f"{1000 * full.seconds / size:>12.2f} {nightly.seconds:>9.1f} "
            f"{max(full.peak_mb, nightly.peak_mb):>7.0f} {size_bytes / 1e6:>9.1f} {files:>7} "
            f"{transfer.home_bytes / 1024:>7.1f} {transfer.search_bytes / 1024:>9.1f}",
            flush=True,
        )
    print(
        f"(search: the first query, {QUERY!r}, typed into the home page's search box; "
        "bytes as served gzipped, like GitHub Pages)"
    )
    for size, index in author_counts.items():
        print(
            f"author-counts/ at {size}: {index.total_bytes / 1024:,.0f} KB in {index.buckets} "
            f"buckets; an unwatched author's chip fetches one, at most "
            f"{index.largest_gzipped / 1024:.1f} KB gzipped"
        )
    small = 5000 if 5000 in rows else min(rows, default=0)
    large = max(rows, default=0)
    if large > small:
        growth = (rows[large].seconds / large) / (rows[small].seconds / small)
        print(f"growth: time per paper at {large} = {growth:.2f}× time per paper at {small}")
    for size in args.defaults_at:
        root = site.archive_for(size, WORKDIR)
        ours = rows[size] if size in rows else site.median(site.full_build(root, 1))
        default = site.defaults_build(root)
        print(
            f"Pelican defaults at {size}: {default.seconds:.1f} s (peak {default.peak_mb:.0f} MB, "
            f"no search index) vs ours {ours.seconds:.1f} s with the index "
            f"({ours.pelican:.1f} s Pelican + {ours.pagefind:.1f} s Pagefind): "
            f"{default.seconds / ours.seconds:.1f}× faster, "
            f"{default.seconds / ours.pelican:.1f}× Pelican to Pelican",
            flush=True,
        )


def bench_match() -> None:
    figures = measure_match_dedupe()
    print(
        f"\nMatch + dedupe: {figures['papers']} papers against {figures['topics']} topics and "
        f"{figures['archive_keys']:,} keys of a 50k archive: "
        f"{figures['seconds']:.2f} s median ({figures['matched']} matched, "
        f"{figures['duplicates']} duplicates merged)"
    )


def bench_extra() -> None:
    """Benchmarks of other stages, where present (the command line, sources, hostile sources,
    briefing, ranking)."""
    for name in ("cli", "sources", "hostile", "briefing", "ranking"):
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError:
            continue
        print(f"\n{name.capitalize()}:")
        module.main()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    WORKDIR.mkdir(exist_ok=True)
    if args.only in (None, "match"):
        bench_match()
    if args.only in (None, "extra"):
        bench_extra()
    if args.only in (None, "site"):
        bench_site(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
