"""ETag / Last-Modified of each feed, for conditional GET. Kept in content/state/ so the nightly
job commits them with the papers: an unchanged feed then costs one small 304 reply.

The new validators are saved only after the night's papers are stored, so a crash between
fetch and store can never make the next run skip papers it did not keep. They also vouch only
for what the radar of that night would match: once topics or watched authors change, every feed
is read in full again, so a paper the new radar wants is not hidden behind a 304."""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path

from ..models import Radar
from ..write import write_atomically

STATE_FILE = Path("state") / "http-validators.json"


def radar_fingerprint(radar: Radar) -> str:
    """What decides which papers of a feed are kept: topics and watched authors."""
    return hashlib.sha256(repr((radar.topics, radar.authors)).encode()).hexdigest()[:16]


class Validators:
    def __init__(self, known: dict[str, dict[str, str]] | None = None, radar: str = "") -> None:
        self._known = dict(known or {})
        self._radar = radar
        self._lock = threading.Lock()  # sources are fetched from several threads

    @classmethod
    def load(cls, content_dir: Path, radar: str = "") -> Validators:
        """The saved validators, or none when they were saved for another radar (or unreadable)."""
        try:
            state = json.loads((content_dir / STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            state = {}
        if not isinstance(state, dict) or state.get("radar") != radar:
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

    def save(self, content_dir: Path) -> None:
        with self._lock:
            state = {"radar": self._radar, "feeds": self._known}
            text = json.dumps(state, indent=1, sort_keys=True) + "\n"
        write_atomically(content_dir / STATE_FILE, text)
