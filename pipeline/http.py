"""HTTP GET with a timeout, a polite User-Agent and retries that honour Retry-After."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import requests

from .errors import SourceError

RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After is either seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


@dataclass
class Http:
    """What the sources use to reach the network; tests point it at 127.0.0.1."""

    user_agent: str
    timeout: float = 30.0
    retries: int = 2
    backoff: float = 1.0
    max_wait: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    session: requests.Session = field(default_factory=requests.Session)

    def get(self, url: str, headers: dict[str, str] | None = None) -> Response:
        request_headers = {"User-Agent": self.user_agent, **(headers or {})}
        for attempt in range(self.retries + 1):
            try:
                raw = self.session.get(url, headers=request_headers, timeout=self.timeout)
            except requests.Timeout:
                problem = f"timed out after {self.timeout:.0f} s"
            except requests.ConnectionError as err:
                problem = f"cannot connect ({network_error_reason(err)})"
            except requests.RequestException as err:
                raise SourceError(f"{url}: {err}") from None
            else:
                if raw.status_code < 400 or raw.status_code == 304:
                    return Response(url, raw.status_code, raw.content, dict(raw.headers))
                problem = f"HTTP {raw.status_code}"
                if raw.status_code not in RETRY_STATUSES:
                    raise SourceError(f"{url}: {problem}")
                wait = retry_after_seconds(raw.headers.get("Retry-After"))
                if wait is not None and wait > self.max_wait:
                    raise SourceError(f"{url}: {problem}, asked to retry after {wait:.0f} s")
                if attempt < self.retries:
                    self.sleep(wait if wait is not None else self.backoff * 2**attempt)
                    continue
                raise SourceError(f"{url}: {problem} after {attempt + 1} tries")
            if attempt < self.retries:
                self.sleep(self.backoff * 2**attempt)
        raise SourceError(f"{url}: {problem} after {self.retries + 1} tries")


def network_error_reason(err: BaseException) -> str:
    """The innermost cause of a requests error, e.g. 'Name or service not known'."""
    while err.__cause__ is not None or err.__context__ is not None:
        err = err.__cause__ or err.__context__  # type: ignore[assignment]
    text = str(err).split("] ")[-1] if str(err) else type(err).__name__
    return text[:120]
