"""What every source shares, so a new kind of source is its own parsing and nothing else: the
result of parsing a reply (`Parsed`), the loop that turns items into Papers and reports the ones
it cannot (`convert_items`), and the timed fetch whose SourceError is that source's failure
(`timed_fetch`)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from ..errors import SourceError
from ..models import Paper, SkippedItem, SourceResult
from ..text import one_line

Item = TypeVar("Item")
BAD_ITEM = (ValueError, KeyError, TypeError, AttributeError)  # an item not as documented


@dataclass(frozen=True)
class Parsed:
    """What a reply (or all pages of one fetch) gave: papers, items left out and why, a note."""

    papers: tuple[Paper, ...] = ()
    skipped: tuple[SkippedItem, ...] = ()
    note: str = ""


def convert_items(
    items: Iterable[Item],
    source: str,
    to_paper: Callable[[Item], Paper],
    label: Callable[[Item], object],
) -> tuple[list[Paper], list[SkippedItem]]:
    """Each item as a Paper; one that cannot be read is skipped and named by `label` (its id,
    DOI or link; 'item N' when it has none), never failing the others."""
    papers: list[Paper] = []
    skipped: list[SkippedItem] = []
    for index, item in enumerate(items):
        try:
            papers.append(to_paper(item))
        except BAD_ITEM as err:
            try:
                name = str(label(item) or "")
            except BAD_ITEM:
                name = ""
            name = one_line(name or f"item {index + 1}")[:80]
            skipped.append(SkippedItem(source, name, one_line(str(err))[:120]))
    return papers, skipped


def timed_fetch(name: str, fetch: Callable[[], Parsed]) -> SourceResult:
    """Run one source's fetch and parse, timed; its SourceError is its report row's error."""
    started = time.monotonic()
    try:
        parsed = fetch()
    except SourceError as err:
        return SourceResult(name, error=str(err), seconds=time.monotonic() - started)
    return SourceResult(
        name,
        parsed.papers,
        note=parsed.note,
        skipped=parsed.skipped,
        seconds=time.monotonic() - started,
    )
