"""Per-field caps on what a source may put into a paper, so no article can grow anywhere near
GitHub's 100 MB file limit (nor a home page to megabytes) whatever a feed sends. Pure: a paper in,
the capped paper and one line per cut out, for the run report."""

from __future__ import annotations

import dataclasses

from ..models import Limits, Paper, SkippedItem, SourceResult

# not worth a setting each: no real value comes near these
MAX_CATEGORY_CHARS = 200
MAX_URL_CHARS = 2_000
MAX_DOI_CHARS = 300
MAX_REF_CHARS = 500
MAX_COMMENT_CHARS = 1_000
MAX_ID_CHARS = MAX_DOI_CHARS + 10
MAX_CUT_LINES = 10  # per source; beyond them the report only counts


def _shorten(text: str, limit: int) -> str:
    """At most `limit` characters, ending at a word boundary when one is near, with '…'."""
    if len(text) <= limit:
        return text
    cut = text[: max(0, limit - 1)]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    return cut.rstrip() + "…"


def _label(paper: Paper) -> str:
    title = paper.title if len(paper.title) <= 60 else paper.title[:59] + "…"
    return f"{paper.paper_id} “{title}”"


def cap_paper(paper: Paper, limits: Limits) -> tuple[Paper, list[str]]:
    """The paper within every cap, and what was cut (e.g. 'title cut from 204,800 to 1,000
    characters (MAX_TITLE_CHARS)')."""
    cuts: list[str] = []
    changes: dict[str, object] = {}

    def text(name: str, limit: int, variable: str, what: str = "") -> None:
        value = getattr(paper, name)
        if len(value) > limit:
            changes[name] = _shorten(value, limit)
            setting = f" ({variable})" if variable else ""
            cuts.append(f"{what or name} cut from {len(value):,} to {limit:,} characters{setting}")

    text("title", limits.title_chars, "MAX_TITLE_CHARS")
    text("abstract", limits.abstract_chars, "MAX_ABSTRACT_CHARS")
    text("journal_ref", MAX_REF_CHARS, "", "journal reference")
    text("comment", MAX_COMMENT_CHARS, "", "arXiv comment")
    for name in ("abs_url", "pdf_url"):
        if len(getattr(paper, name)) > MAX_URL_CHARS:
            changes[name] = ""
            cuts.append(f"{name} of {len(getattr(paper, name)):,} characters dropped")
    for name in ("doi", "journal_doi"):
        if len(getattr(paper, name)) > MAX_DOI_CHARS:
            changes[name] = ""
            cuts.append(f"{name} of {len(getattr(paper, name)):,} characters dropped")
    authors = paper.authors
    if len(authors) > limits.authors:
        cuts.append(f"{len(authors):,} authors, kept the first {limits.authors:,} (MAX_AUTHORS)")
        authors = authors[: limits.authors]
    long_names = [name for name in authors if len(name) > limits.author_chars]
    if long_names:
        authors = tuple(_shorten(name, limits.author_chars) for name in authors)
        cuts.append(
            f"{len(long_names)} author name(s) cut to {limits.author_chars:,} characters "
            "(MAX_AUTHOR_CHARS)"
        )
    if authors != paper.authors:
        changes["authors"] = authors
    categories = tuple(_shorten(c, MAX_CATEGORY_CHARS) for c in paper.categories)
    if categories != paper.categories:
        changes["categories"] = categories
        cuts.append(f"categories cut to {MAX_CATEGORY_CHARS} characters each")
    if not cuts:
        return paper, []
    capped = dataclasses.replace(paper, **changes)  # type: ignore[arg-type]
    return capped, [f"{_label(capped)}: {cut}" for cut in cuts]


def cap_result(result: SourceResult, limits: Limits) -> SourceResult:
    """Every paper of a source within the caps; the cuts listed (the first MAX_CUT_LINES). A
    paper whose id alone is too long (a DOI of megabytes) is skipped: an id cannot be cut."""
    papers, lines, skipped = [], [], list(result.skipped)
    for paper in result.papers:
        if len(paper.paper_id) > MAX_ID_CHARS:
            reason = f"id of {len(paper.paper_id):,} characters (at most {MAX_ID_CHARS})"
            skipped.append(SkippedItem(result.source, paper.paper_id[:80], reason))
            continue
        capped, cuts = cap_paper(paper, limits)
        papers.append(capped)
        lines += cuts
    if not lines and len(skipped) == len(result.skipped):
        return result
    if len(lines) > MAX_CUT_LINES:
        lines = [*lines[:MAX_CUT_LINES], f"and {len(lines) - MAX_CUT_LINES} more cuts"]
    return dataclasses.replace(
        result, papers=tuple(papers), cut=(*result.cut, *lines), skipped=tuple(skipped)
    )
