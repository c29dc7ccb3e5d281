"""A hostile or slow source beside a good one, night by night over 127.0.0.1: the good source's
papers land exactly as on a night without the hostile one, the report names the hostile source
and the limit it hit, and the night ends in bounded time."""

from __future__ import annotations

import json
import threading
import time
from html import escape
from pathlib import Path

import pytest
from drip import DripServer, http_head
from replay import ReplayServer, Reply, fixture_bytes

from pipeline.__main__ import main
from pipeline.archive import iter_archive
from pipeline.http import Http
from pipeline.models import Limits, SourceResult
from pipeline.site.build import build_site
from pipeline.sources import Fetch, run_lanes

REPO = Path(__file__).resolve().parents[2]
DAY = "2026-09-02"
RADAR = """
topics:
  - {{name: World models, keywords: [world model, world models]}}
  - {{name: Federated, keywords: [federated]}}
authors: [Zeyu Cao]
sources:
  feeds:
    - {{name: Nature, url: "{base}/nature.rss"}}
{hostile}
"""
NATURE_TITLES = [
    "A world model of cortical dynamics predicts behaviour in mice",
    "FoMoE: Breaking the Full-Replica Barrier with a Federation of MoEs",
]


def night(tmp_path: Path, name: str, base: str, hostile: str = "") -> tuple[Path, dict]:
    """One run into tmp_path/name; the archive folder and the saved report."""
    radar, content = tmp_path / f"{name}.yaml", tmp_path / name
    radar.write_text(RADAR.format(base=base, hostile=hostile))
    assert main(["run", "--radar", str(radar), "--content", str(content), "--date", DAY]) == 0
    return content, json.loads((content / f"reports/{DAY}.json").read_text())


def papers(content: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(content)): p.read_bytes()
        for p in sorted((content / "papers").rglob("*.md"))
    }


def row(report: dict, source: str) -> dict:
    return next(r for r in report["sources"] if r["source"] == source)


@pytest.fixture
def nature(replay: ReplayServer, monkeypatch: pytest.MonkeyPatch) -> ReplayServer:
    replay.routes["/nature.rss"] = Reply(200, fixture_bytes("journals/nature.rss"))
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    return replay


