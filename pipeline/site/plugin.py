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
    content.day = content.date.strftime("%Y-%m-%d")  # shown on every card: formatted once
    # Pelican formats url/save_as from settings on every access, through os.path.relpath
    # (~90 µs each); fix them once through Pelican's own override hooks, from the same settings.
    fields = {**content.metadata, "slug": content.slug, "lang": content.lang,
              "date": content.date, "category": content.category.slug}  # fmt: skip
    content.override_url = content.settings["ARTICLE_URL"].format_map(fields)
    content.override_save_as = content.settings["ARTICLE_SAVE_AS"].format_map(fields)


def skip_category_pages(generator: Any) -> None:
    """Category pages are off (CATEGORY_SAVE_AS is empty), yet Pelican's writer still matches
    every article of a category against every date before it finds nothing to write: 18 s at
    50k papers, quadratic. With no categories listed, that pass has nothing to do."""
    generator.categories = []


def use_incremental_writer(pelican: Any) -> type:
    return IncrementalWriter


def add_generators(pelican: Any) -> type:
    return SiteGenerator


def register() -> None:
    signals.content_object_init.connect(enrich_paper)
    signals.article_generator_finalized.connect(skip_category_pages)
    signals.get_generators.connect(add_generators)
    signals.readers_init.connect(use_paper_reader)
    signals.get_writer.connect(use_incremental_writer)
