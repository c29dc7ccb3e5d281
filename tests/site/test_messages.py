"""The interface's words: every word a template or script asks for exists in each language."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.radar_keys import SITE_LANGUAGES
from pipeline.site.messages import LANGUAGES, TABLES, translator

THEME = Path(__file__).resolve().parents[2] / "theme"
TEMPLATE_WORD = re.compile(r"""_\((['"])(.+?)\1\)""")
SCRIPT_WORD = re.compile(r"""\bt\("((?:[^"\\]|\\.)+)\"""")


def template_words() -> set[str]:
    words = set()
    for path in (THEME / "templates").rglob("*.html"):
        words |= {match[1] for match in TEMPLATE_WORD.findall(path.read_text(encoding="utf-8"))}
    return words


def test_every_template_word_has_a_chinese_translation() -> None:
    words = template_words()
    assert {"Browse", "Read the briefing →", "Show full abstract"} <= words
    assert sorted(words - set(TABLES["zh"])) == []


def test_every_script_word_has_a_chinese_translation() -> None:
    table = (THEME / "static/js/messages.js").read_text(encoding="utf-8")
    words = set()
    for path in (THEME / "static/js").glob("*.js"):
        words |= set(SCRIPT_WORD.findall(path.read_text(encoding="utf-8")))
    assert {"Newest first", "{n} results"} <= words
    assert sorted(w for w in words if f'"{w}":' not in table) == []


def test_the_radar_offers_the_languages_that_have_a_table() -> None:
    assert SITE_LANGUAGES == LANGUAGES


def test_a_missing_word_falls_back_to_english() -> None:
    assert translator("zh")("Browse") == "浏览"
    assert translator("zh")("A word nobody translated") == "A word nobody translated"
    assert translator("en")("Browse") == "Browse"
