"""The briefing of a synthetic 300-paper day: input/output tokens asked of the model (counted the
way the run counts them, from the local fake Messages API's usage — which is the prompt's size
at 4 characters a token), and the time of the embedded default."""

from __future__ import annotations

import json
import statistics
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from pipeline.brief import brief_day, embedded_briefing, estimate_tokens
from pipeline.llm import complete
from pipeline.models import BriefingSettings, Match

from .synthetic import synthetic_papers

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from replay import ReplayServer, Reply  # noqa: E402

DAY = date(2026, 9, 2)
PAPERS = 300


def fake_messages(request) -> Reply:  # noqa: ANN001 - a replay Request
    """Answers like the API: usage counts the prompt; the answer cites the first paper sent."""
    sent = json.loads(request.body)
    prompt = sent["system"][0]["text"] + sent["messages"][0]["content"]
    first_id = prompt.split("id: ", 1)[1].split("\n", 1)[0] if "id: " in prompt else ""
    answer = {"overview": "A synthetic day.", "themes": [
        {"title": "Theme", "summary": "s", "paper_ids": [first_id] if first_id else []}],
        "notable": []}  # fmt: skip
    text = json.dumps(answer)
    body = {"id": "msg_bench", "type": "message", "role": "assistant", "model": sent["model"],
            "content": [{"type": "text", "text": text}], "stop_reason": "end_turn",
            "stop_sequence": None, "usage": {"input_tokens": estimate_tokens(prompt),
                                             "output_tokens": estimate_tokens(text)}}  # fmt: skip
    return Reply(200, json.dumps(body).encode(), {"Content-Type": "application/json"})


def main() -> None:
    papers = [replace(p, announced=DAY, matches=(Match("topic", "T", "k"),) + p.matches)
              for p in synthetic_papers(PAPERS, seed=5)]  # fmt: skip
    settings = BriefingSettings()
    with ReplayServer() as server:
        server.routes["/v1/messages"] = fake_messages
        briefing, _ = brief_day(DAY, papers, settings, lambda system, user: complete(
            system, user, settings, "sk-bench", max_retries=0, base_url=server.url))  # fmt: skip
        calls = len(server.requests_to("/v1/messages"))
    times = []
    for _ in range(5):
        started = time.perf_counter()
        embedded_briefing(DAY, papers)
        times.append(time.perf_counter() - started)
    print(
        f"  {PAPERS}-paper day with {settings.model}: {briefing.tokens_in:,} input tokens "
        f"(budget {settings.daily_input_token_budget:,}; target ≤ 30,000), "
        f"{briefing.tokens_out:,} output, in {calls} calls"
    )
    print(
        f"  embedded default for the same day: {statistics.median(times) * 1000:.0f} ms "
        "(median of 5), no network"
    )
