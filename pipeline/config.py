"""radar.yaml → Radar, validated once. Every error names the file, the line and the key and says
what to write instead; nothing downstream reads YAML or the environment."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .models import (
    ArxivSource,
    BriefingSettings,
    CrossrefJournal,
    CrossrefSource,
    Endpoints,
    FeedSource,
    PreprintSource,
    Radar,
    SiteSettings,
    Topic,
)
from .sources.presets import SERVERS, find_preset, preset_names

ARXIV_CATEGORY = re.compile(r"^[a-z][a-z-]*(\.[A-Za-z][A-Za-z-]*)?$")


class RadarError(Exception):
    """A mistake in radar.yaml, with where it is and how to fix it."""

    def __init__(self, path: str, line: int | None, key: str, hint: str) -> None:
        self.path, self.line, self.key, self.hint = path, line, key, hint
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {key}: {hint}" if key else f"{where}: {hint}")


@dataclass(frozen=True)
class _Ctx:
    path: str

    def fail(self, node: Node | None, key: str, hint: str) -> RadarError:
        line = node.start_mark.line + 1 if node is not None else None
        return RadarError(self.path, line, key, hint)


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return f"{node.value!r}"


def _mapping(ctx: _Ctx, node: Node, key: str, allowed: Mapping[str, str]) -> dict[str, Node]:
    """Check a mapping's keys against `allowed` (key → one-line meaning, used in hints)."""
    if not isinstance(node, MappingNode):
        raise ctx.fail(node, key, f"expected a mapping with keys {', '.join(allowed)}, "
                                  f"got {_describe(node)}")  # fmt: skip
    found: dict[str, Node] = {}
    for key_node, value_node in node.value:
        name = key_node.value if isinstance(key_node, ScalarNode) else str(key_node)
        full = f"{key}.{name}" if key else name
        if name not in allowed:
            close = difflib.get_close_matches(name, list(allowed), n=1)
            hint = f"unknown key; did you mean '{close[0]}'?" if close else "unknown key"
            raise ctx.fail(key_node, full, f"{hint} Allowed here: {', '.join(allowed)}.")
        if name in found:
            raise ctx.fail(key_node, full, "this key is given twice; keep one.")
        found[name] = value_node
    return found


def _scalar(ctx: _Ctx, node: Node, key: str) -> str:
    if not isinstance(node, ScalarNode):
        raise ctx.fail(node, key, f"expected a single value, got {_describe(node)}")
    return node.value


def _text(ctx: _Ctx, node: Node, key: str, *, allow_empty: bool = False) -> str:
    value = _scalar(ctx, node, key).strip()
    if not value and not allow_empty:
        raise ctx.fail(node, key, "must not be empty")
    return value


def _integer(ctx: _Ctx, node: Node, key: str, low: int, high: int) -> int:
    raw = _scalar(ctx, node, key)
    try:
        value = int(raw)
    except ValueError:
        hint = f"expected a whole number from {low} to {high}, got {raw!r}"
        raise ctx.fail(node, key, hint) from None
    if not low <= value <= high:
        raise ctx.fail(node, key, f"expected a whole number from {low} to {high}, got {value}")
    return value


def _boolean(ctx: _Ctx, node: Node, key: str) -> bool:
    raw = _scalar(ctx, node, key).lower()
    if raw in ("true", "yes", "on"):
        return True
    if raw in ("false", "no", "off"):
        return False
    raise ctx.fail(node, key, f"expected true or false, got {raw!r}")


def _text_list(
    ctx: _Ctx, node: Node, key: str, check: Callable[[str], str | None] | None = None
) -> tuple[str, ...]:
    """A list of strings; a single string is accepted as a one-item list."""
    if isinstance(node, ScalarNode):
        if node.value in ("", "null", "~"):
            return ()
        items = [node]
    elif isinstance(node, SequenceNode):
        items = node.value
    else:
        raise ctx.fail(node, key, "expected a list of strings, e.g. [one, two]")
    values = []
    for index, item in enumerate(items):
        value = _text(ctx, item, f"{key}[{index}]")
        problem = check(value) if check else None
        if problem:
            raise ctx.fail(item, f"{key}[{index}]", problem)
        values.append(value)
    return tuple(values)


def _sequence(ctx: _Ctx, node: Node, key: str) -> list[Node]:
    if isinstance(node, ScalarNode) and node.value in ("", "null", "~"):
        return []
    if not isinstance(node, SequenceNode):
        raise ctx.fail(node, key, f"expected a list, got {_describe(node)}")
    return node.value


