"""radar.yaml → Radar, validated once. Every error names the file, the line and the key and says
what to write instead; nothing downstream reads YAML or the environment."""

from __future__ import annotations

import dataclasses
import difflib
import math
import os
import re
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .arxiv_categories import category_problem
from .errors import UserError
from .models import (
    ArxivSource,
    CrossrefJournal,
    CrossrefSource,
    DigestSettings,
    Endpoints,
    FeedSource,
    LibrarySettings,
    Limits,
    LLMSettings,
    PreprintSource,
    Radar,
    SiteSettings,
    Topic,
    ZoteroLibrary,
)
from .presets import SERVERS, find_preset, preset_names
from .radar_keys import (
    ARXIV,
    ARXIV_CATEGORY,
    ARXIV_FEED,
    BOOLEAN,
    CHOICE,
    CROSSREF,
    CROSSREF_JOURNAL,
    DIGEST,
    FEED,
    FEEDBACK,
    FILES,
    INTEGER,
    LEAF_KINDS,
    LIBRARY,
    LLM,
    NUMBER,
    PREPRINT,
    PRICE,
    SITE,
    SOURCES,
    STRINGS,
    TOP,
    TOPIC,
    ZOTERO,
    Key,
    Section,
)
from .text import one_line


class RadarError(UserError):
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
        raise ctx.fail(
            node, key, f"expected a mapping with keys {', '.join(allowed)}, got {_describe(node)}"
        )
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


def _number(ctx: _Ctx, node: Node, key: str, low: float | None, high: float | None) -> float:
    raw = _scalar(ctx, node, key)
    bounds = [
        f"at least {low}" if low is not None else "",
        f"at most {high}" if high is not None else "",
    ]
    wanted = " and ".join(bound for bound in bounds if bound)
    problem = f"expected a number {wanted}".rstrip() + f", got {raw!r}"
    try:
        value = float(raw)
    except ValueError:
        raise ctx.fail(node, key, problem) from None
    too_low, too_high = low is not None and value < low, high is not None and value > high
    if not math.isfinite(value) or too_low or too_high:
        raise ctx.fail(node, key, problem)
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
    """A list of strings. A single string is an error that shows the list to write: YAML reads
    `authors: Zeyu Cao, Ada Lovelace` as one name, which would silently watch nobody."""
    if isinstance(node, ScalarNode):
        if node.value in ("", "null", "~"):
            return ()
        raise ctx.fail(node, key, _list_hint(key, node.value))
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


def _list_hint(key: str, value: str) -> str:
    name = key.rsplit(".", 1)[-1]
    items = [part.strip() for part in value.split(",") if part.strip()]
    hint = f"expected a list, got the single string {value!r}; write {name}: [{', '.join(items)}]"
    if len(items) == 2 and " " not in items[0] and " " not in items[1]:
        hint += f' (or, for one name written "Family, Given": {name}: ["{value}"])'
    return hint


def _sequence(ctx: _Ctx, node: Node, key: str) -> list[Node]:
    if isinstance(node, ScalarNode) and node.value in ("", "null", "~"):
        return []
    if not isinstance(node, SequenceNode):
        raise ctx.fail(node, key, f"expected a list, got {_describe(node)}")
    return node.value


def _pattern_check(key: Key) -> Callable[[str], str | None] | None:
    """The table's pattern for `key` as a check giving the table's hint, or None."""
    if not key.pattern:
        return None
    return lambda value: None if re.search(key.pattern, value) else key.hint.format(value=value)


def _strings_check(key: Key) -> Callable[[str], str | None] | None:
    """Category keys are checked against arXiv's list (with "did you mean"); others by pattern."""
    if key.pattern in (ARXIV_CATEGORY, ARXIV_FEED):
        combined = key.pattern == ARXIV_FEED
        return lambda value: category_problem(value, combined=combined)
    return _pattern_check(key)


