"""One paper, however many times it was seen: versions, cross-lists, RSS and API, reruns.

Records are ranked by who says them, never by what they say: arXiv, bioRxiv/medRxiv, Crossref
and the publishers' own feeds (the presets) outrank an arbitrary feed for title, authors,
abstract and links. A feed's DOI whose title disagrees with what a trusted source says for that
DOI is a false claim: kept apart without the DOI, and reported. A feed's guid is the feed's own
key, not a work's identity: two records under one guid with another title and another link are
two papers."""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from .models import Match, Paper, Tldr
from .names import normalise_author
from .text import fold


def _union(first: Sequence, second: Sequence) -> tuple:
    return tuple(dict.fromkeys([*first, *second]))


def _is_primary(paper: Paper) -> bool:
    return not paper.is_cross_list


TRUSTED = 2  # arXiv, bioRxiv/medRxiv, Crossref, a publisher's preset feed
FEED = 1  # any other feed: its text is whatever its server says


def trust(paper: Paper) -> int:
    """From the source that produced the record (kept in the archive as `Source`), never from
    the record's own text."""
    source = paper.source
    if source in ("arxiv", "biorxiv", "medrxiv") or source.startswith(("crossref:", "preset:")):
        return TRUSTED
    return FEED


def titles_agree(first: Paper, second: Paper) -> bool:
    """One work's titles as two sources write them (case, accents, markup, a dash for a colon,
    a subtitle dropped) agree; a title made up for someone else's DOI does not."""
    a, b = fold(first.title), fold(second.title)
    if not a or not b or a == b or a in b or b in a:
        return True
    words_a, words_b = set(a.split()), set(b.split())
    shared = len(words_a & words_b) / min(len(words_a), len(words_b))
    return shared >= 0.6 or difflib.SequenceMatcher(None, a, b).ratio() >= 0.6


def _ranked(first: Paper, second: Paper) -> tuple[Paper, Paper] | None:
    """(more trusted, less trusted), or None when they rank the same."""
    if trust(first) == trust(second):
        return None
    return (first, second) if trust(first) > trust(second) else (second, first)


def _text_from(paper: Paper, trusted: Paper) -> Paper:
    """The trusted record's title, authors, abstract and links, wherever it has them."""
    return dataclasses.replace(
        paper,
        title=trusted.title or paper.title,
        authors=trusted.authors or paper.authors,
        abstract=trusted.abstract or paper.abstract,
        abs_url=trusted.abs_url or paper.abs_url,
        pdf_url=trusted.pdf_url or paper.pdf_url,
    )


def merge_papers(kept: Paper, other: Paper) -> Paper:
    """Combine two sightings of the same paper. Commutative in what it keeps and idempotent:
    merging a paper with itself returns it unchanged, so a rerun writes nothing. The more
    trusted record's text wins whichever came first; a less trusted one whose title disagrees
    adds nothing (an archived false claim is replaced by the trusted record)."""
    ranked = _ranked(kept, other)
    if ranked and not titles_agree(*ranked):
        return ranked[0]
    merged = _merge_same_rank(kept, other, ranked[0] if ranked else None)
    return _text_from(merged, ranked[0]) if ranked else merged


def _merge_same_rank(kept: Paper, other: Paper, trusted: Paper | None) -> Paper:
    newer, older = (other, kept) if (other.version or 0) > (kept.version or 0) else (kept, other)
    other_first = other.announced < kept.announced
    other_is_better = _is_primary(other) and not _is_primary(kept)
    same_rank = _is_primary(other) == _is_primary(kept)
    label_from = other if other_is_better or (same_rank and other_first) else kept
    if trusted is not None:
        label_from = trusted
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
        comment=newer.comment or older.comment,
        pdf_url=newer.pdf_url or older.pdf_url,
        abs_url=newer.abs_url or older.abs_url,
        first_seen=_first_seen(kept, other),
        tldr=_tldr(kept, other),
        relevance=newer.relevance if newer.relevance is not None else older.relevance,
        related=newer.related if newer.relevance is not None else older.related,
    )


