from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.config import (
    ARXIV_KEYS,
    BRIEFING_KEYS,
    CROSSREF_JOURNAL_KEYS,
    CROSSREF_KEYS,
    FEED_KEYS,
    PREPRINT_KEYS,
    SITE_KEYS,
    SOURCES_KEYS,
    TOP_KEYS,
    TOPIC_KEYS,
    RadarError,
    load_endpoints,
    load_radar,
    parse_radar,
)

REPO = Path(__file__).resolve().parents[1]


def test_shipped_radar_watches_the_seed_page() -> None:
    radar = load_radar(REPO / "radar.yaml")
    assert radar.authors == ("Zeyu Cao",)
    names = [t.name for t in radar.topics]
    assert "World models" in names and "Mixture of experts" in names
    assert "DiLoCo" in radar.topics[0].keywords
    assert radar.arxiv.categories == ("cs.AI", "cs.LG", "cs.CV", "cs.DC")
    assert radar.site.url == "https://example.github.io/academichub"


def error_for(text: str) -> RadarError:
    with pytest.raises(RadarError) as caught:
        parse_radar(text, "radar.yaml")
    return caught.value


def test_unknown_key_suggests_the_right_one_with_its_line() -> None:
    err = error_for("authors: [A B]\ntopics:\n  - name: X\n    keyword: [a]\n")
    assert (err.line, err.key) == (4, "topics[0].keyword")
    assert "did you mean 'keywords'?" in str(err)
    assert str(err).startswith("radar.yaml:4: topics[0].keyword:")


def test_wrong_type_names_the_key() -> None:
    err = error_for("authors: [A B]\nsources:\n  arxiv:\n    categories: {cs: AI}\n")
    assert (err.line, err.key) == (4, "sources.arxiv.categories")
    assert "list of strings" in err.hint


def test_bad_category_says_how_to_write_it() -> None:
    err = error_for("topics:\n  - name: X\n    categories: [cs.AI, 'CS AI']\n")
    assert err.key == "topics[0].categories[1]" and err.line == 3
    assert "cs.AI" in err.hint


def test_yaml_syntax_error_has_a_line() -> None:
    err = error_for("topics:\n  - name: X\n    keywords: [a, b\nauthors: [c]\n")
    assert err.line == 4 and "not valid YAML" in err.hint


def test_topic_without_keywords_or_categories_is_refused() -> None:
    assert "matches nothing" in error_for("topics:\n  - name: X\n").hint


def test_duplicate_topic_names_are_refused() -> None:
    err = error_for("topics:\n  - {name: X, keywords: [a]}\n  - {name: x, keywords: [b]}\n")
    assert err.line == 3 and "twice" in err.hint


def test_empty_radar_is_refused() -> None:
    assert "empty" in error_for("").hint
    assert "at least one" in error_for("site: {title: T}\n").hint


def test_integer_ranges() -> None:
    err = error_for("authors: [A]\nsources:\n  arxiv: {api_max_results: 0}\n")
    assert err.key == "sources.arxiv.api_max_results" and "1 to 2000" in err.hint


def test_defaults() -> None:
    radar = parse_radar("authors: [Zeyu Cao]\nsources:\n  arxiv: {categories: cs.LG}\n")
    assert radar.arxiv.categories == ("cs.LG",)
    assert radar.arxiv.rss and radar.arxiv.api and radar.arxiv.api_lookback_days == 7
    assert radar.site.title == "AcademicHub" and radar.site.papers_per_page == 30


def test_schema_describes_the_same_keys_as_the_validator() -> None:
    schema = json.loads((REPO / "radar.schema.json").read_text())
    props = schema["properties"]
    assert set(props) == set(TOP_KEYS)
    assert set(props["site"]["properties"]) == set(SITE_KEYS)
    assert set(props["briefing"]["properties"]) == set(BRIEFING_KEYS)
    assert set(props["topics"]["items"]["properties"]) == set(TOPIC_KEYS)
    sources = props["sources"]["properties"]
    assert set(sources["arxiv"]["properties"]) == set(ARXIV_KEYS)
    assert set(sources["feeds"]["items"]["properties"]) == set(FEED_KEYS)
    assert set(sources) == set(SOURCES_KEYS)
    for server in ("biorxiv", "medrxiv"):
        assert set(sources[server]["properties"]) == set(PREPRINT_KEYS)
    assert set(sources["crossref"]["properties"]) == set(CROSSREF_KEYS)
    journal = sources["crossref"]["properties"]["journals"]["items"]["properties"]
    assert set(journal) == set(CROSSREF_JOURNAL_KEYS)


def test_endpoints_from_environment() -> None:
    endpoints = load_endpoints(
        {"ARXIV_API_URL": "http://127.0.0.1:1/q", "ARXIV_API_DELAY_SECONDS": "0.5"}
    )
    assert endpoints.arxiv_api_url == "http://127.0.0.1:1/q"
    assert endpoints.arxiv_rss_url == "https://rss.arxiv.org/rss/"
    assert endpoints.arxiv_api_delay == 0.5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("topics:\n  - name: X\n    keyword: [a]\n", "radar.yaml:3: topics[0].keyword"),
        ("topics: [\n", "radar.yaml:2"),
    ],
)
def test_cli_prints_one_screen_and_exits_2(tmp_path: Path, text: str, expected: str) -> None:
    radar = tmp_path / "radar.yaml"
    radar.write_text(text)
    for command in ("check", "run"):
        result = subprocess.run(
            [sys.executable, "-m", "pipeline", command, "--radar", str(radar)],
            capture_output=True, text=True, cwd=tmp_path, timeout=60,
        )  # fmt: skip
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        assert expected.replace("radar.yaml", str(radar)) in result.stderr
        assert len(result.stderr.splitlines()) <= 5


def test_cli_check_accepts_the_shipped_radar() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "check"], capture_output=True, text=True, cwd=REPO
    )
    assert result.returncode == 0, result.stderr
    assert "radar.yaml is valid" in result.stdout
