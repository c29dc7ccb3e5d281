"""The night's briefing and TL;DRs through `python -m pipeline run`, against servers on 127.0.0.1
that speak Anthropic's Messages API (POST /v1/messages) and OpenAI's chat completions (POST
/v1/chat/completions), with answers constructed to each SDK's types (tests/fixtures/anthropic/,
tests/fixtures/openai/): each answer's briefing, TL;DRs and report line."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from replay import ReplayServer, Reply, fixture_bytes, xml

from pipeline.__main__ import main
from pipeline.archive import iter_archive, split_article
from pipeline.site.build import build_site

REPO = Path(__file__).resolve().parents[1]
KEY = "sk-ant-test-0000-SECRET-do-not-print-4242"
DAY = "2026-06-18"
BRIEFING = f"briefings/2026/briefing-{DAY}.md"
FOMOE, PHOTON, LOOPED = "arxiv:2606.19025", "arxiv:2411.02908", "arxiv:2606.18001"
TOPICS = """
topics:
  - {name: Low-communication training, keywords: [DiLoCo, federated]}
  - {name: World models, keywords: [world models]}
authors: [Zeyu Cao]
sources:
  arxiv: {categories: [cs.AI], api: false}
"""
RETRY_NOW = {"retry-after-ms": "5", "retry-after": "0", "Content-Type": "application/json"}
JSON = {"Content-Type": "application/json"}
EMPTY_FEED = Reply(200, b'<rss version="2.0"><channel/></rss>')


@dataclass(frozen=True)
class Provider:
    name: str  # "anthropic" or "openai"
    path: str  # the API's route on the server
    key_variable: str

    def radar(self, url: str) -> str:
        if self.name == "anthropic":
            return TOPICS + "llm: {model: claude-sonnet-5-5, daily_input_token_budget: 20000}\n"
        return TOPICS + (
            f"llm: {{provider: openai, model: deepseek-chat, base_url: '{url}/v1', "
            "daily_input_token_budget: 20000}\n"
        )

    def reply(self, name: str, status: int = 200) -> Reply:
        headers = RETRY_NOW if status in (429, 529) else JSON
        return Reply(status, fixture_bytes(f"{self.name}/{name}.json"), headers)


ANTHROPIC = Provider("anthropic", "/v1/messages", "ANTHROPIC_API_KEY")
OPENAI = Provider("openai", "/v1/chat/completions", "OPENAI_API_KEY")


@dataclass
class Night:
    """The seed day's feed on the replay server, a radar and an archive in a folder."""

    server: ReplayServer
    path: Path
    env: pytest.MonkeyPatch

    def use(self, provider: Provider) -> None:
        """This provider's radar.yaml and key."""
        self.env.setenv(provider.key_variable, KEY)
        (self.path / "radar.yaml").write_text(provider.radar(self.server.url))

    def run(self, day: str = DAY, *extra: str) -> int:
        radar, content = str(self.path / "radar.yaml"), str(self.path / "content")
        return main(["run", "--radar", radar, "--content", content, "--date", day, *extra])


