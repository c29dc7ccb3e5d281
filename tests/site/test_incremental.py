"""Rendered pages lose their indentation, except where whitespace is content (<pre>)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Template

from pipeline.archive.store import store_papers
from pipeline.models import Match, Paper
from pipeline.site.build import build_site
from pipeline.site.incremental import CompactTemplate, RenderCache, _unindent, prune_output
from pipeline.site.reader import summary_html

REPO = Path(__file__).resolve().parents[2]


def test_indentation_and_trailing_spaces_go_text_stays() -> None:
    page = CompactTemplate(Template("<main>\n    <p>{{ text }}</p>  \n\t<p>b  c</p>\n</main>"))
    assert page.render(text="a  b") == "<main>\n<p>a  b</p>\n<p>b  c</p>\n</main>"


def test_preformatted_text_keeps_its_indentation_the_rest_is_compacted() -> None:
    source = "<main>\n    <pre>\n    indented code\n</pre>\n    <p>a</p>\n</main>"
    expected = "<main>\n<pre>\n    indented code\n</pre>\n<p>a</p>\n</main>"
    assert CompactTemplate(Template(source)).render() == expected


def test_summary_is_the_first_paragraph_cut_to_whole_words() -> None:
    body = "<p>Tom &amp; Jerry chase each other</p>\n<p>Second paragraph.</p>"
    assert summary_html(body, 3) == "<p>Tom &amp; Jerry…</p>"
    assert summary_html(body, 60) == "<p>Tom &amp; Jerry chase each other</p>"
    assert summary_html(body, None) == "<p>Tom &amp; Jerry chase each other</p>"


def test_a_page_is_fresh_only_when_its_inputs_and_its_file_are_unchanged(tmp_path: Path) -> None:
    output, cache = tmp_path / "output", tmp_path / "cache"
    (output / "papers/a").mkdir(parents=True)
    (output / "papers/a/index.html").write_text("<p>a</p>")
    last = RenderCache(cache, output, key="theme-1")
    assert not last.is_fresh("papers/a/index.html", last.fingerprint("a.md:10:1"))
    last.save()
    tonight = RenderCache(cache, output, key="theme-1")
    assert tonight.is_fresh("papers/a/index.html", tonight.fingerprint("a.md:10:1"))
    assert not tonight.is_fresh("papers/a/index.html", tonight.fingerprint("a.md:11:2"))
    assert not RenderCache(cache, output, key="theme-2").is_fresh(
        "papers/a/index.html", RenderCache(cache, output, key="theme-2").fingerprint("a.md:10:1")
    )  # the theme changed: every page is rendered again
    (output / "papers/a/index.html").unlink()
    again = RenderCache(cache, output, key="theme-1")
    assert not again.is_fresh("papers/a/index.html", again.fingerprint("a.md:10:1"))


def test_prune_removes_pages_the_build_did_not_write_and_keeps_the_rest(tmp_path: Path) -> None:
    kept = [
        "index.html",
        "papers/a/index.html",
        "feeds/all.atom.xml",
        "theme/css/x.html",
        "pagefind/2026-06/pagefind-entry.json",
        "screenshots/home.png",
    ]
    stale = [
        "papers/removed/index.html",
        "topics/gone/index.html",
        "topics/gone/page/2/index.html",
        "feeds/topics/gone.atom.xml",
    ]
    for name in kept + stale:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    written = {"index.html", "papers/a/index.html", "feeds/all.atom.xml"}
    assert prune_output(tmp_path, written, keep=("theme", "pagefind")) == sorted(stale)
    assert all((tmp_path / name).exists() for name in kept)
    assert not (tmp_path / "papers/removed").exists() and not (tmp_path / "topics").exists()
    assert (tmp_path / "feeds/topics").exists() is False and (tmp_path / "feeds").is_dir()


NIGHTLY_RADAR = """
site: {title: Nightly, url: https://radar.example.org, papers_per_page: 2}
topics:
  - name: World models
    keywords: [world models]
sources:
  arxiv: {categories: [cs.AI]}
"""


def _night_paper(number: int, day: date) -> Paper:
    return Paper(
        paper_id=f"arxiv:2606.8{number:04d}",
        title=f"World models paper {number}",
        authors=("Ada Lovelace",),
        abstract=f"World models, paper {number}.",
        announced=day,
        source_label="arXiv (cs.AI)",
        source="arxiv",
        matches=(Match("topic", "World models", 'keyword "world models" in title'),),
    )


def test_a_nightly_rebuild_keeps_every_page_it_did_not_need_to_render(tmp_path: Path) -> None:
    """An incremental build skips unchanged pages; pruning must not take them for stale ones.
    (A nightly build once kept only the listing pages it re-rendered: every older topic page
    and day page of the published site was deleted.)"""
    content, output, cache = tmp_path / "content", tmp_path / "output", tmp_path / "cache"
    radar = tmp_path / "radar.yaml"
    radar.write_text(NIGHTLY_RADAR)
    store_papers(content, [_night_paper(n, date(2026, 6, 1 + n // 3)) for n in range(15)])
    build = {"radar": radar, "settings": REPO / "pelicanconf.py", "cache": cache, "index": False}
    build_site(content, output, **build)
    before = {p.relative_to(output).as_posix() for p in output.rglob("*.html")}
    assert {"days/2026-06-01/index.html", "topics/world-models/page/2/index.html"} <= before
    store_papers(content, [_night_paper(99, date(2026, 6, 6))])
    build_site(content, output, **build)
    after = {p.relative_to(output).as_posix() for p in output.rglob("*.html")}
    assert before - after == set()
    assert "papers/arxiv-2606-80099/index.html" in after - before
    assert "World models paper 0" in (output / "days/2026-06-01/index.html").read_text()


@settings(deadline=None, max_examples=300)
@given(st.text(alphabet=" \t\nab<>é", max_size=40))
def test_unindenting_drops_the_blanks_around_newlines_and_nothing_else(text: str) -> None:
    assert _unindent(text) == re.sub(r"[ \t]*\n[ \t]*", "\n", text)
