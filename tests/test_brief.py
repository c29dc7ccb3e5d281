"""Pure parts of the briefing: the embedded default, batching under the budget, reading answers."""

from __future__ import annotations

import json
from datetime import date

import pytest

from pipeline.brief import (
    BriefingParseError,
    embedded_briefing,
    estimate_tokens,
    parse_answer,
    plan_batches,
    render_briefing,
    system_prompt,
    user_prompt,
)
from pipeline.models import BriefingSettings, Match, Paper

DAY = date(2026, 6, 18)


def paper(n: int, title: str, abstract: str, topic: str, label: str = "arXiv (cs.LG)") -> Paper:
    return Paper(f"arxiv:2606.{n:05d}", title, (f"Author {n}",), abstract, DAY, label,
                 matches=(Match("topic", topic, "keyword"),))  # fmt: skip


DAYS_PAPERS = [
    paper(
        1,
        "Federated pre-training over slow links",
        "Gradient compression for weakly connected data centres cuts communication.",
        "Low-communication training",
    ),  # fmt: skip
    paper(
        2,
        "World models for robot control",
        "A latent world model trained over weakly connected data centres plans actions.",
        "World models",
        "Nature",
    ),  # fmt: skip
    paper(3, "Protein folding kinetics", "Folding rates measured by calorimetry.", "Proteins"),
]


def test_embedded_default_groups_papers_across_topics() -> None:
    briefing = embedded_briefing(DAY, DAYS_PAPERS)
    assert briefing.kind == "automatic" and briefing.paper_count == 3
    first = briefing.themes[0]
    assert first.title == "“weakly connected”"  # shared by two topics and two sources
    assert first.paper_ids == ("arxiv:2606.00001", "arxiv:2606.00002")
    assert "across Low-communication training, World models" in first.summary
    assert briefing.overview.startswith("3 new papers from Nature, arXiv (cs.LG)")
    assert "automatically" in briefing.overview


def test_a_300_paper_day_goes_in_batches_under_the_budget() -> None:
    settings = BriefingSettings(daily_input_token_budget=30_000)
    words = "federated world model expert routing latency " * 45
    papers = [paper(n, f"Paper number {n}", words, "T") for n in range(300)]
    batches, per_paper = plan_batches(papers, settings)
    assert [len(b) for b in batches] == [100, 100, 100] and 40 <= per_paper < 100
    calls = [system_prompt(settings) + user_prompt(DAY, b, per_paper) for b in batches]
    spent = sum(estimate_tokens(c) for c in calls) + 3 * settings.max_output_tokens
    assert 20_000 < spent <= 30_000  # the combining call reads the three partial answers


def test_small_day_is_one_batch() -> None:
    batches, per_paper = plan_batches(DAYS_PAPERS, BriefingSettings())
    assert batches == [DAYS_PAPERS] and per_paper == 600  # whole abstracts


def test_answer_parsing_drops_unknown_ids() -> None:
    answer = "Here you go:\n" + json.dumps({
        "overview": "Two papers share weak links.",
        "themes": [{"title": "Weak links", "summary": "s",
                    "paper_ids": ["arxiv:2606.00001", "arxiv:1234.56789"]}],
        "notable": [{"paper_id": "arxiv:0000.00000", "line": "made up"}],
    })  # fmt: skip
    briefing = parse_answer(answer, DAY, [p.paper_id for p in DAYS_PAPERS])
    assert briefing.themes[0].paper_ids == ("arxiv:2606.00001",)
    assert briefing.notable == ()
    assert briefing.dropped == ("arxiv:1234.56789", "arxiv:0000.00000")


@pytest.mark.parametrize("answer", ["no json here", "{not json}", "[1, 2]", '{"themes": []}'])
def test_unusable_answers_are_refused(answer: str) -> None:
    with pytest.raises(BriefingParseError):
        parse_answer(answer, DAY, ["arxiv:2606.00001"])


def test_rendered_briefing_escapes_model_text_and_links_only_to_papers() -> None:
    answer = json.dumps({"overview": "Title: x\n<script>alert(1)</script> [a](javascript:x)",
                         "themes": [{"title": "# H", "summary": "*b*",
                                     "paper_ids": ["arxiv:2606.00001"]}]})  # fmt: skip
    text = render_briefing(parse_answer(answer, DAY, ["arxiv:2606.00001"]), DAYS_PAPERS)
    head, body = text.split("\n\n", 1)
    assert "Title: Briefing of 2026-06-18" in head and head.count("Title:") == 1
    # one line, no tags, no link: "Title:" cannot start a metadata line, [a](…) is not a link
    assert body.startswith("Title: x &lt;script&gt;alert(1)&lt;/script&gt; \\[a\\](javascript:x)")
    assert "### \\# H" in body and "\\*b\\*" in body
    assert body.endswith("- [Federated pre-training over slow links]"
                         "({filename}/papers/arxiv/2606/arxiv-2606-00001.md)\n")  # fmt: skip
