"""The title key that joins records of one work from different sources: the title with the
first author, and only for titles long enough to name a work."""

from __future__ import annotations

from datetime import date

from pipeline.dedupe import dedupe, work_keys
from pipeline.models import Paper

TITLE = "Federated mixtures of experts without full replicas"


def record(paper_id: str, title: str = TITLE, authors: tuple[str, ...] = ("Zeyu Cao",)) -> Paper:
    return Paper(
        paper_id=paper_id,
        title=title,
        authors=authors,
        abstract="",
        announced=date(2026, 6, 18),
        source_label="Crossref",
    )


def test_the_same_title_by_the_same_first_author_is_one_work() -> None:
    journal = record("doi:10.1000/a.1", authors=("Zeyu Cao", "Nicholas D. Lane"))
    server = record("doi:10.1101/2026.06.18.1", TITLE.upper(), ("Cao, Z.",))
    assert [p.paper_id for p in dedupe([journal, server]).papers] == ["doi:10.1000/a.1"]


def test_the_same_title_by_another_first_author_is_another_work() -> None:
    first = record("doi:10.1000/a.1", authors=("Zeyu Cao", "Nicholas D. Lane"))
    reply = record("doi:10.1000/a.2", authors=("Nicholas D. Lane", "Zeyu Cao"))
    assert len(dedupe([first, reply]).papers) == 2
    assert work_keys(first)[-1] == f"title:{TITLE.lower()}|cao"


def test_short_titles_are_no_identity() -> None:
    """Every issue of a journal has an "Editorial", often by the same editor."""
    june = record("doi:10.1000/ed.6", "Editorial", ("Jane Smith",))
    july = record("doi:10.1000/ed.7", "Editorial", ("Jane Smith",))
    assert len(dedupe([june, july]).papers) == 2
    assert work_keys(june) == ["id:doi:10.1000/ed.6"]
