"""How many archived papers each author has, for the author chip of a name the radar does not
watch (a watched author's count is on the page already, with its own listing).

Names are compared as the radar compares them (pipeline/names.py): 'Z. Cao', 'Cao, Zeyu' and
'Zéyu Cao' are one author, so no single key can name them all. The index is keyed by the folded
family name; under it, each way the given names were written has its number of papers. site.js
fetches the bucket of the family name (FNV-1a, as id_index spreads ids), adds up the spellings
that agree with the clicked name (its `sameAuthor`), and so counts each paper once: a spelling
that shares a paper with another one a single name could agree with ('Z. Cao' and 'Zeyu Cao'
on one byline) lists its paper numbers instead, and those are counted as a union.

Pure: the generator writes what `author_buckets` returns; `archive_count` is the lookup site.js
does, in Python."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations

from ..names import names_agree, normalise_author
from .id_index import bucket_count, fnv1a

FOLDER = "author-counts"

# family name → {given names joined by spaces ("" for none) → papers: a count, or their numbers}
Bucket = dict[str, dict[str, int | list[int]]]


def may_be_one_author(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether some name agrees with both given-name spellings: 'zeyu' and 'zhang' (both agree
    with 'Z.'), 'z x' and 'z y' (with 'Z.' too: a missing middle name is allowed)."""
    return bool(a) == bool(b) and (not a or a[0][0] == b[0][0])


def author_buckets(bylines: Iterable[Sequence[str]]) -> tuple[int, dict[int, Bucket]]:
    """(bucket count, bucket → family → spelling → papers) from the papers' bylines; a paper's
    number is its place in `bylines`. Every bucket is present, empty ones too, so a lookup
    never misses a file."""
    families: dict[str, dict[tuple[str, ...], list[int]]] = {}
    listed: set[tuple[str, tuple[str, ...]]] = set()  # spellings whose numbers are needed
    for number, byline in enumerate(bylines):
        on_paper: dict[str, set[tuple[str, ...]]] = {}
        for name in byline:
            family, given = normalise_author(name)
            if family:
                on_paper.setdefault(family, set()).add(given)
        for family, spellings in on_paper.items():
            for given in spellings:
                families.setdefault(family, {}).setdefault(given, []).append(number)
            for a, b in combinations(sorted(spellings), 2):
                if may_be_one_author(a, b):
                    listed |= {(family, a), (family, b)}
    count = bucket_count(len(families))
    buckets: dict[int, Bucket] = {number: {} for number in range(count)}
    for family in sorted(families):
        buckets[fnv1a(family) % count][family] = {
            " ".join(given): numbers if (family, given) in listed else len(numbers)
            for given, numbers in sorted(families[family].items())
        }
    return count, buckets


def archive_count(count: int, buckets: Mapping[int, Bucket], name: str) -> int:
    """How many papers have an author the radar would take for `name` (0: none, or no name)."""
    wanted = normalise_author(name)
    family = wanted[0]
    if not family:
        return 0
    alone, shared = 0, set()
    for written, papers in buckets[fnv1a(family) % count].get(family, {}).items():
        if not names_agree(wanted, (family, tuple(written.split()))):
            continue
        if isinstance(papers, int):
            alone += papers
        else:
            shared.update(papers)
    return alone + len(shared)
