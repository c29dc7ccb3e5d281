"""Site build benchmark: full build + index, nightly rebuild after 200 new papers, peak memory,
output size, bytes a browser fetches, and Pelican's defaults on the same archive as the ratio."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from pipeline.archive import article_relpath
from pipeline.site.build import read_builds

from .synthetic import PAPERS_PER_DAY, archive_day, synthetic_papers, write_archive

REPO = Path(__file__).resolve().parents[1]
NIGHTLY_NEW = 200
SITE_PATH = "/radar/"  # a project page's path, as GitHub Pages serves a fork's site
RADAR = (
    "site: {title: Bench Radar, url: https://bench.example.org"
    + SITE_PATH
    + "}\n"
    + """\
topics:
  - {name: Low-communication training, keywords: [federated]}
  - {name: Mixture of experts, keywords: [mixture]}
  - {name: World models, keywords: [world]}
authors: [Zeyu Cao]
"""
)


@dataclass(frozen=True)
class Timed:
    seconds: float
    peak_mb: float
    pelican: float = 0.0  # seconds, from the build record
    pagefind: float = 0.0


PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


def tree_rss(root: int) -> int:
    """Bytes resident in `root` and all its descendants now (Linux /proc)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        parents[int(stat.parent.name)] = int(fields[1])
    tree, grew = {root}, True
    while grew:
        found = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= found
        grew = bool(found)
    total = 0
    for pid in tree:
        with contextlib.suppress(OSError):  # ended meanwhile
            total += int((Path("/proc") / str(pid) / "statm").read_text().split()[1]) * PAGE_BYTES
    return total


def run_measured(command: list[str], env: dict[str, str] | None = None) -> Timed:
    """Wall time and peak memory of a command: the most its whole process tree held at once
    (sampled every 0.1 s; two Pagefind runs side by side count twice), never less than the
    largest single process's peak RSS."""
    started = time.monotonic()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    peak = [0]
    finished = threading.Event()

    def sample() -> None:
        while not finished.wait(0.1):
            peak[0] = max(peak[0], tree_rss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    finished.set()
    sampler.join()
    seconds = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command[:4])} … failed:\n{process.stderr.read()[-2000:]}")
    return Timed(seconds, max(usage.ru_maxrss * 1024, peak[0]) / 2**20)


def archive_for(size: int, workdir: Path) -> Path:
    """A synthetic archive of `size` papers, made once and kept in the bench folder."""
    root = workdir / f"archive-{size}"
    content = root / "content"
    # an archive of another shape is made anew (v2: sentences and a TL;DR per paper)
    made = f"{size} papers, {PAPERS_PER_DAY} a day, v2\n"
    if not (root / "done").exists() or (root / "done").read_text() != made:
        shutil.rmtree(root, ignore_errors=True)
        print(f"  writing a {size}-paper archive …", file=sys.stderr, flush=True)
        write_archive(content, synthetic_papers(size))
        (root / "done").write_text(made)
    (root / "radar.yaml").write_text(RADAR)
    return root


def site_command(root: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pipeline",
        "site",
        "--radar",
        str(root / "radar.yaml"),
        "--content",
        str(root / "content"),
        "--output",
        str(root / "output"),
        "--cache",
        str(root / "cache"),
        "--settings",
        str(REPO / "publishconf.py"),
    ]


def build_measured(root: Path) -> Timed:
    timed = run_measured(site_command(root))
    record = read_builds(root / "cache")[0]
    return Timed(timed.seconds, timed.peak_mb, record.pelican_seconds, record.pagefind_seconds)


def tree_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


@dataclass(frozen=True)
class BucketIndex:
    """A bucketed index of the built site (ids/, author-counts/): what a lookup fetches is
    index.json and one bucket, so its largest bucket gzipped is the cost of one lookup."""

    total_bytes: int
    buckets: int
    largest_gzipped: int


def bucket_index(folder: Path) -> BucketIndex:
    buckets = [p for p in folder.glob("*.json") if p.name != "index.json"]
    total, _ = tree_size(folder)
    largest = max((len(gzip.compress(p.read_bytes())) for p in buckets), default=0)
    return BucketIndex(total, len(buckets), largest)


def full_build(root: Path, repeat: int) -> list[Timed]:
    runs = []
    for _ in range(repeat):
        shutil.rmtree(root / "output", ignore_errors=True)
        shutil.rmtree(root / "cache", ignore_errors=True)
        runs.append(build_measured(root))
    return runs


def nightly_rebuild(root: Path, size: int, repeat: int) -> list[Timed]:
    """Add 200 new papers to a built archive and rebuild + index; the papers are removed after."""
    runs = []
    for attempt in range(repeat):
        night = archive_day(size - 1) + timedelta(days=1 + attempt)  # the night after the archive
        new = synthetic_papers(
            NIGHTLY_NEW,
            seed=99 + attempt,
            start=night,
            first_number=size + 1000 * attempt,
            per_day=NIGHTLY_NEW,
        )
        write_archive(root / "content", new)
        runs.append(build_measured(root))
        for paper in new:
            (root / "content" / article_relpath(paper.paper_id)).unlink()
    return runs


def defaults_build(root: Path) -> Timed:
    """Pelican's defaults (its theme, author/tag/category pages and feeds) on the same papers,
    with co-authors in Pelican's own `Authors` metadata as a naive setup would keep them."""
    plain = root.parent / f"{root.name}-defaults"
    made = (root / "done").read_text()  # a copy of this very archive, remade with it
    if not (plain / "done").exists() or (plain / "done").read_text() != made:
        shutil.rmtree(plain, ignore_errors=True)
        for source in (root / "content" / "papers").rglob("*.md"):
            text = source.read_text(encoding="utf-8")
            head, _, body = text.partition("\n\n")
            lines = [ln for ln in head.splitlines() if not ln.startswith(("Matches:", "Also_in:"))]
            lines = [
                f"Authors: {', '.join(_json_names(ln))}" if ln.startswith("Paper_authors:") else ln
                for ln in lines
            ]
            target = plain / "content" / "papers" / source.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("\n".join(lines) + "\n\n" + body, encoding="utf-8")
        (plain / "pelicanconf.py").write_text('PATH = "content"\nTIMEZONE = "UTC"\n')
        (plain / "done").write_text(made)
    output = plain / "output"
    shutil.rmtree(output, ignore_errors=True)
    command = [
        sys.executable,
        "-m",
        "pelican",
        str(plain / "content"),
        "-s",
        str(plain / "pelicanconf.py"),
        "-o",
        str(output),
        "-q",
    ]
    return run_measured(command)


def _json_names(line: str) -> list[str]:
    return [name.replace(",", " ") for name in json.loads(line.split(":", 1)[1])]


def median(runs: list[Timed]) -> Timed:
    """Medians of the times; the highest peak memory seen."""
    return Timed(
        statistics.median(r.seconds for r in runs),
        max(r.peak_mb for r in runs),
        statistics.median(r.pelican for r in runs),
        statistics.median(r.pagefind for r in runs),
    )
