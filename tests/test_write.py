"""The writer against Pelican's own Markdown reader: untrusted text stays text, always."""

from __future__ import annotations

import copy
import html
import os
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pelican.readers import MarkdownReader
from pelican.settings import DEFAULT_CONFIG

from pipeline.archive import article_relpath, parse_article, render_article, write_paper
from pipeline.models import Match, Paper
from pipeline.site.reader import PaperReader
from pipeline.text import one_line, plain_text_paragraphs
from pipeline.write import clear_temporaries, write_atomically

EXPECTED_KEYS = {
    "title",
    "date",
    "slug",
    "category",
    "paper_id",
    "paper_authors",
    "source_label",
    "source",
    "also_in",
    "paper_categories",
    "matches",
    "abs_url",
    "pdf_url",
    "doi",
    "journal_ref",
    "version",
    "announce_type",
}
ATTACKS = [
    "x\nStatus: draft",
    "<img src=x onerror=alert(1)>",
    "[a](javascript:alert(1))",
    "{{ 7*7 }}",
    "x\n\nSave_as: ../../index.html",
    "Title\u2028Template: evil",
]


def reader(kind: type[MarkdownReader], content: Path) -> MarkdownReader:
    config = copy.deepcopy(DEFAULT_CONFIG)
    config["MARKDOWN"] = {"extension_configs": {}, "output_format": "html5"}
    config["PATH"] = str(content)
    config["SUMMARY_MAX_LENGTH"] = 60
    return kind(config)


def make_paper(title: str, authors: tuple[str, ...], abstract: str, comment: str = "") -> Paper:
    return Paper(
        paper_id="arxiv:2606.19025",
        title=title,
        authors=authors,
        abstract=abstract,
        announced=date(2026, 6, 18),
        source_label="arXiv (cs.AI)",
        source="arxiv",
        categories=("cs.AI",),
        abs_url="https://arxiv.org/abs/2606.19025",
        pdf_url="javascript:alert(1)",
        version=1,
        announce_type="new",
        comment=comment,
        matches=(Match("author", authors[0] if authors else "x", f"author {title}"),),
    )


def read_with_pelican(
    tmp_path: Path, text: str, kind: type[MarkdownReader] = MarkdownReader
) -> tuple[str, dict]:
    """As the site reads it: Python-Markdown, or the reader that renders the paper pages."""
    path = tmp_path / "papers" / "paper.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return reader(kind, tmp_path).read(str(path))


