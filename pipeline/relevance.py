"""The ranking stage at its edges: the library loaded (ids looked up once, Zotero read when a key
is set), the index taken from cache/ or fitted on the archive, and the archive's articles
re-scored when the library changed. The scoring itself is rank.py's; choosing suggestions is
suggest.py's."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .archive import ArchiveError, count_papers, read_archive, read_existing, write_paper
from .http import Http
from .library import Library, LibrarySources, load_library, mark_scored, scored_with
from .lookup import make_lookup, read_zotero
from .models import Endpoints, Paper, Radar
from .rank import Ranker, load_or_fit, paper_text
from .suggest import score_papers


@dataclass
class Ranking:
    """What the night ranks with: None when radar.yaml has no library (or it is empty)."""

    ranker: Ranker | None
    library: Library
    notes: list[str] = field(default_factory=list)
    rescored: int = 0  # archived articles whose relevance changed with the library


def _archived(content_dir: Path) -> Callable[[str], Paper | None]:
    def find(paper_id: str) -> Paper | None:
        try:
            found = read_existing(content_dir, paper_id)
        except ArchiveError:
            return None
        return found[0] if found else None

    return find


def prepare_ranking(
    radar: Radar,
    content_dir: Path,
    cache_dir: Path,
    endpoints: Endpoints,
    http_factory: Callable[[], Http],
    day: date,
    zotero_key: str = "",
) -> Ranking:
    """The night's Ranking. Network problems and bad entries become notes, never failures."""
    archived = _archived(content_dir)
    zotero = radar.library.zotero
    sources = LibrarySources(
        base_dir=Path(radar.path).parent,
        content_dir=content_dir,
        lookup=make_lookup(endpoints, http_factory),
        zotero=(lambda: read_zotero(zotero, zotero_key, endpoints))
        if zotero and zotero_key
        else None,
        archived=archived,
    )
    library = load_library(radar.library, sources)
    notes = list(library.problems)
    if library.is_empty:
        if radar.library.is_configured:
            notes.append("ranking: the library has no readable papers yet, so nothing is ranked")
        return Ranking(None, library, notes)
    unwanted = [paper_text(p) for p in map(archived, library.not_interested) if p is not None]
    archive: list[tuple[Paper, str]] = []

    def archive_texts() -> list[str]:
        found, problems = read_archive(content_dir)
        archive.extend(found)
        notes.extend(problems[:5])
        return [paper_text(paper) for paper, _ in found]

    ranker, note = load_or_fit(
        library, count_papers(content_dir), archive_texts, cache_dir, day, unwanted
    )
    notes.append(f"{note}; library of {len(library.papers)} papers")
    ranking = Ranking(ranker, library, notes)
    if scored_with(content_dir) != library.fingerprint:
        if not archive:
            archive.extend(read_archive(content_dir)[0])
        ranking.rescored = rescore_archive(content_dir, ranker, archive)
        mark_scored(content_dir, library.fingerprint)
        notes.append(f"ranking: the library changed; {ranking.rescored} archived papers re-scored")
    return ranking


def rescore_archive(content_dir: Path, ranker: Ranker, archive: list[tuple[Paper, str]]) -> int:
    """Write each archived paper's new relevance; unchanged articles are left untouched."""
    papers = [paper for paper, _ in archive]
    rescored = score_papers(ranker, papers)
    changed = 0
    for new, (old, text) in zip(rescored, archive, strict=True):
        if (new.relevance, new.related) == (old.relevance, old.related):
            continue
        write_paper(
            content_dir,
            dataclasses.replace(old, relevance=new.relevance, related=new.related),
            text,
        )
        changed += 1
    return changed
