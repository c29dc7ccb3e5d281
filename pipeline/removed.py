"""Papers taken out of the archive on purpose (a takedown, a mistaken match): each is remembered
by a tombstone in content/state/removed.json, committed with the archive, so no source brings
it back — not even while it is still inside that source's look-back window, nor as another
source's record of the same work (the tombstone keeps the work's id, DOIs and title key).

`python -m pipeline remove PAPER_ID` deletes the article and writes the tombstone; the next
site build takes the page, its listing and feed entries and its search hit down."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from .archive import (
    DamagedArticle,
    article_relpath,
    read_article_file,
    read_article_text,
    split_article,
)
from .dedupe import work_keys
from .errors import UserError
from .models import Paper
from .state import STATE_DIR
from .write import write_atomically

STATE_FILE = Path(STATE_DIR) / "removed.json"


class TombstoneError(UserError):
    """content/state/removed.json cannot be read, or a removal names no article."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


@dataclass(frozen=True)
class Tombstone:
    paper_id: str  # "" when the removed article was too damaged to say
    article: str  # its path under content/, fixed by the id: "papers/arxiv/2606/….md"
    removed: str  # the day it was removed, YYYY-MM-DD
    reason: str
    keys: tuple[str, ...]  # the work's keys when it was removed (dedupe.work_keys)

    @property
    def name(self) -> str:
        return self.paper_id or self.article


def load_tombstones(content_dir: Path) -> dict[str, Tombstone]:
    path = content_dir / STATE_FILE
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as err:
        raise TombstoneError(
            path, f"cannot be read ({err}); restore it from git (git checkout -- {path})"
        ) from None
    try:
        stones = [
            Tombstone(
                r.get("paper_id", ""),
                r["article"],
                r["removed"],
                r.get("reason", ""),
                tuple(r.get("keys", ())),
            )
            for r in rows
        ]
    except (KeyError, TypeError, AttributeError) as err:
        raise TombstoneError(
            path,
            f"an entry has no {err}; each needs article and removed, "
            "as `python -m pipeline remove` writes them",
        ) from None
    return {stone.name: stone for stone in stones}


def save_tombstones(content_dir: Path, tombstones: Mapping[str, Tombstone]) -> None:
    rows = [asdict(stone) for _, stone in sorted(tombstones.items())]
    write_atomically(
        content_dir / STATE_FILE, json.dumps(rows, indent=1, ensure_ascii=False) + "\n"
    )


def drop_removed(
    papers: Iterable[Paper], tombstones: Mapping[str, Tombstone]
) -> tuple[list[Paper], list[Paper]]:
    """(kept, dropped): a paper is dropped when any of its work keys is on a tombstone."""
    buried = {key for stone in tombstones.values() for key in _keys(stone)}
    kept: list[Paper] = []
    dropped: list[Paper] = []
    for paper in papers:
        keys = [*work_keys(paper), f"path:{article_relpath(paper.paper_id)}"]
        (dropped if buried.intersection(keys) else kept).append(paper)
    return kept, dropped


def _keys(stone: Tombstone) -> tuple[str, ...]:
    return (
        *stone.keys,
        f"path:{stone.article}",
        *([f"id:{stone.paper_id}"] * bool(stone.paper_id)),
    )


@dataclass(frozen=True)
class Removal:
    tombstone: Tombstone
    deleted: bool  # False when there was no article (a paper kept out before it arrived)
    already: bool  # it had a tombstone before
    announced: date | None  # the night first seen, whose briefing cites it; None when unknown


def remove_paper(content_dir: Path, target: str, reason: str, today: date) -> Removal:
    """Delete a paper's article and write its tombstone. `target` is a paper id
    (arxiv:2606.19025) or the article's path; a damaged article can be removed by path."""
    path, paper_id, keys, announced = _find(content_dir, target)
    article = path.resolve().relative_to(content_dir.resolve()).as_posix()
    tombstones = load_tombstones(content_dir)
    stone = Tombstone(paper_id, article, today.isoformat(), reason, keys)
    already = stone.name in tombstones
    tombstones[stone.name] = stone
    save_tombstones(content_dir, tombstones)  # first: a crash after it still keeps the paper out
    deleted = path.is_file()
    path.unlink(missing_ok=True)
    return Removal(stone, deleted, already, announced)


def _find(content_dir: Path, target: str) -> tuple[Path, str, tuple[str, ...], date | None]:
    """The article, its paper id, work keys and day, as well as the file still tells them."""
    given = Path(target)
    if target.endswith(".md"):
        path = given if given.is_absolute() or given.exists() else content_dir / given
        if not path.resolve().is_relative_to(content_dir.resolve()):
            raise TombstoneError(target, f"not an article in {content_dir}/")
    else:
        path = content_dir / article_relpath(target)
    try:
        paper = read_article_file(path)
    except DamagedArticle:
        paper_id = _header_id(path) or ("" if target.endswith(".md") else target)
        return path, paper_id, ((f"id:{paper_id}",) if paper_id else ()), None
    return path, paper.paper_id, tuple(work_keys(paper)), paper.seen_day


def _header_id(path: Path) -> str:
    try:
        fields, _ = split_article(read_article_text(path), path)
    except (OSError, DamagedArticle):
        return ""
    return fields.get("paper_id", "")
