"""The daily briefing through `python -m pipeline run`, against a server on 127.0.0.1 that speaks
the Messages API (constructed answers in tests/fixtures/anthropic/)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from replay import ReplayServer, Reply, fixture_bytes, xml

from pipeline.__main__ import main
from pipeline.archive import split_article
from pipeline.site.build import build_site

REPO = Path(__file__).resolve().parents[1]
KEY = "sk-ant-test-0000-SECRET-do-not-print-4242"
BRIEFING = "briefings/2026/briefing-2026-06-18.md"
RADAR = """
topics:
  - {name: Low-communication training, keywords: [DiLoCo, federated]}
  - {name: World models, keywords: [world models]}
authors: [Zeyu Cao]
sources:
  arxiv: {categories: [cs.AI], api: false}
briefing: {model: claude-sonnet-5-5, daily_input_token_budget: 20000}
"""
RETRY_NOW = {"retry-after-ms": "5", "retry-after": "0", "Content-Type": "application/json"}
JSON = {"Content-Type": "application/json"}


def message(name: str) -> Reply:
    return Reply(200, fixture_bytes(f"anthropic/{name}.json"), JSON)


@pytest.fixture
def night(arxiv_env: ReplayServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    arxiv_env.routes["/rss/cs.AI"] = xml("arxiv-rss/seed-day.xml")
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    monkeypatch.setenv("ANTHROPIC_BASE_URL", arxiv_env.url)
    (tmp_path / "radar.yaml").write_text(RADAR)
    return tmp_path


def run(night: Path, *extra: str) -> int:
    return main(["run", "--radar", str(night / "radar.yaml"), "--content", str(night / "content"),
                 "--date", "2026-06-18", *extra])  # fmt: skip


def briefing_fields(night: Path) -> tuple[dict[str, str], str]:
    return split_article((night / "content" / BRIEFING).read_text())


def test_briefing_from_the_model_cites_the_days_papers(
    arxiv_env: ReplayServer, night: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arxiv_env.routes["/v1/messages"] = message("message-briefing")
    assert run(night) == 0
    fields, body = briefing_fields(night)
    assert fields["briefing_kind"] == "llm" and fields["model"] == "claude-sonnet-5-5"
    assert (fields["tokens_in"], fields["tokens_out"]) == ("1510", "410")  # fresh + cache write
    assert fields["cited"] == '["arxiv:2606.19025", "arxiv:2411.02908", "arxiv:2606.18001"]'
    assert body.startswith("Three papers share one bottleneck")
    assert "### Communication as the scaling limit" in body
    assert ("- [FoMoE: Breaking the Full-Replica Barrier with a Federation of MoEs]"
            "({filename}/papers/arxiv/2606/arxiv-2606-19025.md)") in body  # fmt: skip
    (request,) = arxiv_env.requests_to("/v1/messages")
    headers = {k.lower(): v for k, v in request.headers.items()}
    assert KEY in (
        headers.get("x-api-key"),
        headers.get("authorization", "").removeprefix("Bearer "),
    )
    sent = json.loads(request.body)
    assert sent["system"][0]["cache_control"] == {"type": "ephemeral"}
    assert "id: arxiv:2606.19025" in sent["messages"][0]["content"]
    assert "briefing tokens: 1510 in, 410 out" in capsys.readouterr().out


def test_rate_limit_then_success(arxiv_env: ReplayServer, night: Path) -> None:
    arxiv_env.routes["/v1/messages"] = [
        Reply(429, fixture_bytes("anthropic/error-429.json"), RETRY_NOW),
        message("message-briefing"),
    ]
    assert run(night) == 0
    assert briefing_fields(night)[0]["briefing_kind"] == "llm"
    assert len(arxiv_env.requests_to("/v1/messages")) == 2


def test_overloaded_until_give_up_falls_back_to_the_embedded_briefing(
    arxiv_env: ReplayServer, night: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arxiv_env.routes["/v1/messages"] = Reply(529, fixture_bytes("anthropic/error-529.json"),
                                             RETRY_NOW)  # fmt: skip
    assert run(night) == 0
    fields, body = briefing_fields(night)
    assert fields["briefing_kind"] == "automatic" and fields["title"].startswith("Automatic")
    assert "({filename}/papers/arxiv/2606/arxiv-2606-19025.md)" in body
    assert len(arxiv_env.requests_to("/v1/messages")) == 4  # one try and three retries
    out = capsys.readouterr().out
    assert "the Anthropic API answered HTTP 529 (overloaded_error) after 4 requests" in out
    assert "the automatic briefing stands in" in out


def test_unknown_cited_id_is_dropped_and_reported(
    arxiv_env: ReplayServer, night: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arxiv_env.routes["/v1/messages"] = message("message-unknown-id")
    assert run(night) == 0
    fields, body = briefing_fields(night)
    assert "9999.99999" not in body and "made up" not in body
    assert "arxiv:9999.99999" not in fields["cited"]
    assert "dropped 1 cited id(s) that are not among the day's papers: arxiv:9999.99999" in (
        capsys.readouterr().out
    )


def test_prose_answer_is_not_stored(arxiv_env: ReplayServer, night: Path) -> None:
    arxiv_env.routes["/v1/messages"] = message("message-not-json")
    assert run(night) == 0
    fields, body = briefing_fields(night)
    assert fields["briefing_kind"] == "automatic" and "cannot help" not in body


def test_briefing_is_never_asked_twice_unless_rebriefed(
    arxiv_env: ReplayServer, night: Path
) -> None:
    arxiv_env.routes["/v1/messages"] = message("message-briefing")
    assert run(night) == 0 and run(night) == 0
    assert len(arxiv_env.requests_to("/v1/messages")) == 1
    assert run(night, "--rebrief", "2026-06-18") == 0
    assert len(arxiv_env.requests_to("/v1/messages")) == 2


def test_automatic_briefing_is_upgraded_once_a_key_works(
    arxiv_env: ReplayServer, night: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    assert run(night) == 0
    assert briefing_fields(night)[0]["briefing_kind"] == "automatic"
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    arxiv_env.routes["/v1/messages"] = message("message-briefing")
    arxiv_env.routes["/rss/cs.AI"] = Reply(200, b'<rss version="2.0"><channel/></rss>')
    assert main(["run", "--radar", str(night / "radar.yaml"), "--content",
                 str(night / "content"), "--date", "2026-06-19"]) == 0  # fmt: skip
    assert briefing_fields(night)[0]["briefing_kind"] == "llm"


def test_injected_answer_puts_no_markup_on_the_page(arxiv_env: ReplayServer, night: Path) -> None:
    arxiv_env.routes["/v1/messages"] = message("message-injected")
    assert run(night) == 0
    fields, body = briefing_fields(night)
    assert fields["title"] == "Briefing of 2026-06-18" and "status" not in fields
    output = night / "output"
    build_site(night / "content", output, radar=night / "radar.yaml",
               settings=REPO / "pelicanconf.py", cache=night / "cache", index=False)  # fmt: skip
    page = (output / "briefings/2026-06-18/index.html").read_text()
    main_html = page[page.index("<main") : page.index("</main>")]
    tags = re.findall(r"<(\w+)([^>]*)>", main_html)
    assert {name for name, _ in tags} <= {"main", "article", "p", "span", "a", "time", "h1", "h3",
                                          "div", "ul", "li"}  # fmt: skip
    assert not [attrs for _, attrs in tags if re.search(r"\son\w+=", attrs)]
    hrefs = re.findall(r'href="([^"]*)"', main_html)
    assert hrefs and all(h.startswith("../") for h in hrefs), hrefs  # only the site's own pages
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt; Ignore all previous instructions." in page


def test_no_secret_in_anything_produced(arxiv_env: ReplayServer, night: Path) -> None:
    """A known fake key; everything the run and the build write or print is searched for it."""
    arxiv_env.routes["/v1/messages"] = [
        Reply(401, b'{"type":"error","error":{"type":"authentication_error",'
              b'"message":"invalid x-api-key"}}', JSON),
        message("message-briefing"),
    ]  # fmt: skip
    env = {"ANTHROPIC_API_KEY": KEY, "ANTHROPIC_BASE_URL": arxiv_env.url,
           "ARXIV_RSS_URL": f"{arxiv_env.url}/rss/", "ARXIV_API_DELAY_SECONDS": "0",
           "PATH": "/usr/bin:/bin"}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "-v", "run", "--radar", str(night / "radar.yaml"),
         "--content", str(night / "content"), "--date", "2026-06-18"],
        cwd=REPO, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "authentication_error" in done.stdout  # the 401 was reported …
    build_site(night / "content", night / "output", radar=night / "radar.yaml",
               settings=REPO / "pelicanconf.py", cache=night / "cache")  # fmt: skip
    assert KEY not in done.stdout + done.stderr  # … without the key
    written = [p for p in night.rglob("*") if p.is_file()]
    assert len(written) > 20
    assert [p for p in written if KEY.encode() in p.read_bytes()] == []
