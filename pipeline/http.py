"""HTTP GET bounded in time and size, with a polite User-Agent and retries that honour
Retry-After.

Every request has one deadline from connect to its last byte (a server dripping a byte a second
is cut off there, not after each idle read), a cap on the bytes read off the wire and a cap on
the bytes after gzip, counted while streaming (a gzip bomb is stopped at the cap, never inflated
whole). A source's own deadline (`Http.start_clock`) bounds its retries as well."""

from __future__ import annotations

import email.utils
import math
import socket
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import requests
import urllib3

from .errors import SourceError
from .models import Limits

# 408 and 429 ask for a retry; 5xx may pass. Every other 4xx is final: asking again gets the same.
RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}
CHUNK = 64 * 1024  # read at most this much at a time, and inflate at most this much per step
MIB = 2**20
MAX_REDIRECTS = 5
REDIRECTS = {301, 302, 303, 307, 308}


class DeadlineExceeded(requests.Timeout):
    """No complete answer within the request's deadline (or the source's)."""


class ResponseTooLarge(requests.RequestException):
    """More bytes than a limit allows; the message names the limit's variable."""


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


def size_text(count: int) -> str:
    return f"{count / MIB:.0f} MiB" if count >= MIB else f"{count:,} bytes"


class _Inflater:
    """The response body as sent (Content-Encoding gzip or deflate) → its bytes, at most CHUNK
    out per step, so a small compressed body never becomes a huge buffer at once."""

    def __init__(self, encoding: str) -> None:
        encoding = encoding.strip().lower()
        if encoding in ("", "identity"):
            self._zlib = None
        elif encoding in ("gzip", "x-gzip", "deflate"):
            self._zlib = zlib.decompressobj(32 + zlib.MAX_WBITS)  # a gzip or zlib header
        else:
            raise requests.ContentDecodingError(f"unsupported Content-Encoding {encoding[:40]!r}")

    def inflate(self, data: bytes) -> Any:
        """Yields the decoded bytes of `data` piece by piece (empty data: the end)."""
        if self._zlib is None:
            if data:
                yield data
            return
        try:
            if not data:
                yield self._zlib.flush()
                return
            pending = data
            while pending and not self._zlib.eof:
                yield self._zlib.decompress(pending, CHUNK)
                pending = self._zlib.unconsumed_tail
        except zlib.error as err:
            raise requests.ContentDecodingError(f"cannot decompress the body ({err})") from None


def _socket_of(raw: urllib3.response.BaseHTTPResponse) -> socket.socket | None:
    return getattr(getattr(raw, "connection", None), "sock", None)


def read_body(
    raw: Any, encoding: str, limits: Limits, deadline: float, cancelled: threading.Event
) -> bytes:
    """The whole body of a streamed urllib3 response, inside the deadline and both caps.

    Each read waits at most until the deadline (the socket's timeout is set to what is left), so
    no pace of dripping bytes can outlast it."""
    inflater = _Inflater(encoding)
    body = bytearray()
    on_wire = 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or cancelled.is_set():
            raise DeadlineExceeded("deadline reached while reading the body")
        sock = _socket_of(raw)
        if sock is not None:
            sock.settimeout(left)
        try:
            chunk = raw.read1(CHUNK, decode_content=False)
        except urllib3.exceptions.ReadTimeoutError:
            raise DeadlineExceeded("deadline reached while reading the body") from None
        except (urllib3.exceptions.HTTPError, OSError) as err:
            raise requests.ConnectionError(f"connection broken ({err})") from None
        on_wire += len(chunk)
        if on_wire > limits.max_response_bytes:
            raise ResponseTooLarge(
                f"more than {size_text(limits.max_response_bytes)} sent (HTTP_MAX_BYTES); "
                "stopped reading"
            )
        for piece in inflater.inflate(chunk):
            body += piece
            if len(body) > limits.max_decoded_bytes:
                raise ResponseTooLarge(
                    f"more than {size_text(limits.max_decoded_bytes)} after decompression "
                    f"(HTTP_MAX_DECODED_BYTES; {size_text(on_wire)} were sent); stopped reading"
                )
        if not chunk:
            return bytes(body)


