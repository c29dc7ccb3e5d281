"""The order papers take in a digest, by e-mail, by chat or on the site's weekly pages: most
relevant first when the library ranking has scored them (`Relevance:`, 0–1), newest first
otherwise and among equals. Pure, and light enough for the site build to import."""

from __future__ import annotations

from datetime import date
from typing import Any


def parse_relevance(raw: Any) -> float | None:
    """An article's `Relevance:` value, or None when it has none (no library) or it is not 0–1."""
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return None
    return value if 0.0 <= value <= 1.0 else None


def digest_order(relevance: float | None, announced: date, paper_id: str) -> tuple[Any, ...]:
    return (relevance is None, -(relevance or 0.0), -announced.toordinal(), paper_id)
