"""What the Trends page and status strip count and draw, and the exact-id buckets."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

from pipeline.site.charts import night_strip, term_bars, weekly_bars
from pipeline.site.id_index import bucket_count, fnv1a, id_buckets
from pipeline.site.trends import rising_terms, source_nights, source_weeks, topic_weeks


def paper(day: str, title: str = "A", topics: tuple[str, ...] = (), source: str = "Nature"):  # noqa: ANN201
    return SimpleNamespace(
        date=datetime.fromisoformat(day), title=title, topics=list(topics), source_label=source
    )


def test_papers_per_topic_by_week_count_each_monday_to_sunday() -> None:
    papers = [
        paper("2026-06-18", topics=("MoE", "World models")),
        paper("2026-06-15", topics=("MoE",)),
        paper("2026-06-14", topics=("MoE",)),  # a Sunday: the week before
        paper("2026-01-01", topics=("MoE",)),  # older than 12 weeks: left out
    ]
    table = topic_weeks(papers, ["World models", "MoE", "Unused"], date(2026, 6, 18))
    assert table.columns[-2:] == ("2026-06-08", "2026-06-15") and len(table.columns) == 12
    rows = {row.name: row.values for row in table.rows}
    assert rows["MoE"][-2:] == (1, 2) and sum(rows["MoE"]) == 3
    assert rows["World models"][-1] == 1 and sum(rows["Unused"]) == 0
    assert [row.name for row in table.rows] == ["World models", "MoE", "Unused"]


def test_sources_by_week_busiest_first() -> None:
    papers = [paper("2026-06-18", source="arXiv (cs.AI)")] * 2 + [paper("2026-06-17")]
    table = source_weeks(papers, date(2026, 6, 18))
    assert [(row.name, row.values[-1]) for row in table.rows] == [
        ("arXiv (cs.AI)", 2),
        ("Nature", 1),
    ]


def test_rising_terms_need_two_papers_this_month_and_rank_by_share() -> None:
    papers = [
        paper("2026-06-02", "Sparse experts for proteins"),
        paper("2026-06-03", "Sparse routing of experts"),
        paper("2026-06-04", "Diffusion for proteins"),
        paper("2026-05-04", "Diffusion everywhere"),
        paper("2026-05-05", "Diffusion again"),
    ]
    table = rising_terms(papers, date(2026, 6, 4))
    assert table.columns == ("2026-06", "before")
    assert [(row.name, row.values) for row in table.rows] == [
        ("experts", (2, 0)),
        ("proteins", (2, 0)),
        ("sparse", (2, 0)),
    ]  # "diffusion" is no rise: 1 of 3 now against 2 of 2 before


def test_source_nights_oldest_first_failed_as_minus_one() -> None:
    reports = [
        {
            "announce_day": "2026-06-19",
            "sources": [{"source": "arXiv cs.AI", "status": "FAILED", "items": 0}],
        },
        {"announce_day": "2026-06-18", "unreadable": "bad json"},
        {
            "announce_day": "2026-06-17",
            "sources": [
                {"source": "arXiv cs.AI", "status": "ok", "items": 5},
                {"source": "Nature", "status": "ok", "items": 0},
            ],
        },
    ]
    table = source_nights(reports)
    assert table.columns == ("2026-06-17", "2026-06-19")
    assert [(row.name, row.values) for row in table.rows] == [
        ("arXiv cs.AI", (5, -1)),
        ("Nature", (0, 0)),
    ]


def test_charts_escape_labels_and_carry_their_values() -> None:
    table = topic_weeks(
        [paper("2026-06-18", topics=("<script>x</script>",))], [], date(2026, 6, 18)
    )
    svg = weekly_bars(table)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count("<rect") == 12 and 'data-value="1"' in svg
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    strip = night_strip(
        source_nights([{"announce_day": "d", "sources": [{"source": "S", "status": "FAILED"}]}])
    )
    assert 'class="night failed"' in strip and "S, d: failed" in strip
    assert "3 (0 before)" in term_bars(
        rising_terms([paper("2026-06-01", "Word word")] * 3, date(2026, 6, 1))
    )


def test_id_buckets_spread_keys_and_hash_as_search_js_does() -> None:
    assert fnv1a("") == 0x811C9DC5 and fnv1a("a") == 0xE40C292C  # FNV-1a's published values
    assert bucket_count(10) == 1 and bucket_count(3_000) == 4 and bucket_count(10**7) == 256
    count, buckets = id_buckets([("2606.19025", "papers/a/"), ("2606.19025", "papers/b/")])
    assert count == 1 and buckets == {0: {"2606.19025": "papers/a/"}}
    count, buckets = id_buckets((f"k{i}", f"u{i}") for i in range(5_000))
    assert count == 8 and sum(len(b) for b in buckets.values()) == 5_000
    assert buckets[fnv1a("k42") % 8]["k42"] == "u42"
