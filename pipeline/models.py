"""The data that flows between stages: every stage takes and returns these, nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Match:
    """Why a paper is on the radar: a topic (and the keyword or category that hit) or an author."""

    kind: str  # "topic", "author", or "library" (a suggestion: name is the library paper)
    name: str  # topic name or watched author as written in radar.yaml
    reason: str  # human sentence, e.g. 'keyword "federated" in title'


@dataclass(frozen=True)
class Tldr:
    """A paper in one sentence, and when the model gives them, its problem, method and result.
    `kind` says who wrote it: "llm" (asked once per paper, ever) or "automatic" (the abstract's
    own sentence stating its contribution, standing in until a model is asked)."""

    line: str
    problem: str = ""
    method: str = ""
    result: str = ""
    kind: str = "llm"


@dataclass(frozen=True)
class Paper:
    """One paper as a source saw it, normalised. `paper_id` is the dedupe key without version.

    Ids look like "arxiv:2606.19025", "doi:10.1038/s41586-024-0001-1" or "guid:<sha1>".
    """

    paper_id: str
    title: str
    authors: tuple[str, ...]
    abstract: str
    announced: date  # the day its source dates it (arXiv's announcement, the API's `updated`)
    source_label: str  # as the site shows it: "arXiv (cs.AI)", "Nature"
    source: str = ""  # the radar source that produced it: "arxiv", "feeds:Nature", ...
    categories: tuple[str, ...] = ()
    abs_url: str = ""
    pdf_url: str = ""
    doi: str = ""
    version: int | None = None
    announce_type: str = ""  # arXiv: new, replace, cross, replace-cross
    journal_ref: str = ""
    comment: str = ""  # arXiv's author comment: "12 pages. Code: https://github.com/org/repo"
    matches: tuple[Match, ...] = ()
    updated: date | None = None  # the day a newer version replaced the one first seen
    also_in: tuple[str, ...] = ()  # other source labels that carried the same paper
    journal_doi: str = ""  # a preprint's published version, when its server says (bioRxiv)
    first_seen: date | None = None  # the night the radar first stored it; its briefing's day
    tldr: Tldr | None = None

    @property
    def seen_day(self) -> date:
        """The night it reached the radar (an article older than First_seen: its date)."""
        return self.first_seen or self.announced

    relevance: float | None = None  # 0–1 from the reader's library (rank.py); None: no library
    related: tuple[str, ...] = ()  # titles of the nearest library papers, nearest first

    @property
    def is_cross_list(self) -> bool:
        return self.announce_type in ("cross", "replace-cross")


@dataclass(frozen=True)
class SkippedItem:
    """An item a source could not turn into a Paper; reported, never fatal."""

    source: str
    item: str
    reason: str


@dataclass(frozen=True)
class SourceResult:
    """What one fetch of one source gave: papers, or a failure reason, plus notes for the report."""

    source: str  # short name, e.g. "arXiv cs.AI", "arXiv API: author Zeyu Cao"
    papers: tuple[Paper, ...] = ()
    error: str = ""  # one line; empty when the fetch worked
    note: str = ""  # e.g. "arXiv announces nothing on weekends"
    skipped: tuple[SkippedItem, ...] = ()
    seconds: float = 0.0
    cut: tuple[str, ...] = ()  # fields shortened to a limit, one line each, naming the item

    @property
    def failed(self) -> bool:
        return bool(self.error)


@dataclass(frozen=True)
class Topic:
    name: str
    keywords: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class ArxivSource:
    categories: tuple[str, ...] = ()
    rss: bool = True  # the daily category feeds
    api: bool = True  # API queries for watched authors and topic keywords
    api_max_results: int = 50
    api_lookback_days: int = 7


@dataclass(frozen=True)
class FeedSource:
    """Any RSS/Atom feed (a journal's table of contents), by URL or by a preset's name."""

    name: str  # the source label cards show: "Nature", "bioRxiv (Neuroscience)"
    url: str
    preset: str = ""  # the catalog entry it came from (pipeline/presets.py)


@dataclass(frozen=True)
class PreprintSource:
    """bioRxiv or medRxiv through their details API: new preprints of the last days."""

    server: str  # "biorxiv" or "medrxiv"
    subjects: tuple[str, ...] = ()  # their category names; none = every subject
    lookback_days: int = 2


@dataclass(frozen=True)
class CrossrefJournal:
    issn: str
    name: str


@dataclass(frozen=True)
class CrossrefSource:
    """New works of journals with no feed, by ISSN, from the Crossref REST API."""

    journals: tuple[CrossrefJournal, ...] = ()
    mailto: str = ""  # Crossref's "polite pool": faster, and they can reach you
    lookback_days: int = 7


@dataclass(frozen=True)
class SiteSettings:
    title: str = "AcademicHub"
    url: str = ""
    tagline: str = "Academic Intelligence · Curated Daily"
    hero: str = "Explore the Frontier of Global Academia"
    description: str = (
        "AcademicHub aggregates new literature from arXiv, journals and preprint servers, "
        "matched to your topics and authors, with a daily cross-disciplinary briefing."
    )
    papers_per_page: int = 30
    language: str = "en"  # the interface's words: pipeline/site/messages.py


# llm.language codes → the language's name as the prompt asks for it
LANGUAGES = {
    "en": "English",
    "zh": "Simplified Chinese",
    "zh-tw": "Traditional Chinese",
    "ja": "Japanese",
    "ko": "Korean",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "ru": "Russian",
    "nl": "Dutch",
    "pl": "Polish",
    "tr": "Turkish",
    "ar": "Arabic",
    "hi": "Hindi",
    "vi": "Vietnamese",
    "id": "Indonesian",
    "uk": "Ukrainian",
}
REASONING_EFFORTS = ("none", "minimal", "low", "medium", "high")  # OpenAI's reasoning_effort
PROVIDERS = ("anthropic", "openai")


@dataclass(frozen=True)
class LLMSettings:
    """radar.yaml's `llm:`: which model briefs the day and writes each paper's TL;DR."""

    provider: str = "anthropic"  # or "openai": any OpenAI-compatible endpoint
    model: str = "claude-sonnet-5-5"
    base_url: str = ""  # empty: the SDK's own (ANTHROPIC_BASE_URL / OPENAI_BASE_URL or the vendor)
    api_key_env: str = ""  # empty: ANTHROPIC_API_KEY or OPENAI_API_KEY, by provider
    language: str = "en"  # briefings and TL;DRs; titles stay as published
    max_output_tokens: int = 8000  # per call; a day's papers are batched to fit their TL;DRs
    daily_input_token_budget: int = 60_000  # a hard cap on the input tokens a night may send
    thinking_budget: int = 0  # 0: thinking off; otherwise its own token budget per call
    reasoning_effort: str = ""  # OpenAI-compatible reasoning models: none … high; "": not sent
    json_mode: bool = True  # OpenAI-compatible endpoints: response_format json_object
    tone: str = "concise and concrete, for researchers who read across fields"
    upgrade_days: int = 3  # days back a missing briefing is made and an automatic one redone
    price_per_mtok: tuple[float, float] | None = None  # (input, output) US$; None: the table

    @property
    def key_variable(self) -> str:
        """The environment variable the key is read from."""
        default = "OPENAI_API_KEY" if self.provider == "openai" else "ANTHROPIC_API_KEY"
        return self.api_key_env or default


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class DigestSettings:
    """radar.yaml's `digest:`: the top papers sent by e-mail or chat once a day or a week."""

    cadence: str = "daily"  # "daily", "weekly" or "off" (no `digest:` block at all: "off")
    weekday: str = "mon"  # the day a weekly digest goes out (WEEKDAYS)
    top: int = 15  # papers per digest
    channels_env: str = "APPRISE_URLS"  # the environment variable (a secret) holding Apprise URLs


@dataclass(frozen=True)
class FeedbackSettings:
    """radar.yaml's `feedback:`: the repository whose issues carry 👍 / 👎 / ☆ from the site."""

    repository: str = ""  # owner/name; empty: GITHUB_REPOSITORY at build time, else no links


@dataclass(frozen=True)
class ZoteroLibrary:
    """A Zotero library read through its web API; the key comes from ZOTERO_API_KEY."""

    library: str  # "user:123456" or "group:987654"
    collection: str = ""  # a collection's key or name; empty = the whole library


@dataclass(frozen=True)
class LibrarySettings:
    """radar.yaml's `library:`: the reader's own papers, which rank every fetched paper."""

    papers: tuple[str, ...] = ()  # "arxiv:2411.02908", "doi:10.1038/…", looked up once
    bibtex: tuple[str, ...] = ()  # files, relative to radar.yaml's folder
    ris: tuple[str, ...] = ()
    csl_json: tuple[str, ...] = ()
    zotero: ZoteroLibrary | None = None
    suggest: int = 0  # papers a night no topic matched but the library ranks high
    threshold: float = 0.5  # least relevance a suggestion needs (0.5: above half the archive)
    not_interested: tuple[str, ...] = ()  # paper ids the reader does not want more of

    @property
    def is_configured(self) -> bool:
        return bool(self.papers or self.bibtex or self.ris or self.csl_json or self.zotero)


@dataclass(frozen=True)
class Radar:
    """radar.yaml, validated. Built only by config.load_radar."""

    path: str
    site: SiteSettings
    topics: tuple[Topic, ...]
    authors: tuple[str, ...]
    arxiv: ArxivSource
    feeds: tuple[FeedSource, ...] = ()
    preprints: tuple[PreprintSource, ...] = ()
    crossref: CrossrefSource = CrossrefSource()
    llm: LLMSettings = LLMSettings()
    digest: DigestSettings = DigestSettings()
    feedback: FeedbackSettings = FeedbackSettings()
    library: LibrarySettings = LibrarySettings()


@dataclass(frozen=True)
class Limits:
    """What one source may cost the night, so a hostile or broken one can neither exhaust
    memory, hold the run nor bloat an article. Defaults here; each is overridable by the
    environment variable named beside it (config.load_endpoints)."""

    max_response_bytes: int = 16 * 2**20  # HTTP_MAX_BYTES: read off the wire, per request
    max_decoded_bytes: int = 32 * 2**20  # HTTP_MAX_DECODED_BYTES: after gzip, per request
    source_seconds: float = 300.0  # SOURCE_DEADLINE_SECONDS: one source, retries included
    title_chars: int = 1_000  # MAX_TITLE_CHARS
    author_chars: int = 300  # MAX_AUTHOR_CHARS: one author's name
    authors: int = 1_000  # MAX_AUTHORS: names kept per paper
    abstract_chars: int = 20_000  # MAX_ABSTRACT_CHARS


@dataclass(frozen=True)
class Endpoints:
    """Network endpoints and politeness settings; from the environment so tests and mirrors can
    point elsewhere."""

    arxiv_api_url: str = "https://export.arxiv.org/api/query"
    arxiv_rss_url: str = "https://rss.arxiv.org/rss/"
    arxiv_api_delay: float = 3.0  # arXiv asks for one API request every 3 s
    biorxiv_api_url: str = "https://api.biorxiv.org/details/"  # server, dates and cursor appended
    crossref_api_url: str = "https://api.crossref.org/"
    zotero_api_url: str = "https://api.zotero.org"
    timeout: float = 30.0  # one request, from connect to its last byte
    user_agent: str = "AcademicHub/0.1 (+https://github.com/academichub/academichub)"
    limits: Limits = Limits()


@dataclass(frozen=True)
class WriteOutcome:
    """What the writer did with one paper."""

    paper_id: str
    path: str
    action: str  # "new", "updated", "unchanged"


@dataclass(frozen=True)
class Damaged:
    """An article in content/ that was skipped because it cannot be read, and what is wrong."""

    path: str  # from the archive folder's name: "content/papers/arxiv/2606/….md"
    reason: str


@dataclass(frozen=True)
class LLMFailure:
    """Why the model gave no briefing: the report carries it so the health issue can name the
    setting to fix (401 → the key, 404 → the model, 400 → the request settings)."""

    message: str  # one line, as in the report's note
    status: int | None  # the HTTP status of the last answer; None for a timeout or no connection
    requests: int  # requests really sent, retries included
    model: str = ""
    model_setting: str = ""  # the radar.yaml key naming the model, e.g. "briefing.model"
    key_env: str = ""  # the environment variable (the workflow's secret) holding the key


@dataclass
class RunReport:
    """Collected as the run goes; printed and saved at the end."""

    announce_day: date
    sources: list[SourceResult] = field(default_factory=list)
    fetched: int = 0
    matched: int = 0
    duplicates: int = 0
    written: list[WriteOutcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    damaged: list[Damaged] = field(default_factory=list)
    tokens_in: int = 0
    tokens_out: int = 0
    llm_calls: int = 0
    cost_usd: float = 0.0
    cost_unknown: bool = False  # a model was paid for whose price the table does not know
    suggested: int = 0  # papers no topic matched that the library brought in
    seconds: float = 0.0
    llm_failure: LLMFailure | None = None

    @property
    def new(self) -> int:
        return sum(1 for w in self.written if w.action == "new")

    @property
    def updated(self) -> int:
        return sum(1 for w in self.written if w.action == "updated")
