"""Per-field caps: a megabyte comment cannot reach an article."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from pipeline.models import Limits, Paper
from pipeline.sources.caps import MAX_COMMENT_CHARS, cap_paper

PAPER = Paper(
    paper_id="arxiv:1706.00679",
    title="Testing Gaussian Process with Applications to Super-Resolution",
    authors=("Jean-Marc Azaïs",),
    abstract="Exact testing procedures.",
    announced=date(2018, 7, 2),
    source_label="arXiv (math.ST)",
)


def test_a_huge_arxiv_comment_is_cut_and_the_cut_reported() -> None:
    capped, cuts = cap_paper(replace(PAPER, comment="code " * 200_000), Limits())
    assert len(capped.comment) <= MAX_COMMENT_CHARS and capped.comment.endswith("code…")
    assert cuts == [
        f"arxiv:1706.00679 “{PAPER.title[:59]}…”: arXiv comment cut from 1,000,000 to "
        f"{MAX_COMMENT_CHARS:,} characters"
    ]


def test_a_usual_comment_is_kept_whole() -> None:
    comment = (
        "Final version, 6 figures, code at https://github.com/ydecastro/super-resolution-testing"
    )
    capped, cuts = cap_paper(replace(PAPER, comment=comment), Limits())
    assert capped.comment == comment and cuts == []
