"""The 40 real arXiv papers of 2026-06-23 in tests/fixtures/arxiv-daily/, as Papers."""

from __future__ import annotations

import json
from datetime import date

from replay import FIXTURES

from pipeline.models import Match, Paper


def real_day(announced: date = date(2026, 6, 23), topic: str = "") -> list[Paper]:
    """Each paper as the arXiv source would give it; with `topic`, as a night that kept it by
    its primary category would have stored it."""
    papers = []
    for line in (FIXTURES / "arxiv-daily/2026-06-23-sample.jsonl").read_text().splitlines():
        raw = json.loads(line)
        primary = raw["categories"][0]
        papers.append(
            Paper(
                paper_id=f"arxiv:{raw['id']}",
                title=raw["title"],
                authors=tuple(raw["authors"]),
                abstract=" ".join(raw["abstract"].split()),
                announced=announced,
                source_label=f"arXiv ({primary})",
                source="arxiv",
                categories=tuple(raw["categories"]),
                matches=(Match("topic", topic, f"category {primary}"),) if topic else (),
            )
        )
    return papers
