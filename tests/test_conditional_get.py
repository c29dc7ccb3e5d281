"""Conditional GET across nights, through `python -m pipeline run`: an unchanged feed is one 304
reported as such; a changed radar reads every feed in full again, so nothing it now wants hides
behind a 304."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from replay import ReplayServer, Reply, fixture_bytes

from pipeline.__main__ import main

RADAR = """
topics:
  - {{name: World models, keywords: [world model]}}
{extra}
sources:
  feeds: [{{name: Nature, url: "{base}/nature.rss"}}]
"""
FEDERATED = "  - {name: Federated, keywords: [federated]}"
FOMOE = "papers/doi/10-1038/doi-10-1038-s41586-026-01234-5.md"
CORTEX = "papers/doi/10-1038/doi-10-1038-s41586-026-05678-9.md"


def test_unchanged_feed_is_a_304_until_the_radar_changes(
    replay: ReplayServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)

    def nature(request):  # noqa: ANN001, ANN202
        if request.headers.get("If-None-Match") == '"toc-36"':
            return Reply(304, b"")
        return Reply(200, fixture_bytes("journals/nature.rss"), {"ETag": '"toc-36"'})

    replay.routes["/nature.rss"] = nature
    radar, content = tmp_path / "radar.yaml", tmp_path / "content"

    def run(day: str, extra: str = "") -> dict:
        radar.write_text(RADAR.format(base=replay.url, extra=extra))
        assert main(["run", "--radar", str(radar), "--content", str(content), "--date", day]) == 0
        return json.loads((content / f"reports/{day}.json").read_text())["sources"][0]

    first = run("2026-09-02")
    assert first["items"] == 2 and (content / CORTEX).exists() and not (content / FOMOE).exists()
    second = run("2026-09-03")
    assert second["items"] == 0 and second["note"] == "not modified since the last run (HTTP 304)"
    third = run("2026-09-04", FEDERATED)  # a new topic: the feed is read in full again
    assert third["items"] == 2
    assert (content / FOMOE).read_text().startswith("Title: FoMoE: Breaking the Full-Replica")
    sent = [r.headers.get("If-None-Match") for r in replay.requests_to("/nature.rss")]
    assert sent == [None, '"toc-36"', None]
    state = json.loads((content / "state/http-validators.json").read_text())
    assert state["feeds"] == {f"{replay.url}/nature.rss": {"etag": '"toc-36"', "last_modified": ""}}
