"""One paper, however many times it was seen: versions, cross-lists, RSS and API, reruns."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .models import Match, Paper


def _union(first: Sequence, second: Sequence) -> tuple:
    return tuple(dict.fromkeys([*first, *second]))


def _is_primary(paper: Paper) -> bool:
    return not paper.is_cross_list


def merge_papers(kept: Paper, other: Paper) -> Paper:
    """Combine two sightings of the same paper. Commutative in what it keeps and idempotent:
    merging a paper with itself returns it unchanged, so a rerun writes nothing."""
    newer, older = (other, kept) if (other.version or 0) > (kept.version or 0) else (kept, other)
    other_first = other.announced < kept.announced
    other_is_better = _is_primary(other) and not _is_primary(kept)
    same_rank = _is_primary(other) == _is_primary(kept)
    label_from = other if other_is_better or (same_rank and other_first) else kept
    updated_days = [d for d in (kept.updated, other.updated) if d]
    if (newer.version or 0) > (older.version or 0):
        updated_days.append(newer.announced)
    announced = min(kept.announced, other.announced)
    updated = max(updated_days) if updated_days else None
    matches: dict[tuple[str, str], Match] = {}
    for match in kept.matches + other.matches:
        matches.setdefault((match.kind, match.name), match)
    labels = _union([kept.source_label, *kept.also_in], [other.source_label, *other.also_in])
    return dataclasses.replace(
        newer,
        announced=announced,
        updated=updated if updated and updated > announced else None,
        source_label=label_from.source_label,
        source=label_from.source,
        announce_type=label_from.announce_type
        if newer.version == older.version
        else newer.announce_type,
        categories=_union(newer.categories, older.categories),
        matches=tuple(matches.values()),
        also_in=tuple(label for label in labels if label != label_from.source_label),
        doi=newer.doi or older.doi,
        journal_ref=newer.journal_ref or older.journal_ref,
        pdf_url=newer.pdf_url or older.pdf_url,
        abs_url=newer.abs_url or older.abs_url,
    )


@dataclass(frozen=True)
class Deduped:
    papers: tuple[Paper, ...]
    duplicates: int  # sightings folded into another


def dedupe(papers: Iterable[Paper]) -> Deduped:
    by_id: dict[str, Paper] = {}
    duplicates = 0
    for paper in papers:
        if paper.paper_id in by_id:
            by_id[paper.paper_id] = merge_papers(by_id[paper.paper_id], paper)
            duplicates += 1
        else:
            by_id[paper.paper_id] = paper
    return Deduped(tuple(by_id.values()), duplicates)
