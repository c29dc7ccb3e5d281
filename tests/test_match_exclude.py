"""`exclude` in radar.yaml: a topic's excluded words and phrases, whole words only, in the title
or the abstract, the whole phrase and not one of its words."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.config import parse_radar
from pipeline.match import match_papers
from pipeline.models import Paper

RADAR = parse_radar(
    """
topics:
  - name: Federated learning
    keywords: [federated]
    exclude: [review, systematic survey]
"""
)


def topics(title: str, abstract: str = "") -> list[str]:
    paper = Paper(
        paper_id="arxiv:2606.00001",
        title=title,
        authors=("Someone Else",),
        abstract=abstract,
        announced=date(2026, 6, 18),
        source_label="arXiv (cs.LG)",
    )
    matched = match_papers([paper], RADAR)
    return [m.name for m in matched[0].matches] if matched else []


@pytest.mark.parametrize(
    ("title", "abstract"),
    [
        ("Federated training, a review", ""),
        ("Federated training at scale", "We review the federated methods of 2025."),
        ("Federated training at scale", "A Systematic   Survey of federated methods."),
        ("Federated training at scale", "A systematic-survey of federated methods."),
    ],
)
def test_an_excluded_word_or_phrase_in_title_or_abstract_stops_the_topic(
    title: str, abstract: str
) -> None:
    assert topics(title, abstract) == []


@pytest.mark.parametrize(
    "abstract",
    [
        "Each reviewer previewed the federated code.",  # words that contain "review"
        "A survey of federated methods.",  # one word of the phrase "systematic survey"
        "A systematic study; we survey federated methods.",  # both words, not the phrase
        "Systematic surveying of federated methods.",  # the phrase inside longer words
    ],
)
def test_exclude_needs_the_whole_word_and_the_whole_phrase(abstract: str) -> None:
    assert topics("Federated training at scale", abstract) == ["Federated learning"]
