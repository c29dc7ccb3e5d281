"""Http over 127.0.0.1: Retry-After is honoured (seconds or a date), a wait longer than we allow
fails at once with a reason, and every request names the project; a request is bounded in time
(connect to last byte) and in bytes, on the wire and after gzip."""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from drip import DripServer, gzip_bomb, http_head
from replay import ReplayServer, Reply

from pipeline.errors import SourceError
from pipeline.http import Http, retry_after_seconds
from pipeline.models import Limits

REPO = Path(__file__).resolve().parents[1]


def _http(waits: list[float]) -> Http:
    return Http(user_agent="AcademicHub/0.1 (+https://example.org)", timeout=5, sleep=waits.append)


def test_429_waits_as_long_as_retry_after_says_then_succeeds(replay: ReplayServer) -> None:
    replay.routes["/feed"] = [Reply(429, b"", {"Retry-After": "7"}), Reply(200, b"<rss/>")]
    waits: list[float] = []
    response = _http(waits).get(f"{replay.url}/feed")
    assert response.status == 200 and response.body == b"<rss/>"
    assert waits == [7.0]
    sent = replay.requests_to("/feed")
    assert len(sent) == 2 and sent[1].headers["User-Agent"].startswith("AcademicHub/0.1")


def test_503_without_retry_after_backs_off_exponentially(replay: ReplayServer) -> None:
    replay.routes["/feed"] = Reply(503, b"busy")
    waits: list[float] = []
    with pytest.raises(SourceError, match=r"/feed: HTTP 503 after 3 tries$"):
        _http(waits).get(f"{replay.url}/feed")
    assert waits == [1.0, 2.0]


def test_retry_after_beyond_the_limit_fails_at_once_with_the_wait(replay: ReplayServer) -> None:
    replay.routes["/feed"] = Reply(429, b"", {"Retry-After": "3600"})
    waits: list[float] = []
    with pytest.raises(SourceError, match="HTTP 429, asked to retry after 3600 s"):
        _http(waits).get(f"{replay.url}/feed")
    assert waits == [] and len(replay.requests_to("/feed")) == 1


def test_retry_after_as_an_http_date() -> None:
    now = datetime(2026, 9, 2, 5, 23, 0, tzinfo=UTC)
    assert retry_after_seconds("Wed, 02 Sep 2026 05:23:30 GMT", now) == 30.0
    assert retry_after_seconds("Wed, 02 Sep 2026 05:22:00 GMT", now) == 0.0
    assert retry_after_seconds("soon", now) is None


def test_a_404_is_asked_once_not_retried(replay: ReplayServer) -> None:
    """Only 408, 425, 429 and 5xx can pass; asking again for a missing page gets the same."""
    replay.routes["/feed"] = Reply(404, b"gone")
    waits: list[float] = []
    with pytest.raises(SourceError, match=r"/feed: HTTP 404$"):
        _http(waits).get(f"{replay.url}/feed")
    assert waits == [] and len(replay.requests_to("/feed")) == 1


RSS = b'<rss version="2.0"><channel><item><title>Dripped</title></item></channel></rss>'


def test_slow_loris_body_is_cut_off_at_the_request_deadline() -> None:
    """Headers at once, then a byte every 0.2 s: each read gets its byte in time, so only a
    deadline over the whole request stops it (the old per-read timeout let it run 16 s here)."""
    with DripServer(http_head(len(RSS)), RSS, interval=0.2) as server:
        started = time.monotonic()
        with pytest.raises(SourceError, match=r"timed out after 1 s .*after 1 tries$"):
            Http(user_agent="t", timeout=1, retries=0).get(f"{server.url}/feed")
        elapsed = time.monotonic() - started
    assert server.sent < len(RSS) // 2  # abandoned early: most of the body was never sent
    assert elapsed < 8  # bounded: the drip alone takes 16 s


def test_dripped_headers_are_cut_off_at_the_request_deadline() -> None:
    """requests reads the status line and headers with no deadline of its own."""
    with DripServer(http_head(len(RSS)), RSS, interval=0.2, drip_head=True) as server:
        started = time.monotonic()
        with pytest.raises(SourceError, match=r"timed out after 1 s"):
            Http(user_agent="t", timeout=1, retries=0).get(f"{server.url}/feed")
        elapsed = time.monotonic() - started
    assert server.sent == 0 and elapsed < 8


