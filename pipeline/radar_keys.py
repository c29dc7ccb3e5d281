"""Every key radar.yaml may hold, in one table: its kind, range or pattern, meaning and default.

config.py validates radar.yaml against this table and `make schema` writes radar.schema.json
from it (a test fails when the committed schema differs), so a key's rules are written once.
Defaults are the fields of the settings dataclasses in models.py; the table reads them from
there (`Section.default`), so they are written once too.

Adding a key to an existing section (e.g. `site.language`):
  1. a field with its default on the section's dataclass in models.py (`language: str = "en"`);
  2. one `Key(...)` line in the section below: `Key("language", TEXT, "the pages' language")`,
     with `low`/`high` for numbers, `pattern` + `hint` for a text's shape, `choices` for a
     fixed set of words;
  3. `make schema`.
Keys of kind TEXT, INTEGER, NUMBER, BOOLEAN, CHOICE, STRINGS and FILES need no code: config
reads every such key of a section into its dataclass (`config.read_section`).
Adding a section (e.g. `digest:`): a dataclass in models.py and a field for it on `Radar`, a
`Section` here and a `Key(..., MAPPING, section=...)` line in TOP, one line in
`config.parse_radar` (`digest=_settings(ctx, top.get("digest"), DIGEST)`), `make schema`.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from dataclasses import dataclass
from typing import Any

from .models import (
    LANGUAGES,
    PROVIDERS,
    REASONING_EFFORTS,
    WEEKDAYS,
    ArxivSource,
    CrossrefJournal,
    CrossrefSource,
    DigestSettings,
    FeedbackSettings,
    FeedSource,
    LibrarySettings,
    LLMSettings,
    PreprintSource,
    SiteSettings,
    Topic,
    ZoteroLibrary,
)
from .presets import JOURNALS, SERVERS

TEXT = "text"  # one string; not empty unless empty_ok
INTEGER = "integer"  # a whole number from low to high
NUMBER = "number"  # a number from low to high
BOOLEAN = "boolean"  # true/false (yes/no, on/off)
CHOICE = "choice"  # one of `choices`
STRINGS = "strings"  # a list of strings (a single string is refused, with the list to write)
FILES = "files"  # one file name beside radar.yaml, or a list of them (`bibtex: library.bib`)
MAPPING = "mapping"  # a nested section (`section`)
LIST = "list"  # a list of nested sections (`section`)
LEAF_KINDS = (TEXT, INTEGER, NUMBER, BOOLEAN, CHOICE, STRINGS, FILES)

SITE_LANGUAGES = ("en", "zh")  # those pipeline/site/messages.py has a table for
ARXIV_CATEGORY = r"^[a-z][a-z-]*(\.[A-Za-z][A-Za-z-]*)?$"
CATEGORY_HINT = "{value!r} is not an arXiv category; write it like cs.AI, math.OC or astro-ph.GA"
# arXiv's feeds also take several categories joined by "+" (cs.LG+cs.AI): one feed for all.
ARXIV_FEED = r"^[a-z][a-z-]*(\.[A-Za-z][A-Za-z-]*)?(\+[a-z][a-z-]*(\.[A-Za-z][A-Za-z-]*)?)*$"
PAPER_ID = r"^(arxiv:(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7})|doi:10\.\d{4,9}/\S+)$"
PAPER_ID_HINT = (
    "{value!r} is not a paper id; write arxiv:2411.02908 or doi:10.1038/s41586-024-0001-1"
)


@dataclass(frozen=True)
class Key:
    """One key of radar.yaml. `about` is its one-line meaning (schema description)."""

    name: str
    kind: str
    about: str
    low: float | None = None
    high: float | None = None
    pattern: str = ""  # re.search on a TEXT value or on each item of STRINGS
    hint: str = ""  # the error when `pattern` does not match; "{value!r}" is filled in
    choices: tuple[str, ...] = ()
    empty_ok: bool = False  # TEXT: an empty string is allowed
    required: str = ""  # when set, the key must be given and this says how
    section: Section | None = None  # MAPPING and LIST


@dataclass(frozen=True)
class Section:
    """A mapping of keys; `model` is the dataclass holding its values (and their defaults)."""

    keys: tuple[Key, ...]
    model: type | None = None
    any_of: tuple[tuple[str, ...], ...] = ()  # at least one group given in full
    any_of_hint: str = ""

    def key(self, name: str) -> Key:
        return next(key for key in self.keys if key.name == name)

    def about(self) -> dict[str, str]:
        """Key → meaning, in the table's order (the order error messages list them in)."""
        return {key.name: key.about for key in self.keys}

    def default(self, name: str) -> Any:
        """The model's default for `name`, or None when there is none worth stating."""
        if self.model is None:
            return None
        for field in dataclasses.fields(self.model):
            if field.name == name and field.default is not dataclasses.MISSING:
                return field.default if field.default not in ((), "") else None
        return None


