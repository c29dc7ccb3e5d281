"""Pelican plugin: turns each paper article's JSON metadata back into lists the theme can use.

Registered in pelicanconf.py as PLUGINS = ["pipeline.site.plugin"]."""

from __future__ import annotations

import json
from typing import Any

from pelican import signals
from pelican.contents import Article
from pelican.urlwrappers import Author

from .generator import SiteGenerator
from .incremental import IncrementalWriter
from .reader import use_paper_reader

LIST_FIELDS = ("paper_authors", "also_in", "paper_categories", "matches")


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list):  # Pelican joins nothing, but be safe with duplicates
        value = value[0]
    if not value:
        return []
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        return []
    return parsed if isinstance(parsed, list) else []


def badge_label(source_label: str) -> str:
    """'arXiv (cs.AI)' → 'arXiv (CS.AI)', as the seed page shows it; other labels as they are."""
    name, sep, rest = source_label.partition(" (")
    return f"{name} ({rest.upper()}" if sep and name == "arXiv" else source_label


def enrich_paper(content: Any) -> None:
    if not isinstance(content, Article) or not hasattr(content, "paper_id"):
        return
    for name in LIST_FIELDS:
        setattr(content, name, _as_list(getattr(content, name, "")))
    content.matches = [m for m in content.matches if isinstance(m, dict)]
    content.topics = [m["name"] for m in content.matches if m.get("kind") == "topic"]
    content.watched_authors = [m["name"] for m in content.matches if m.get("kind") == "author"]
    content.badge = badge_label(getattr(content, "source_label", ""))
    # For the feeds' <author> only: Pelican's own `authors` (and its author index) stay empty.
    content.author = Author(", ".join(content.paper_authors) or "unknown", content.settings)
    # Pelican formats url/save_as from settings on every access (~50 µs); pages use each
    # paper's URL several times, so fix them once through Pelican's own override hooks.
    content.override_url, content.override_save_as = content.url, content.save_as


def use_incremental_writer(pelican: Any) -> type:
    return IncrementalWriter


def add_generators(pelican: Any) -> type:
    return SiteGenerator


def register() -> None:
    signals.content_object_init.connect(enrich_paper)
    signals.get_generators.connect(add_generators)
    signals.readers_init.connect(use_paper_reader)
    signals.get_writer.connect(use_incremental_writer)
