"""Ranking by the reader's library on recorded papers: seed-day.xml's FoMoE, Photon and Looped
World Models, and 40 real papers of 2026-06-23 (arxiv-daily/) as the unrelated rest."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from daily_papers import real_day
from hypothesis import given, settings
from hypothesis import strategies as st
from replay import FIXTURES, fixture_bytes

from pipeline.library import Library, LibraryPaper, fingerprint, parse_bibtex
from pipeline.models import LibrarySettings, Paper, Topic
from pipeline.rank import Ranker, fuse_by_rank, load_or_fit, paper_text, recency_weight
from pipeline.sources.arxiv import parse_category_feed
from pipeline.suggest import excluded_terms, pick_suggestions, score_papers

DAY = date(2026, 6, 18)
PHOTON = "Photon: Federated LLM Pre-Training"


def seed_day() -> dict[str, Paper]:
    feed = parse_category_feed(fixture_bytes("arxiv-rss/seed-day.xml"), "cs.AI", DAY)
    return {paper.paper_id: paper for paper in feed.papers}


def fomoe_library(not_interested: tuple[str, ...] = ()) -> Library:
    """The BibTeX library (Photon with its abstract, DiLoCo by title) without FoMoE itself."""
    parsed = parse_bibtex((FIXTURES / "library/fomoe-library.bib").read_text(), "library.bib")
    return Library(parsed.papers, not_interested, fingerprint=fingerprint(parsed.papers, ()))


def ranked(ranker: Ranker, papers: list[Paper]) -> list[str]:
    order, _ = ranker.order([paper_text(p) for p in papers])
    return [papers[i].paper_id for i in order]


def test_low_communication_paper_ranks_above_unrelated_ones_and_names_the_library_paper() -> None:
    seed, rest = seed_day(), real_day()
    ranker = Ranker.fit(fomoe_library(), [paper_text(p) for p in rest], DAY)
    ranker.measure_against([paper_text(p) for p in rest])
    fomoe, looped = seed["arxiv:2606.19025"], seed["arxiv:2606.18001"]
    order = ranked(ranker, [looped, *rest, fomoe])
    assert order[0] == "arxiv:2606.19025"
    assert order.index("arxiv:2606.19025") < order.index("arxiv:2606.18001")
    fomoe_scored, looped_scored = score_papers(ranker, [fomoe, looped])
    assert fomoe_scored.relevance == 1.0  # closer to the library than every archived paper
    assert looped_scored.relevance is not None and looped_scored.relevance < 1.0
    assert fomoe_scored.related[0] == PHOTON
    reason = ranker.score([paper_text(fomoe)])[0].reason
    assert reason.startswith(f"similar to ‹{PHOTON}› (shared: ")
    shared = reason.split("(shared: ")[1].rstrip(")").split(", ")
    assert len(shared) == 4 and {"communication", "diloco"} & set(shared)


def test_not_interested_moves_a_paper_down() -> None:
    seed, rest = seed_day(), real_day()
    fomoe = seed["arxiv:2606.19025"]
    # the federated-watermarking paper of the real day is the other one close to Photon
    fedot = next(p for p in rest if p.paper_id == "arxiv:2606.22875")
    candidates = [*rest, fomoe]
    before = Ranker.fit(fomoe_library(), [paper_text(p) for p in rest], DAY)
    before.measure_against([paper_text(p) for p in rest])
    after = Ranker.fit(
        fomoe_library(("arxiv:2606.19025",)),
        [paper_text(p) for p in rest],
        DAY,
        unwanted_texts=[paper_text(fomoe)],
    )
    after.measure_against([paper_text(p) for p in rest])
    order_before, order_after = ranked(before, candidates), ranked(after, candidates)
    assert order_before.index(fomoe.paper_id) == 0
    assert order_after.index(fomoe.paper_id) > order_after.index(fedot.paper_id)
    assert order_after.index(fomoe.paper_id) >= 10


def test_suggestions_skip_library_papers_unwanted_ones_and_exclude_terms() -> None:
    seed, rest = seed_day(), real_day()
    ranker = Ranker.fit(fomoe_library(), [paper_text(p) for p in rest], DAY)
    ranker.measure_against([paper_text(p) for p in rest])
    unmatched = [*rest, *seed.values()]
    settings = LibrarySettings(bibtex=("library.bib",), suggest=2, threshold=0.9)
    picked = pick_suggestions(ranker, unmatched, settings)
    assert [p.paper_id for p in picked][:1] == ["arxiv:2606.19025"]  # Photon: in the library
    assert "arxiv:2411.02908" not in [p.paper_id for p in picked]
    match = picked[0].matches[0]
    assert (match.kind, match.name) == ("library", PHOTON)
    assert match.reason.startswith(f"similar to ‹{PHOTON}›")
    # the unmatched papers widened the 40-paper reference: Photon itself is now above FoMoE
    assert picked[0].relevance == 0.98 and picked[0].related[0] == PHOTON
    exclude = excluded_terms([Topic("MoE", keywords=("moe",), exclude=("full-replica",))])
    assert exclude == ("full replica",)
    assert "arxiv:2606.19025" not in [
        p.paper_id for p in pick_suggestions(ranker, unmatched, settings, exclude)
    ]
    unwanted = LibrarySettings(suggest=2, threshold=0.9, not_interested=("arxiv:2606.19025",))
    kept = pick_suggestions(ranker, unmatched, unwanted)
    assert "arxiv:2606.19025" not in [p.paper_id for p in kept]
    strict = LibrarySettings(suggest=2, threshold=1.0)
    assert all(p.relevance == 1.0 for p in pick_suggestions(ranker, unmatched, strict))


def test_recent_additions_weigh_more() -> None:
    today = date(2026, 6, 18)
    assert recency_weight(today, today) == 1.0
    assert 0.6 < recency_weight(date(2025, 6, 18), today) < 0.85
    assert recency_weight(None, today) == 0.6
    old, new = (
        LibraryPaper(f"arxiv:{i}", t, t, (), d, "x")
        for i, t, d in (
            ("1", "federated training of language models", date(2020, 1, 1)),
            ("2", "rendering of neural radiance fields", today),
        )
    )
    library = Library((old, new), fingerprint="f")
    ranker = Ranker.fit(library, ["federated rendering", "language fields"], today)
    scores = ranker.lane_scores(ranker.vectors(["federated training", "neural rendering"]))
    assert scores["nearest"][1] > scores["nearest"][0]


def test_index_is_cached_and_refitted_when_the_library_changes(tmp_path: Path) -> None:
    rest = [paper_text(p) for p in real_day()]
    reads: list[int] = []

    def archive() -> list[str]:
        reads.append(1)
        return rest

    first, note = load_or_fit(fomoe_library(), len(rest), archive, tmp_path, DAY)
    assert "fitted on 42 papers (no index was cached)" in note
    second, note = load_or_fit(fomoe_library(), len(rest), archive, tmp_path, DAY)
    assert "reused" in note and len(reads) == 1
    text = paper_text(seed_day()["arxiv:2606.19025"])
    assert second.relevance_values([text]) == first.relevance_values([text])
    changed = Library(fomoe_library().papers[:1], fingerprint="other")
    _, note = load_or_fit(changed, len(rest), archive, tmp_path, DAY)
    assert "(the library or archive changed)" in note and len(reads) == 2
    (tmp_path / "rank-index.pickle").write_bytes(b"not a pickle")
    _, note = load_or_fit(changed, len(rest), archive, tmp_path, DAY)
    assert "no index was cached" in note


@settings(deadline=None, max_examples=50)
@given(st.lists(st.lists(st.floats(0, 1), min_size=4, max_size=4), min_size=1, max_size=3))
def test_rank_fusion_prefers_what_every_lane_prefers(lanes: list[list[float]]) -> None:
    fused = fuse_by_rank({str(i): values for i, values in enumerate(lanes)})
    best_everywhere = [
        i
        for i in range(4)
        if all(values[i] > max(values[:i] + values[i + 1 :]) for values in lanes)
    ]
    for index in best_everywhere:
        assert fused[index] == fused.max()