SITE = Section(
    model=SiteSettings,
    keys=(
        Key("title", TEXT, "site name"),
        Key(
            "url",
            TEXT,
            "where the site is published",
            pattern=r"^(https?://.*)?$",
            hint="must start with https:// (or leave it empty)",
            empty_ok=True,
        ),
        Key("tagline", TEXT, "small line above the hero"),
        Key("hero", TEXT, "headline of the home page"),
        Key("description", TEXT, "paragraph under the headline"),
        Key("papers_per_page", INTEGER, "cards per listing page", low=1, high=500),
        Key(
            "language",
            CHOICE,
            "language of the site's own words (menus, buttons); en or zh",
            choices=SITE_LANGUAGES,
        ),
    ),
)
TOPIC = Section(
    model=Topic,
    keys=(
        Key(
            "name",
            TEXT,
            "topic name shown on the site",
            required="every topic needs a name, e.g. - name: World models",
        ),
        Key("keywords", STRINGS, "words or phrases that make a paper match"),
        Key("exclude", STRINGS, "words that stop a paper matching this topic"),
        Key(
            "categories",
            STRINGS,
            "arXiv categories; with no keywords every paper in them matches",
            pattern=ARXIV_CATEGORY,
            hint=CATEGORY_HINT,
        ),
    ),
    any_of=(("keywords",), ("categories",)),
    any_of_hint="give keywords, categories or both, or this topic matches nothing",
)
ARXIV = Section(
    model=ArxivSource,
    keys=(
        Key(
            "categories",
            STRINGS,
            "arXiv categories whose daily feeds are read; cs.LG+cs.AI reads them as one feed",
            pattern=ARXIV_FEED,
            hint=CATEGORY_HINT,
        ),
        Key("rss", BOOLEAN, "read the daily category feeds"),
        Key("api", BOOLEAN, "query the API for watched authors and topic keywords"),
        Key("api_max_results", INTEGER, "results per API query", low=1, high=2000),
        Key(
            "api_lookback_days",
            INTEGER,
            "how far back API results still count as new",
            low=0,
            high=365,
        ),
    ),
)
FEED = Section(
    model=FeedSource,
    keys=(
        Key(
            "preset",
            TEXT,
            "a journal or preprint feed by name: "
            + ", ".join(JOURNALS)
            + ", "
            + ", ".join(f"{server}-SUBJECT" for server in SERVERS)
            + " (README, 'Feed presets')",
        ),
        Key("name", TEXT, "label shown on cards"),
        Key(
            "url",
            TEXT,
            "RSS or Atom feed URL",
            pattern=r"^https?://",
            hint="must be an http(s):// URL",
        ),
    ),
    any_of=(("preset",), ("name", "url")),
    any_of_hint="give a preset (e.g. preset: nature) or both name and url",
)
PREPRINT = Section(
    model=PreprintSource,
    keys=(
        Key(
            "subjects",
            STRINGS,
            "subject categories, e.g. [neuroscience, bioinformatics]; none = all",
        ),
        Key("lookback_days", INTEGER, "days back from the run's date to ask for", low=0, high=60),
    ),
)
CROSSREF_JOURNAL = Section(
    model=CrossrefJournal,
    keys=(
        Key(
            "issn",
            TEXT,
            "the journal's ISSN, e.g. 2167-8359",
            pattern=r"^\d{4}-\d{3}[\dXx]$",
            hint="an ISSN looks like 2167-8359",
            required="missing 'issn', e.g. issn: 2167-8359",
        ),
        Key("name", TEXT, "label on cards"),
    ),
)
CROSSREF = Section(
    model=CrossrefSource,
    keys=(
        Key(
            "journals",
            LIST,
            "journals by ISSN: - {issn: 2167-8359, name: PeerJ}",
            section=CROSSREF_JOURNAL,
        ),
        Key(
            "mailto",
            TEXT,
            "your e-mail for Crossref's polite pool",
            pattern="@",
            hint="an e-mail address",
        ),
        Key("lookback_days", INTEGER, "days back from the run's date to ask for", low=0, high=365),
    ),
)
SOURCES = Section(
    keys=(
        Key("arxiv", MAPPING, "arXiv feeds and API", section=ARXIV),
        Key("feeds", LIST, "RSS/Atom feeds", section=FEED),
        Key("biorxiv", MAPPING, "bioRxiv's details API", section=PREPRINT),
        Key("medrxiv", MAPPING, "medRxiv's details API", section=PREPRINT),
        Key("crossref", MAPPING, "Crossref REST API, by journal ISSN", section=CROSSREF),
    ),
)
ENV_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
PRICE = Section(
    keys=(
        Key(
            "input",
            NUMBER,
            "US$ per million input tokens",
            low=0,
            high=1000,
            required="give both, e.g. price_per_mtok: {input: 0.27, output: 1.1}",
        ),
        Key(
            "output",
            NUMBER,
            "US$ per million output tokens",
            low=0,
            high=1000,
            required="give both, e.g. price_per_mtok: {input: 0.27, output: 1.1}",
        ),
    ),
)
LLM = Section(
    model=LLMSettings,
    keys=(
        Key(
            "provider",
            CHOICE,
            "anthropic, or openai for any OpenAI-compatible endpoint (DeepSeek, OpenRouter, "
            "Ollama, …)",
            choices=PROVIDERS,
        ),
        Key("model", TEXT, "the model that briefs the night and writes the TL;DRs"),
        Key(
            "base_url",
            TEXT,
            "the endpoint, e.g. https://api.deepseek.com; empty: the vendor's",
            pattern=r"^(https?://.*)?$",
            hint="must be an http(s):// URL, e.g. https://api.deepseek.com, not {value!r}",
            empty_ok=True,
        ),
        Key(
            "api_key_env",
            TEXT,
            "the environment variable holding the key (default ANTHROPIC_API_KEY or "
            "OPENAI_API_KEY); never the key itself",
            pattern=ENV_NAME,
            hint="{value!r} is not an environment variable's name: write its NAME, e.g. "
            "DEEPSEEK_API_KEY, never the key itself",
        ),
        Key(
            "language",
            CHOICE,
            "language of briefings and TL;DRs (titles stay as published)",
            choices=tuple(LANGUAGES),
        ),
        Key(
            "max_output_tokens",
            INTEGER,
            "longest answer one call may give; a night's papers are batched to fit their TL;DRs",
            low=500,
            high=64_000,
        ),
        Key(
            "daily_input_token_budget",
            INTEGER,
            "input tokens a night may send, at most",
            low=2_000,
            high=2_000_000,
        ),
        Key(
            "thinking_budget",
            INTEGER,
            "tokens the model may think per call; 0 turns thinking off",
            low=0,
            high=64_000,
        ),
        Key(
            "reasoning_effort",
            CHOICE,
            "how hard an OpenAI-compatible reasoning model thinks (sent as reasoning_effort); "
            "unset: not sent",
            choices=REASONING_EFFORTS,
        ),
        Key("json_mode", BOOLEAN, "ask an OpenAI-compatible endpoint for JSON mode"),
        Key("tone", TEXT, "how the briefing should read"),
        Key(
            "upgrade_days",
            INTEGER,
            "nights back a missing briefing is made and an automatic one redone",
            low=0,
            high=30,
        ),
        Key(
            "price_per_mtok",
            MAPPING,
            "US$ per million tokens, {input: 3, output: 15}, for a model the built-in table lacks",
            section=PRICE,
        ),
    ),
)
DIGEST = Section(
    model=DigestSettings,
    keys=(
        Key("cadence", CHOICE, "daily, weekly or off", choices=("daily", "weekly", "off")),
        Key("weekday", CHOICE, "the day a weekly digest goes out", choices=WEEKDAYS),
        Key("top", INTEGER, "papers per digest, most relevant first", low=1, high=100),
        Key(
            "channels_env",
            TEXT,
            "the secret (environment variable) holding the Apprise URLs",
            pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
            hint="{value!r} is not an environment variable's name; write e.g. APPRISE_URLS",
        ),
    ),
)
FEEDBACK = Section(
    model=FeedbackSettings,
    keys=(
        Key(
            "repository",
            TEXT,
            "owner/name whose issues carry 👍 / 👎 / ☆ (default: the workflow's repository)",
            pattern=r"^([\w.-]+/[\w.-]+)?$",
            hint="write it as owner/name, e.g. octocat/radar, not {value!r}",
            empty_ok=True,
        ),
    ),
)
ZOTERO = Section(
    model=ZoteroLibrary,
    keys=(
        Key(
            "library",
            TEXT,
            "'user:123456' or 'group:987654' (zotero.org/settings/keys shows your user id)",
            pattern=r"^(user|group):\d+$",
            hint="{value!r}: write user:123456 or group:987654 (a number, not a name)",
            required="missing 'library', e.g. library: 'user:123456'",
        ),
        Key("collection", TEXT, "a collection's name or key; leave out for the whole library"),
    ),
)
LIBRARY = Section(
    model=LibrarySettings,
    keys=(
        Key(
            "papers",
            STRINGS,
            "your papers by id, looked up once: [arxiv:2411.02908, doi:10.1038/…]",
            pattern=PAPER_ID,
            hint=PAPER_ID_HINT,
        ),
        Key("bibtex", FILES, "BibTeX files from Zotero, Mendeley, Paperpile; beside radar.yaml"),
        Key("ris", FILES, "RIS files"),
        Key("csl_json", FILES, "CSL-JSON files"),
        Key("zotero", MAPPING, "a Zotero library through its web API", section=ZOTERO),
        Key(
            "suggest",
            INTEGER,
            "papers a night that no topic matched but the library ranks high",
            low=0,
            high=200,
        ),
        Key(
            "threshold",
            NUMBER,
            "least relevance a suggestion needs (0.5: closer to the library than half the archive)",
            low=0,
            high=1,
        ),
        Key(
            "not_interested",
            STRINGS,
            "paper ids you do not want more of",
            pattern=PAPER_ID,
            hint=PAPER_ID_HINT,
        ),
    ),
)
TOP = Section(
    keys=(
        Key(
            "llm",
            MAPPING,
            "the model that briefs each night and explains each paper",
            section=LLM,
        ),
        Key("library", MAPPING, "your own papers, which rank every fetched paper", section=LIBRARY),
        Key("digest", MAPPING, "the digest by e-mail or chat", section=DIGEST),
        Key("feedback", MAPPING, "👍 / 👎 / ☆ links that open an issue", section=FEEDBACK),
        Key("site", MAPPING, "site settings", section=SITE),
        Key("topics", LIST, "what to watch", section=TOPIC),
        Key("authors", STRINGS, "watched authors"),
        Key("sources", MAPPING, "where papers come from", section=SOURCES),
    ),
    any_of=(("topics",), ("authors",)),
    any_of_hint="watch at least one topic or author",
)


