from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.dedupe import dedupe, merge_papers, merge_sightings
from pipeline.models import Match, Paper

V1 = Paper(
    paper_id="arxiv:2411.02908",
    title="Photon: Federated LLM Pre-Training",
    authors=("Lorenzo Sani", "Zeyu Cao"),
    abstract="v1 abstract",
    announced=date(2024, 11, 6),
    source_label="arXiv (cs.LG)",
    categories=("cs.LG",),
    version=1,
    announce_type="new",
    matches=(Match("author", "Zeyu Cao", "author Zeyu Cao"),),
)
V2 = replace(
    V1,
    abstract="v2 abstract",
    announced=date(2026, 6, 18),
    version=2,
    announce_type="replace",
    categories=("cs.LG", "cs.DC"),
    matches=(Match("topic", "Federated", 'keyword "federated"'),),
)
CROSS = replace(V1, source_label="arXiv (cs.AI)", announce_type="cross", categories=("cs.AI",))


def test_new_version_updates_content_keeps_first_day() -> None:
    merged = merge_papers(V1, V2)
    assert merged.version == 2 and merged.abstract == "v2 abstract"
    assert merged.announced == date(2024, 11, 6) and merged.updated == date(2026, 6, 18)
    assert merged.categories == ("cs.LG", "cs.DC")
    assert [m.name for m in merged.matches] == ["Zeyu Cao", "Federated"]


def test_old_version_seen_after_new_changes_nothing() -> None:
    assert merge_papers(merge_papers(V1, V2), V1) == merge_papers(V1, V2)


def test_cross_list_keeps_primary_label_and_records_the_other() -> None:
    merged = merge_papers(CROSS, V1)
    assert merged.source_label == "arXiv (cs.LG)" and merged.announce_type == "new"
    assert merged.also_in == ("arXiv (cs.AI)",)
    assert set(merged.categories) == {"cs.LG", "cs.AI"}


def test_the_arxiv_comment_survives_both_merges() -> None:
    """A new version (or another source's record) without a comment keeps the one seen."""
    code = "9 pages. Code: https://github.com/Lorenzo-Sani/photon"
    assert merge_papers(replace(V1, comment=code), V2).comment == code
    assert merge_papers(V1, replace(V2, comment="v2: " + code)).comment == "v2: " + code
    journal = replace(V1, paper_id="doi:10.1000/photon", source_label="MLSys", version=None)
    assert merge_sightings(journal, replace(V1, comment=code)).comment == code


def test_dedupe_counts_duplicates() -> None:
    result = dedupe([V1, CROSS, V2, replace(V1, paper_id="arxiv:2606.19025")])
    assert result.duplicates == 2
    assert [p.paper_id for p in result.papers] == ["arxiv:2411.02908", "arxiv:2606.19025"]
    assert result.papers[0].version == 2


sightings = st.lists(st.sampled_from([V1, V2, CROSS]), min_size=1, max_size=6)


@settings(deadline=None)
@given(sightings)
def test_merging_is_idempotent(papers: list[Paper]) -> None:
    once = dedupe(papers).papers[0]
    assert merge_papers(once, once) == once
    for seen in papers:
        assert merge_papers(once, seen).version == once.version
        assert merge_papers(once, seen).abstract == once.abstract


@settings(deadline=None)
@given(sightings)
def test_order_of_sightings_does_not_change_what_is_kept(papers: list[Paper]) -> None:
    forward, backward = dedupe(papers).papers[0], dedupe(papers[::-1]).papers[0]
    for name in ("version", "abstract", "announced", "updated", "source_label"):
        assert getattr(forward, name) == getattr(backward, name)
    assert set(forward.categories) == set(backward.categories)
