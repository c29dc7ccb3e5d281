"""One paper, however many times it was seen: versions, cross-lists, RSS and API, reruns."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from .models import Match, Paper
from .names import normalise_author
from .text import fold


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
        journal_doi=newer.journal_doi or older.journal_doi,
        journal_ref=newer.journal_ref or older.journal_ref,
        pdf_url=newer.pdf_url or older.pdf_url,
        abs_url=newer.abs_url or older.abs_url,
    )


def merge_sightings(kept: Paper, other: Paper) -> Paper:
    """Two records of one work. Same id: versions of it (merge_papers). Different ids: another
    source's record of it — a journal version of a preprint — folded into the kept one, whose
    id, text and page stay; the other adds its source label, DOI and links."""
    if kept.paper_id == other.paper_id:
        return merge_papers(kept, other)
    labels = _union([kept.source_label, *kept.also_in], [other.source_label, *other.also_in])
    matches: dict[tuple[str, str], Match] = {}
    for match in kept.matches + other.matches:
        matches.setdefault((match.kind, match.name), match)
    return dataclasses.replace(
        kept,
        authors=kept.authors or other.authors,
        abstract=kept.abstract or other.abstract,
        categories=_union(kept.categories, other.categories),
        matches=tuple(matches.values()),
        also_in=tuple(label for label in labels if label != kept.source_label),
        doi=kept.doi or other.doi,
        journal_doi=kept.journal_doi or (other.doi if other.doi != kept.doi else ""),
        journal_ref=kept.journal_ref or other.journal_ref,
        abs_url=kept.abs_url or other.abs_url,
        pdf_url=kept.pdf_url or other.pdf_url,
    )


MIN_TITLE_KEY = 20  # shorter titles ("Editorial", "Correction") are not a paper's identity


def work_keys(paper: Paper) -> list[str]:
    """What identifies a work across sources: its id, its DOIs, its title with first author."""
    keys = [f"id:{paper.paper_id}"]
    keys += [f"doi:{doi.lower()}" for doi in (paper.doi, paper.journal_doi) if doi]
    title = fold(paper.title)
    if len(title) >= MIN_TITLE_KEY and paper.authors:
        keys.append(f"title:{title}|{normalise_author(paper.authors[0])[0]}")
    return keys


@dataclass(frozen=True)
class Deduped:
    papers: tuple[Paper, ...]
    duplicates: int  # sightings folded into another paper of the night
    into_archive: int = 0  # new records of works already in the archive, folded into them


def dedupe(
    papers: Iterable[Paper],
    archive_keys: Mapping[str, str] | None = None,
    read_archived: Callable[[str], Paper | None] = lambda paper_id: None,
) -> Deduped:
    """Fold every record of the same work into one: within the night by id, DOI or title and
    first author; then against the archive (`archive_keys`: work key → archived id), so a
    journal version arriving months after its preprint joins the preprint's article."""
    works: list[Paper] = []
    where: dict[str, int] = {}
    duplicates = 0
    for paper in papers:
        index = next(
            (
                where[k]
                for k in work_keys(paper)
                if k in where and may_join(works[where[k]].paper_id, paper.paper_id, k)
            ),
            None,
        )
        if index is None:
            works.append(paper)
            index = len(works) - 1
        else:
            works[index] = merge_sightings(works[index], paper)
            duplicates += 1
        for key in work_keys(works[index]):
            where.setdefault(key, index)
    into_archive = 0
    unique: dict[str, Paper] = {}
    for work in works:
        archived_id = next(
            (archive_keys[k] for k in work_keys(work)
             if k in (archive_keys or {}) and may_join(archive_keys[k], work.paper_id, k)),
            None,
        )  # fmt: skip
        if archived_id is not None and archived_id != work.paper_id:
            archived = unique.get(archived_id) or read_archived(archived_id)
            if archived is not None:
                work = merge_sightings(archived, work)
                into_archive += 1
        if work.paper_id in unique:  # two of the night's works met in one archived paper
            work = merge_sightings(unique[work.paper_id], work)
            duplicates += 1
        unique[work.paper_id] = work
    return Deduped(tuple(unique.values()), duplicates, into_archive)


def may_join(first_id: str, second_id: str, key: str) -> bool:
    """A title match never joins two arXiv papers: arXiv gives each work one id, so two ids
    with one title are two works (a reply, a series)."""
    return not (key.startswith("title:") and first_id.startswith("arxiv:")
                and second_id.startswith("arxiv:"))  # fmt: skip