def _check_category(value: str) -> str | None:
    if ARXIV_CATEGORY.match(value):
        return None
    return f"{value!r} is not an arXiv category; write it like cs.AI, math.OC or astro-ph.GA"


SITE_KEYS = {
    "title": "site name",
    "url": "where the site is published",
    "tagline": "small line above the hero",
    "hero": "headline of the home page",
    "description": "paragraph under the headline",
    "papers_per_page": "cards per listing page",
}
TOPIC_KEYS = {
    "name": "topic name shown on the site",
    "keywords": "words or phrases that make a paper match",
    "exclude": "words that stop a paper matching this topic",
    "categories": "arXiv categories; with no keywords every paper in them matches",
}
ARXIV_KEYS = {
    "categories": "arXiv categories whose daily feeds are read",
    "rss": "read the daily category feeds",
    "api": "query the API for watched authors and topic keywords",
    "api_max_results": "results per API query",
    "api_lookback_days": "how far back API results still count as new",
}
FEED_KEYS = {
    "preset": "a journal or preprint feed by name (README, 'Feed presets')",
    "name": "label shown on cards",
    "url": "RSS or Atom feed URL",
}
PREPRINT_KEYS = {
    "subjects": "subject categories, e.g. [neuroscience, bioinformatics]; none = all",
    "lookback_days": "days back from the run's date to ask for",
}
CROSSREF_KEYS = {
    "journals": "journals by ISSN: - {issn: 2167-8359, name: PeerJ}",
    "mailto": "your e-mail for Crossref's polite pool",
    "lookback_days": "days back from the run's date to ask for",
}
CROSSREF_JOURNAL_KEYS = {"issn": "the journal's ISSN, e.g. 2167-8359", "name": "label on cards"}
SOURCES_KEYS = {
    "arxiv": "arXiv feeds and API",
    "feeds": "RSS/Atom feeds",
    "biorxiv": "bioRxiv's details API",
    "medrxiv": "medRxiv's details API",
    "crossref": "Crossref REST API, by journal ISSN",
}
BRIEFING_KEYS = {
    "model": "Anthropic model for the daily briefing",
    "max_output_tokens": "longest answer the model may give",
    "daily_input_token_budget": "input tokens a day may use; bigger days go in batches",
    "tone": "how the briefing should read",
    "upgrade_days": "automatic briefings this many days back are redone once a key works",
}
TOP_KEYS = {
    "briefing": "the daily briefing",
    "site": "site settings",
    "topics": "what to watch",
    "authors": "watched authors",
    "sources": "where papers come from",
}


def _site(ctx: _Ctx, node: Node | None) -> SiteSettings:
    if node is None:
        return SiteSettings()
    fields = _mapping(ctx, node, "site", SITE_KEYS)
    values: dict[str, Any] = {}
    for name, value_node in fields.items():
        if name == "papers_per_page":
            values[name] = _integer(ctx, value_node, "site.papers_per_page", 1, 500)
        else:
            values[name] = _text(ctx, value_node, f"site.{name}", allow_empty=name == "url")
    url = values.get("url", "")
    if url and not re.match(r"^https?://", url):
        raise ctx.fail(fields["url"], "site.url", "must start with https:// (or leave it empty)")
    values["url"] = url.rstrip("/")
    return SiteSettings(**values)


def _topic(ctx: _Ctx, node: Node, key: str) -> Topic:
    fields = _mapping(ctx, node, key, TOPIC_KEYS)
    if "name" not in fields:
        raise ctx.fail(node, key, "every topic needs a name, e.g. - name: World models")
    topic = Topic(
        name=_text(ctx, fields["name"], f"{key}.name"),
        keywords=_text_list(ctx, fields["keywords"], f"{key}.keywords")
        if "keywords" in fields
        else (),
        exclude=_text_list(ctx, fields["exclude"], f"{key}.exclude") if "exclude" in fields else (),
        categories=_text_list(ctx, fields["categories"], f"{key}.categories", _check_category)
        if "categories" in fields
        else (),
    )
    if not topic.keywords and not topic.categories:
        raise ctx.fail(
            node, key, "give keywords, categories or both, or this topic matches nothing"
        )
    return topic


