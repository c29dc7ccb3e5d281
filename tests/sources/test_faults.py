"""The fault matrix: one source fails in each way a source can; the others' papers still land,
the report names the failure, the exit status is 0, and once the source recovers the next run
fetches what was missed. Every server is on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from replay import ReplayServer, Reply, fixture_bytes

from pipeline.__main__ import main

GOOD = "papers/doi/10-1038/doi-10-1038-s41586-026-05678-9.md"  # Nature's world-model paper
MISSED = "papers/doi/10-1371/doi-10-1371-journal-pone-0312345.md"  # PLOS's federated paper
RADAR = """
topics:
  - {{name: World models, keywords: [world model]}}
  - {{name: Federated, keywords: [federated]}}
authors: [Zeyu Cao]
sources:
  feeds:
    - {{name: Nature, url: "{base}/nature.rss"}}
    - {{name: PLOS ONE, url: "{plos}"}}
"""
PLOS = fixture_bytes("journals/plos-one.atom")
RETRY_NOW = {"Retry-After": "0"}

FAULTS: dict[str, tuple[Callable[[str], str], Reply | None, str]] = {
    # name: (PLOS URL from the server's base URL, reply while failing, expected reason)
    "dns": (lambda base: "http://plos.invalid/feed", None, "cannot connect"),
    "timeout": (lambda base: f"{base}/plos", Reply(200, PLOS, delay=1.5), "timed out after 1 s"),
    "404": (lambda base: f"{base}/plos", Reply(404, b"gone"), "HTTP 404"),
    "500": (lambda base: f"{base}/plos", Reply(500, b"oops", RETRY_NOW), "HTTP 500 after 3 tries"),
    "429": (lambda base: f"{base}/plos", Reply(429, b"slow down", RETRY_NOW),
            "HTTP 429 after 3 tries"),
    "malformed xml": (lambda base: f"{base}/plos",
                      Reply(200, fixture_bytes("feedparser-illformed/rss_empty_document.xml")),
                      "not an RSS/Atom feed"),
    "html error page": (lambda base: f"{base}/plos",
                        Reply(200, b"<html><body><h1>Service Unavailable</h1></body></html>",
                              {"Content-Type": "text/html"}), "not an RSS/Atom feed"),
    "empty feed": (lambda base: f"{base}/plos",
                   Reply(200, b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>'),
                   "the feed had no items"),
}  # fmt: skip


def _run(radar: Path, content: Path) -> int:
    return main(["run", "--radar", str(radar), "--content", str(content), "--date", "2026-09-02"])


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_one_failing_source_never_sinks_the_night(
    fault: str, replay: ReplayServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    plos_url, failing, reason = FAULTS[fault]
    monkeypatch.setenv("HTTP_TIMEOUT_SECONDS", "1")
    replay.routes["/nature.rss"] = Reply(200, fixture_bytes("journals/nature.rss"))
    replay.routes["/plos"] = failing or Reply(200, PLOS)
    radar = tmp_path / "radar.yaml"
    radar.write_text(RADAR.format(base=replay.url, plos=plos_url(replay.url)))
    content = tmp_path / "content"
    existing = content / "papers/arxiv/2606/arxiv-2606-19025.md"
    existing.parent.mkdir(parents=True)
    existing.write_text("Title: kept as it is\n\nan article from an earlier night\n")

    assert _run(radar, content) == 0
    assert (
        (content / GOOD)
        .read_text()
        .startswith("Title: A world model of cortical dynamics predicts behaviour in mice\n")
    )
    assert not (content / MISSED).exists()
    assert existing.read_text() == "Title: kept as it is\n\nan article from an earlier night\n"
    plos = next(s for s in json.loads((content / "reports/2026-09-02.json").read_text())["sources"]
                if s["source"] == "PLOS ONE")  # fmt: skip
    assert reason in (plos["error"] or plos["note"])
    assert reason in capsys.readouterr().out

    # the source recovers: the next run fetches what was missed
    radar.write_text(RADAR.format(base=replay.url, plos=f"{replay.url}/plos-fixed"))
    replay.routes["/plos-fixed"] = Reply(200, PLOS)
    assert _run(radar, content) == 0
    assert "Title: Federated learning of CO₂ flux models" in (content / MISSED).read_text()
