"""Hostile sources, before and after the bounds (python -m bench.hostile; part of `make bench`).

Peak memory of fetching and parsing a 50 MB feed and a gzip bomb (1 MB on the wire, 1 GiB
inflated), each in a fresh process; wall time of a night with one feed dripping a byte a second.
"Before" is the fetch the pipeline used to make (requests' whole `.content`, a timeout per read);
"after" is pipeline.http.Http with its default limits. Everything is served on 127.0.0.1."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from drip import DripServer, gzip_bomb, http_head  # noqa: E402
from replay import ReplayServer, Reply, fixture_bytes  # noqa: E402

BEFORE_LIMIT_GIB = 3  # the bomb's "before" runs under this address-space limit, as a runner would
CHILD = """
import resource, sys, time
from datetime import date
mode, url, limit_gib = sys.argv[1], sys.argv[2], int(sys.argv[3])
if limit_gib:
    resource.setrlimit(resource.RLIMIT_AS, (limit_gib * 2**30, limit_gib * 2**30))
from pipeline.models import FeedSource
from pipeline.sources.feeds import parse_feed
started = time.monotonic()
try:
    if mode == "before":
        import requests
        body = requests.Session().get(url, timeout=5).content
    else:
        from pipeline.http import Http
        body = Http("bench", timeout=5).get(url).body
    feed = parse_feed(body, FeedSource("Bench", url), date(2026, 9, 2))
    outcome = f"{len(feed.papers)} papers"
except MemoryError:
    outcome = f"MemoryError under a {limit_gib} GiB limit"
except Exception as err:
    outcome = f"stopped: {str(err).split(': ', 1)[-1][:90]}"
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{peak:.0f}\\t{time.monotonic() - started:.1f}\\t{outcome}")
"""
NIGHT_RADAR = """
topics: [{{name: World models, keywords: [world model]}}]
sources:
  feeds:
    - {{name: Nature, url: "{base}/nature.rss"}}
    - {{name: Drip, url: "{drip}/feed"}}
"""


def big_feed(megabytes: int) -> bytes:
    items = "".join(
        f"<item><title>Paper {n}</title><link>https://big.example/{n}</link>"
        f"<description>{'words ' * 830}</description></item>"
        for n in range(megabytes * 200)
    )
    return f'<rss version="2.0"><channel><title>Big</title>{items}</channel></rss>'.encode()


def child(mode: str, url: str, limit_gib: int = 0) -> str:
    command = [sys.executable, "-c", CHILD, mode, url, str(limit_gib)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=600)
    lines = done.stdout.strip().splitlines()
    if not lines:
        return f"(no answer: {done.stderr.strip().splitlines()[-1:]})"
    peak, seconds, outcome = lines[-1].split("\t")
    return f"peak {peak:>5} MB, {seconds:>5} s: {outcome}"


def memory() -> None:
    feed = big_feed(50)
    bomb = gzip_bomb(
        b'<rss version="2.0"><channel><item><title>Bomb</title><description>',
        1024,
        b"</description></item></channel></rss>",
    )
    print(
        f"  50 MB feed ({len(feed) / 1e6:.0f} MB) and gzip bomb ({len(bomb) / 1e6:.1f} MB → "
        "1 GiB), fetched and parsed in a fresh process:"
    )
    with ReplayServer() as server, DripServer(http_head(None), feed) as unsized:
        server.routes["/big"] = Reply(200, feed)
        server.routes["/bomb"] = Reply(200, bomb, {"Content-Encoding": "gzip"})
        rows = [
            ("50 MB feed", "before", f"{server.url}/big", 0),
            ("50 MB feed", "after", f"{server.url}/big", 0),
            ("50 MB feed, no Content-Length", "after", f"{unsized.url}/big", 0),
            ("gzip bomb", "before", f"{server.url}/bomb", BEFORE_LIMIT_GIB),
            ("gzip bomb", "after", f"{server.url}/bomb", BEFORE_LIMIT_GIB),
        ]
        for name, mode, url, limit in rows:
            print(f"    {name:<30} {mode:<6} {child(mode, url, limit)}", flush=True)


def drip_night() -> None:
    """A night of Nature's feed and one feed sending its 90 bytes at a byte a second, with
    HTTP_TIMEOUT_SECONDS=5 (the issue's reproduction)."""
    body = b'<rss version="2.0"><channel><title>Drip</title>' + b" " * 38 + b"</channel></rss>"
    timings: dict[str, str] = {}
    with ReplayServer() as server, DripServer(http_head(len(body)), body, interval=1.0) as drip:
        server.routes["/nature.rss"] = Reply(200, fixture_bytes("journals/nature.rss"))

        def before() -> None:
            timings["before"] = child("before", f"{drip.url}/feed")

        def after() -> None:
            with tempfile.TemporaryDirectory() as folder:
                radar = Path(folder) / "radar.yaml"
                radar.write_text(NIGHT_RADAR.format(base=server.url, drip=drip.url))
                command = [
                    sys.executable,
                    "-m",
                    "pipeline",
                    "run",
                    "--radar",
                    str(radar),
                    "--content",
                    str(Path(folder) / "content"),
                    "--date",
                    "2026-09-02",
                ]
                env = {"HTTP_TIMEOUT_SECONDS": "5", "PATH": "/usr/bin:/bin", "HOME": folder}
                started = time.monotonic()
                done = subprocess.run(
                    command, capture_output=True, text=True, cwd=REPO, env=env, timeout=600
                )
                drip_row = next(
                    (
                        line.strip()
                        for line in done.stdout.splitlines()
                        if line.strip().startswith("Drip")
                    ),
                    "",
                )
                timings["after"] = (
                    f"{time.monotonic() - started:.1f} s for the whole night; "
                    f"{' '.join(drip_row.split())[:150]}"
                )

        threads = [threading.Thread(target=before), threading.Thread(target=after)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    print(
        f"  a night with one feed dripping {len(body)} bytes at 1 byte/s, HTTP_TIMEOUT_SECONDS=5:"
    )
    print(f"    before: the drip feed's fetch alone (the night waited for it): {timings['before']}")
    print(f"    after:  {timings['after']}")


def main() -> None:
    memory()
    drip_night()


if __name__ == "__main__":
    main()