@pytest.fixture
def night(arxiv_env: ReplayServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Night:
    arxiv_env.routes["/rss/cs.AI"] = xml("arxiv-rss/seed-day.xml")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", arxiv_env.url)
    return Night(arxiv_env, tmp_path, monkeypatch)


def briefing_fields(night: Night, day: str = DAY) -> tuple[dict[str, str], str]:
    path = night.path / "content" / f"briefings/{day[:4]}/briefing-{day}.md"
    return split_article(path.read_text())


def tldrs(night: Night) -> dict[str, tuple[str, str]]:
    """Each archived paper's TL;DR and who wrote it."""
    return {
        p.paper_id: (p.tldr.line, p.tldr.kind) if p.tldr else ("", "")
        for p in iter_archive(night.path / "content")
    }


def assert_model_briefing(night: Night) -> dict[str, str]:
    fields, body = briefing_fields(night)
    assert fields["briefing_kind"] == "llm" and fields["title"] == f"Briefing of {DAY}"
    assert body.startswith("Three papers share one bottleneck")
    assert "### Communication as the scaling limit" in body
    assert (
        "- [FoMoE: Breaking the Full-Replica Barrier with a Federation of MoEs]"
        "({filename}/papers/arxiv/2606/arxiv-2606-19025.md)"
    ) in body
    found = tldrs(night)
    assert found[FOMOE] == (
        "FoMoE partitions a mixture-of-experts model across weakly connected sites instead of "
        "replicating it, so pre-training no longer needs one datacenter's interconnect.",
        "llm",
    )
    assert found[PHOTON][0].startswith("Photon is a complete system for federated end-to-end")
    assert {kind for _, kind in found.values()} == {"llm"}
    return fields


def assert_automatic_briefing(night: Night, failure: str) -> dict[str, str]:
    fields, body = briefing_fields(night)
    assert fields["briefing_kind"] == "automatic" and fields["title"].startswith("Automatic")
    assert failure in fields["failure"] and fields["asked"] == "1"
    assert json.loads(fields["cited"]) == [PHOTON, LOOPED, FOMOE]  # every paper of the night
    assert "({filename}/papers/arxiv/2606/arxiv-2606-19025.md)" in body
    found = tldrs(night)
    assert found[LOOPED] == (
        "We resolve this by introducing Looped World Models (LoopWM), which "
        "are the first looped architectures for world modelling.",
        "automatic",
    )
    assert {kind for _, kind in found.values()} == {"automatic"}
    return fields


# ---- answers the model gives -----------------------------------------------------------------

NORMAL = [
    (ANTHROPIC, "message-briefing"),
    (ANTHROPIC, "message-thinking"),
    (ANTHROPIC, "message-fenced"),
    (OPENAI, "chat-briefing"),
    (OPENAI, "chat-think-tag"),
    (OPENAI, "chat-reasoning-content"),
    (OPENAI, "chat-fenced"),
]


@pytest.mark.parametrize(("provider", "answer"), NORMAL, ids=[a for _, a in NORMAL])
def test_an_answer_gives_the_briefing_and_every_tldr(
    provider: Provider,
    answer: str,
    night: Night,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Plain, reasoning (a thinking block, <think> in the content, reasoning_content) and fenced
    answers all give the same briefing; no reasoning text reaches the page."""
    night.use(provider)
    night.server.routes[provider.path] = provider.reply(answer)
    assert night.run() == 0
    fields = assert_model_briefing(night)
    text = (night.path / "content" / BRIEFING).read_text()
    assert "Okay, the user" not in text and "draft" not in text and "```" not in text
    assert fields["calls"] == "1" and fields["asked"] == "1" and fields["failure"] == ""
    out = capsys.readouterr().out
    assert (
        f"briefing of {DAY}: llm, 2 themes, 3 papers, 3 new TL;DRs (3 from the model), "
        "1 call(s), US$" in out
    )
    (request,) = night.server.requests_to(provider.path)
    sent = json.loads(request.body)
    if provider is ANTHROPIC:
        assert sent["thinking"] == {"type": "disabled"} and sent["max_tokens"] == 8000
        assert sent["system"][0]["cache_control"] == {"type": "ephemeral"}
        prompt = sent["messages"][0]["content"]
    else:
        assert sent["response_format"] == {"type": "json_object"} and sent["max_tokens"] == 8000
        assert sent["model"] == "deepseek-chat" and sent["messages"][0]["role"] == "system"
        assert "reasoning_effort" not in sent  # unset: not sent (many endpoints refuse it)
        prompt = sent["messages"][1]["content"]
    assert f'<paper id="{FOMOE}" tldr="yes">' in prompt and prompt.endswith("</papers>")


def test_anthropic_tokens_and_cost_in_the_briefing_and_report(
    night: Night,
    capsys: pytest.CaptureFixture[str],
) -> None:
    night.use(ANTHROPIC)
    night.server.routes["/v1/messages"] = ANTHROPIC.reply("message-briefing")
    assert night.run() == 0
    fields, _ = briefing_fields(night)
    assert (fields["tokens_in"], fields["tokens_out"]) == ("1510", "980")  # fresh + cache write
    assert fields["model"] == "claude-sonnet-5-5 (anthropic)"
    assert fields["cost_usd"] == "0.0192"  # 1,510 × $3 + 980 × $15 per million
    report = json.loads((night.path / "content" / "reports" / f"{DAY}.json").read_text())
    assert (report["tokens_in"], report["tokens_out"], report["llm_calls"]) == (1510, 980, 1)
    assert report["cost_usd"] == 0.01923
    assert "briefing tokens: 1510 in, 980 out, 1 call(s), US$0.0192" in capsys.readouterr().out


def test_the_nights_tokens_and_cost_are_on_the_status_page(night: Night) -> None:
    """The site's status page shows what the night's briefing cost, from the run report."""
    night.use(ANTHROPIC)
    night.server.routes["/v1/messages"] = ANTHROPIC.reply("message-briefing")
    assert night.run() == 0
    output = night.path / "output"
    site = ["site", "--radar", str(night.path / "radar.yaml"), "--output", str(output)]
    site += ["--cache", str(night.path / "cache")]
    assert main([*site, "--content", str(night.path / "content")]) == 0
    status = " ".join((output / "status/index.html").read_text().split())
    assert f'<h2 id="night-1">{DAY}</h2>' in status
    assert "tokens 1510 in / 980 out in 1 call, US$0.0192" in status


def test_a_model_without_a_price_says_so_instead_of_costing_nothing(
    night: Night, capsys: pytest.CaptureFixture[str]
) -> None:
    night.use(ANTHROPIC)
    radar = night.path / "radar.yaml"
    radar.write_text(radar.read_text().replace("claude-sonnet-5-5", "claude-experimental-9"))
    night.server.routes["/v1/messages"] = ANTHROPIC.reply("message-briefing")
    assert night.run() == 0
    report = json.loads((night.path / "content" / "reports" / f"{DAY}.json").read_text())
    assert report["cost_unknown"] is True and report["cost_usd"] == 0
    out = capsys.readouterr().out
    assert (
        "briefing tokens: 1510 in, 980 out, 1 call(s), cost unknown (give the model's price as "
        "llm.price_per_mtok)"
    ) in out
    assert "US$0.0000" not in out


@pytest.mark.parametrize(
    ("provider", "answer", "why"),
    [
        (ANTHROPIC, "message-empty", "the model gave no answer text (content empty or null)"),
        (OPENAI, "chat-content-null", "the model gave no answer text (content empty or null)"),
        (
            OPENAI,
            "chat-truncated",
            "the answer stopped at max_output_tokens (8000) and was not stored",
        ),
    ],
    ids=["anthropic-empty", "openai-content-null", "openai-truncated"],
)
def test_an_answer_without_a_briefing_is_never_stored(
    provider: Provider,
    answer: str,
    why: str,
    night: Night,
    capsys: pytest.CaptureFixture[str],
) -> None:
    night.use(provider)
    night.server.routes[provider.path] = provider.reply(answer)
    assert night.run() == 0
    fields = assert_automatic_briefing(night, why)
    assert fields["failure_status"] == ""
    out = capsys.readouterr().out
    assert f"note: briefing: {why}" in out and "the automatic briefing stands in" in out
    assert f"briefing of {DAY}: automatic, " in out and "3 new TL;DRs (0 from the model)" in out


def test_a_truncated_answer_is_asked_again_in_halves(
    night: Night,
    capsys: pytest.CaptureFixture[str],
) -> None:
    night.use(ANTHROPIC)
    night.server.routes["/v1/messages"] = [
        ANTHROPIC.reply(name)
        for name in ("message-truncated", "message-half-1", "message-half-2", "message-combined")
    ]
    assert night.run() == 0
    fields = assert_model_briefing(night)
    assert fields["calls"] == "4"
    halves = [
        json.loads(r.body)["messages"][0]["content"]
        for r in night.server.requests_to("/v1/messages")[1:3]
    ]
    assert [re.findall(r'<paper id="([^"]+)"', h) for h in halves] == [[PHOTON], [LOOPED, FOMOE]]
    assert (
        "the answer for 3 papers stopped at max_output_tokens (8000); asked again in two halves"
    ) in capsys.readouterr().out


ERRORS = [
    (ANTHROPIC, 401, "the Anthropic API answered HTTP 401 (authentication_error) after 1 request"),
    (ANTHROPIC, 404, "the Anthropic API answered HTTP 404 (not_found_error) after 1 request"),
    (ANTHROPIC, 529, "the Anthropic API answered HTTP 529 (overloaded_error) after 4 requests"),
    (
        OPENAI,
        401,
        "the OpenAI-compatible API at 127.0.0.1 answered HTTP 401 (invalid_api_key) after 1 "
        "request",
    ),
    (
        OPENAI,
        404,
        "the OpenAI-compatible API at 127.0.0.1 answered HTTP 404 (model_not_found) after 1 "
        "request",
    ),
    (
        OPENAI,
        529,
        "the OpenAI-compatible API at 127.0.0.1 answered HTTP 529 (overloaded) after 4 requests",
    ),
]


@pytest.mark.parametrize(
    ("provider", "status", "why"), ERRORS, ids=[f"{p.name}-{s}" for p, s, _ in ERRORS]
)
def test_an_error_falls_back_and_is_asked_again_at_most_once(
    provider: Provider,
    status: int,
    why: str,
    night: Night,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """401 and 404 will not mend by themselves: that day is not asked again. 529 is retried
    by the SDK, then asked again once on the next night — and never a third time."""
    night.use(provider)
    night.server.routes[provider.path] = provider.reply(f"error-{status}", status)
    assert night.run() == 0
    fields = assert_automatic_briefing(night, why)
    assert fields["failure_status"] == str(status)
    tries = len(night.server.requests_to(provider.path))
    assert tries == (4 if status == 529 else 1)
    report = json.loads((night.path / "content" / "reports" / f"{DAY}.json").read_text())
    failed = report["llm_failure"]  # what the health issue reads
    assert (failed["status"], failed["requests"], failed["message"]) == (status, tries, why)
    assert (failed["model_setting"], failed["key_env"]) == ("llm.model", provider.key_variable)
    assert f"note: briefing: {why}; the automatic briefing stands in" in capsys.readouterr().out
    night.server.routes["/rss/cs.AI"] = EMPTY_FEED
    for next_night in ("2026-06-19", "2026-06-20"):
        assert night.run(next_night) == 0
    asked_again = len(night.server.requests_to(provider.path)) - tries
    assert asked_again == (4 if status == 529 else 0)  # one more night's tries, then no more
    assert briefing_fields(night)[0]["asked"] == ("2" if status == 529 else "1")


@pytest.mark.parametrize("provider", [ANTHROPIC, OPENAI], ids=["anthropic", "openai"])
def test_rate_limit_then_success(provider: Provider, night: Night) -> None:
    night.use(provider)
    answer = "message-briefing" if provider is ANTHROPIC else "chat-briefing"
    night.server.routes[provider.path] = [provider.reply("error-429", 429), provider.reply(answer)]
    assert night.run() == 0
    assert_model_briefing(night)
    assert len(night.server.requests_to(provider.path)) == 2


def test_openai_endpoint_without_json_mode_is_asked_again_without_it(night: Night) -> None:
    night.use(OPENAI)
    night.server.routes[OPENAI.path] = [
        OPENAI.reply("error-400-json-mode", 400),
        OPENAI.reply("chat-briefing"),
    ]
    assert night.run() == 0
    assert_model_briefing(night)
    first, second = (json.loads(r.body) for r in night.server.requests_to(OPENAI.path))
    assert "response_format" in first and "response_format" not in second


def test_reasoning_effort_and_the_thinking_room_are_sent_to_a_reasoning_model(
    night: Night,
) -> None:
    """llm.reasoning_effort reaches an OpenAI-compatible reasoning model, and thinking_budget
    widens max_tokens so that its thoughts cannot eat the answer's room."""
    night.use(OPENAI)
    radar = night.path / "radar.yaml"
    radar.write_text(
        radar.read_text().replace(
            "daily_input_token_budget: 20000}",
            "daily_input_token_budget: 20000, reasoning_effort: low, thinking_budget: 4000}",
        )
    )
    night.server.routes[OPENAI.path] = OPENAI.reply("chat-reasoning-content")
    assert night.run() == 0
    assert_model_briefing(night)
    (request,) = night.server.requests_to(OPENAI.path)
    sent = json.loads(request.body)
    assert sent["reasoning_effort"] == "low" and sent["max_tokens"] == 12_000


# ---- the budget ------------------------------------------------------------------------------


def test_the_token_counter_caps_the_night(
    night: Night,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Anthropic counts the prompt before it is sent: over the budget, nothing is sent."""
    night.use(ANTHROPIC)
    night.server.routes["/v1/messages/count_tokens"] = ANTHROPIC.reply("count-tokens-over")
    night.server.routes["/v1/messages"] = ANTHROPIC.reply("message-briefing")
    assert night.run() == 0
    assert night.server.requests_to("/v1/messages") == []
    assert len(night.server.requests_to("/v1/messages/count_tokens")) > 3  # trimmed, then dropped
    assert_automatic_briefing(night, "no paper fitted the daily input budget")
    assert (
        "3 paper(s) past the daily input budget of 20,000 tokens got the automatic TL;DR"
        in capsys.readouterr().out
    )


def test_a_counted_prompt_within_the_budget_is_sent(night: Night) -> None:
    night.use(ANTHROPIC)
    night.server.routes["/v1/messages/count_tokens"] = ANTHROPIC.reply("count-tokens")
    night.server.routes["/v1/messages"] = ANTHROPIC.reply("message-briefing")
    assert night.run() == 0
    assert_model_briefing(night)
    (counted,) = night.server.requests_to("/v1/messages/count_tokens")
    (sent,) = night.server.requests_to("/v1/messages")
    assert json.loads(counted.body)["messages"] == json.loads(sent.body)["messages"]


# ---- which nights are briefed ----------------------------------------------------------------


def test_papers_dated_another_day_are_in_tonights_briefing(
    night: Night, capsys: pytest.CaptureFixture[str]
) -> None:
    """The seed feed is dated 2026-06-18; run on 2026-12-02 its papers are tonight's papers."""
    (night.path / "radar.yaml").write_text(TOPICS)
    assert night.run("2026-12-02") == 0
    fields, body = briefing_fields(night, "2026-12-02")
    assert json.loads(fields["cited"]) == [PHOTON, LOOPED, FOMOE]
    for paper_id in (PHOTON, LOOPED, FOMOE):
        assert f"arxiv-{paper_id[6:].replace('.', '-')}.md)" in body
    for path in (night.path / "content" / "papers").rglob("*.md"):
        head = split_article(path.read_text())[0]
        assert head["first_seen"] == "2026-12-02" and head["date"] in ("2026-06-18", "2024-11-05")
        assert head["tldr"] and head["tldr_kind"] == "automatic"
    assert not (night.path / "content" / BRIEFING).exists()
    assert "no papers first seen" not in capsys.readouterr().out


def test_a_night_left_unbriefed_is_briefed_the_next_night(night: Night) -> None:
    (night.path / "radar.yaml").write_text(TOPICS)
    assert night.run() == 0
    (night.path / "content" / BRIEFING).unlink()  # as if the night had crashed after storing papers
    night.server.routes["/rss/cs.AI"] = EMPTY_FEED
    assert night.run("2026-06-19") == 0
    assert briefing_fields(night)[0]["briefing_kind"] == "automatic"


def test_briefing_is_never_asked_twice_unless_rebriefed(night: Night) -> None:
    night.use(ANTHROPIC)
    night.server.routes["/v1/messages"] = ANTHROPIC.reply("message-briefing")
    assert night.run() == 0 and night.run() == 0
    assert len(night.server.requests_to("/v1/messages")) == 1
    assert night.run(DAY, "--rebrief", DAY) == 0
    second = night.server.requests_to("/v1/messages")[1]
    prompt = json.loads(second.body)["messages"][0]["content"]
    assert 'tldr="yes"' not in prompt and prompt.count('tldr="no"') == 3  # asked once, ever


def test_automatic_briefing_is_upgraded_once_a_key_works(night: Night) -> None:
    (night.path / "radar.yaml").write_text(ANTHROPIC.radar(night.server.url))
    assert night.run() == 0
    assert briefing_fields(night)[0]["briefing_kind"] == "automatic"
    night.env.setenv("ANTHROPIC_API_KEY", KEY)
    night.server.routes["/v1/messages"] = ANTHROPIC.reply("message-briefing")
    night.server.routes["/rss/cs.AI"] = EMPTY_FEED
    assert night.run("2026-06-19") == 0
    assert_model_briefing(night)  # the automatic TL;DRs were replaced by the model's


# ---- untrusted answers -----------------------------------------------------------------------


def test_unknown_cited_id_is_dropped_and_reported(
    night: Night,
    capsys: pytest.CaptureFixture[str],
) -> None:
    night.use(ANTHROPIC)
    night.server.routes["/v1/messages"] = ANTHROPIC.reply("message-unknown-id")
    assert night.run() == 0
    fields, body = briefing_fields(night)
    assert "9999.99999" not in body and "made up" not in body
    assert "arxiv:9999.99999" not in fields["cited"]
    assert "dropped 1 cited id(s) that are not among the day's papers: arxiv:9999.99999" in (
        capsys.readouterr().out
    )


def test_prose_answer_is_not_stored(night: Night) -> None:
    night.use(ANTHROPIC)
    night.server.routes["/v1/messages"] = ANTHROPIC.reply("message-not-json")
    assert night.run() == 0
    fields, body = briefing_fields(night)
    assert fields["briefing_kind"] == "automatic" and "cannot help" not in body


def test_injected_answer_puts_no_markup_on_the_page(night: Night) -> None:
    night.use(ANTHROPIC)
    night.server.routes["/v1/messages"] = ANTHROPIC.reply("message-injected")
    assert night.run() == 0
    fields, body = briefing_fields(night)
    assert fields["title"] == "Briefing of 2026-06-18" and "status" not in fields
    output = night.path / "output"
    build_site(
        night.path / "content",
        output,
        radar=night.path / "radar.yaml",
        settings=REPO / "pelicanconf.py",
        cache=night.path / "cache",
        index=False,
    )
    page = (output / "briefings/2026-06-18/index.html").read_text()
    main_html = page[page.index("<main") : page.index("</main>")]
    tags = re.findall(r"<(\w+)([^>]*)>", main_html)
    assert {name for name, _ in tags} <= {
        "main",
        "article",
        "p",
        "span",
        "a",
        "time",
        "h1",
        "h3",
        "div",
        "ul",
        "li",
    }
    assert not [attrs for _, attrs in tags if re.search(r"\son\w+=", attrs)]
    hrefs = re.findall(r'href="([^"]*)"', main_html)
    assert hrefs and all(h.startswith("../") for h in hrefs), hrefs  # only the site's own pages
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt; Ignore all previous instructions." in page


def test_no_secret_in_anything_produced(night: Night) -> None:
    """A known fake key; everything the run and the build write or print is searched for it."""
    (night.path / "radar.yaml").write_text(ANTHROPIC.radar(night.server.url))
    night.server.routes["/v1/messages"] = [
        ANTHROPIC.reply("error-401", 401),
        ANTHROPIC.reply("message-briefing"),
    ]
    env = {
        "ANTHROPIC_API_KEY": KEY,
        "ANTHROPIC_BASE_URL": night.server.url,
        "ARXIV_RSS_URL": f"{night.server.url}/rss/",
        "ARXIV_API_DELAY_SECONDS": "0",
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "-v",
            "run",
            "--radar",
            str(night.path / "radar.yaml"),
            "--content",
            str(night.path / "content"),
            "--date",
            "2026-06-18",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "authentication_error" in done.stdout  # the 401 was reported …
    build_site(
        night.path / "content",
        night.path / "output",
        radar=night.path / "radar.yaml",
        settings=REPO / "pelicanconf.py",
        cache=night.path / "cache",
    )
    assert KEY not in done.stdout + done.stderr  # … without the key
    written = [p for p in night.path.rglob("*") if p.is_file()]
    assert len(written) > 20
    assert [p for p in written if KEY.encode() in p.read_bytes()] == []
