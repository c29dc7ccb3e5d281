"""The night's briefing and TL;DRs on a 300-paper day, through loopback servers that speak each
provider's API: tokens, calls and cost per model; then the embedded default on the same day,
and the themes and TL;DRs it writes for a real day of arXiv papers (bench/data/NOTES.md).

The fake APIs count tokens at 4 characters a token (English; the budget itself counts 3, to be
safe) and answer every TL;DR asked for with a 25-word sentence, so output tokens are what a
model writing the requested JSON would produce."""

from __future__ import annotations

import json
import os
import re
import statistics
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from pipeline.automatic import automatic_tldr
from pipeline.brief import brief_day, embedded_briefing
from pipeline.llm import connect, cost_usd
from pipeline.models import LLMSettings, Match, Paper

from .synthetic import synthetic_papers

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from replay import ReplayServer, Reply  # noqa: E402

DAY = date(2026, 9, 2)
PAPERS = 300
REAL_DAY = Path(__file__).resolve().parent / "data" / "arxiv-2025-10-14.jsonl"
TLDR = (
    "The paper proposes a method that trains a model across weakly connected sites and "
    "shows it matches the centralised baseline at a fraction of the cost."
)


def _answer(prompt: str) -> str:
    wanted = re.findall(r'<paper id="([^"]+)" tldr="yes">', prompt)
    cited = re.findall(r'<paper id="([^"]+)"', prompt)[:6]
    tldrs = {
        i: {
            "tldr": TLDR,
            "problem": "Training needs one datacenter.",
            "method": "Partitioned experts trained per site.",
            "result": "Matches the baseline at lower cost.",
        }
        for i in wanted
    }
    return json.dumps(
        {
            "overview": "A synthetic night: federated training, experts and world models. " * 3,
            "themes": [
                {
                    "title": f"Theme {n}",
                    "summary": "Two sentences on what connects them. " * 2,
                    "paper_ids": cited[n : n + 3],
                }
                for n in range(3)
            ],
            "notable": [
                {"paper_id": i, "line": "One sentence on why it matters here."} for i in cited[:5]
            ],
            "tldrs": tldrs,
        }
    )


def _tokens(text: str) -> int:
    return len(text) // 4 + 1


