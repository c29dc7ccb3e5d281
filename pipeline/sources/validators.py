"""ETag / Last-Modified of each feed, for conditional GET. pipeline.state keeps them in
content/state/ so the nightly job commits them with the papers: an unchanged feed then costs one
small 304 reply. This module only holds them in memory: sources never write the archive.

The new validators are saved only after the night's papers are stored, so a crash between
fetch and store can never make the next run skip papers it did not keep. They also vouch only
for what the radar of that night would match: once topics or watched authors change, every feed
is read in full again, so a paper the new radar wants is not hidden behind a 304."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping
from typing import Any

from ..models import Radar


def radar_fingerprint(radar: Radar) -> str:
    """What decides which papers of a feed are kept: topics and watched authors."""
    return hashlib.sha256(repr((radar.topics, radar.authors)).encode()).hexdigest()[:16]


class Validators:
    def __init__(self, known: dict[str, dict[str, str]] | None = None, radar: str = "") -> None:
        self._known = dict(known or {})
        self._radar = radar
        self._lock = threading.Lock()  # sources are fetched from several threads

    @classmethod
    def from_state(cls, state: Mapping[str, Any], radar: str = "") -> Validators:
        """The saved validators, or none when they were saved for another radar (or damaged)."""
        if state.get("radar") != radar:
            return cls({}, radar)
        known = state.get("feeds")
        return cls(known if isinstance(known, dict) else {}, radar)

    def headers_for(self, url: str) -> dict[str, str]:
        with self._lock:
            seen = self._known.get(url) or {}
        headers = {}
        if seen.get("etag"):
            headers["If-None-Match"] = seen["etag"]
        if seen.get("last_modified"):
            headers["If-Modified-Since"] = seen["last_modified"]
        return headers

    def remember(self, url: str, response_headers: dict[str, str]) -> None:
        lowered = {k.lower(): v for k, v in response_headers.items()}
        seen = {"etag": lowered.get("etag", ""), "last_modified": lowered.get("last-modified", "")}
        with self._lock:
            if any(seen.values()):
                self._known[url] = seen
            else:
                self._known.pop(url, None)

    def forget(self, url: str) -> None:
        with self._lock:
            self._known.pop(url, None)

    def state(self) -> dict[str, Any]:
        """What pipeline.state saves, after the night's papers are stored."""
        with self._lock:
            return {"radar": self._radar, "feeds": dict(self._known)}
