"""Pelican plugin: turns each paper article's JSON metadata back into lists the theme can use.

Registered in pelicanconf.py as PLUGINS = ["pipeline.site.plugin"]."""

from __future__ import annotations

import json
from typing import Any

from pelican import signals
from pelican.contents import Article
from pelican.urlwrappers import Author

from .digest_pages import DigestPagesGenerator
from .generator import SiteGenerator, is_briefing
from .incremental import IncrementalWriter
from .inline_includes import inline_includes
from .paper_fields import (
    arxiv_id,
    author_pages,
    bibtex_entry,
    briefing_teaser,
    find_code_url,
    id_keys,
    search_ids,
)
from .reader import use_paper_reader

LIST_FIELDS = ("paper_authors", "also_in", "paper_categories", "matches", "related")
TEXT_FIELDS = ("abs_url", "pdf_url", "doi", "journal_doi", "journal_ref", "comment", "version")


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


def _relevance(value: Any) -> float | None:
    """`Relevance: 0.87` (pipeline/rank.py) as a number; absent or damaged → None."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return min(1.0, max(0.0, number))


def badge_label(source_label: str) -> str:
    """'arXiv (cs.AI)' → 'arXiv (CS.AI)', as the seed page shows it; other labels as they are."""
    name, sep, rest = source_label.partition(" (")
    return f"{name} ({rest.upper()}" if sep and name == "arXiv" else source_label


def _links(content: Any) -> list[tuple[str, str]]:
    """The paper page's links: abstract page, PDF, code, DOIs."""
    links = [
        ("Abstract page", content.abs_url),
        ("PDF", content.pdf_url),
        ("Code", content.code_url),
    ]
    dois = dict.fromkeys(d for d in (content.doi, content.journal_doi) if d)
    links += [(f"DOI {doi}", f"https://doi.org/{doi}") for doi in dois]
    return [(label, url) for label, url in links if url]


def _add_paper_fields(content: Any) -> None:
    """Fields the cards and the paper page show, derived once per paper (paper_fields.py)."""
    for name in (*TEXT_FIELDS, "tldr"):
        setattr(content, name, getattr(content, name, "") or "")
    content.code_url = find_code_url(content._content, content.comment)
    content.links = _links(content)
    dois = [content.doi, content.journal_doi]
    content.search_ids = search_ids(content.paper_id, content.version, dois, content.slug)
    content.id_keys = id_keys(content.paper_id, dois, content.slug)
    content.author_pages = (
        author_pages(content.paper_authors, content.watched_authors)
        if content.watched_authors
        else {}
    )
    content.bibtex = bibtex_entry(
        title=content.title,
        authors=content.paper_authors,
        year=content.day[:4],
        month=content.day[5:7],
        url=content.abs_url,
        doi=content.journal_doi or content.doi,
        arxiv=arxiv_id(content.paper_id),
        journal=content.journal_ref,
    )


def enrich_briefing(content: Any) -> None:
    content.overview, content.themes = briefing_teaser(content._content)


def enrich_paper(content: Any) -> None:
    if isinstance(content, Article) and is_briefing(content):
        enrich_briefing(content)
    if not isinstance(content, Article) or not hasattr(content, "paper_id"):
        return
    for name in LIST_FIELDS:
        setattr(content, name, _as_list(getattr(content, name, "")))
    content.matches = [m for m in content.matches if isinstance(m, dict)]
    content.topics = [m["name"] for m in content.matches if m.get("kind") == "topic"]
    content.watched_authors = [m["name"] for m in content.matches if m.get("kind") == "author"]
    content.suggestion = next((m for m in content.matches if m.get("kind") == "library"), None)
    content.relevance = _relevance(getattr(content, "relevance", None))
    content.related = [title for title in content.related if isinstance(title, str)]
    content.badge = badge_label(getattr(content, "source_label", ""))
    # For the feeds' <author> only: Pelican's own `authors` (and its author index) stay empty.
    content.author = Author(", ".join(content.paper_authors) or "unknown", content.settings)
    content.day = content.date.strftime("%Y-%m-%d")  # shown on every card: formatted once
    # Pelican formats url/save_as from settings on every access, through os.path.relpath
    # (~90 µs each); fix them once through Pelican's own override hooks, from the same settings.
    fields = {
        **content.metadata,
        "slug": content.slug,
        "lang": content.lang,
        "date": content.date,
        "category": content.category.slug,
    }
    content.override_url = content.settings["ARTICLE_URL"].format_map(fields)
    content.override_save_as = content.settings["ARTICLE_SAVE_AS"].format_map(fields)
    _add_paper_fields(content)


def skip_category_pages(generator: Any) -> None:
    """Category pages are off (CATEGORY_SAVE_AS is empty), yet Pelican's writer still matches
    every article of a category against every date before it finds nothing to write: 18 s at
    50k papers, quadratic. With no categories listed, that pass has nothing to do."""
    generator.categories = []


def use_incremental_writer(pelican: Any) -> type:
    return IncrementalWriter


def add_generators(pelican: Any) -> tuple[type, ...]:
    """The digest pages first: SiteGenerator prunes what the build did not write."""
    return DigestPagesGenerator, SiteGenerator


def register() -> None:
    signals.content_object_init.connect(enrich_paper)
    signals.article_generator_finalized.connect(skip_category_pages)
    signals.get_generators.connect(add_generators)
    signals.readers_init.connect(use_paper_reader)
    signals.get_writer.connect(use_incremental_writer)
    signals.generator_init.connect(inline_includes)
