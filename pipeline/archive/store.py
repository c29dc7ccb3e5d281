"""Matched papers → the archive: each merged with its existing article (if any) and written."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..dedupe import merge_papers
from ..models import Damaged, Paper, WriteOutcome
from . import DamagedArticle, read_existing, write_paper


@dataclass(frozen=True)
class Stored:
    outcomes: tuple[WriteOutcome, ...]
    damaged: tuple[Damaged, ...]  # articles left as they are: they could not be read back


def store_papers(content_dir: Path, papers: Iterable[Paper]) -> Stored:
    """A paper whose article is damaged is not written: the file may hold a hand edit, and
    the report names it so someone repairs or removes it."""
    outcomes: list[WriteOutcome] = []
    damaged: list[Damaged] = []
    for paper in papers:
        try:
            existing = read_existing(content_dir, paper.paper_id)
        except DamagedArticle as err:
            damaged.append(err.shown(content_dir))
            continue
        if existing is None:
            outcomes.append(write_paper(content_dir, paper, None))
        else:
            archived, text = existing
            outcomes.append(write_paper(content_dir, merge_papers(archived, paper), text))
    return Stored(tuple(outcomes), tuple(damaged))
