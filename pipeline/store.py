"""Matched papers → the archive: each merged with its existing article (if any) and written."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .archive import ArchiveError, read_existing
from .dedupe import merge_papers
from .models import Paper, WriteOutcome
from .write import write_paper


@dataclass(frozen=True)
class Stored:
    outcomes: tuple[WriteOutcome, ...]
    problems: tuple[str, ...]  # articles left alone because they could not be read back


def store_papers(content_dir: Path, papers: Iterable[Paper]) -> Stored:
    outcomes: list[WriteOutcome] = []
    problems: list[str] = []
    for paper in papers:
        try:
            existing = read_existing(content_dir, paper.paper_id)
        except ArchiveError as err:
            problems.append(f"left {err} as it is")
            continue
        if existing is None:
            outcomes.append(write_paper(content_dir, paper, None))
        else:
            archived, text = existing
            outcomes.append(write_paper(content_dir, merge_papers(archived, paper), text))
    return Stored(tuple(outcomes), tuple(problems))