class BoundedSession(requests.Session):
    """A requests.Session whose every request is bounded (see the module docstring): Http uses
    it, and so does the arxiv client, which only calls `get` and reads `.content`.

    The request runs in a helper thread the caller stops waiting for at the deadline, because
    a server can also drip its status line and headers, which requests reads with no deadline."""

    def __init__(self, user_agent: str, timeout: float, limits: Limits) -> None:
        super().__init__()
        self.user_agent, self.timeout, self.limits = user_agent, timeout, limits
        self.stop_at: float | None = None  # time.monotonic() when the source's time is up

    def get_redirect_target(self, resp: requests.Response) -> None:
        """Redirects are followed in `request`, without reading their bodies (requests would
        read a redirect's whole body, uncapped)."""
        return None

    def request(
        self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:
        now = time.monotonic()
        deadline = min(now + self.timeout, self.stop_at or math.inf)
        if deadline <= now:
            raise DeadlineExceeded(self._deadline_reason(now + self.timeout))
        ours = {"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"}
        given = kwargs.get("headers") or {}
        headers = {
            k: v for k, v in given.items() if k.lower() not in ("user-agent", "accept-encoding")
        }
        kwargs.update(
            headers={**headers, **ours}, stream=True, timeout=(deadline - now, deadline - now)
        )
        outcome: dict[str, Any] = {}
        finished, cancelled = threading.Event(), threading.Event()

        def fetch() -> None:
            try:
                request = (method, str(url), args, kwargs)
                outcome["response"] = self._follow(request, deadline, cancelled)
            except BaseException as err:  # noqa: BLE001 - handed to the waiting caller
                outcome["error"] = err
            finally:
                finished.set()

        threading.Thread(target=fetch, name=f"GET {str(url)[:60]}", daemon=True).start()
        if not finished.wait(max(0.0, deadline - time.monotonic())):
            cancelled.set()
            raise DeadlineExceeded(self._deadline_reason(now + self.timeout))
        error = outcome.get("error")
        if isinstance(error, requests.Timeout):
            raise DeadlineExceeded(self._deadline_reason(now + self.timeout)) from None
        if error is not None:
            raise error
        return outcome["response"]

    def _follow(
        self, request: tuple[Any, str, tuple, dict], deadline: float, cancelled: threading.Event
    ) -> requests.Response:
        """The request, its redirects (at most MAX_REDIRECTS) and the final body, read within
        the limits into `.content`."""
        method, url, args, kwargs = request
        for _ in range(MAX_REDIRECTS + 1):
            response = super().request(method, url, *args, **kwargs)
            location = response.headers.get("Location", "")
            if response.status_code not in REDIRECTS or not location:
                break
            response.close()
            url = urljoin(response.url, location)
        else:
            raise requests.TooManyRedirects(f"more than {MAX_REDIRECTS} redirects")
        try:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.limits.max_response_bytes:
                raise ResponseTooLarge(
                    f"{size_text(int(declared))} announced, more than "
                    f"{size_text(self.limits.max_response_bytes)} (HTTP_MAX_BYTES); not read"
                )
            encoding = response.headers.get("Content-Encoding", "")
            response._content = read_body(  # what requests would have read itself, uncapped
                response.raw, encoding, self.limits, deadline, cancelled
            )
            response._content_consumed = True
        finally:
            response.close()
        return response

    def _deadline_reason(self, request_deadline: float) -> str:
        if self.stop_at is not None and self.stop_at < request_deadline:
            return (
                f"stopped at the source's deadline of {self.limits.source_seconds:g} s "
                "(SOURCE_DEADLINE_SECONDS)"
            )
        return f"timed out after {self.timeout:.0f} s (no complete answer; HTTP_TIMEOUT_SECONDS)"


@dataclass
class Http:
    """What the sources use to reach the network; tests point it at 127.0.0.1."""

    user_agent: str
    timeout: float = 30.0  # one request, connect to last byte
    retries: int = 2
    backoff: float = 1.0
    max_wait: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    limits: Limits = Limits()
    session: BoundedSession = field(init=False)

    def __post_init__(self) -> None:
        self.session = BoundedSession(self.user_agent, self.timeout, self.limits)

    def start_clock(self) -> None:
        """From now on the source has `limits.source_seconds` for all its requests and waits."""
        self.session.stop_at = time.monotonic() + self.limits.source_seconds

    def _time_left(self) -> float:
        stop_at = self.session.stop_at
        return math.inf if stop_at is None else stop_at - time.monotonic()

    def get(self, url: str, headers: dict[str, str] | None = None) -> Response:
        for attempt in range(self.retries + 1):
            wait: float | None = None
            try:
                raw = self.session.get(url, headers=headers)
            except DeadlineExceeded as err:
                problem = str(err)
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
            if attempt == self.retries:
                break
            pause = wait if wait is not None else self.backoff * 2**attempt
            if pause >= self._time_left():
                raise SourceError(
                    f"{url}: {problem}; no time left to retry within the source's "
                    f"{self.limits.source_seconds:g} s (SOURCE_DEADLINE_SECONDS)"
                )
            self.sleep(pause)
        raise SourceError(f"{url}: {problem} after {self.retries + 1} tries")


def network_error_reason(err: BaseException) -> str:
    """The innermost cause of a requests error, e.g. 'Name or service not known'."""
    while err.__cause__ is not None or err.__context__ is not None:
        err = err.__cause__ or err.__context__  # type: ignore[assignment]
    text = str(err).split("] ")[-1] if str(err) else type(err).__name__
    return text[:120]
