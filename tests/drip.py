"""A raw HTTP server on 127.0.0.1 for what ReplayServer cannot do: drip its answer a byte at a
time (a slow loris) or send a body with no Content-Length. It records how much it got to send."""

from __future__ import annotations

import socket
import struct
import threading
import time
import zlib


class DripServer:
    """Answers every connection with `head` (status line and headers) and then `body`; with
    `interval` > 0 the body (and with `drip_head` the head too) goes out one byte per interval."""

    def __init__(
        self, head: bytes, body: bytes, interval: float = 0.0, drip_head: bool = False
    ) -> None:
        self.head, self.body, self.interval, self.drip_head = head, body, interval, drip_head
        self.sent = 0  # body bytes sent, over all connections
        self.connections = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._stopping = threading.Event()

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # closed by __exit__
            self.connections += 1
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)  # the request; its content does not matter here
                self._send(conn, self.head, self.drip_head, count=False)
                self._send(conn, self.body, self.interval > 0, count=True)
            except OSError:
                return  # the client gave up: what we wanted to see

    def _send(self, conn: socket.socket, data: bytes, drip: bool, count: bool) -> None:
        pieces = [data[i : i + 1] for i in range(len(data))] if drip else [data]
        for piece in pieces:
            if self._stopping.is_set():
                return
            conn.sendall(piece)
            if count:
                self.sent += len(piece)
            if drip:
                time.sleep(self.interval)

    def __enter__(self) -> DripServer:
        threading.Thread(target=self._serve, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()
        self._listener.close()


def http_head(length: int | None, extra: str = "", status: str = "200 OK") -> bytes:
    """A status line and headers; no Content-Length when `length` is None (read to the close)."""
    lines = [f"HTTP/1.1 {status}", "Content-Type: application/rss+xml", "Connection: close"]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    if extra:
        lines.append(extra)
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def gzip_bomb(prefix: bytes, filler_mib: int, suffix: bytes) -> bytes:
    """A valid gzip body: `prefix`, `filler_mib` MiB of spaces, `suffix` (≈ 1 KB on the wire per
    MiB inflated). Built from one compressed MiB repeated: after a full flush deflate starts
    afresh, so each MiB compresses to the same bytes and 1 GiB takes no time to make."""
    mib = b" " * 2**20
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    head = deflate.compress(prefix) + deflate.flush(zlib.Z_FULL_FLUSH)
    block = deflate.compress(mib) + deflate.flush(zlib.Z_FULL_FLUSH)
    tail = deflate.compress(suffix) + deflate.flush()
    crc = zlib.crc32(prefix)
    for _ in range(filler_mib):
        crc = zlib.crc32(mib, crc)
    crc = zlib.crc32(suffix, crc)
    size = len(prefix) + filler_mib * 2**20 + len(suffix)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc, size & 0xFFFFFFFF)
    return header + head + block * filler_mib + tail + trailer
