from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import radar_keys
from pipeline.config import RadarError, load_endpoints, load_radar, parse_radar
from pipeline.models import LLMSettings, PreprintSource, SiteSettings

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
    radar = parse_radar("authors: [Zeyu Cao]\nsources:\n  arxiv: {categories: [cs.LG]}\n")
    assert radar.arxiv.categories == ("cs.LG",)
    assert radar.arxiv.rss and radar.arxiv.api and radar.arxiv.api_lookback_days == 7
    assert radar.site.title == "AcademicHub" and radar.site.papers_per_page == 30


def test_committed_schema_is_the_one_generated_from_the_table() -> None:
    committed = (REPO / "radar.schema.json").read_text(encoding="utf-8")
    assert committed == radar_keys.schema_text(), "radar.schema.json is stale: run `make schema`"


def test_schema_states_the_tables_ranges_and_the_models_defaults() -> None:
    """Spot checks that the generator carries ranges, patterns and defaults, not only names."""
    schema = radar_keys.radar_schema()
    per_page = schema["properties"]["site"]["properties"]["papers_per_page"]
    assert (per_page["minimum"], per_page["maximum"]) == (1, 500)
    assert per_page["default"] == SiteSettings().papers_per_page == 30
    budget = schema["properties"]["llm"]["properties"]["daily_input_token_budget"]
    assert budget["default"] == LLMSettings().daily_input_token_budget
    preprint = schema["properties"]["sources"]["properties"]["medrxiv"]["properties"]
    assert preprint["lookback_days"]["default"] == PreprintSource("medrxiv").lookback_days
    topic = schema["properties"]["topics"]["items"]
    assert topic["required"] == ["name"]
    assert topic["anyOf"] == [{"required": ["keywords"]}, {"required": ["categories"]}]
    journal = schema["properties"]["sources"]["properties"]["crossref"]["properties"]["journals"]
    assert journal["items"]["properties"]["issn"]["pattern"] == r"^\d{4}-\d{3}[\dXx]$"


def _leaf_keys(section: radar_keys.Section, where: str = ""):
    for key in section.keys:
        path = f"{where}.{key.name}" if where else key.name
        if key.section is not None:
            yield from _leaf_keys(key.section, path)
        else:
            yield section, key, path


def test_every_leaf_key_is_a_field_of_its_sections_dataclass() -> None:
    """A key config reads into a dataclass must exist there, or parsing it would crash."""
    import dataclasses

    for section, key, path in _leaf_keys(radar_keys.TOP):
        if section.model is not None:
            names = {field.name for field in dataclasses.fields(section.model)}
            assert key.name in names, f"{path} has no field on {section.model.__name__}"


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ("authors: [A]\nsite: {papers_per_page: 501}\n", "site.papers_per_page", "1 to 500"),
        ("authors: [A]\nsite: {url: ftp://x}\n", "site.url", "must start with https://"),
        ("authors: [A]\nllm: {upgrade_days: 31}\n", "llm.upgrade_days", "0 to 30"),
        (
            "authors: [A]\nllm: {max_output_tokens: 499}\n",
            "llm.max_output_tokens",
            "500 to 64000",
        ),
        (
            "authors: [A]\nsources:\n  biorxiv: {lookback_days: 61}\n",
            "sources.biorxiv.lookback_days",
            "0 to 60",
        ),
        (
            "authors: [A]\nsources:\n  crossref: {lookback_days: 366}\n",
            "sources.crossref.lookback_days",
            "0 to 365",
        ),
        (
            "authors: [A]\nsources:\n  crossref: {mailto: nobody}\n",
            "sources.crossref.mailto",
            "an e-mail address",
        ),
        (
            "authors: [A]\nsources:\n  crossref: {journals: [{issn: 12-34}]}\n",
            "sources.crossref.journals[0].issn",
            "an ISSN looks like 2167-8359",
        ),
        (
            "authors: [A]\nsources:\n  crossref: {journals: [{name: PeerJ}]}\n",
            "sources.crossref.journals[0]",
            "missing 'issn'",
        ),
        (
            "authors: [A]\nsources:\n  feeds: [{url: 'https://x.org/rss'}]\n",
            "sources.feeds[0]",
            "give a preset",
        ),
        (
            "authors: [A]\nsources:\n  feeds: [{name: X, url: 'x.org/rss'}]\n",
            "sources.feeds[0].url",
            "must be an http(s):// URL",
        ),
        (
            "authors: [A]\nsources:\n  feeds: [{preset: natur}]\n",
            "sources.feeds[0].preset",
            "did you mean 'nature'?",
        ),
        (
            "authors: [A]\nsources:\n  medrxiv: {subjects: [oncolgy]}\n",
            "sources.medrxiv.subjects",
            "did you mean 'oncology'?",
        ),
        ("authors: [A]\nsources:\n  arxiv: {rss: maybe}\n", "sources.arxiv.rss", "true or false"),
    ],
)
def test_the_table_s_rules_are_enforced(text: str, key: str, expected: str) -> None:
    err = error_for(text)
    assert err.key == key and expected in err.hint, str(err)