def fake_messages(request) -> Reply:  # noqa: ANN001 - a replay Request
    sent = json.loads(request.body)
    prompt = sent["system"][0]["text"] + sent["messages"][0]["content"]
    text = _answer(prompt)
    body = {
        "id": "msg_bench",
        "type": "message",
        "role": "assistant",
        "model": sent["model"],
        "content": [{"type": "text", "text": text}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": _tokens(prompt), "output_tokens": _tokens(text)},
    }
    return Reply(200, json.dumps(body).encode(), {"Content-Type": "application/json"})


def fake_chat(request) -> Reply:  # noqa: ANN001 - a replay Request
    sent = json.loads(request.body)
    prompt = "".join(m["content"] for m in sent["messages"])
    text = _answer(prompt)
    body = {
        "id": "chatcmpl-bench",
        "object": "chat.completion",
        "created": 0,
        "model": sent["model"],
        "choices": [
            {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}
        ],
        "usage": {
            "prompt_tokens": _tokens(prompt),
            "completion_tokens": _tokens(text),
            "total_tokens": 0,
        },
    }
    return Reply(200, json.dumps(body).encode(), {"Content-Type": "application/json"})


# (label, settings as radar.yaml would give them, where the vendor's price applies)
MODELS = [
    ("claude-sonnet-5-5", LLMSettings(), ""),
    ("claude-haiku-4-5", LLMSettings(model="claude-haiku-4-5"), ""),
    (
        "deepseek-chat",
        LLMSettings(provider="openai", model="deepseek-chat"),
        "https://api.deepseek.com",
    ),
    ("gpt-4o-mini", LLMSettings(provider="openai", model="gpt-4o-mini"), ""),
    (
        "qwen3:8b on Ollama",
        LLMSettings(provider="openai", model="qwen3:8b"),
        "http://localhost:11434/v1",
    ),
    (
        "deepseek-chat, language zh",
        LLMSettings(provider="openai", model="deepseek-chat", language="zh"),
        "https://api.deepseek.com",
    ),
]


def bench_models(papers: list[Paper]) -> None:
    print(
        f"  {PAPERS}-paper day, TL;DRs for every paper (budget "
        f"{LLMSettings().daily_input_token_budget:,} input tokens, max_output_tokens "
        f"{LLMSettings().max_output_tokens:,}):"
    )
    print(
        f"    {'model':<28} {'calls':>5} {'tokens in':>10} {'tokens out':>10} "
        f"{'model TL;DRs':>12} {'US$/night':>9} {'US$/30 nights':>13}"
    )
    with ReplayServer() as server:
        server.routes["/v1/messages"] = fake_messages
        server.routes["/v1/chat/completions"] = fake_chat
        for label, settings, vendor in MODELS:
            local = replace(
                settings, base_url=server.url + ("/v1" if settings.provider == "openai" else "")
            )
            model = connect(local, "sk-bench", max_retries=0)
            done = brief_day(DAY, papers, local, model)
            briefing = done.briefing
            cost = cost_usd(
                replace(settings, base_url=vendor), briefing.tokens_in, briefing.tokens_out
            )
            from_model = sum(1 for t in done.tldrs.values() if t.kind == "llm")
            money = (
                f"{cost:>9.3f} {cost * 30:>13.2f}" if cost is not None else f"{'?':>9} {'?':>13}"
            )
            print(
                f"    {label:<28} {briefing.calls:>5} {briefing.tokens_in:>10,} "
                f"{briefing.tokens_out:>10,} {from_model:>12} {money}"
            )


def real_day() -> list[Paper]:
    """115 papers arXiv announced in cs.CR, cs.SE and cs.NI on 2025-10-14 (bench/data/NOTES.md),
    each matched to its primary category as its topic."""
    papers = []
    for line in REAL_DAY.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        label = f"arXiv ({row['categories'][0]})"
        papers.append(
            Paper(
                f"arxiv:{row['id']}",
                " ".join(row["title"].split()),
                tuple(row["authors"]),
                " ".join(row["summary"].split()),
                date(2025, 10, 14),
                label,
                matches=(Match("topic", row["categories"][0], "category"),),
            )
        )
    return papers


def bench_embedded(papers: list[Paper]) -> None:
    started = time.perf_counter()
    embedded_briefing(DAY, papers)  # the first call imports scikit-learn
    cold = time.perf_counter() - started
    wall, cpu = [], []
    for _ in range(5):
        started, started_cpu = time.perf_counter(), time.process_time()
        embedded_briefing(DAY, papers)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    print(
        f"  embedded default for the same {PAPERS}-paper day: "
        f"{statistics.median(wall):.2f} s median of 5, {statistics.median(cpu):.2f} s of CPU "
        f"(target ≤ 2 s; the first call, importing scikit-learn: {cold:.2f} s), no network; "
        f"machine load {os.getloadavg()[0]:.1f}"
    )
    real = real_day()
    started = time.perf_counter()
    briefing = embedded_briefing(date(2025, 10, 14), real)
    seconds = time.perf_counter() - started
    print(
        f"\n  Themes the embedded default names for a real day — {len(real)} arXiv papers "
        f"of 2025-10-14 in cs.CR, cs.SE, cs.NI ({seconds:.2f} s):"
    )
    for theme in briefing.themes:
        print(f"    - {theme.title}: {theme.summary}")
    print("  Their automatic TL;DRs, the first five:")
    for paper in real[:5]:
        print(f"    - {paper.title[:70]}: {automatic_tldr(paper).line}")


def main() -> None:
    papers = [  # a night's new papers: no TL;DR yet
        replace(p, announced=DAY, matches=(Match("topic", "T", "k"),) + p.matches, tldr=None)
        for p in synthetic_papers(PAPERS, seed=5)
    ]
    bench_models(papers)
    bench_embedded(papers)
