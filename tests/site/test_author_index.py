"""The author index behind the chip of an unwatched author: papers counted as the radar
matches names (initials, accents, "Family, Given" order), each paper once."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.names import same_author
from pipeline.site.author_index import archive_count, author_buckets, may_be_one_author
from pipeline.site.id_index import fnv1a

BYLINES = [
    ("Zeyu Cao", "Nicholas D. Lane"),  # 0
    ("Z. Cao", "Mei Lin"),  # 1
    ("Cao, Zéyu", "Wei Cao"),  # 2
    ("Wei Cao",),  # 3
    ("Zeyu Cao", "Z. Cao"),  # 4: two spellings of one author, one paper
    ("Lane, Nicholas", "Ada Lovelace"),  # 5
]


def test_spellings_of_one_author_are_counted_together() -> None:
    count, buckets = author_buckets(BYLINES)
    assert archive_count(count, buckets, "Zeyu Cao") == 4  # 0, 1, 2, 4
    assert archive_count(count, buckets, "Cao, Zeyu") == 4
    assert archive_count(count, buckets, "ZEYU CAO") == 4
    assert archive_count(count, buckets, "Z. Cao") == 4  # not Wei Cao's 2 and 3
    assert archive_count(count, buckets, "Wei Cao") == 2
    assert archive_count(count, buckets, "Nicholas D. Lane") == 2  # "Lane, Nicholas" too
    assert archive_count(count, buckets, "Mei Lin") == 1


def test_a_name_not_in_the_archive_counts_nothing() -> None:
    count, buckets = author_buckets(BYLINES)
    assert archive_count(count, buckets, "Grace Hopper") == 0
    assert archive_count(count, buckets, "Yan Cao") == 0  # a family known, no agreeing name
    assert archive_count(count, buckets, "Cao") == 0  # a given name is needed on both sides
    assert archive_count(count, buckets, " , ") == 0


def test_the_stored_form_is_family_then_spellings_then_papers() -> None:
    """A count per spelling; paper numbers only for spellings one name may join that share a
    paper (paper 4 lists 'Zeyu Cao' and 'Z. Cao'). 'Wei Cao' shares paper 2 with Zeyu, but no
    name agrees with both: a count."""
    count, buckets = author_buckets(BYLINES)
    assert count == 1
    assert buckets[0]["cao"] == {"wei": 2, "z": [1, 4], "zeyu": [0, 2, 4]}
    assert buckets[0]["lane"] == {"nicholas": 1, "nicholas d": 1}


def test_spellings_one_name_may_join() -> None:
    assert may_be_one_author(("zeyu",), ("zhang",))  # "Z. Cao" agrees with both
    assert may_be_one_author(("z",), ("zeyu", "x"))
    assert may_be_one_author(("z", "x"), ("z", "y"))  # "Z. Cao" agrees with both
    assert not may_be_one_author(("wei",), ("zeyu",))
    assert not may_be_one_author((), ("zeyu",))  # a name with no given name agrees with none


def test_families_spread_over_buckets_by_their_hash() -> None:
    bylines = [(f"Ada Family{n}",) for n in range(2_500)]
    count, buckets = author_buckets(bylines)
    assert count == 4 and sorted(buckets) == [0, 1, 2, 3]
    assert "family7" in buckets[fnv1a("family7") % 4]
    assert sum(len(bucket) for bucket in buckets.values()) == 2_500
    assert archive_count(count, buckets, "A. Family1234") == 1


names = st.sampled_from(
    [
        "Zeyu Cao",
        "Z. Cao",
        "Cao, Zeyu",
        "Zhang Cao",
        "Z. X. Cao",
        "Z. Y. Cao",
        "Zeyu Xin Cao",
        "Wei Cao",
        "W. Cao",
        "Zéyu Cao",
        "Cao",
        "Ada Lovelace",
    ]
)


@settings(deadline=None)
@given(st.lists(st.lists(names, max_size=4).map(tuple), max_size=8), names)
def test_the_count_is_the_papers_the_radar_would_match(bylines, name) -> None:  # noqa: ANN001
    count, buckets = author_buckets(bylines)
    expected = sum(1 for byline in bylines if any(same_author(name, a) for a in byline))
    assert archive_count(count, buckets, name) == expected
