"""A hostile or slow source beside a good one, night by night over 127.0.0.1: the good source's
papers land exactly as on a night without the hostile one, the report names the hostile source
and the limit it hit, and the night ends in bounded time."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from drip import DripServer, http_head
from replay import ReplayServer, Reply, fixture_bytes

from pipeline.__main__ import main
from pipeline.archive import iter_archive
from pipeline.http import Http
from pipeline.models import Limits, SourceResult
from pipeline.sources import Fetch, run_lanes

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
    return {str(p.relative_to(content)): p.read_bytes()
            for p in sorted((content / "papers").rglob("*.md"))}  # fmt: skip


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

    lanes = [[fine("arXiv cs.AI"), Fetch("Stuck", hang), fine("arXiv API: author A")],
             [fine("Nature")]]  # fmt: skip
    seen: list[str] = []
    started = time.monotonic()
    results = run_lanes(
        lanes, lambda: Http("t", limits=Limits(source_seconds=0.5)), lambda r: seen.append(r.source)
    )
    elapsed = time.monotonic() - started
    release.set()
    assert [(r.source, r.error or r.note) for r in results] == [
        ("arXiv cs.AI", "fine"),
        ("Stuck", "abandoned: not done at its deadline (SOURCE_DEADLINE_SECONDS); its papers "
                  "wait for the next night"),
        ("arXiv API: author A", "not run: Stuck before it hung"),
        ("Nature", "fine"),
    ]  # fmt: skip
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
    nature.routes["/own.rss"] = Reply(200, feed_of(
        item(title, "https://own.example/p1", description="federated " * 100_000),
    ))  # fmt: skip
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
    nature.routes["/big.rss"] = Reply(200, feed_of(
        *(item(f"World models {n}", f"https://big.example/{n}", description="y" * 5_000)
          for n in range(600))
    ))  # fmt: skip
    hostile = f'    - {{name: Big, url: "{nature.url}/big.rss"}}'
    content, report = night(tmp_path, "night", nature.url, hostile)
    assert papers(content) == papers(clean)
    assert row(report, "Big")["status"] == "FAILED"
    assert row(report, "Big")["error"] == (
        f"{nature.url}/big.rss: 3 MiB announced, more than 1 MiB (HTTP_MAX_BYTES); not read"
    )
