"""The night's papers through the reader's library: every kept paper gets its relevance and
nearest library papers, and a few papers no topic or author matched are suggested because the
library ranks them high. Pure: a fitted Ranker and Papers in, Papers out."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from .models import LibrarySettings, Match, Paper, Topic
from .rank import Ranker, Relevance, paper_text
from .text import fold

SUGGESTION = "library"  # Match.kind of a suggestion


def with_relevance(paper: Paper, relevance: Relevance) -> Paper:
    return dataclasses.replace(paper, relevance=relevance.score, related=relevance.nearest[:3])


def score_papers(ranker: Ranker, papers: Sequence[Paper]) -> list[Paper]:
    """Each paper with its relevance and nearest library papers."""
    if not papers:
        return []
    scored = ranker.score([paper_text(p) for p in papers])
    return [with_relevance(p, r) for p, r in zip(papers, scored, strict=True)]


def excluded_terms(topics: Sequence[Topic]) -> tuple[str, ...]:
    return tuple(
        dict.fromkeys(fold(term) for topic in topics for term in topic.exclude if fold(term))
    )


def mentions_any(paper: Paper, terms: Sequence[str]) -> bool:
    text = f" {fold(paper.title)} {fold(paper.abstract)} "
    return any(f" {term} " in text for term in terms)


def suggestion_match(relevance: Relevance) -> Match:
    return Match(SUGGESTION, relevance.nearest[0], relevance.reason)


def pick_suggestions(
    ranker: Ranker,
    unmatched: Sequence[Paper],
    settings: LibrarySettings,
    exclude: Sequence[str] = (),
) -> list[Paper]:
    """Up to `settings.suggest` papers, most relevant first, at or above the threshold, none
    already in the library, marked not interested or mentioning a topic's exclude term (those
    always win). Each carries a Match saying which library paper it is similar to and why."""
    if not settings.suggest or not unmatched:
        return []
    texts = [paper_text(p) for p in unmatched]
    ranker.widen_reference(texts)
    order, values = ranker.order(texts)
    unwanted = set(settings.not_interested) | set(ranker.library.not_interested)
    unwanted |= {paper.key for paper in ranker.library.papers}  # already the reader's
    picked: list[Paper] = []
    seen: set[str] = set()
    for index in order:
        paper = unmatched[int(index)]
        if values[index] < settings.threshold or len(picked) == settings.suggest:
            break
        if paper.paper_id in unwanted or paper.paper_id in seen or mentions_any(paper, exclude):
            continue
        seen.add(paper.paper_id)
        picked.append(paper)
    scored = ranker.score([paper_text(p) for p in picked])
    return [
        dataclasses.replace(with_relevance(p, r), matches=(suggestion_match(r),))
        for p, r in zip(picked, scored, strict=True)
        if r.nearest
    ]