def _tldr(kept: Paper, other: Paper) -> Tldr | None:
    """A model's TL;DR before an automatic one: a paper is asked for one once, ever."""
    found = [t for t in (kept.tldr, other.tldr) if t]
    return next((t for t in found if t.kind == "llm"), found[0] if found else None)


def _first_seen(kept: Paper, other: Paper) -> date | None:
    """The earlier night of the two; an article from before First_seen counts its own date."""
    if kept.first_seen is None and other.first_seen is None:
        return None
    return min(kept.seen_day, other.seen_day)


def merge_sightings(kept: Paper, other: Paper) -> Paper:
    """Two records of one work. Same id: versions of it (merge_papers). Different ids: another
    source's record of it — a journal version of a preprint — folded into the kept one, whose
    id, text and page stay; the other adds its source label, DOI and links."""
    if kept.paper_id == other.paper_id:
        return merge_papers(kept, other)
    ranked = _ranked(kept, other)
    if ranked and not titles_agree(*ranked):
        return kept  # never joined by dedupe (separate_false_claims); a claim adds nothing
    labels = _union([kept.source_label, *kept.also_in], [other.source_label, *other.also_in])
    matches: dict[tuple[str, str], Match] = {}
    for match in kept.matches + other.matches:
        matches.setdefault((match.kind, match.name), match)
    merged = dataclasses.replace(
        kept,
        authors=kept.authors or other.authors,
        abstract=kept.abstract or other.abstract,
        categories=_union(kept.categories, other.categories),
        matches=tuple(matches.values()),
        also_in=tuple(label for label in labels if label != kept.source_label),
        doi=kept.doi or other.doi,
        journal_doi=kept.journal_doi or (other.doi if other.doi != kept.doi else ""),
        journal_ref=kept.journal_ref or other.journal_ref,
        comment=kept.comment or other.comment,
        abs_url=kept.abs_url or other.abs_url,
        pdf_url=kept.pdf_url or other.pdf_url,
        first_seen=_first_seen(kept, other),
        tldr=_tldr(kept, other),
        relevance=kept.relevance if kept.relevance is not None else other.relevance,
        related=kept.related if kept.relevance is not None else other.related,
    )
    if ranked and ranked[0] is other:
        merged = _text_from(merged, other)
    return merged


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
    notes: tuple[str, ...] = ()  # ids kept apart, false DOI claims, corrected articles


def _quoted(paper: Paper) -> str:
    title = paper.title if len(paper.title) <= 80 else paper.title[:79] + "…"
    return f"“{title}”"


def _rekeyed(paper: Paper, *parts: str) -> str:
    """A stable id of the source's own for a record that cannot keep the one it came with."""
    digest = hashlib.sha1("\n".join([paper.source, *parts]).encode()).hexdigest()[:20]
    return f"guid:{digest}"


def _same_item(first: Paper, second: Paper) -> bool:
    """Under one guid: a corrected title at the same link, or a moved link with the same title,
    is the same item; another title at another link is another paper."""
    return fold(first.title) == fold(second.title) or bool(
        first.abs_url and first.abs_url == second.abs_url
    )


def separate_reused_ids(
    papers: Iterable[Paper], read_archived: Callable[[str], Paper | None]
) -> tuple[list[Paper], list[str]]:
    """Records under one guid id that are not one item (another title and link, in the same
    feed or on a later night) get ids of their own: the article already under the id (or the
    night's first record) keeps it."""
    owners: dict[str, Paper] = {}
    kept: list[Paper] = []
    notes: list[str] = []
    for paper in papers:
        if not paper.paper_id.startswith("guid:"):
            kept.append(paper)
            continue
        owner = owners.get(paper.paper_id)
        if owner is None:
            owner = owners[paper.paper_id] = read_archived(paper.paper_id) or paper
        if _same_item(owner, paper):
            kept.append(paper)
            continue
        new_id = _rekeyed(paper, paper.paper_id, paper.abs_url, fold(paper.title))
        kept.append(dataclasses.replace(paper, paper_id=new_id))
        notes.append(
            f"{paper.source_label}: {_quoted(owner)} ({owner.abs_url or 'no link'}) and "
            f"{_quoted(paper)} ({paper.abs_url or 'no link'}) came under one guid; "
            "kept as two papers"
        )
    return kept, notes


