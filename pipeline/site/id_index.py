"""The exact-id lookup behind search: arXiv id, DOI or slug → the paper's page.

Pagefind ranks by words, so a pasted id or DOI may rank other papers first (or, cut at its
dots and slashes, match them). This small index answers exactly: keys are normalised as
search.js normalises a query (`paper_fields.id_keys`), spread over buckets by an FNV-1a hash
of the key, so a lookup fetches `ids/index.json` and one bucket of ~1,000 keys — and only when
the query looks like an id. Pure: the generator writes what `id_buckets` returns."""

from __future__ import annotations

from collections.abc import Iterable

KEYS_PER_BUCKET = 1_000
MAX_BUCKETS = 256
FOLDER = "ids"


def fnv1a(text: str) -> int:
    """32-bit FNV-1a of the UTF-8 bytes (search.js computes the same)."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def bucket_count(keys: int) -> int:
    """A power of two giving about KEYS_PER_BUCKET keys a bucket, at most MAX_BUCKETS."""
    count = 1
    while count < MAX_BUCKETS and keys > count * KEYS_PER_BUCKET:
        count *= 2
    return count


def id_buckets(entries: Iterable[tuple[str, str]]) -> tuple[int, dict[int, dict[str, str]]]:
    """(bucket count, bucket → {key: page url}); every bucket present, empty ones too, so a
    lookup never asks for a missing file. The first paper to claim a key keeps it."""
    pairs = list(entries)
    count = bucket_count(len(pairs))
    buckets: dict[int, dict[str, str]] = {number: {} for number in range(count)}
    for key, url in pairs:
        buckets[fnv1a(key) % count].setdefault(key, url)
    return count, buckets
