"""The fault matrix: one source fails in each way a source can; the others' papers still land,
the report (text, JSON and the --summary Markdown) names the failure, the exit status is 0, the
archive is untouched, and once the source recovers the next run fetches what was missed.

Every kind of source is failed in turn: a journal feed, bioRxiv's details API and Crossref.
Every server is on 127.0.0.1 (or a `.invalid` host, which never resolves)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from replay import ReplayServer, Reply, fixture_bytes

from pipeline.__main__ import main

DAY = "2026-09-02"
RADAR = """
topics:
  - {{name: World models, keywords: [world model, world models]}}
  - {{name: Federated, keywords: [federated]}}
  - {{name: Cold life, keywords: [Exiguobacterium, fire occurrence]}}
authors: [Zeyu Cao]
sources:
  feeds:
    - {{name: Nature, url: "{base}/nature.rss"}}
    - {{name: PLOS ONE, url: "{plos}"}}
  biorxiv: {{subjects: [neuroscience], lookback_days: 2}}
  crossref:
    mailto: radar@example.org
    journals: [{{issn: 2167-8359, name: PeerJ}}]
"""
FEED_ROUTE = "/plos"
BIORXIV_ROUTE = "/details/biorxiv/2026-08-31/2026-09-02/0"
CROSSREF_ROUTE = "/journals/2167-8359/works"
GOOD_REPLIES = {
    "/nature.rss": Reply(200, fixture_bytes("journals/nature.rss")),
    FEED_ROUTE: Reply(200, fixture_bytes("journals/plos-one.atom")),
    BIORXIV_ROUTE: Reply(200, fixture_bytes("biorxiv/details-2026-09-01.json")),
    CROSSREF_ROUTE: Reply(200, fixture_bytes("crossref/journals_works_0.json")),
}
# one paper of each source, by its archive path and the title its article starts with
LANDED = {
    "feed": (
        "papers/doi/10-1371/doi-10-1371-journal-pone-0312345.md",
        "Federated learning of CO₂ flux models across 40 eddy-covariance sites",
    ),
    "biorxiv": (
        "papers/doi/10-1101/doi-10-1101-2026-08-30-610001.md",
        "Looped world models of hippocampal replay",
    ),
    "crossref": (
        "papers/doi/10-7717/doi-10-7717-peerj-14276.md",
        "We’re building it up to burn it down: fire occurrence",
    ),
}
NATURE = (
    "papers/doi/10-1038/doi-10-1038-s41586-026-05678-9.md",
    "A world model of cortical dynamics predicts behaviour in mice",
)


@dataclass(frozen=True)
class Source:
    report_name: str  # its row in the report
    route: str  # where the replay server serves it
    env: str = ""  # the endpoint variable, for kinds whose URL is not in radar.yaml


SOURCES = {
    "feed": Source("PLOS ONE", FEED_ROUTE),
    "biorxiv": Source("bioRxiv (Neuroscience)", BIORXIV_ROUTE, "BIORXIV_API_URL"),
    "crossref": Source("Crossref PeerJ", CROSSREF_ROUTE, "CROSSREF_API_URL"),
}
RETRY_NOW = {"Retry-After": "0"}
HTML_PAGE = Reply(
    200, b"<html><body><h1>Service Unavailable</h1></body></html>", {"Content-Type": "text/html"}
)
TRANSPORT = {
    # fault: (reply while failing, or None for a host that does not resolve; the reason)
    "dns": (None, "cannot connect"),
    "timeout": (Reply(200, b"", delay=1.5), "timed out after 1 s"),
    "404": (Reply(404, b"gone"), "HTTP 404"),
    "500": (Reply(500, b"oops", RETRY_NOW), "HTTP 500 after 3 tries"),
    "429": (Reply(429, b"slow down", RETRY_NOW), "HTTP 429 after 3 tries"),
}
NOT_JSON = {"biorxiv": "not the details API's JSON", "crossref": "not Crossref's works JSON"}
CONTENT = {
    "feed": {
        "malformed": (
            Reply(200, fixture_bytes("feedparser-illformed/rss_empty_document.xml")),
            "not an RSS/Atom feed",
        ),
        "html error page": (HTML_PAGE, "not an RSS/Atom feed"),
        "empty": (
            Reply(200, b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>'),
            "the feed had no items",
        ),
    },
    "biorxiv": {
        "malformed": (
            Reply(200, b'{"messages": [{"status": "ok", "total": "3"}], "collec'),
            NOT_JSON["biorxiv"],
        ),
        "html error page": (HTML_PAGE, NOT_JSON["biorxiv"]),
        "empty": (
            Reply(
                200, b'{"messages": [{"status": "no posts found", "total": 0}], "collection": []}'
            ),
            "no preprints posted between",
        ),
    },
    "crossref": {
        "malformed": (
            Reply(200, b'{"status": "ok", "message": {"items": [{"DOI": '),
            NOT_JSON["crossref"],
        ),
        "html error page": (HTML_PAGE, NOT_JSON["crossref"]),
        "empty": (
            Reply(200, b'{"message": {"total-results": 0, "items": []}}'),
            "no new works in the last 7 days",
        ),
    },
}
SLOW = {"dns", "timeout"}  # seconds of retries each; http.py is the same for every kind
CASES = [
    (kind, fault)
    for kind in SOURCES
    for fault in [*TRANSPORT, *CONTENT[kind]]
    if kind == "feed" or fault not in SLOW
]


def _run(radar: Path, content: Path, summary: Path) -> int:
    return main(
        [
            "run",
            "--radar",
            str(radar),
            "--content",
            str(content),
            "--date",
            DAY,
            "--summary",
            str(summary),
        ]
    )


def _setup(
    replay: ReplayServer,
    monkeypatch: pytest.MonkeyPatch,
    radar: Path,
    failing: str | None,
    reply: Reply | None,
) -> None:
    """Serve every source well except `failing`, which answers `reply` (None: an unknown host)."""
    replay.routes.update(GOOD_REPLIES)
    base = {kind: replay.url for kind in SOURCES}
    if failing is not None and reply is None:
        base[failing] = "http://unresolvable.invalid"
    elif failing is not None:
        replay.routes[SOURCES[failing].route] = reply
    monkeypatch.setenv("BIORXIV_API_URL", f"{base['biorxiv']}/details/")
    monkeypatch.setenv("CROSSREF_API_URL", f"{base['crossref']}/")
    radar.write_text(RADAR.format(base=replay.url, plos=base["feed"] + FEED_ROUTE))


@pytest.mark.parametrize(("kind", "fault"), CASES, ids=[f"{k}-{f}" for k, f in CASES])
def test_one_failing_source_never_sinks_the_night(
    kind: str,
    fault: str,
    replay: ReplayServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    reply, reason = TRANSPORT[fault] if fault in TRANSPORT else CONTENT[kind][fault]
    source = SOURCES[kind]
    monkeypatch.setenv("HTTP_TIMEOUT_SECONDS", "1")
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    radar, content, summary = tmp_path / "radar.yaml", tmp_path / "content", tmp_path / "sum.md"
    existing = content / "papers/arxiv/2606/arxiv-2606-19025.md"
    existing.parent.mkdir(parents=True)
    existing.write_text("Title: kept as it is\n\nan article from an earlier night\n")
    _setup(replay, monkeypatch, radar, kind, reply)

    assert _run(radar, content, summary) == 0
    for other, (path, title) in [*LANDED.items(), ("nature", NATURE)]:
        if other != kind:
            assert (content / path).read_text().startswith(f"Title: {title}"), other
    missed, title = LANDED[kind]
    assert not (content / missed).exists()
    assert existing.read_text() == "Title: kept as it is\n\nan article from an earlier night\n"
    report = json.loads((content / f"reports/{DAY}.json").read_text())
    row = next(s for s in report["sources"] if s["source"] == source.report_name)
    assert reason in (row["error"] or row["note"])
    assert row["status"] == ("empty" if fault == "empty" else "FAILED")
    assert reason in capsys.readouterr().out
    markdown_row = next(
        line
        for line in summary.read_text().splitlines()
        if line.startswith(f"| {source.report_name} |")
    )
    assert reason in markdown_row

    # the source recovers: the next run fetches what was missed
    _setup(replay, monkeypatch, radar, None, None)
    assert _run(radar, content, summary) == 0
    assert (content / missed).read_text().startswith(f"Title: {title}")
    assert existing.read_text() == "Title: kept as it is\n\nan article from an earlier night\n"