def test_retries_stop_at_the_sources_deadline(replay: ReplayServer) -> None:
    """A source's clock bounds its retries: no backoff is started that would end past it."""
    replay.routes["/feed"] = Reply(503, b"busy", {"Retry-After": "5"})
    waits: list[float] = []
    http = Http(user_agent="t", timeout=5, sleep=waits.append, limits=Limits(source_seconds=3))
    http.start_clock()
    no_time = r"HTTP 503; no time left to retry within the source's 3 s \(SOURCE_DEADLINE_SEC"
    with pytest.raises(SourceError, match=no_time):
        http.get(f"{replay.url}/feed")
    assert waits == [] and len(replay.requests_to("/feed")) == 1


SMALL = Limits(max_response_bytes=2**20, max_decoded_bytes=2 * 2**20)


def test_a_body_announced_over_the_cap_is_not_read(replay: ReplayServer) -> None:
    replay.routes["/feed"] = Reply(200, b"<rss>" + b" " * (3 * 2**20) + b"</rss>")
    with pytest.raises(SourceError, match=r"3 MiB announced, more than 1 MiB \(HTTP_MAX_BYTES\)"):
        Http(user_agent="t", timeout=5, limits=SMALL).get(f"{replay.url}/feed")
    assert len(replay.requests_to("/feed")) == 1  # a limit is final: never retried


def test_a_body_without_length_is_cut_at_the_cap() -> None:
    """No Content-Length: read to the close, and stopped once past HTTP_MAX_BYTES."""
    body = b"<rss>" + b" " * (3 * 2**20) + b"</rss>"
    too_big = r"more than 1 MiB sent \(HTTP_MAX_BYTES\)"
    with DripServer(http_head(None), body) as server, pytest.raises(SourceError, match=too_big):
        Http(user_agent="t", timeout=5, limits=SMALL).get(f"{server.url}/feed")


def test_gzip_is_inflated_within_the_decoded_cap(replay: ReplayServer) -> None:
    replay.routes["/ok"] = Reply(200, gzip.compress(RSS), {"Content-Encoding": "gzip"})
    assert Http(user_agent="t", timeout=5, limits=SMALL).get(f"{replay.url}/ok").body == RSS
    [request] = replay.requests_to("/ok")
    assert request.headers["Accept-Encoding"] == "gzip, deflate"
    bomb = gzip_bomb(b"<rss>", 3, b"</rss>")
    replay.routes["/bomb"] = Reply(200, bomb, {"Content-Encoding": "gzip"})
    stopped = r"more than 2 MiB after decompression \(HTTP_MAX_DECODED_BYTES; [\d,]+ bytes were"
    with pytest.raises(SourceError, match=stopped):
        Http(user_agent="t", timeout=5, limits=SMALL).get(f"{replay.url}/bomb")


BOMB_FETCH = """
import resource, sys
limit = 400 * 2**20
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from pipeline.http import Http, SourceError
from pipeline.models import Limits
limits = Limits() if sys.argv[2] == "default" else Limits(max_decoded_bytes=2**40)
try:
    print("read", len(Http("t", timeout=60, limits=limits).get(sys.argv[1]).body))
except SourceError as err:
    print("stopped:", err)
except MemoryError:
    print("MemoryError")
"""


def test_gzip_bomb_is_stopped_by_the_decoded_cap_under_a_memory_bound(
    replay: ReplayServer,
) -> None:
    """1 MB on the wire inflating to 1 GiB inside a <description>, fetched by a process limited
    to 400 MiB of address space: stopped at HTTP_MAX_DECODED_BYTES's 32 MiB. With the cap lifted
    the same process runs out of memory, so the bound is real."""
    head = b'<rss version="2.0"><channel><item><title>Bomb</title><description>'
    bomb = gzip_bomb(head, 1024, b"</description></item></channel></rss>")
    assert len(bomb) < 1.1 * 10**6
    replay.routes["/bomb"] = Reply(200, bomb, {"Content-Encoding": "gzip"})

    def fetch(limits: str) -> str:
        command = [sys.executable, "-c", BOMB_FETCH, f"{replay.url}/bomb", limits]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=REPO)
        return done.stdout.strip()

    assert re.fullmatch(
        rf"stopped: {re.escape(replay.url)}/bomb: more than 32 MiB after decompression "
        r"\(HTTP_MAX_DECODED_BYTES; [\d,]+ bytes were sent\); stopped reading",
        fetch("default"),
    )
    assert fetch("uncapped") == "MemoryError"
