"""The archive's work keys (id, DOIs, title + first author → archived id), so dedupe can fold a
journal version arriving months after its preprint into the preprint's article.

Derived data: kept in the cache folder, not committed, and rebuilt by reading the archive when
missing or when the archive holds a different number of papers than it describes."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..dedupe import work_keys
from ..models import Paper
from ..write import write_atomically
from . import DamagedArticle, article_paths, count_papers, read_article_file

INDEX_FILE = "archive-index.tsv"


def _add(keys: dict[str, str], papers: Iterable[Paper]) -> None:
    for paper in papers:
        for key in work_keys(paper):
            keys.setdefault(key, paper.paper_id)


def build_archive_keys(content_dir: Path) -> dict[str, str]:
    """Read every article; one that cannot be read (edited by hand) is left out, not fatal."""
    keys: dict[str, str] = {}
    for path in article_paths(content_dir):
        try:
            _add(keys, [read_article_file(path)])
        except DamagedArticle:
            continue  # named in the run report by archive.scan_archive
    return keys


def load_archive_keys(content_dir: Path, cache_dir: Path) -> dict[str, str]:
    papers = count_papers(content_dir)
    try:
        lines = (cache_dir / INDEX_FILE).read_text(encoding="utf-8").splitlines()
        if lines and lines[0] == f"# papers {papers}":
            return dict(line.split("\t", 1) for line in lines[1:] if "\t" in line)
    except OSError:
        pass
    keys = build_archive_keys(content_dir)
    save_archive_keys(cache_dir, keys, papers)
    return keys


def save_archive_keys(cache_dir: Path, keys: dict[str, str], papers: int) -> None:
    rows = [f"# papers {papers}", *(f"{k}\t{v}" for k, v in sorted(keys.items()) if "\n" not in k)]
    write_atomically(cache_dir / INDEX_FILE, "\n".join(rows) + "\n")


def update_archive_keys(
    cache_dir: Path, keys: dict[str, str], stored: Iterable[Paper], content_dir: Path
) -> None:
    _add(keys, stored)
    save_archive_keys(cache_dir, keys, count_papers(content_dir))
