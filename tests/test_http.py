"""Http over 127.0.0.1: Retry-After is honoured (seconds or a date), a wait longer than we allow
fails at once with a reason, and every request names the project."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from replay import ReplayServer, Reply

from pipeline.errors import SourceError
from pipeline.http import Http, retry_after_seconds


def _http(waits: list[float]) -> Http:
    return Http(user_agent="AcademicHub/0.1 (+https://example.org)", timeout=5,
                sleep=waits.append)  # fmt: skip


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
