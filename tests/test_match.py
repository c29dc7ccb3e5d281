from __future__ import annotations

from datetime import date

import pytest

from pipeline.config import parse_radar
from pipeline.match import match_papers
from pipeline.models import Paper
from pipeline.names import normalise_author, same_author

RADAR = parse_radar(
    """
topics:
  - name: Low-communication training
    keywords: [DiLoCo, federated learning, mixture-of-experts]
    exclude: [survey]
  - name: Vision
    categories: [cs.CV]
  - name: MoE systems
    keywords: [MoE]
    categories: [cs.DC]
authors: [Zeyu Cao, Nicholas D. Lane]
"""
)


def paper(title: str = "A paper", abstract: str = "", authors=("Someone Else",), cats=("cs.LG",)):
    return Paper(
        paper_id=f"arxiv:{abs(hash(title)) % 10000:04d}.00001",
        title=title,
        authors=tuple(authors),
        abstract=abstract,
        announced=date(2026, 6, 18),
        source_label="arXiv (cs.LG)",
        categories=tuple(cats),
    )


def reasons(p: Paper) -> list[tuple[str, str, str]]:
    matched = match_papers([p], RADAR)
    return [(m.kind, m.name, m.reason) for m in matched[0].matches] if matched else []


def test_keyword_in_abstract_records_topic_and_keyword() -> None:
    found = reasons(paper(abstract="We train with DiLoCo across datacenters."))
    assert found == [("topic", "Low-communication training", 'keyword "DiLoCo" in abstract')]


def test_keyword_matching_ignores_case_and_hyphens_but_needs_whole_words() -> None:
    assert reasons(paper(title="Sparse Mixture of Experts at scale"))[0][2] == (
        'keyword "mixture-of-experts" in title'
    )
    assert reasons(paper(abstract="FEDERATED LEARNING for LLMs"))
    assert reasons(paper(abstract="We use DiLoCos and federatedlearning")) == []


def test_exclude_stops_the_topic() -> None:
    assert reasons(paper(title="A survey of federated learning")) == []


def test_category_only_topic_matches_every_paper_in_it() -> None:
    assert reasons(paper(cats=("cs.CV", "cs.AI"))) == [("topic", "Vision", "category cs.cv")]


def test_keywords_with_categories_need_both() -> None:
    assert reasons(paper(title="MoE routing", cats=("cs.LG",))) == []
    assert reasons(paper(title="MoE routing", cats=("cs.DC",))) == [
        ("topic", "MoE systems", 'keyword "MoE" in title')
    ]


@pytest.mark.parametrize(
    "written", ["Zeyu Cao", "Z. Cao", "CAO, Zeyu", "Zéyu Cao", "zeyu cao", "Cao, Z."]
)
def test_watched_author_matches_variants(written: str) -> None:
    assert reasons(paper(authors=("Alice Smith", written))) == [
        ("author", "Zeyu Cao", f"author {written}")
    ]


@pytest.mark.parametrize("written", ["Zhang Cao", "Zeyu Chao", "Cao"])
def test_other_people_are_not_the_watched_author(written: str) -> None:
    assert not same_author("Zeyu Cao", written)


def test_middle_initials() -> None:
    assert same_author("Nicholas D. Lane", "Nicholas Lane")
    assert same_author("Nicholas D. Lane", "N. D. Lane")
    assert not same_author("Nicholas D. Lane", "Nicholas E. Lane")
    assert normalise_author("Lane, Nicholas D.") == ("lane", ("nicholas", "d"))


def test_unmatched_papers_are_dropped_and_matched_keep_their_fields() -> None:
    papers = [paper(title="Nothing relevant"), paper(title="DiLoCo", authors=("Z. Cao",))]
    matched = match_papers(papers, RADAR)
    assert [p.title for p in matched] == ["DiLoCo"]
    assert [m.kind for m in matched[0].matches] == ["topic", "author"]
