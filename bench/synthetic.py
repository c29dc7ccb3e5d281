"""Realistic synthetic papers for the benchmark: heavy-tailed author pool (some recur a lot),
250-word abstracts, several topics, sources and years. Deterministic for a given seed."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from pipeline.archive.store import store_papers
from pipeline.models import ArxivSource, Match, Paper, Radar, SiteSettings, Tldr, Topic

WORDS = (  # noqa: SIM905 - a paragraph of words reads better than a list of strings
    "model training federated learning distributed gradient communication expert mixture "
    "routing sparse dense transformer attention memory bandwidth latency throughput world "
    "simulation planning agent reinforcement policy reward robot control vision language "
    "protein structure cell gene expression neural circuit cortex signal imaging clinical "
    "trial patient cohort outcome risk climate ocean carbon emission energy battery material "
    "crystal quantum spin lattice photon laser optical graph network node edge theorem proof "
    "bound convex optimisation stochastic sampling diffusion generative benchmark dataset "
    "evaluation robustness privacy security fairness causal inference estimation regression"
).split()
SOURCES = (
    "arXiv (cs.LG)",
    "arXiv (cs.AI)",
    "arXiv (cs.CV)",
    "arXiv (cs.DC)",
    "Nature",
    "Science",
    "bioRxiv (Neuroscience)",
    "PLOS ONE",
    "Physical Review Letters",
)
TOPICS = (
    "Low-communication training",
    "Mixture of experts",
    "World models",
    "Protein design",
    "Climate",
    "Quantum optics",
    "Privacy",
)
SYLLABLES = "ba co de fi gu ha ji ko lu ma ne pi qua ro su ti va we xi yo ze tra pen sol".split()  # noqa: SIM905
# A long-tailed vocabulary as in real abstracts: a few domain words, thousands of rarer ones.
VOCABULARY = WORDS + [
    a + b + c for a in SYLLABLES for b in SYLLABLES for c in ("", "n", "s", "tion")
]
# 60 papers a night (radars collect 50–200): a 50k archive spans 2.3 years, three calendar years.
PAPERS_PER_DAY = 60
START = date(2022, 1, 3)
FIRST = "Ada Alan Grace Zeyu Nicholas Lorenzo Alex Yan Maria Wei Li Sara Omar Ivan Lena".split()  # noqa: SIM905
LAST = "Cao Lane Sani Iacob Lovelace Turing Hopper Gao Chen Wang Kim Silva Rossi Novak".split()  # noqa: SIM905


def author_pool(size: int, rng: random.Random) -> list[str]:
    return [f"{rng.choice(FIRST)} {rng.choice(LAST)}{i}" for i in range(size)]


def archive_day(number: int, start: date = START, per_day: int = PAPERS_PER_DAY) -> date:
    """The day of the archive's `number`-th paper (from 0)."""
    return start + timedelta(days=number // per_day)


def synthetic_papers(
    count: int,
    seed: int = 7,
    start: date = START,
    first_number: int = 0,
    per_day: int = PAPERS_PER_DAY,
) -> list[Paper]:
    """`count` papers, `per_day` a day from `start`, newest last; numbered from `first_number`
    so that two batches never share an id."""
    rng = random.Random(seed + first_number)
    pool = author_pool(max(200, count // 2), rng)
    papers = []
    for n in range(first_number, first_number + count):
        day = archive_day(n - first_number, start, per_day)
        authors = tuple(
            dict.fromkeys(
                pool[
                    min(int(rng.paretovariate(1.2)) - 1, len(pool) - 1)
                    if k == 0
                    else rng.randrange(len(pool))
                ]
                for k in range(6)
            )
        )
        topics = rng.sample(TOPICS, rng.choice((1, 1, 2)))
        matches = tuple(
            Match("topic", t, f'keyword "{t.split()[0].lower()}" in abstract') for t in topics
        )
        if "Zeyu Cao" in authors[0] or rng.random() < 0.02:
            matches += (Match("author", "Zeyu Cao", "author Zeyu Cao"),)
        words = [
            VOCABULARY[int(len(VOCABULARY) ** rng.random()) - 1] for _ in range(250)
        ]  # Zipf-like: word rank r has odds ∝ 1/r
        # sentences of about 20 words, as abstracts have; the automatic TL;DR every paper
        # of a real archive carries is about 25 words
        sentences = [" ".join(words[i : i + 20]).capitalize() + "." for i in range(0, 250, 20)]
        number = f"{day:%y%m}.{n % 100000:05d}"
        papers.append(
            Paper(
                paper_id=f"arxiv:{number}",
                title=" ".join(rng.sample(WORDS, 9)).capitalize(),
                authors=authors,
                abstract=" ".join(sentences),
                tldr=Tldr(" ".join(words[100:125]).capitalize() + ".", kind="automatic"),
                announced=day,
                source_label=rng.choice(SOURCES),
                source="arxiv",
                categories=("cs.LG",),
                abs_url=f"https://arxiv.org/abs/{number}",
                pdf_url=f"https://arxiv.org/pdf/{number}v1",
                version=1,
                matches=matches,
            )
        )
    return papers


def write_archive(content: Path, papers: list[Paper]) -> None:
    store_papers(content, papers)


def bench_radar(topic_count: int) -> Radar:
    """A radar with `topic_count` topics of 3 keywords each, plus the synthetic topics."""
    rng = random.Random(topic_count)
    topics = [Topic(name=name, keywords=(name.split()[0].lower(),)) for name in TOPICS]
    for i in range(topic_count - len(topics)):
        rare = VOCABULARY[len(WORDS) + 400 :]  # a topic's words are rarer than "model"
        topics.append(
            Topic(
                name=f"Topic {i}",
                keywords=(
                    rng.choice(rare),
                    f"{rng.choice(rare)} {rng.choice(rare)}",
                    rng.choice(rare),
                ),
            )
        )
    return Radar(
        path="bench-radar.yaml",
        site=SiteSettings(),
        topics=tuple(topics),
        authors=("Zeyu Cao",),
        arxiv=ArxivSource(),
    )
