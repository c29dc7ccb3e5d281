from __future__ import annotations

import html
import re
import unicodedata
from datetime import date

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.archive import render_article
from pipeline.models import Paper
from pipeline.text import (
    escape_markdown,
    fold,
    one_line,
    plain_text,
    plain_text_paragraphs,
    safe_url,
    unescape_markdown,
)

ATTACKS = [
    "x\nStatus: draft",
    "<img src=x onerror=alert(1)>",
    "[a](javascript:alert(1))",
    "{{ 7*7 }}",
    "# heading\n\n- item\n\n1. first\n\n> quote\n\n```\ncode\n```",
    "    indented code",
    "*em* __strong__ `code` ![img](x.png) <http://evil> &amp; &copy;",
    "Term\n\n: definition\n\n~~~\nfence\n~~~",
    "a | b\n--|--\nc | d",
    "text {: #id .class }",
    "[^1] *[HTML]: Hyper",
    "line one  \nline two",
    "\u2028Title: injected\u2029",
    "$\\alpha_{i}^{2}$ and 2 < 3 > 1",
    "+ plus item\n\n+\tplus after a tab\n\n* star item\n\n1) paren item",
]

markdown_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",))
    | st.sampled_from(list("\n\\`*_{}[]()#+-.!|~:<>&=\t ")),
    max_size=200,
)


def rendered_text(source: str, extensions: list[str]) -> str:
    """What a reader sees: the HTML Python-Markdown makes, which must be only paragraphs."""
    output = markdown.markdown(source, extensions=extensions)
    assert re.sub(r"</?p>", "", output).count("<") == 0, output
    paragraphs = re.findall(r"<p>(.*?)</p>", output, re.DOTALL)
    return "\n\n".join(html.unescape(p) for p in paragraphs)


@pytest.mark.parametrize("extensions", [[], ["extra"]])
@pytest.mark.parametrize("attack", ATTACKS)
def test_attacks_render_as_their_own_text(attack: str, extensions: list[str]) -> None:
    assert rendered_text(escape_markdown(attack), extensions) == "\n\n".join(
        plain_text_paragraphs(attack)
    )


@settings(max_examples=300, deadline=None)
@given(markdown_text)
def test_escaped_markdown_renders_exactly_the_text(text: str) -> None:
    assert rendered_text(escape_markdown(text), ["extra"]) == "\n\n".join(
        plain_text_paragraphs(text)
    )


@settings(max_examples=300, deadline=None)
@given(markdown_text)
def test_unescape_inverts_escape(text: str) -> None:
    assert unescape_markdown(escape_markdown(text)) == "\n\n".join(plain_text_paragraphs(text))


@settings(deadline=None)
@given(st.text())
def test_one_line_has_no_line_breaks(text: str) -> None:
    assert not any(ch in one_line(text) for ch in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
    assert one_line(text).splitlines() in ([one_line(text)], [])


def test_plain_text_drops_script_and_keeps_sub_and_superscripts() -> None:
    fragment = (
        "<p>CO<sub>2</sub> at 10<sup>-3</sup> bar <script>alert(1)</script>"
        "<b onclick='x()'>bold</b> &amp; x<sup>ab</sup></p><p>Second</p>"
    )
    assert plain_text(fragment) == "CO₂ at 10⁻³ bar bold & x^(ab)\n\nSecond"


def test_plain_text_keeps_latex_as_text() -> None:
    assert plain_text("Let $\\alpha &lt; \\beta$ hold") == "Let $\\alpha < \\beta$ hold"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://arxiv.org/abs/2606.19025", "https://arxiv.org/abs/2606.19025"),
        ("javascript:alert(1)", ""),
        ("JaVaScRiPt:alert(1)", ""),
        ("data:text/html,<script>", ""),
        ('https://x.org/"onmouseover="y', ""),
        ("//evil.example/x", ""),
    ],
)
def test_safe_url(url: str, expected: str) -> None:
    assert safe_url(url) == expected


@settings(deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_fold_fast_ascii_path_equals_the_general_rule(text: str) -> None:
    assert fold(text) == " ".join(re.sub(r"[^\w]+|_", " ", text.casefold()).split())


def test_fold_ignores_case_accents_and_punctuation() -> None:
    assert fold("Zéyu CAO") == "zeyu cao"
    assert fold("Mixture-of-Experts") == "mixture of experts"


INVISIBLE = {
    "soft hyphen": "\u00ad",
    "zero-width space": "\u200b",
    "word joiner": "\u2060",
    "byte order mark": "\ufeff",
    "zero-width joiner": "\u200d",
    "zero-width non-joiner": "\u200c",
    **{
        f"bidi U+{ord(c):04X}": c
        for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
    },
}


@pytest.mark.parametrize("name", sorted(INVISIBLE))
def test_invisible_characters_vanish_inside_a_word(name: str) -> None:
    mark = INVISIBLE[name]
    assert one_line(f"hydro{mark}gen") == "hydrogen"
    assert one_line(f"Ver{mark}íssimo") == "Veríssimo"  # a Crossref author, with a soft hyphen
    assert escape_markdown(f"{mark}+ x{mark}") == "\\+ x"  # and cannot hide a leading "+"


def test_titles_keep_no_bidi_or_zero_width_characters() -> None:
    """A title that reverses its display ("\u202e") or hides a character is what it shows."""
    title = "Safe\u202e txt.exe\u202c and\u200b hid\u2060den\u2066 isolate\u2069 words"
    written = render_article(
        Paper("arxiv:2606.00001", title, (), "", date(2026, 6, 18), "arXiv (cs.CR)")
    )
    assert written.startswith("Title: Safe txt.exe and hidden isolate words\n")


def test_joiners_stay_where_they_shape_a_script() -> None:
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # mi-khaham, with ZWNJ
    assert one_line(persian) == persian
    assert one_line("\u200c\u0645\u06cc") == "\u0645\u06cc"  # nothing to join at the start


@settings(deadline=None)
@given(st.text())
def test_no_format_character_survives_except_a_joiner_inside_a_script(text: str) -> None:
    cleaned = one_line(text)
    for index, ch in enumerate(cleaned):
        if unicodedata.category(ch) == "Cf":
            assert ch in "\u200c\u200d" and 0 < index < len(cleaned) - 1
            assert not cleaned[index - 1].isascii() and not cleaned[index + 1].isascii()