def visible_text(content_html: str) -> str:
    assert re.sub(r"</?p>", "", content_html).count("<") == 0, content_html
    return "\n\n".join(html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", content_html, re.S))


def check_round_trip(tmp_path: Path, paper: Paper) -> None:
    for kind in (MarkdownReader, PaperReader):
        content, metadata = read_with_pelican(tmp_path, render_article(paper), kind)
        computed = {"summary", "lead", "lead_cut"}  # the paper reader's, from the body
        comment = one_line(paper.comment)
        expected_keys = EXPECTED_KEYS | ({"comment"} if comment else set())
        assert set(metadata) - computed == expected_keys
        assert "<" not in metadata.get("lead", "")  # the listing's lead is escaped text too
        assert metadata["title"] == (one_line(paper.title) or "(untitled)")
        assert metadata.get("comment", "") == comment
        assert metadata["pdf_url"] == ""  # the javascript: link never reaches the file
        expected_body = "\n\n".join(plain_text_paragraphs(paper.abstract))
        assert visible_text(content) == (expected_body or "No abstract was given.")
    back = parse_article(render_article(paper))
    assert back.title == (one_line(paper.title) or "(untitled)")
    assert back.authors == tuple(one_line(a) for a in paper.authors)
    assert back.comment == one_line(paper.comment)


@pytest.mark.parametrize("attack", ATTACKS)
def test_attacks_in_every_field_stay_text(tmp_path: Path, attack: str) -> None:
    check_round_trip(tmp_path, make_paper(attack, (attack, "Zeyu Cao"), attack, attack))


untrusted = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",))
    | st.sampled_from(list("\n\r:\\`*_{}[]()#+-.!|<>&= \u2028\x85")),
    max_size=80,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(untrusted, st.lists(untrusted, max_size=4).map(tuple), untrusted, untrusted)
def test_any_text_round_trips_through_pelican_and_the_paper_reader(
    tmp_path: Path, title, authors, abstract, comment
) -> None:
    check_round_trip(tmp_path, make_paper(title, authors, abstract, comment))


def test_a_hostile_arxiv_comment_stays_one_inert_line(tmp_path: Path) -> None:
    comment = "12 pages\nTitle: hijacked\n\nSlug: evil <script>alert(1)</script> [x](javascript:y)"
    paper = make_paper("A real title", ("Zeyu Cao",), "Abstract.", comment)
    header = render_article(paper).split("\n\n")[0].splitlines()
    assert [line for line in header if line.startswith(("Title:", "Slug:", "Comment:"))] == [
        "Title: A real title",
        "Slug: arxiv-2606-19025",
        "Comment: 12 pages Title: hijacked Slug: evil <script>alert(1)</script> [x](javascript:y)",
    ]
    back = parse_article(render_article(paper))
    assert back.title == "A real title" and back.comment == one_line(comment)
    check_round_trip(tmp_path, paper)


def test_an_article_written_before_comments_still_reads() -> None:
    text = render_article(make_paper("Old", ("Zeyu Cao",), "Abstract."))
    assert "Comment:" not in text
    assert parse_article(text).comment == ""


def test_paths_are_stable_and_sharded() -> None:
    assert article_relpath("arxiv:2606.19025") == "papers/arxiv/2606/arxiv-2606-19025.md"
    assert article_relpath("arxiv:astro-ph/0601001") == (
        "papers/arxiv/astro-ph/arxiv-astro-ph-0601001.md"
    )
    assert article_relpath("doi:10.1038/s41586-024-0001-1") == (
        "papers/doi/10-1038/doi-10-1038-s41586-024-0001-1.md"
    )


def test_write_reports_new_updated_unchanged(tmp_path: Path) -> None:
    paper = make_paper("A title", ("Zeyu Cao",), "Abstract.")
    first = write_paper(tmp_path, paper, None)
    text = (tmp_path / first.path).read_text()
    assert first.action == "new"
    assert write_paper(tmp_path, paper, text).action == "unchanged"
    changed = write_paper(tmp_path, make_paper("A new title", ("Zeyu Cao",), "x"), text)
    assert changed.action == "updated"
    assert (tmp_path / first.path).read_text().startswith("Title: A new title\n")


def test_atomic_write_leaves_old_file_when_interrupted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.md"
    target.write_text("old\n")

    def crash(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, "new\n" * 1000)
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_atomic_write_renames_from_beside_the_target_with_mode_0644(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rename is atomic only within one folder (one filesystem); mkstemp's 0600 would hide
    a committed article from every other reader of the checkout."""
    renames: list[tuple[Path, Path]] = []
    real_replace = os.replace

    def spy(source: str, target: str) -> None:
        renames.append((Path(source), Path(target)))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", spy)
    target = tmp_path / "state" / "removed.json"
    write_atomically(target, "[]\n")
    assert target.read_text() == "[]\n"
    [(source, renamed)] = renames
    assert renamed == target and source.parent == target.parent
    assert source.name.startswith(".removed.json.") and source.suffix == ".tmp"
    assert oct(target.stat().st_mode & 0o777) == "0o644"


def test_clear_temporaries_removes_what_a_killed_write_left(tmp_path: Path) -> None:
    left = tmp_path / "papers/arxiv/2606/.arxiv-2606-19025.md.k2j4_x.tmp"
    left.parent.mkdir(parents=True)
    left.write_text("half an artic")
    kept = [tmp_path / "papers/arxiv/2606/arxiv-2606-19025.md", tmp_path / "notes.tmp"]
    for path in kept:
        path.write_text("kept")
    assert clear_temporaries(tmp_path) == [left]
    assert not left.exists() and all(path.exists() for path in kept)
    shallow = tmp_path / ".builds.json.abc.tmp"
    shallow.write_text("{")
    assert clear_temporaries(tmp_path, recursive=False) == [shallow]
    assert clear_temporaries(tmp_path / "missing") == []


def test_git_ignores_temporary_files() -> None:
    """`git add --all content` in the nightly job must never commit one."""
    repo = Path(__file__).resolve().parents[1]
    left = "content/papers/arxiv/2606/.arxiv-2606-19025.md.k2j4_x.tmp"
    command = ["git", "-C", str(repo), "check-ignore", "--no-index", "-q", left]
    assert subprocess.run(command, check=False).returncode == 0