def _leaf(ctx: _Ctx, node: Node, full: str, key: Key) -> Any:
    """One value of a TEXT, INTEGER, NUMBER, BOOLEAN, CHOICE, STRINGS or FILES key, checked."""
    if key.kind == STRINGS:
        return _text_list(ctx, node, full, _strings_check(key))
    if key.kind == FILES:
        # One file name is unambiguous (unlike "Zeyu Cao, Ada Lovelace" for a list of names).
        if isinstance(node, ScalarNode) and node.value not in ("", "null", "~"):
            return (_text(ctx, node, full),)
        return _text_list(ctx, node, full)
    if key.kind == INTEGER:
        return _integer(ctx, node, full, int(key.low), int(key.high))
    if key.kind == NUMBER:
        return _number(ctx, node, full, key.low, key.high)
    if key.kind == BOOLEAN:
        return _boolean(ctx, node, full)
    value = _text(ctx, node, full, allow_empty=key.empty_ok)
    if key.kind == CHOICE and value not in key.choices:
        close = difflib.get_close_matches(value, key.choices, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise ctx.fail(node, full, f"{hint}expected one of {', '.join(key.choices)}")
    problem = _pattern_check(key)
    if problem and problem(value):
        raise ctx.fail(node, full, problem(value))
    return value


def read_section(
    ctx: _Ctx, node: Node, where: str, section: Section
) -> tuple[dict[str, Any], dict[str, Node]]:
    """A section's leaf values, checked against the table, and every key's node (for the
    nested ones and for errors about a value). Required keys are enforced here."""
    fields = _mapping(ctx, node, where, section.about())
    for key in section.keys:
        if key.required and key.name not in fields:
            raise ctx.fail(node, where, key.required)
    values = {
        name: _leaf(ctx, value_node, f"{where}.{name}" if where else name, section.key(name))
        for name, value_node in fields.items()
        if section.key(name).kind in LEAF_KINDS
    }
    return values, fields


def _require_any(
    ctx: _Ctx, node: Node | None, where: str, section: Section, values: Mapping[str, Any]
) -> None:
    """The section's `any_of` rule: at least one group of keys given with non-empty values."""
    if not any(all(values.get(name) for name in group) for group in section.any_of):
        raise ctx.fail(node, where, section.any_of_hint)


def _settings(ctx: _Ctx, node: Node | None, where: str, section: Section) -> Any:
    """A section made only of leaf keys, as its dataclass; absent → the dataclass's defaults."""
    if node is None:
        return section.model()
    values, _ = read_section(ctx, node, where, section)
    return section.model(**values)


def _site(ctx: _Ctx, node: Node | None) -> SiteSettings:
    site = _settings(ctx, node, "site", SITE)
    return dataclasses.replace(site, url=site.url.rstrip("/"))


def _topic(ctx: _Ctx, node: Node, key: str) -> Topic:
    values, _ = read_section(ctx, node, key, TOPIC)
    _require_any(ctx, node, key, TOPIC, values)
    return Topic(**values)


def _arxiv(ctx: _Ctx, node: Node | None) -> ArxivSource:
    if node is None:
        return ArxivSource(rss=False, api=False)
    return _settings(ctx, node, "sources.arxiv", ARXIV)


def _feeds(ctx: _Ctx, node: Node | None) -> tuple[FeedSource, ...]:
    if node is None:
        return ()
    feeds = []
    for index, item in enumerate(_sequence(ctx, node, "sources.feeds")):
        key = f"sources.feeds[{index}]"
        values, fields = read_section(ctx, item, key, FEED)
        preset = None
        if "preset" in values:
            preset = find_preset(values["preset"])
            if preset is None:
                name = values["preset"]
                close = difflib.get_close_matches(name.lower(), preset_names(), n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                problem = f"unknown preset {name!r}; {hint}the README lists them"
                raise ctx.fail(fields["preset"], f"{key}.preset", problem)
        _require_any(ctx, item, key, FEED, values)
        feeds.append(
            FeedSource(
                name=values.get("name") or preset.name,
                url=values.get("url") or preset.url,
                preset=preset.preset if preset else "",
            )
        )
    return tuple(feeds)


def _preprints(ctx: _Ctx, sources: dict[str, Node]) -> tuple[PreprintSource, ...]:
    found = []
    for server in ("biorxiv", "medrxiv"):
        if server not in sources:
            continue
        key = f"sources.{server}"
        values, fields = read_section(ctx, sources[server], key, PREPRINT)
        subjects = tuple(
            s.strip().lower().replace(" ", "_").replace("-", "_")
            for s in values.get("subjects", ())
        )
        known = SERVERS[server][1]
        for subject in subjects:
            if subject not in known:
                close = difflib.get_close_matches(subject, known, n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                problem = f"unknown subject {subject!r}; {hint}see README"
                raise ctx.fail(fields["subjects"], f"{key}.subjects", problem)
        found.append(PreprintSource(**{**values, "server": server, "subjects": subjects}))
    return tuple(found)


def _crossref(ctx: _Ctx, node: Node | None) -> CrossrefSource:
    if node is None:
        return CrossrefSource()
    values, fields = read_section(ctx, node, "sources.crossref", CROSSREF)
    items = (
        _sequence(ctx, fields["journals"], "sources.crossref.journals")
        if "journals" in fields
        else []
    )
    journals = []
    for index, item in enumerate(items):
        journal, _ = read_section(
            ctx, item, f"sources.crossref.journals[{index}]", CROSSREF_JOURNAL
        )
        issn = journal["issn"].upper()
        journals.append(CrossrefJournal(issn=issn, name=journal.get("name", issn)))
    return CrossrefSource(**{**values, "journals": tuple(journals)})


def _llm(ctx: _Ctx, node: Node | None) -> LLMSettings:
    """llm: as the table reads it, and the rules between its keys."""
    if node is None:
        return LLMSettings()
    values, fields = read_section(ctx, node, "llm", LLM)
    if values.get("provider") == "openai" and "model" not in values:
        raise ctx.fail(
            node,
            "llm.model",
            'name the endpoint\'s model, e.g. model: deepseek-chat (README, "Choosing the model")',
        )
    if "base_url" in values:
        values["base_url"] = values["base_url"].rstrip("/")
    if 0 < values.get("thinking_budget", 0) < 1024:
        raise ctx.fail(
            fields["thinking_budget"],
            "llm.thinking_budget",
            "0 (thinking off) or at least 1024 tokens",
        )
    if "reasoning_effort" in values and values.get("provider", "anthropic") != "openai":
        raise ctx.fail(
            fields["reasoning_effort"],
            "llm.reasoning_effort",
            "is sent to OpenAI-compatible endpoints only (provider: openai); for Anthropic "
            "give thinking its own tokens with thinking_budget",
        )
    if "price_per_mtok" in fields:
        prices, _ = read_section(ctx, fields["price_per_mtok"], "llm.price_per_mtok", PRICE)
        values["price_per_mtok"] = (prices["input"], prices["output"])
    return LLMSettings(**values)


def _moved_briefing(ctx: _Ctx, root: Node) -> None:
    """radar.yaml before the `llm:` section had `briefing:`; say where its keys went."""
    if not isinstance(root, MappingNode):
        return
    for key_node, value_node in root.value:
        if isinstance(key_node, ScalarNode) and key_node.value == "briefing":
            names = (
                [k.value for k, _ in value_node.value]
                if isinstance(value_node, MappingNode)
                else []
            )
            moved = ", ".join(f"llm.{name}" for name in names) or "llm"
            raise ctx.fail(
                key_node,
                "briefing",
                "the briefing's settings moved under 'llm:' (now also the TL;DRs'): "
                f"rename 'briefing:' to 'llm:' ({moved}); README, \"Choosing the "
                'model", lists the keys',
            )


def _library(ctx: _Ctx, node: Node | None) -> LibrarySettings:
    if node is None:
        return LibrarySettings()
    values, fields = read_section(ctx, node, "library", LIBRARY)
    for name in ("papers", "not_interested"):
        if name in values:
            values[name] = tuple(i.lower() if i.startswith("arxiv:") else i for i in values[name])
    if "zotero" in fields:
        zotero, _ = read_section(ctx, fields["zotero"], "library.zotero", ZOTERO)
        values["zotero"] = ZoteroLibrary(**zotero)
    library = LibrarySettings(**values)
    if library.suggest and not library.is_configured:
        hint = "suggestions need your papers: give papers, bibtex, ris, csl_json or zotero"
        raise ctx.fail(fields["suggest"], "library.suggest", hint)
    return library


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
    _moved_briefing(ctx, root)
    top = _mapping(ctx, root, "", TOP.about())
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
    sources = _mapping(ctx, top["sources"], "sources", SOURCES.about()) if "sources" in top else {}
    radar = Radar(
        path=path,
        site=_site(ctx, top.get("site")),
        topics=topics,
        authors=authors,
        arxiv=_arxiv(ctx, sources.get("arxiv")),
        feeds=_feeds(ctx, sources.get("feeds")),
        preprints=_preprints(ctx, sources),
        crossref=_crossref(ctx, sources.get("crossref")),
        llm=_llm(ctx, top.get("llm")),
        digest=_settings(ctx, top["digest"], "digest", DIGEST)
        if "digest" in top
        else DigestSettings(cadence="off"),
        feedback=_settings(ctx, top.get("feedback"), "feedback", FEEDBACK),
        library=_library(ctx, top.get("library")),
    )
    _require_any(ctx, None, "topics", TOP, {"topics": radar.topics, "authors": radar.authors})
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


def load_radar_at(spec: str, repo: Path = Path(".")) -> Radar:
    """`spec` is a file, or a git object `REV:PATH` such as `origin/main:radar.yaml` (a file
    wins when both could be meant)."""
    if Path(spec).exists() or ":" not in spec:
        return load_radar(spec)
    shown = subprocess.run(
        ["git", "show", spec], cwd=repo, capture_output=True, text=True, check=False
    )
    if shown.returncode != 0:
        problem = one_line(shown.stderr) or f"git exit status {shown.returncode}"
        raise RadarError(spec, None, "", f"cannot read it from git: {problem}")
    return parse_radar(shown.stdout, spec)


def load_endpoints(environ: Mapping[str, str] = os.environ) -> Endpoints:
    """Endpoints from the environment (ARXIV_API_URL, ARXIV_RSS_URL, ARXIV_API_DELAY_SECONDS,
    BIORXIV_API_URL, CROSSREF_API_URL, ZOTERO_API_URL,
    HTTP_TIMEOUT_SECONDS) and the limits (load_limits)."""
    defaults = Endpoints()
    return Endpoints(
        timeout=_env_number(environ, "HTTP_TIMEOUT_SECONDS", defaults.timeout, SECONDS, 0.1),
        arxiv_api_url=environ.get("ARXIV_API_URL") or defaults.arxiv_api_url,
        arxiv_rss_url=environ.get("ARXIV_RSS_URL") or defaults.arxiv_rss_url,
        arxiv_api_delay=_env_number(
            environ, "ARXIV_API_DELAY_SECONDS", defaults.arxiv_api_delay, "seconds, e.g. 3", 0
        ),
        biorxiv_api_url=environ.get("BIORXIV_API_URL") or defaults.biorxiv_api_url,
        crossref_api_url=environ.get("CROSSREF_API_URL") or defaults.crossref_api_url,
        zotero_api_url=environ.get("ZOTERO_API_URL") or defaults.zotero_api_url,
        limits=load_limits(environ),
    )


SECONDS = "seconds, e.g. 30"
LIMIT_VARIABLES = {  # Limits field → (environment variable, example, smallest value)
    "max_response_bytes": ("HTTP_MAX_BYTES", "bytes, e.g. 16777216", 1),
    "max_decoded_bytes": ("HTTP_MAX_DECODED_BYTES", "bytes, e.g. 33554432", 1),
    "source_seconds": ("SOURCE_DEADLINE_SECONDS", "seconds, e.g. 300", 0.1),
    "title_chars": ("MAX_TITLE_CHARS", "characters, e.g. 1000", 1),
    "author_chars": ("MAX_AUTHOR_CHARS", "characters, e.g. 300", 1),
    "authors": ("MAX_AUTHORS", "a number of names, e.g. 1000", 1),
    "abstract_chars": ("MAX_ABSTRACT_CHARS", "characters, e.g. 20000", 1),
}


def load_limits(environ: Mapping[str, str] = os.environ) -> Limits:
    """Limits with each default replaced by its environment variable, when set."""
    defaults = Limits()
    values: dict[str, Any] = {}
    for name, (variable, example, minimum) in LIMIT_VARIABLES.items():
        default = getattr(defaults, name)
        value = _env_number(environ, variable, default, example, minimum)
        values[name] = type(default)(value)
    return Limits(**values)


def _env_number(
    environ: Mapping[str, str], variable: str, default: float, example: str, minimum: float
) -> float:
    raw = environ.get(variable, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not value >= minimum:  # also false for nan
        hint = f"expected {example}, at least {minimum:g}"
        raise RadarError("environment", None, variable, hint) from None
    return value