def test_values_from_the_table_reach_the_radar() -> None:
    radar = parse_radar(
        "authors: [A]\nsite: {url: 'https://x.org/hub/', papers_per_page: 12}\n"
        "llm: {upgrade_days: 0, tone: dry}\nsources:\n"
        "  medrxiv: {subjects: [Infectious Diseases], lookback_days: 5}\n"
        "  crossref: {journals: [{issn: 2167-835x}], lookback_days: 3}\n"
        "  feeds: [{preset: nature, name: Nature (TOC)}]\n"
    )
    assert (radar.site.url, radar.site.papers_per_page) == ("https://x.org/hub", 12)
    assert (radar.llm.upgrade_days, radar.llm.tone) == (0, "dry")
    assert radar.llm.model == LLMSettings().model
    assert radar.preprints == (PreprintSource("medrxiv", ("infectious_diseases",), 5),)
    assert radar.crossref.journals[0].issn == radar.crossref.journals[0].name == "2167-835X"
    assert radar.crossref.lookback_days == 3
    assert radar.feeds[0].name == "Nature (TOC)"
    assert radar.feeds[0].url == "https://www.nature.com/nature.rss"


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
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=60,
        )
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


def test_number_and_choice_keys_are_read_and_checked() -> None:
    """Kinds no shipped section uses yet, for the keys other sections will add."""
    import yaml

    from pipeline.config import _Ctx, read_section
    from pipeline.radar_keys import CHOICE, NUMBER, Key, Section

    section = Section(
        keys=(
            Key("share", NUMBER, "a fraction", low=0, high=1),
            Key("provider", CHOICE, "who answers", choices=("anthropic", "openai")),
        )
    )
    ctx = _Ctx("radar.yaml")

    def read(text: str) -> dict:
        return read_section(ctx, yaml.compose(text, Loader=yaml.SafeLoader), "llm", section)[0]

    assert read("{share: 0.25, provider: openai}") == {"share": 0.25, "provider": "openai"}
    with pytest.raises(RadarError) as caught:
        read("{share: 1.5}")
    assert caught.value.key == "llm.share"
    assert caught.value.hint == "expected a number at least 0 and at most 1, got '1.5'"
    with pytest.raises(RadarError) as caught:
        read("{provider: opnai}")
    assert caught.value.hint == "did you mean 'openai'? expected one of anthropic, openai"
    schema = radar_keys.section_schema(section)["properties"]
    assert schema["share"] == {
        "type": "number",
        "minimum": 0,
        "maximum": 1,
        "description": "a fraction",
    }
    assert schema["provider"]["enum"] == ["anthropic", "openai"]


def test_a_string_where_a_list_belongs_is_refused_with_the_list_to_write() -> None:
    err = error_for("authors: Zeyu Cao, Ada Lovelace\n")
    assert err.key == "authors" and err.line == 1
    assert err.hint.endswith("write authors: [Zeyu Cao, Ada Lovelace]")
    err = error_for("authors: [A]\ntopics:\n  - {name: MoE, keywords: mixture of experts}\n")
    assert err.key == "topics[0].keywords" and "keywords: [mixture of experts]" in err.hint


def test_arxiv_categories_are_checked_against_arxiv_s_list() -> None:
    err = error_for("authors: [A]\nsources:\n  arxiv: {categories: [cs.AI, cs.LGG]}\n")
    assert err.key == "sources.arxiv.categories[1]"
    assert err.hint.startswith("did you mean 'cs.LG'? 'cs.LGG' is not an arXiv category")
    err = error_for("authors: [A]\ntopics:\n  - {name: X, categories: [CS.ai]}\n")
    assert err.hint == "'CS.ai' is written 'cs.AI' (arXiv's categories are case-sensitive)"
    err = error_for("authors: [A]\ntopics:\n  - {name: X, categories: [cs.LG+cs.AI]}\n")
    assert err.key == "topics[0].categories[0]"  # combined only as a feed


def test_combined_arxiv_feeds_are_allowed() -> None:
    text = "authors: [A]\nsources:\n  arxiv: {categories: [cs.LG+cs.AI, astro-ph.GA, hep-th]}\n"
    assert parse_radar(text).arxiv.categories == ("cs.LG+cs.AI", "astro-ph.GA", "hep-th")
    err = error_for("authors: [A]\nsources:\n  arxiv: {categories: [cs.LG+cs.AII]}\n")
    assert "did you mean 'cs.AI'?" in err.hint


def test_site_language_is_english_or_chinese() -> None:
    assert parse_radar("authors: [A]\nsite: {language: zh}\n").site.language == "zh"
    assert parse_radar("authors: [A]\n").site.language == "en"
    err = error_for("authors: [A]\nsite: {language: de}\n")
    assert err.key == "site.language" and "expected one of en, zh" in err.hint


def test_shipped_topics_match_journal_and_biorxiv_papers_too() -> None:
    """A Science paper on mixture-of-experts has no arXiv category: it must still match."""
    from datetime import date

    from pipeline.match import match_papers
    from pipeline.models import Paper

    science = Paper(
        paper_id="doi:10.1126/science.adq0001",
        title="A sparse mixture of experts predicts protein function",
        authors=("Ada Lovelace",),
        abstract="Experts are routed per residue.",
        announced=date(2026, 6, 18),
        source_label="Science",
    )
    radar = load_radar(REPO / "radar.yaml")
    assert all(not topic.categories for topic in radar.topics)
    [matched] = match_papers([science], radar)
    assert [(m.kind, m.name) for m in matched.matches] == [("topic", "Mixture of experts")]
