"""Ranking for a reader's library, on real arXiv papers (bench/data/SOURCES.md): quality per
lane against keyword-only and random baselines, and the speed of scoring a night.

Quality: for each reader profile, a library of 30 papers of one narrow subfield (an arXiv
primary category) from June 1–19, 2026; the pool is four later days of mixed papers (June 23,
24, 26, 29) with the subfield's papers taken out, and 15 of them hidden back in. A lane ranks
the pool; recall@20 and nDCG@20 say how many hidden papers it puts in its top 20 and how high.
The archive the index is fitted on is two more days (June 30, July 1). Nothing here asserts.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import random
import resource
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from bench.synthetic import synthetic_papers
from pipeline.library import Library, LibraryPaper, fingerprint
from pipeline.match import Matcher
from pipeline.models import ArxivSource, Paper, Radar, SiteSettings, Topic
from pipeline.rank import Ranker, fuse_by_rank, paper_text

DATA = Path(__file__).resolve().parent / "data" / "arxiv-cs-2026-06.jsonl.gz"
LIBRARY_DAYS_END = "2026-06-19"
POOL_DAYS = ("2026-06-23", "2026-06-24", "2026-06-26", "2026-06-29")
ARCHIVE_DAYS = ("2026-06-30", "2026-07-01")
LIBRARY_SIZE = 30
HIDDEN = 15
TOP = 20
SEEDS = (1, 2, 3)

# What a reader of each subfield would write as radar.yaml keywords today (written before any
# lane was run): the keyword-only baseline ranks by how many of them a paper contains.
PROFILES = {
    "cs.GT": (
        "game theory",
        "nash equilibrium",
        "equilibrium",
        "mechanism design",
        "auction",
        "auctions",
        "social choice",
        "voting",
        "fair division",
        "incentive compatible",
    ),
    "cs.IT": (
        "information theory",
        "channel capacity",
        "capacity",
        "coding",
        "codes",
        "decoding",
        "MIMO",
        "beamforming",
        "rate-distortion",
        "entropy",
    ),
    "cs.GR": (
        "rendering",
        "mesh",
        "meshes",
        "Gaussian splatting",
        "neural rendering",
        "animation",
        "geometry processing",
        "texture",
        "point cloud",
        "3D reconstruction",
    ),
    "cs.CE": (
        "finite element",
        "computational engineering",
        "simulation",
        "PDE",
        "partial differential equations",
        "physics-informed",
        "surrogate model",
        "topology optimization",
        "fluid dynamics",
        "computational finance",
    ),
}
NAMES = {
    "cs.GT": "game theory",
    "cs.IT": "information theory",
    "cs.GR": "graphics",
    "cs.CE": "computational engineering",
}


@dataclass(frozen=True)
class Record:
    day: str
    paper: Paper

    @property
    def primary(self) -> str:
        return self.paper.categories[0]


def load_records(path: Path = DATA) -> list[Record]:
    records = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            raw = json.loads(line)
            paper = Paper(
                paper_id=f"arxiv:{raw['id']}",
                title=raw["title"],
                authors=tuple(raw["authors"]),
                abstract=" ".join(raw["abstract"].split()),
                announced=date.fromisoformat(raw["day"]),
                source_label=f"arXiv ({raw['categories'][0]})",
                categories=tuple(raw["categories"]),
            )
            records.append(Record(raw["day"], paper))
    return records


def recall_and_ndcg(
    scores: np.ndarray, relevant: np.ndarray, top: int = TOP
) -> tuple[float, float]:
    order = np.argsort(-scores, kind="stable")[:top]
    hits = relevant[order]
    recall = hits.sum() / relevant.sum()
    dcg = sum(1 / math.log2(rank + 2) for rank, hit in enumerate(hits) if hit)
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(top, int(relevant.sum()))))
    return float(recall), dcg / ideal


def keyword_scores(
    papers: Sequence[Paper], keywords: Sequence[str], rng: random.Random
) -> np.ndarray:
    """Distinct keywords a paper contains (the radar's own matcher, one topic per keyword), ties
    broken at random: today's radar, which keeps or drops but does not rank."""
    topics = tuple(Topic(name=k, keywords=(k,)) for k in keywords)
    radar = Radar(path="bench", site=SiteSettings(), topics=topics, authors=(), arxiv=ArxivSource())
    matcher = Matcher(radar)
    return np.array([len(matcher.matches_for(p)) + rng.random() * 0.5 for p in papers])


def profile_run(records: list[Record], subfield: str, seed: int) -> dict[str, tuple[float, float]]:
    rng = random.Random(seed)
    candidates = [r for r in records if r.day <= LIBRARY_DAYS_END and r.primary == subfield]
    chosen = rng.sample(candidates, LIBRARY_SIZE)
    library_papers = tuple(
        LibraryPaper(
            r.paper.paper_id,
            r.paper.title,
            r.paper.abstract,
            r.paper.authors,
            date.fromisoformat(r.day),
            "bench",
        )
        for r in chosen
    )
    library = Library(library_papers, fingerprint=fingerprint(library_papers, ()))
    in_pool_days = [r for r in records if r.day in POOL_DAYS]
    hidden = rng.sample([r for r in in_pool_days if r.primary == subfield], HIDDEN)
    pool = [r.paper for r in in_pool_days if r.primary != subfield] + [r.paper for r in hidden]
    relevant = np.array([i >= len(pool) - HIDDEN for i in range(len(pool))])
    archive = [paper_text(r.paper) for r in records if r.day in ARCHIVE_DAYS]
    ranker = Ranker.fit(library, archive, date(2026, 6, 22))
    ranker.measure_against(archive)
    texts = [paper_text(p) for p in pool]
    lanes = ranker.lane_scores(ranker.vectors(texts))
    results = {name: recall_and_ndcg(values, relevant) for name, values in lanes.items()}
    results["fused (RRF)"] = recall_and_ndcg(fuse_by_rank(lanes), relevant)
    order, _ = ranker.order(texts)  # as the night orders them
    position = np.empty(len(order))
    position[order] = np.arange(len(order))
    results["relevance"] = recall_and_ndcg(-position, relevant)
    results["keyword-only"] = recall_and_ndcg(
        keyword_scores(pool, PROFILES[subfield], rng), relevant
    )
    results["random"] = recall_and_ndcg(np.array([rng.random() for _ in pool]), relevant)
    return results


def measure_quality(records: list[Record]) -> None:
    pool_size = sum(1 for r in records if r.day in POOL_DAYS)
    print(
        f"Quality on real arXiv papers: library of {LIBRARY_SIZE} from one subfield, "
        f"{HIDDEN} of its later papers hidden among ~{pool_size} mixed papers of "
        f"{len(POOL_DAYS)} days; means over seeds {SEEDS}"
    )
    lanes = ("nearest", "centre", "fused (RRF)", "relevance", "keyword-only", "random")
    print(f"{'profile':<30}" + "".join(f"{lane:>26}" for lane in lanes))
    print(f"{'':<30}" + "".join(f"{'recall@20  nDCG@20':>26}" for _ in lanes))
    totals: dict[str, list[tuple[float, float]]] = {lane: [] for lane in lanes}
    for subfield in PROFILES:
        runs = [profile_run(records, subfield, seed) for seed in SEEDS]
        cells = []
        for lane in lanes:
            recall = statistics.mean(r[lane][0] for r in runs)
            ndcg = statistics.mean(r[lane][1] for r in runs)
            totals[lane].append((recall, ndcg))
            cells.append(f"{recall:>15.2f} {ndcg:>9.2f}")
        print(f"{subfield + ' ' + NAMES[subfield]:<30}" + "".join(f"{c:>26}" for c in cells))
    cells = [
        f"{statistics.mean(r for r, _ in totals[lane]):>15.2f} "
        f"{statistics.mean(n for _, n in totals[lane]):>9.2f}"
        for lane in lanes
    ]
    print(f"{'mean':<30}" + "".join(f"{c:>26}" for c in cells), flush=True)


def measure_speed(
    records: list[Record],
    new: int = 10_000,
    library_size: int = 500,
    archive: int = 50_000,
    repeat: int = 3,
) -> None:
    """Scoring a night of `new` papers against a `library_size` library whose index was fitted on
    a `archive`-paper archive (real texts first, synthetic ones for the rest)."""
    real = [r.paper for r in records]
    synthetic = synthetic_papers(archive + new, seed=11)
    library_papers = tuple(
        LibraryPaper(p.paper_id, p.title, p.abstract, p.authors, p.announced, "bench")
        for p in (real * 2)[:library_size]
    )
    library = Library(library_papers, fingerprint=fingerprint(library_papers, ()))
    archive_texts = [paper_text(p) for p in (real + synthetic)[:archive]]
    started = time.perf_counter()
    ranker = Ranker.fit(library, archive_texts, date(2026, 7, 2))
    fit_seconds = time.perf_counter() - started
    night = [paper_text(p) for p in (real + synthetic[archive:])[:new]]
    timings, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        ranker.relevance_values(night)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    started = time.perf_counter()
    ranker.score(night[:300])
    explain_seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"Speed: scoring {new:,} new papers against a {library_size}-paper library, index "
        f"fitted on {archive:,} archive papers: {statistics.median(timings):.2f} s median of "
        f"{repeat}, {statistics.median(cpu):.2f} s of CPU (target ≤ 2 s; wall time counts other "
        f"work on the machine, load {os.getloadavg()[0]:.1f}); reasons for the night's 300 "
        f"shown papers {explain_seconds:.2f} s; fitting the index {fit_seconds:.1f} s (once, "
        f"then cached until the library changes); peak memory of the process {peak_mb:.0f} MB",
        flush=True,
    )


def main() -> None:
    records = load_records()
    measure_quality(records)
    measure_speed(records)


if __name__ == "__main__":
    main()
