"""Rendered pages lose their indentation, except where whitespace is content (<pre>)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Template

from pipeline.site.incremental import CompactTemplate, RenderCache, prune_output
from pipeline.site.reader import summary_html


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