def test_a_drip_fed_source_is_cut_off_and_the_others_land(
    nature: ReplayServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Headers, then a byte every 0.3 s (a 30 s body): the source is given up at its deadline,
    and Nature's papers are stored as on a night without it."""
    clean, _ = night(tmp_path, "clean", nature.url)
    monkeypatch.setenv("HTTP_TIMEOUT_SECONDS", "1")
    monkeypatch.setenv("SOURCE_DEADLINE_SECONDS", "2")
    body = b'<rss version="2.0"><channel>' + b" " * 100 + b"</channel></rss>"
    with DripServer(http_head(len(body)), body, interval=0.3) as drip:
        started = time.monotonic()
        hostile = f'    - {{name: Drip, url: "{drip.url}/feed"}}'
        content, report = night(tmp_path, "hostile", nature.url, hostile)
        elapsed = time.monotonic() - started
    assert sorted(p.title for p in iter_archive(content)) == NATURE_TITLES
    assert papers(content) == papers(clean)  # nothing else changed
    drip_row = row(report, "Drip")
    assert drip_row["status"] == "FAILED"
    assert drip_row["error"].startswith(f"{drip.url}/feed: timed out after 1 s (no complete answer")
    assert "within the source's 2 s (SOURCE_DEADLINE_SECONDS)" in drip_row["error"]
    assert row(report, "Nature")["items"] == 2
    assert drip.sent < 20  # of 131 bytes: each try was abandoned after a few
    assert elapsed < 20  # bounded: the drip alone runs 40 s a try


def test_a_fetch_that_never_returns_is_abandoned_and_the_rest_are_kept() -> None:
    """A fetch ignoring every deadline (a parser stuck in a loop, say) is reported as abandoned
    at its deadline, the fetches after it in its lane as not run; every other lane's result is
    kept, in order."""
    release = threading.Event()

    def hang(http: Http) -> SourceResult:
        release.wait(60)
        return SourceResult("Stuck", note="late")

    def fine(name: str) -> Fetch:
        return Fetch(name, lambda http: SourceResult(name, note="fine"))

    lanes = [
        [fine("arXiv cs.AI"), Fetch("Stuck", hang), fine("arXiv API: author A")],
        [fine("Nature")],
    ]
    seen: list[str] = []
    started = time.monotonic()
    results = run_lanes(
        lanes, lambda: Http("t", limits=Limits(source_seconds=0.5)), lambda r: seen.append(r.source)
    )
    elapsed = time.monotonic() - started
    release.set()
    assert [(r.source, r.error or r.note) for r in results] == [
        ("arXiv cs.AI", "fine"),
        (
            "Stuck",
            "abandoned: not done at its deadline (SOURCE_DEADLINE_SECONDS); its papers "
            "wait for the next night",
        ),
        ("arXiv API: author A", "not run: Stuck before it hung"),
        ("Nature", "fine"),
    ]
    assert sorted(seen) == sorted(r.source for r in results)
    assert elapsed < 10  # the deadline (0.5 s) and its grace (2 s), not the 60 s hang


def feed_of(*items: str) -> bytes:
    channel = '<rss version="2.0"><channel><title>Own</title>'
    return (channel + "".join(items) + "</channel></rss>").encode()


def item(title: str, link: str, guid: str = "", description: str = "") -> str:
    guid_tag = f"<guid>{guid}</guid>" if guid else ""
    text = f"<description>{description}</description><author>Zeyu Cao</author>"
    return f"<item><title>{title}</title><link>{link}</link>{guid_tag}{text}</item>"


def test_a_huge_title_and_abstract_are_cut_and_the_cut_reported(
    nature: ReplayServer, tmp_path: Path
) -> None:
    """A 200 KB title and a 1 MB abstract: the article keeps 1,000 and 20,000 characters."""
    title = "World models " + "x" * 200_000
    nature.routes["/own.rss"] = Reply(
        200,
        feed_of(
            item(title, "https://own.example/p1", description="federated " * 100_000),
        ),
    )
    hostile = f'    - {{name: Own, url: "{nature.url}/own.rss"}}'
    content, report = night(tmp_path, "night", nature.url, hostile)
    own = [p for p in iter_archive(content) if p.source_label == "Own"]
    [paper] = own
    assert paper.title == "World models " + "x" * 986 + "…" and len(paper.title) == 1000
    assert len(paper.abstract) <= 20_000 and paper.abstract.endswith(" federated…")
    assert max(p.stat().st_size for p in (content / "papers").rglob("*.md")) < 30_000
    cuts = row(report, "Own")["cut"]
    label = f"{paper.paper_id} “World models {'x' * 46}…”"
    assert cuts == [
        f"{label}: title cut from 200,013 to 1,000 characters (MAX_TITLE_CHARS)",
        f"{label}: abstract cut from 999,999 to 20,000 characters (MAX_ABSTRACT_CHARS)",
    ]
    assert sorted(p.title for p in iter_archive(content) if p.source_label == "Nature") == (
        NATURE_TITLES
    )


def test_a_feed_bigger_than_the_cap_is_refused_and_the_others_land(
    nature: ReplayServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean, _ = night(tmp_path, "clean", nature.url)
    monkeypatch.setenv("HTTP_MAX_BYTES", str(2**20))
    nature.routes["/big.rss"] = Reply(
        200,
        feed_of(
            *(
                item(f"World models {n}", f"https://big.example/{n}", description="y" * 5_000)
                for n in range(600)
            )
        ),
    )
    hostile = f'    - {{name: Big, url: "{nature.url}/big.rss"}}'
    content, report = night(tmp_path, "night", nature.url, hostile)
    assert papers(content) == papers(clean)
    assert row(report, "Big")["status"] == "FAILED"
    assert row(report, "Big")["error"] == (
        f"{nature.url}/big.rss: 3 MiB announced, more than 1 MiB (HTTP_MAX_BYTES); not read"
    )


def extra_titles(content: Path, clean: Path) -> list[str]:
    """Titles of the articles beyond a clean night's, after checking the clean night's articles
    are all there, byte for byte."""
    hostile, expected = papers(content), papers(clean)
    assert {path: hostile.get(path) for path in expected} == expected  # nothing else changed
    return sorted(p.title for p in iter_archive(content) if p.source_label != "Nature")


def test_items_sharing_a_guid_stay_apart_in_a_feed_across_feeds_and_nights(
    nature: ReplayServer, tmp_path: Path
) -> None:
    clean, _ = night(tmp_path, "clean", nature.url)
    nature.routes["/own.rss"] = Reply(
        200,
        feed_of(
            item("World models collision FIRST", "https://own.example/c1", guid="g1"),
            item("World models collision SECOND", "https://own.example/c2", guid="g1"),
        ),
    )
    nature.routes["/own2.rss"] = Reply(
        200,
        feed_of(
            item("World models in another feed THIRD", "https://own2.example/c3", guid="g1"),
        ),
    )
    hostile = (
        f'    - {{name: Own, url: "{nature.url}/own.rss"}}\n'
        f'    - {{name: Own2, url: "{nature.url}/own2.rss"}}'
    )
    content, report = night(tmp_path, "night", nature.url, hostile)
    assert extra_titles(content, clean) == [
        "World models collision FIRST",
        "World models collision SECOND",
        "World models in another feed THIRD",
    ]
    assert all(p.also_in == () for p in iter_archive(content))  # no false "also in"
    assert report["notes"][0] == (
        "Own: “World models collision FIRST” (https://own.example/c1) and “World models "
        "collision SECOND” (https://own.example/c2) came under one guid; kept as two papers"
    )
    first = papers(content)

    # a later night: the same guid for a new item, and FIRST seen again as it was
    nature.routes["/own.rss"] = Reply(
        200,
        feed_of(
            item("World models collision LATER", "https://own.example/c4", guid="g1"),
            item("World models collision FIRST", "https://own.example/c1", guid="g1"),
        ),
    )
    radar = tmp_path / "night.yaml"
    assert (
        main(["run", "--radar", str(radar), "--content", str(content), "--date", "2026-09-03"]) == 0
    )
    later = papers(content)
    assert {path: later[path] for path in first} == first  # FIRST and the rest untouched
    assert sorted(p.title for p in iter_archive(content) if p.source_label == "Own") == [
        "World models collision FIRST",
        "World models collision LATER",
        "World models collision SECOND",
    ]


SQUAT = item(
    "World models, a fake title",
    "https://evil.example/fake",
    description="Fake abstract.",
    guid="https://doi.org/10.1038/s41586-026-05678-9",
).replace("<author>Zeyu Cao</author>", "")
CORTEX = "A world model of cortical dynamics predicts behaviour in mice"


def test_a_feed_claiming_a_publishers_doi_is_kept_apart_without_it(
    nature: ReplayServer, tmp_path: Path
) -> None:
    """Listed first, with a fake title, another host's link and no authors: the publisher's
    record keeps the DOI, its title and its abstract; the claim is reported."""
    preset = f'    - {{preset: nature, url: "{nature.url}/nature.rss"}}'
    clean, _ = night(tmp_path, "clean", nature.url, preset)
    nature.routes["/fake.rss"] = Reply(200, feed_of(SQUAT))
    first = f'    - {{name: Fake, url: "{nature.url}/fake.rss"}}\n'
    content, report = night(tmp_path, "night", nature.url, first + preset)
    assert extra_titles(content, clean) == ["World models, a fake title"]
    cortex = next(p for p in iter_archive(content) if p.doi == "10.1038/s41586-026-05678-9")
    assert cortex.title == CORTEX and cortex.source_label == "Nature" and cortex.also_in == ()
    fake = next(p for p in iter_archive(content) if p.source_label == "Fake")
    assert fake.doi == "" and fake.paper_id.startswith("guid:")
    assert fake.abs_url == "https://evil.example/fake"
    assert report["notes"][0] == (
        "Fake gives doi 10.1038/s41586-026-05678-9 to “World models, a fake title”, but Nature "
        f"has “{CORTEX}” for it: kept apart, without the DOI"
    )


def test_an_archived_false_claim_is_corrected_by_the_publishers_record(
    nature: ReplayServer, tmp_path: Path
) -> None:
    """The first sighting does not win for good: a night later the publisher's record replaces
    the article a feed made under its DOI, and the claim is kept apart again."""
    nature.routes["/nature.rss"] = Reply(200, feed_of())
    nature.routes["/preset.rss"] = Reply(200, feed_of())
    nature.routes["/fake.rss"] = Reply(200, feed_of(SQUAT))
    hostile = (
        f'    - {{name: Fake, url: "{nature.url}/fake.rss"}}\n'
        f'    - {{preset: nature, url: "{nature.url}/preset.rss"}}'
    )
    content, _ = night(tmp_path, "night", nature.url, hostile)
    article = content / "papers/doi/10-1038/doi-10-1038-s41586-026-05678-9.md"
    assert article.read_text().startswith("Title: World models, a fake title\n")

    nature.routes["/preset.rss"] = Reply(200, fixture_bytes("journals/nature.rss"))
    radar = tmp_path / "night.yaml"
    assert (
        main(["run", "--radar", str(radar), "--content", str(content), "--date", "2026-09-03"]) == 0
    )
    cortex = next(p for p in iter_archive(content) if p.doi == "10.1038/s41586-026-05678-9")
    assert cortex.title == CORTEX and cortex.abstract.startswith("Recordings of 10⁴ neurons")
    assert cortex.source_label == "Nature" and cortex.also_in == ()
    assert cortex.authors == ("Maria Okafor", "Jun Watanabe", "Ada Lovelace")
    assert article.read_text().startswith(f"Title: {CORTEX}\n")
    report = json.loads((content / "reports/2026-09-03.json").read_text())
    assert report["notes"][:2] == [
        "Fake gives doi 10.1038/s41586-026-05678-9 to “World models, a fake title”, but Nature "
        f"has “{CORTEX}” for it: kept apart, without the DOI",
        "doi 10.1038/s41586-026-05678-9: the archived “World models, a fake title” from Fake "
        f"is replaced by Nature's record “{CORTEX}”",
    ]


def test_skipped_items_and_cut_fields_are_on_the_status_page(
    nature: ReplayServer, tmp_path: Path
) -> None:
    """An item with no title, one with nothing to tell it apart, one with a 2,000-character
    title: the report JSON and the site's status page list each with its reason."""
    nature.routes["/own.rss"] = Reply(
        200,
        feed_of(
            "<item><link>https://own.example/untitled</link><description>x</description></item>",
            "<item><title>World models with no link</title></item>",
            item("World models " + "long " * 400, "https://own.example/long"),
        ),
    )
    hostile = f'    - {{name: Own, url: "{nature.url}/own.rss"}}'
    content, report = night(tmp_path, "night", nature.url, hostile)
    skipped = [
        ("https://own.example/untitled", "no title"),
        ("item 2", "no DOI, id or link to tell it apart"),
    ]
    assert [(s["item"], s["reason"]) for s in row(report, "Own")["skipped"]] == skipped
    output = tmp_path / "output"
    build_site(
        content,
        output,
        radar=tmp_path / "night.yaml",
        settings=REPO / "pelicanconf.py",
        cache=tmp_path / "cache",
        index=False,
    )
    status = (output / "status/index.html").read_text()
    for label, reason in skipped:
        assert f"<tr><td>Own</td><td>{label}</td><td>{reason}</td></tr>" in status
    [cut] = row(report, "Own")["cut"]
    assert cut.endswith(": title cut from 2,012 to 1,000 characters (MAX_TITLE_CHARS)")
    assert f"<li>Own: {escape(cut)}</li>" in status
