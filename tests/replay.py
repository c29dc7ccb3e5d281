"""A real HTTP server on 127.0.0.1 that replays recorded responses, as arxiv.py's own tests do."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


Route = Reply | Callable[["Request"], Reply] | list[Reply]


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


class _QuietServer(ThreadingHTTPServer):
    """A client that hangs up on purpose (a size cap, a timeout) is not an error to print."""

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class ReplayServer:
    """Routes are keyed by path; a list of replies is served in turn (the last one repeats)."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    self.command,
                    parts.path,
                    parse_qs(parts.query),
                    dict(self.headers),
                    self.rfile.read(length) if length else b"",
                )
                server.requests.append(request)
                reply = server.reply_for(request)
                if reply.delay:
                    time.sleep(reply.delay)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            do_GET = _serve
            do_POST = _serve
            do_PATCH = _serve  # the GitHub REST API updates issues with PATCH
            do_PUT = _serve

        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def reply_for(self, request: Request) -> Reply:
        route = self.routes.get(request.path)
        if route is None:
            return Reply(404, b"not found")
        if callable(route):
            return route(request)
        if isinstance(route, list):
            return route.pop(0) if len(route) > 1 else route[0]
        return route

    def requests_to(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def __enter__(self) -> ReplayServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def fixture_bytes(relative: str) -> bytes:
    """A fixture from tests/fixtures (SOURCES.md says where each came from)."""
    return (FIXTURES / relative).read_bytes()


def xml(relative: str, status: int = 200) -> Reply:
    return Reply(status, fixture_bytes(relative), {"Content-Type": "application/xml"})


def point_pipeline_at(server: ReplayServer, env: object) -> None:
    """The environment `python -m pipeline` reads, pointed at `server` (env: a MonkeyPatch)."""
    env.setenv("ARXIV_API_URL", f"{server.url}/api/query")  # type: ignore[attr-defined]
    env.setenv("ARXIV_RSS_URL", f"{server.url}/rss/")  # type: ignore[attr-defined]
    env.setenv("ARXIV_API_DELAY_SECONDS", "0")  # type: ignore[attr-defined]
    for variable in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        env.delenv(variable, raising=False)  # type: ignore[attr-defined]