def _arxiv(ctx: _Ctx, node: Node | None) -> ArxivSource:
    if node is None:
        return ArxivSource(rss=False, api=False)
    fields = _mapping(ctx, node, "sources.arxiv", ARXIV_KEYS)
    values: dict[str, Any] = {}
    if "categories" in fields:
        values["categories"] = _text_list(
            ctx, fields["categories"], "sources.arxiv.categories", _check_category
        )
    for flag in ("rss", "api"):
        if flag in fields:
            values[flag] = _boolean(ctx, fields[flag], f"sources.arxiv.{flag}")
    if "api_max_results" in fields:
        values["api_max_results"] = _integer(
            ctx, fields["api_max_results"], "sources.arxiv.api_max_results", 1, 2000
        )
    if "api_lookback_days" in fields:
        values["api_lookback_days"] = _integer(
            ctx, fields["api_lookback_days"], "sources.arxiv.api_lookback_days", 0, 365
        )
    return ArxivSource(**values)


def _feeds(ctx: _Ctx, node: Node | None) -> tuple[FeedSource, ...]:
    if node is None:
        return ()
    feeds = []
    for index, item in enumerate(_sequence(ctx, node, "sources.feeds")):
        key = f"sources.feeds[{index}]"
        fields = _mapping(ctx, item, key, FEED_KEYS)
        preset = None
        if "preset" in fields:
            name = _text(ctx, fields["preset"], f"{key}.preset")
            preset = find_preset(name)
            if preset is None:
                close = difflib.get_close_matches(name.lower(), preset_names(), n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                raise ctx.fail(fields["preset"], f"{key}.preset",
                               f"unknown preset {name!r}; {hint}the README lists them")  # fmt: skip
        elif "url" not in fields or "name" not in fields:
            raise ctx.fail(item, key, "give a preset (e.g. preset: nature) or both name and url")
        url = preset.url if preset else ""
        if "url" in fields:
            url = _text(ctx, fields["url"], f"{key}.url")
            if not re.match(r"^https?://", url):
                raise ctx.fail(fields["url"], f"{key}.url", "must be an http(s):// URL")
        name = _text(ctx, fields["name"], f"{key}.name") if "name" in fields else preset.name
        feeds.append(FeedSource(name=name, url=url, preset=preset.preset if preset else ""))
    return tuple(feeds)


def _briefing(ctx: _Ctx, node: Node | None) -> BriefingSettings:
    if node is None:
        return BriefingSettings()
    fields = _mapping(ctx, node, "briefing", BRIEFING_KEYS)
    values: dict[str, Any] = {}
    for name in ("model", "tone"):
        if name in fields:
            values[name] = _text(ctx, fields[name], f"briefing.{name}")
    limits = {"max_output_tokens": (100, 32_000), "daily_input_token_budget": (1_000, 1_000_000),
              "upgrade_days": (0, 30)}  # fmt: skip
    for name, (low, high) in limits.items():
        if name in fields:
            values[name] = _integer(ctx, fields[name], f"briefing.{name}", low, high)
    return BriefingSettings(**values)


def _preprints(ctx: _Ctx, sources: dict[str, Node]) -> tuple[PreprintSource, ...]:
    found = []
    for server in ("biorxiv", "medrxiv"):
        if server not in sources:
            continue
        key = f"sources.{server}"
        fields = _mapping(ctx, sources[server], key, PREPRINT_KEYS)
        subjects = ()
        if "subjects" in fields:
            known = SERVERS[server][1]
            subjects = tuple(
                s.strip().lower().replace(" ", "_").replace("-", "_")
                for s in _text_list(ctx, fields["subjects"], f"{key}.subjects")
            )
            for subject in subjects:
                if subject not in known:
                    close = difflib.get_close_matches(subject, known, n=1)
                    hint = f"did you mean '{close[0]}'? " if close else ""
                    raise ctx.fail(fields["subjects"], f"{key}.subjects",
                                   f"unknown subject {subject!r}; {hint}see README")  # fmt: skip
        lookback = (_integer(ctx, fields["lookback_days"], f"{key}.lookback_days", 0, 60)
                    if "lookback_days" in fields else 2)  # fmt: skip
        found.append(PreprintSource(server=server, subjects=subjects, lookback_days=lookback))
    return tuple(found)


def _crossref(ctx: _Ctx, node: Node | None) -> CrossrefSource:
    if node is None:
        return CrossrefSource()
    fields = _mapping(ctx, node, "sources.crossref", CROSSREF_KEYS)
    journals = []
    items = (
        _sequence(ctx, fields["journals"], "sources.crossref.journals")
        if "journals" in fields
        else []
    )
    for index, item in enumerate(items):
        key = f"sources.crossref.journals[{index}]"
        journal = _mapping(ctx, item, key, CROSSREF_JOURNAL_KEYS)
        if "issn" not in journal:
            raise ctx.fail(item, key, "missing 'issn', e.g. issn: 2167-8359")
        issn = _text(ctx, journal["issn"], f"{key}.issn").upper()
        if not re.fullmatch(r"\d{4}-\d{3}[\dX]", issn):
            raise ctx.fail(journal["issn"], f"{key}.issn", "an ISSN looks like 2167-8359")
        name = _text(ctx, journal["name"], f"{key}.name") if "name" in journal else issn
        journals.append(CrossrefJournal(issn=issn, name=name))
    mailto = _text(ctx, fields["mailto"], "sources.crossref.mailto") if "mailto" in fields else ""
    if mailto and "@" not in mailto:
        raise ctx.fail(fields["mailto"], "sources.crossref.mailto", "an e-mail address")
    lookback = (_integer(ctx, fields["lookback_days"], "sources.crossref.lookback_days", 0, 365)
                if "lookback_days" in fields else 7)  # fmt: skip
    return CrossrefSource(journals=tuple(journals), mailto=mailto, lookback_days=lookback)


def parse_radar(text: str, path: str = "radar.yaml") -> Radar:
    ctx = _Ctx(path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        hint = (
            f"not valid YAML: {err.problem}. Check indentation and that lists use '- ' or [a, b]."
        )
        raise RadarError(path, line, "", hint) from None
    except yaml.YAMLError as err:
        raise RadarError(path, None, "", f"not valid YAML: {err}") from None
    if root is None:
        raise RadarError(path, None, "", "the file is empty; start from the README's example")
    top = _mapping(ctx, root, "", TOP_KEYS)
    topics = tuple(
        _topic(ctx, item, f"topics[{i}]")
        for i, item in enumerate(_sequence(ctx, top["topics"], "topics") if "topics" in top else [])
    )
    seen: set[str] = set()
    for i, topic in enumerate(topics):
        if topic.name.casefold() in seen:
            node = _sequence(ctx, top["topics"], "topics")[i]
            raise ctx.fail(node, f"topics[{i}].name", f"topic {topic.name!r} is listed twice")
        seen.add(topic.name.casefold())
    authors = _text_list(ctx, top["authors"], "authors") if "authors" in top else ()
    sources = _mapping(ctx, top["sources"], "sources", SOURCES_KEYS) if "sources" in top else {}
    radar = Radar(
        path=path,
        site=_site(ctx, top.get("site")),
        topics=topics,
        authors=authors,
        arxiv=_arxiv(ctx, sources.get("arxiv")),
        feeds=_feeds(ctx, sources.get("feeds")),
        preprints=_preprints(ctx, sources),
        crossref=_crossref(ctx, sources.get("crossref")),
        briefing=_briefing(ctx, top.get("briefing")),
    )
    if not radar.topics and not radar.authors:
        raise RadarError(path, None, "topics", "watch at least one topic or author")
    return radar


def load_radar(path: str | Path) -> Radar:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        hint = "file not found; copy radar.yaml from the repository"
        raise RadarError(str(path), None, "", hint) from None
    except (OSError, UnicodeDecodeError) as err:
        raise RadarError(str(path), None, "", f"cannot read it: {err}") from None
    return parse_radar(text, str(path))


def load_endpoints(environ: Mapping[str, str] = os.environ) -> Endpoints:
    """Endpoints from the environment (ARXIV_API_URL, ARXIV_RSS_URL, ARXIV_API_DELAY_SECONDS,
    BIORXIV_API_URL, CROSSREF_API_URL, HTTP_TIMEOUT_SECONDS)."""
    defaults = Endpoints()
    delay_raw = environ.get("ARXIV_API_DELAY_SECONDS", "")
    try:
        delay = float(delay_raw) if delay_raw else defaults.arxiv_api_delay
    except ValueError:
        hint = "expected seconds, e.g. 3"
        raise RadarError("environment", None, "ARXIV_API_DELAY_SECONDS", hint) from None
    timeout_raw = environ.get("HTTP_TIMEOUT_SECONDS", "")
    try:
        timeout = float(timeout_raw) if timeout_raw else defaults.timeout
    except ValueError:
        raise RadarError(
            "environment", None, "HTTP_TIMEOUT_SECONDS", "expected seconds, e.g. 30"
        ) from None
    return Endpoints(
        timeout=timeout,
        arxiv_api_url=environ.get("ARXIV_API_URL") or defaults.arxiv_api_url,
        arxiv_rss_url=environ.get("ARXIV_RSS_URL") or defaults.arxiv_rss_url,
        arxiv_api_delay=delay,
        biorxiv_api_url=environ.get("BIORXIV_API_URL") or defaults.biorxiv_api_url,
        crossref_api_url=environ.get("CROSSREF_API_URL") or defaults.crossref_api_url,
    )
