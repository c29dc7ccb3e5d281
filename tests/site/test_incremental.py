"""Rendered pages lose their indentation, except where whitespace is content (<pre>)."""

from __future__ import annotations

from jinja2 import Template

from pipeline.site.incremental import CompactTemplate
from pipeline.site.reader import summary_html


def test_indentation_and_trailing_spaces_go_text_stays() -> None:
    page = CompactTemplate(Template("<main>\n    <p>{{ text }}</p>  \n\t<p>b  c</p>\n</main>"))
    assert page.render(text="a  b") == "<main>\n<p>a  b</p>\n<p>b  c</p>\n</main>"


def test_pages_with_preformatted_text_are_left_as_they_are() -> None:
    source = "<main>\n    <pre>\n    indented code\n</pre>\n</main>"
    assert CompactTemplate(Template(source)).render() == source


def test_summary_is_the_first_paragraph_cut_to_whole_words() -> None:
    body = "<p>Tom &amp; Jerry chase each other</p>\n<p>Second paragraph.</p>"
    assert summary_html(body, 3) == "<p>Tom &amp; Jerry…</p>"
    assert summary_html(body, 60) == "<p>Tom &amp; Jerry chase each other</p>"
    assert summary_html(body, None) == "<p>Tom &amp; Jerry chase each other</p>"
