"""Match + dedupe of 10,000 new papers against 200 topics and a 50k archive's keys (the pure
stages; loading the archive index from cache/ is timed apart)."""

from __future__ import annotations

import statistics
import time

from pipeline.dedupe import dedupe, work_keys
from pipeline.match import match_papers

from .synthetic import bench_radar, synthetic_papers


def measure_match_dedupe(
    count: int = 10_000, topics: int = 200, archive: int = 50_000, repeat: int = 3
) -> dict:
    unique = synthetic_papers(count - count // 10, seed=11, first_number=archive)
    papers = unique + unique[: count // 10]  # a tenth seen twice (cross-lists, RSS and API)
    archive_keys: dict[str, str] = {}
    for old in synthetic_papers(archive, seed=3):
        for key in work_keys(old):
            archive_keys.setdefault(key, old.paper_id)
    radar = bench_radar(topics)
    times, matched, duplicates = [], 0, 0
    for _ in range(repeat):
        started = time.perf_counter()
        found = match_papers(papers, radar)
        deduped = dedupe(found, archive_keys)
        times.append(time.perf_counter() - started)
        matched, duplicates = len(found), deduped.duplicates
    return {
        "seconds": statistics.median(times),
        "papers": len(papers),
        "matched": matched,
        "duplicates": duplicates,
        "topics": len(radar.topics),
        "archive_keys": len(archive_keys),
    }
