"""Dedupe across sources, for every order and every split into nights: a work seen as an arXiv
preprint, a bioRxiv preprint, a journal's feed item or a Crossref record is one article."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.dedupe import dedupe, merge_papers, titles_agree, work_keys
from pipeline.models import Paper

FOMOE = "FoMoE: Breaking the Full-Replica Barrier with a Federation of MoEs"
DAY = date(2026, 9, 2)
ARXIV = Paper(
    "arxiv:2606.19025",
    FOMOE,
    ("Zeyu Cao", "Nicholas D. Lane"),
    "Preprint.",
    date(2026, 6, 18),
    "arXiv (cs.AI)",
    "arxiv",
    version=1,
)
NATURE = Paper(
    "doi:10.1038/s41586-026-01234-5",
    FOMOE,
    ("Zeyu Cao", "Nicholas D. Lane"),
    "Journal.",
    DAY,
    "Nature",
    "preset:nature",
    doi="10.1038/s41586-026-01234-5",
)
CROSSREF = replace(
    NATURE,
    title="FoMoE — breaking the full-replica barrier with a federation of MoEs",
    authors=("Z. Cao",),
    source_label="Nature Crossref",
    source="crossref:0028-0836",
)
ARXIV_WITH_DOI = replace(ARXIV, version=2, doi="10.1038/s41586-026-01234-5", title="FoMoE v2")
BIORXIV = Paper(
    "doi:10.1101/2026.08.29.610002",
    "Federated atlases of single-cell expression",
    ("S. Kim", "S. Rossi"),
    "Preprint.",
    date(2026, 9, 1),
    "bioRxiv (Bioinformatics)",
    "biorxiv",
    doi="10.1101/2026.08.29.610002",
    journal_doi="10.1038/s41586-026-07777-7",
)
NATURE_ATLAS = Paper(
    "doi:10.1038/s41586-026-07777-7",
    "A federated atlas across twelve organs",
    ("Soo-ah Kim",),
    "Journal.",
    DAY,
    "Nature",
    "preset:nature",
    doi="10.1038/s41586-026-07777-7",
)
WORK = {
    ARXIV: "fomoe",
    NATURE: "fomoe",
    CROSSREF: "fomoe",
    ARXIV_WITH_DOI: "fomoe",
    BIORXIV: "atlas",
    NATURE_ATLAS: "atlas",
}

nights = st.lists(st.sampled_from(list(WORK)), min_size=1, max_size=8).flatmap(
    lambda seen: st.tuples(st.just(seen), st.integers(0, len(seen)))
)


def _index(archive: dict[str, Paper]) -> dict[str, str]:
    keys: dict[str, str] = {}
    for paper in archive.values():
        for key in work_keys(paper):
            keys.setdefault(key, paper.paper_id)
    return keys


@settings(deadline=None)
@given(nights)
def test_each_work_is_one_article_whatever_the_order_and_nights(night: tuple) -> None:
    seen, split = night
    archive: dict[str, Paper] = {}
    for papers in (seen[:split], seen[split:]):
        result = dedupe(papers, _index(archive), archive.get)
        for paper in result.papers:  # as store_papers does with an article already there
            kept = archive.get(paper.paper_id)
            archive[paper.paper_id] = merge_papers(kept, paper) if kept else paper
    assert len(archive) == len({WORK[paper] for paper in seen})
    dois = [d for p in archive.values() for d in {p.doi, p.journal_doi} if d]
    assert len(dois) == len(set(dois))  # no DOI on two articles
    assert set(dois) == {d for p in seen for d in (p.doi, p.journal_doi) if d}  # none lost
    labels = {label for p in archive.values() for label in (p.source_label, *p.also_in)}
    assert labels == {paper.source_label for paper in seen}  # every source shows


def test_a_journal_version_keeps_the_preprint_page_and_adds_its_doi() -> None:
    (fomoe,) = dedupe([ARXIV, NATURE]).papers
    assert fomoe.paper_id == "arxiv:2606.19025" and fomoe.abstract == "Preprint."
    assert fomoe.doi == "10.1038/s41586-026-01234-5" and fomoe.also_in == ("Nature",)
    assert fomoe.abs_url == ARXIV.abs_url


def test_two_arxiv_ids_with_one_title_stay_two_works() -> None:
    reply = replace(ARXIV, paper_id="arxiv:2607.00001", abstract="A reply with the same title.")
    assert len(dedupe([ARXIV, reply]).papers) == 2


CORTEX = "A world model of cortical dynamics predicts behaviour in mice"
REAL = Paper(
    "doi:10.1038/s41586-026-05678-9",
    CORTEX,
    ("Maria Okafor", "Jun Watanabe"),
    "Recordings of neurons.",
    DAY,
    "Nature",
    "preset:nature",
    abs_url="https://www.nature.com/articles/s41586-026-05678-9",
    doi="10.1038/s41586-026-05678-9",
)
FAKE = replace(
    REAL,
    title="World models, a fake title",
    authors=(),
    abstract="Fake.",
    source_label="Fake",
    source="feeds:Fake",
    abs_url="https://evil.example/fake",
    announced=date(2026, 9, 1),
)
ECHO = replace(
    REAL,
    title=CORTEX.upper(),
    abstract="Echoed.",
    source_label="Aggregator",
    source="feeds:Aggregator",
    abs_url="https://aggregator.example/cortex",
)
claims = st.lists(st.sampled_from([REAL, FAKE, ECHO]), min_size=1, max_size=6).flatmap(
    lambda seen: st.tuples(st.just(seen), st.integers(0, len(seen)))
)


@settings(deadline=None)
@given(claims)
def test_the_publishers_record_wins_whatever_came_first(night: tuple) -> None:
    """Whatever the order and split into nights: once the publisher's record is seen, the DOI's
    article has its title, abstract and link; a feed agreeing with it the same night is listed
    beside it, a feed contradicting it never is (nor does its text survive under the DOI)."""
    seen, split = night
    archive: dict[str, Paper] = {}
    for papers in (seen[:split], seen[split:]):
        result = dedupe(papers, _index(archive), archive.get)
        for paper in result.papers:
            kept = archive.get(paper.paper_id)
            archive[paper.paper_id] = merge_papers(kept, paper) if kept else paper
    if REAL not in seen:
        return
    article = archive[REAL.paper_id]
    assert (article.title, article.abstract, article.abs_url) == (
        REAL.title,
        REAL.abstract,
        REAL.abs_url,
    )
    assert article.source_label == "Nature" and "Fake" not in article.also_in
    if any(ECHO in papers and REAL in papers for papers in (seen[:split], seen[split:])):
        assert "Aggregator" in article.also_in
    fakes = [p for p in archive.values() if p.title == FAKE.title]
    assert all(p.doi == "" and p.paper_id != REAL.paper_id for p in fakes)


def test_titles_agree_across_sources_but_not_with_a_made_up_one() -> None:
    assert titles_agree(NATURE, CROSSREF)  # a dash for a colon, lower case, "The" dropped
    assert titles_agree(REAL, ECHO)
    assert not titles_agree(REAL, FAKE)
