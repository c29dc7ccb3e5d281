"""30 feeds on a local server, each answering after 1 s, fetched the way a night fetches them."""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date
from pathlib import Path

from pipeline.http import Http
from pipeline.models import ArxivSource, Endpoints, FeedSource, Radar, SiteSettings
from pipeline.sources import collect
from pipeline.sources.validators import Validators

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from replay import ReplayServer, Reply, fixture_bytes  # noqa: E402

FEEDS = 30
DELAY = 1.0


def main() -> None:
    body = fixture_bytes("journals/nature.rss")
    with ReplayServer() as server:
        for n in range(FEEDS):
            server.routes[f"/feed/{n}"] = Reply(200, body, delay=DELAY)
        radar = Radar(
            path="bench",
            site=SiteSettings(),
            topics=(),
            authors=("Zeyu Cao",),
            arxiv=ArxivSource(rss=False, api=False),
            feeds=tuple(FeedSource(f"Feed {n}", f"{server.url}/feed/{n}") for n in range(FEEDS)),
        )
        times = []
        for _ in range(3):
            started = time.monotonic()
            results = collect(
                radar,
                lambda: Http(user_agent="bench", timeout=10),
                Endpoints(),
                date(2026, 9, 2),
                Validators(),
            )
            times.append(time.monotonic() - started)
            fetched = sum(len(r.papers) for r in results)
    print(
        f"  {FEEDS} feeds, each answering after {DELAY:.0f} s: {statistics.median(times):.2f} s "
        f"wall, median of 3, {fetched} papers (serially {FEEDS * DELAY:.0f} s; target < 5 s)"
    )


if __name__ == "__main__":
    main()