# --- radar.schema.json, generated from the table ------------------------------------------


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _key_schema(key: Key, default: Any) -> dict[str, Any]:
    if key.kind in (MAPPING, LIST):
        assert key.section is not None, key.name
        body = section_schema(key.section)
        schema = body if key.kind == MAPPING else {"type": "array", "items": body}
    elif key.kind == STRINGS:
        item: dict[str, Any] = {"type": "string", "minLength": 1}
        if key.pattern:
            item["pattern"] = key.pattern
        schema = {"type": "array", "items": item}
    elif key.kind == FILES:
        name = {"type": "string", "minLength": 1}
        schema = {"oneOf": [name, {"type": "array", "items": name}]}
    elif key.kind == CHOICE:
        schema = {"type": "string", "enum": list(key.choices)}
    elif key.kind == BOOLEAN:
        schema = {"type": "boolean"}
    elif key.kind in (INTEGER, NUMBER):
        schema = {"type": key.kind}
        if key.low is not None:
            schema["minimum"] = _number(key.low)
        if key.high is not None:
            schema["maximum"] = _number(key.high)
    else:
        schema = {"type": "string"}
        if not key.empty_ok:
            schema["minLength"] = 1
        if key.pattern:
            schema["pattern"] = key.pattern
    if default is not None:
        schema["default"] = default
    schema["description"] = key.about
    return schema


def section_schema(section: Section) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "additionalProperties": False}
    required = [key.name for key in section.keys if key.required]
    if required:
        schema["required"] = required
    if section.any_of:
        schema["anyOf"] = [{"required": list(group)} for group in section.any_of]
    schema["properties"] = {
        key.name: _key_schema(key, section.default(key.name)) for key in section.keys
    }
    return schema


def radar_schema() -> dict[str, Any]:
    """radar.schema.json as `make schema` writes it."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/academichub/academichub/radar.schema.json",
        "title": "AcademicHub radar.yaml",
        "description": "What the radar watches and where it looks. Generated from "
        "pipeline/radar_keys.py by `make schema`; validated by `python -m pipeline check`.",
        **section_schema(TOP),
    }


def schema_text() -> str:
    return json.dumps(radar_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(schema_text())
