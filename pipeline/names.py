"""People's names as papers write them: one author written many ways ('Cao, Zeyu', 'Z. Cao',
'Zéyu CAO') compared as one. Pure; matching asks it for watched authors, dedupe for the first
author of a title key."""

from __future__ import annotations

from .text import fold


def normalise_author(name: str) -> tuple[str, tuple[str, ...]]:
    """'Cao, Zeyu' / 'Zeyu CAO' / 'Z. Cao' / 'Zéyu Cao' → ('cao', ('zeyu',)) or ('cao', ('z',)).

    Returns the family name and the given names (or initials), accents and case folded.
    """
    if "," in name:
        family, _, given = name.partition(",")
        name = f"{given} {family}"
    parts = fold(name.replace(".", ". ")).split()
    if not parts:
        return "", ()
    return parts[-1], tuple(parts[:-1])


def same_author(watched: str, candidate: str) -> bool:
    """Family names equal and every given name agrees, an initial agreeing with a full name;
    a missing middle name is allowed, a missing first name is not."""
    return names_agree(normalise_author(watched), normalise_author(candidate))


def names_agree(a: tuple[str, tuple[str, ...]], b: tuple[str, tuple[str, ...]]) -> bool:
    """same_author on names already normalised (the site's author index stores them so)."""
    (family_a, given_a), (family_b, given_b) = a, b
    if not family_a or family_a != family_b or bool(given_a) != bool(given_b):
        return False
    for a, b in zip(given_a, given_b, strict=False):
        if len(a) == 1 or len(b) == 1:
            if a[0] != b[0]:
                return False
        elif a != b:
            return False
    return True