def separate_false_claims(
    papers: Iterable[Paper],
    archive_keys: Mapping[str, str],
    read_archived: Callable[[str], Paper | None],
) -> tuple[list[Paper], list[str]]:
    """A less trusted record whose DOI a trusted record (of the night or the archive) gives
    another title is kept apart without that DOI; with no trusted record, so is a feed's record
    contradicting the feed record that gave the DOI first. An archived article of a less trusted
    source that a trusted record contradicts is reported as corrected (merge_papers replaces
    it)."""
    papers = list(papers)
    trusted: dict[str, list[Paper]] = {}
    for paper in papers:
        if trust(paper) == TRUSTED and paper.doi:
            trusted.setdefault(paper.doi.lower(), []).append(paper)
    notes: list[str] = []
    first_claims: dict[str, Paper] = {}
    for index, paper in enumerate(papers):
        doi = paper.doi.lower()
        if not doi:
            continue
        archived_id = archive_keys.get(f"doi:{doi}")
        archived = read_archived(archived_id) if archived_id else None
        references = list(trusted.get(doi, []))
        if archived is not None and trust(archived) == TRUSTED:
            references.append(archived)
        if trust(paper) == TRUSTED:
            if (
                archived is not None
                and trust(archived) < TRUSTED
                and archived.paper_id == (paper.paper_id)
                and not titles_agree(archived, paper)
            ):
                notes.append(
                    f"doi {doi}: the archived {_quoted(archived)} from {archived.source_label} "
                    f"is replaced by {paper.source_label}'s record {_quoted(paper)}"
                )
            continue
        if not references:  # feeds only: the first to give the DOI (archived or tonight) holds it
            references = [first_claims.setdefault(doi, archived or paper)]
        if any(ref is paper or titles_agree(paper, ref) for ref in references):
            continue
        reference = references[0]
        notes.append(
            f"{paper.source_label} gives doi {doi} to {_quoted(paper)}, but "
            f"{reference.source_label} has {_quoted(reference)} for it: kept apart, without the DOI"
        )
        papers[index] = dataclasses.replace(
            paper,
            paper_id=_rekeyed(paper, doi, fold(paper.title))
            if paper.paper_id == f"doi:{doi}"
            else paper.paper_id,
            doi="",
            abs_url=""
            if doi in paper.abs_url.lower() and "doi.org/" in paper.abs_url
            else paper.abs_url,
        )
    return papers, notes


def dedupe(
    papers: Iterable[Paper],
    archive_keys: Mapping[str, str] | None = None,
    read_archived: Callable[[str], Paper | None] = lambda paper_id: None,
) -> Deduped:
    """Fold every record of the same work into one: within the night by id, DOI or title and
    first author; then against the archive (`archive_keys`: work key → archived id), so a
    journal version arriving months after its preprint joins the preprint's article."""
    papers, notes = separate_reused_ids(papers, read_archived)
    papers, claims = separate_false_claims(papers, archive_keys or {}, read_archived)
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
            (
                archive_keys[k]
                for k in work_keys(work)
                if k in (archive_keys or {}) and may_join(archive_keys[k], work.paper_id, k)
            ),
            None,
        )
        if archived_id is not None and archived_id != work.paper_id:
            archived = unique.get(archived_id) or read_archived(archived_id)
            ranked = _ranked(archived, work) if archived is not None else None
            if archived is not None and not (ranked and not titles_agree(*ranked)):
                work = merge_sightings(archived, work)
                into_archive += 1
        if work.paper_id in unique:  # two of the night's works met in one archived paper
            work = merge_sightings(unique[work.paper_id], work)
            duplicates += 1
        unique[work.paper_id] = work
    return Deduped(tuple(unique.values()), duplicates, into_archive, (*notes, *claims))


def may_join(first_id: str, second_id: str, key: str) -> bool:
    """A title match never joins two arXiv papers: arXiv gives each work one id, so two ids
    with one title are two works (a reply, a series)."""
    return not (
        key.startswith("title:")
        and first_id.startswith("arxiv:")
        and second_id.startswith("arxiv:")
    )
