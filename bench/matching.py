"""Match + dedupe of 10,000 new papers against 200 topics (pure stages, no I/O)."""

from __future__ import annotations

import statistics
import time

from pipeline.dedupe import dedupe
from pipeline.match import match_papers

from .synthetic import bench_radar, synthetic_papers


def measure_match_dedupe(count: int = 10_000, topics: int = 200, repeat: int = 3) -> dict:
    papers = synthetic_papers(count, seed=11)
    papers += papers[: count // 10]  # a tenth seen twice (cross-lists, RSS and API)
    radar = bench_radar(topics)
    times, matched, duplicates = [], 0, 0
    for _ in range(repeat):
        started = time.perf_counter()
        found = match_papers(papers, radar)
        deduped = dedupe(found)
        times.append(time.perf_counter() - started)
        matched, duplicates = len(found), deduped.duplicates
    return {"seconds": statistics.median(times), "papers": len(papers), "matched": matched,
            "duplicates": duplicates, "topics": len(radar.topics)}  # fmt: skip
