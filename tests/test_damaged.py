"""A damaged article never stops or shrinks the radar: one of each kind (not UTF-8, no Paper_id,
a bad Date, empty, no header) beside good ones; two nights over the recorded arXiv day, then a
real site build. Each is skipped and named in the run report, the build's output and the status
page; every run exits 0, and every other paper is collected, briefed and published."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest
from replay import ReplayServer, Reply, point_pipeline_at, xml

from pipeline.__main__ import main
from pipeline.archive import (
    DamagedArticle,
    article_relpath,
    parse_article,
    read_paper_file,
    render_article,
    split_article,
)
from pipeline.archive.store import store_papers
from pipeline.models import Match, Paper

RADAR = """
topics:
  - name: World models
    keywords: [world models]
authors: [Zeyu Cao]
sources:
  arxiv: {categories: [cs.AI]}
"""
DAY = "2026-06-18"
LOOPED = "arxiv:2606.18001"  # in the recorded day: damaged after the first night, sent again


def _paper(number: int) -> Paper:
    return Paper(
        paper_id=f"arxiv:2606.7{number:04d}",
        title=f"Hand-made world models paper number {number}",
        authors=("Zeyu Cao",),
        abstract=f"World models, paper {number}.",
        announced=date(2026, 6, 18),
        source_label="arXiv (cs.AI)",
        source="arxiv",
        matches=(Match("author", "Zeyu Cao", "author Zeyu Cao"),),
    )


GOOD = _paper(9)


def _without(key: str):
    return lambda text: "\n".join(
        line for line in text.split("\n") if not line.startswith(f"{key}:")
    ).encode()


# kind → (paper, how its file is damaged, what the report must say)
KINDS = {
    "not-utf8": (
        LOOPED,
        lambda text: text.encode().replace(b"Title: ", b"Title: \xff", 1),
        "not UTF-8 text (byte 0xff on line 1)",
    ),
    "no-paper-id": (_paper(1).paper_id, _without("Paper_id"), "no Paper_id line in the header"),
    "bad-date": (
        _paper(2).paper_id,
        lambda text: text.replace(f"Date: {DAY}", "Date: 18/06/2026").encode(),
        "Date: '18/06/2026' is not a date (YYYY-MM-DD)",
    ),
    "empty": (_paper(3).paper_id, lambda text: b"", "the file is empty"),
    "no-header": (
        _paper(4).paper_id,
        lambda text: b"Notes on this paper, to be written.\n",
        "no header: line 1 should be 'Title: …'",
    ),
}


@dataclass(frozen=True)
class Night:
    content: Path
    output: Path
    run_exit: int
    run_out: str
    report: dict
    site_exit: int
    site_out: str


def _show(kind: str) -> str:
    return f"content/{article_relpath(KINDS[kind][0])}"


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> Night:
    root = tmp_path_factory.mktemp("damaged")
    (root / "radar.yaml").write_text(RADAR)
    content = root / "content"
    store_papers(content, [_paper(n) for n in range(1, 5)] + [GOOD])
    args = ["run", "--radar", str(root / "radar.yaml"), "--content", str(content), "--date", DAY]
    with ReplayServer() as server, pytest.MonkeyPatch.context() as env:
        point_pipeline_at(server, env)
        server.routes["/rss/cs.AI"] = xml("arxiv-rss/seed-day.xml")
        server.routes["/api/query"] = Reply(200, b'<rss version="2.0"><channel/></rss>')
        assert main(args) == 0
        for paper_id, damage, _ in KINDS.values():
            path = content / article_relpath(paper_id)
            path.write_bytes(damage(path.read_text(encoding="utf-8")))
        # the same day again, briefed again: the looped paper arrives while its file is damaged
        run_exit, run_out = _captured(main, [*args, "--rebrief", DAY])
    # an old briefing, outside the nights the run rewrites, saved in another encoding
    old = content / "briefings/2026/briefing-2026-05-04.md"
    old.write_bytes(
        "Title: Briefing of 2026-05-04\nDate: 2026-05-04\n\nCaf\xe9\n".encode("latin-1")
    )
    report = json.loads((content / "reports" / f"{DAY}.json").read_text())
    site = [
        "site",
        "--radar",
        str(root / "radar.yaml"),
        "--content",
        str(content),
        "--output",
        str(root / "output"),
        "--cache",
        str(root / "cache"),
    ]
    site_exit, site_out = _captured(main, site)
    return Night(content, root / "output", run_exit, run_out, report, site_exit, site_out)


def _captured(function: Callable[[list[str]], int], argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = function(argv)
    return code, out.getvalue()


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_damaged_article_is_skipped_and_named(night: Night, kind: str) -> None:
    paper_id, _, reason = KINDS[kind]
    path = _show(kind)
    assert night.run_exit == 0 and night.site_exit == 0
    named = [d for d in night.report["damaged"] if d["path"] == path]
    assert len(named) == 1 and named[0]["reason"].startswith(reason)
    assert f"  damaged: {path}: {reason}" in night.run_out
    assert f"\n  damaged: {path}: {reason}" in night.site_out
    status = (night.output / "status/index.html").read_text()
    assert f"<code>{path}</code>: {reason}" in status.replace("&#39;", "'")
    slug = article_relpath(paper_id).rsplit("/", 1)[1].removesuffix(".md")
    assert not (night.output / "papers" / slug).exists()


def test_every_other_paper_is_collected_briefed_and_published(night: Night) -> None:
    assert len(night.report["damaged"]) == len(KINDS)
    assert "6 damaged article(s) skipped; repair or remove each" in night.site_out
    assert "Site built: 3 papers" in night.site_out  # the damaged briefing is not a paper
    pages = sorted(p.parent.name for p in (night.output / "papers").glob("*/index.html"))
    assert pages == ["arxiv-2411-02908", "arxiv-2606-19025", "arxiv-2606-70009"]
    briefing = (night.content / "briefings/2026/briefing-2026-06-18.md").read_text()
    assert "FoMoE" in briefing and "Hand-made world models paper number 9" in briefing
    for number in range(1, 5):  # the damaged ones are not cited
        assert f"paper number {number}" not in briefing
    home = (night.output / "index.html").read_text()
    assert "Hand-made world models paper number 9" in home
    assert "Hand-made world models paper number 2" not in home


def test_a_briefing_that_is_not_utf8_is_named_not_dropped_silently(night: Night) -> None:
    path = "content/briefings/2026/briefing-2026-05-04.md"
    reason = "not UTF-8 text (byte 0xe9 on line 4)"
    assert f"\n  damaged: {path}: {reason}" in night.site_out
    status = (night.output / "status/index.html").read_text()
    assert f"<code>{path}</code>: {reason}" in status
    assert not (night.output / "briefings/2026-05-04").exists()
    assert (night.output / "briefings/2026-06-18/index.html").exists()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "the file is empty"),
        ("\n\nbody only\n", "no header: the file starts with a blank line"),
        ("Title: x\nnot a header line\n\nbody\n", "header line 2 is not 'Key: value'"),
        ("Title: x\nDate: 2026-02-30\nPaper_id: arxiv:1\n\nbody\n", "Date: '2026-02-30' is not"),
        ("Title: x\nDate: 2026-06-18\nModified: soon\nPaper_id: a:1\n\nb\n", "Modified: 'soon'"),
        ("Date: 2026-06-18\nPaper_id: arxiv:1\n\nbody\n", "no Title line"),
        ("Title: x\nDate: 2026-06-18\nPaper_id: a:1\nPaper_authors: [oops\n\nb\n", "not a paper"),
    ],
)
def test_parse_names_what_is_wrong(text: str, reason: str) -> None:
    with pytest.raises(DamagedArticle) as raised:
        parse_article(text, Path("content/papers/x.md"))
    assert raised.value.path == "content/papers/x.md"
    assert raised.value.reason.startswith(reason.split(" '")[0]) and reason in str(raised.value)


def test_windows_line_endings_and_a_written_article_read_back(tmp_path: Path) -> None:
    text = render_article(replace(GOOD, abstract="Line one.\n\nLine two."))
    path = tmp_path / "a.md"
    path.write_bytes(text.replace("\n", "\r\n").encode())
    fields, body = read_paper_file(path)
    assert fields["paper_id"] == GOOD.paper_id and body == "Line one.\n\nLine two."
    assert split_article(text)[0]["title"] == GOOD.title
