"""The digest: the radar's top papers of a day or a week, sent once per period by e-mail (HTML
with a plain-text part) and to chat services (short Markdown within each service's length limit)
through Apprise, to the URLs held in a secret.

Pure: which period is due (`due_period`, `window`), which papers in what order
(`select_papers`), and the renderings (`render_html`, `render_chat`). At the edges: reading the
archive (`read_digest`), the sent state in content/state/digest.json (written atomically after
each channel, so a rerun never sends twice) and Apprise (`send`)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any

from .archive import article_slug, papers_announced_on
from .brief import Briefing, briefing_relpath, read_briefing
from .digest_order import digest_order
from .models import WEEKDAYS, DigestSettings, Paper, Radar
from .site.listings import listing_url
from .state import read_state
from .state import save_state as save_state_file
from .text import chat_markdown, one_line

log = logging.getLogger(__name__)

STATE_FILE = "digest.json"  # in content/state/, beside the other state files
CATCH_UP_DAYS = 7  # a daily digest that failed carries the missed days, up to a week
SNIPPET_CHARS = 280  # an abstract's opening, when the paper has no TL;DR
CHAT_SNIPPET_CHARS = 160
CHAT_OVERVIEW_CHARS = 400
MAX_BRIEFINGS = 7


# ---- which papers, when ---------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """The days a digest covers; `end` is the day it goes out (daily: the day itself)."""

    cadence: str  # "daily" or "weekly"
    start: date
    end: date

    @property
    def label(self) -> str:
        if self.cadence == "daily":
            return self.end.isoformat()
        return f"week of {self.start.isoformat()} – {self.end.isoformat()}"


def due_period(day: date, settings: DigestSettings) -> Period | None:
    """The period whose digest is due on `day`. A weekly digest is due from its weekday on, so a
    failed Monday is retried on Tuesday for the same week."""
    if settings.cadence == "daily":
        return Period("daily", day, day)
    if settings.cadence == "weekly":
        send_day = day - timedelta(days=(day.weekday() - WEEKDAYS.index(settings.weekday)) % 7)
        return Period("weekly", send_day - timedelta(days=6), send_day)
    return None


def window(
    period: Period, sent_through: date | None, missed_from: date | None = None
) -> tuple[date, date] | None:
    """The days a channel's digest covers, or None when it already has this period's. A channel
    whose last digest failed gets the missed days too (at most CATCH_UP_DAYS back)."""
    if sent_through is not None and sent_through >= period.end:
        return None
    start = period.start
    oldest = period.end - timedelta(days=CATCH_UP_DAYS - 1)
    if sent_through is not None:
        start = min(start, max(sent_through + timedelta(days=1), oldest))
    if missed_from is not None:
        start = min(start, max(missed_from, oldest))
    return start, period.end


@dataclass(frozen=True)
class DigestPaper:
    """A paper as the digest shows it: what it is, why it is here, where to read it."""

    paper_id: str
    title: str
    authors: tuple[str, ...]
    source_label: str
    announced: date
    reasons: tuple[str, ...]
    summary: str  # the TL;DR when the archive has one, else the abstract's opening
    has_tldr: bool
    relevance: float | None  # 0–1 from the library ranking; None without a library
    page_url: str  # the paper's page on the site; "" without site.url
    abs_url: str = ""
    pdf_url: str = ""


def select_papers(papers: Iterable[DigestPaper], top: int) -> tuple[DigestPaper, ...]:
    ranked = sorted(papers, key=lambda p: digest_order(p.relevance, p.announced, p.paper_id))
    return tuple(ranked[:top])


def _snippet(text: str, limit: int) -> str:
    text = one_line(text)
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"


def page_url(site_url: str, paper_id: str) -> str:
    """The paper's page (pelicanconf's ARTICLE_URL), absolute: the digest is read elsewhere."""
    return f"{site_url}/papers/{article_slug(paper_id)}/" if site_url else ""


def digest_paper(paper: Paper, site_url: str) -> DigestPaper:
    """The paper as a digest shows it: its TL;DR and relevance when their stages wrote them
    (per-paper summaries, the library ranking), else the abstract's first words."""
    tldr = one_line(paper.tldr.line) if paper.tldr else ""
    return DigestPaper(
        paper_id=paper.paper_id,
        title=one_line(paper.title),
        authors=paper.authors,
        source_label=paper.source_label,
        announced=paper.announced,
        reasons=tuple(one_line(m.reason) for m in paper.matches),
        summary=tldr or _snippet(paper.abstract, SNIPPET_CHARS),
        has_tldr=bool(tldr),
        relevance=paper.relevance,
        page_url=page_url(site_url, paper.paper_id),
        abs_url=paper.abs_url,
        pdf_url=paper.pdf_url,
    )


# ---- what a digest holds --------------------------------------------------------------------


@dataclass(frozen=True)
class Digest:
    site_title: str
    site_url: str
    start: date
    end: date
    briefings: tuple[Briefing, ...]  # newest first
    papers: tuple[DigestPaper, ...]  # in digest order, at most `top`
    total: int  # papers the window holds

    @property
    def title(self) -> str:
        days = self.end.isoformat()
        if self.start != self.end:
            days = f"{self.start.isoformat()} – {days}"
        return f"{self.site_title}: {self.total} new paper{'s' * (self.total != 1)}, {days}"

    @property
    def more_url(self) -> str:
        """Where the rest is: the day's listing, or the site's weekly digest page."""
        if not self.site_url:
            return ""
        if self.start == self.end:
            return f"{self.site_url}/{listing_url(self.end.isoformat(), 'day')}"
        return f"{self.site_url}/digest/"


def read_digest(radar: Radar, content_dir: Path, start: date, end: date) -> Digest:
    """The window's papers and briefings from the archive, each article read once; a damaged
    one is left out (the run report names it)."""
    days = {start + timedelta(days=n) for n in range((end - start).days + 1)}
    found = papers_announced_on(content_dir, days)
    candidates = [
        digest_paper(paper, radar.site.url) for day in sorted(found) for paper in found[day]
    ]
    briefings = []
    for day in sorted(days, reverse=True)[:MAX_BRIEFINGS]:
        try:
            text = (content_dir / briefing_relpath(day)).read_text(encoding="utf-8")
        except OSError:
            continue
        briefings.append(read_briefing(text, day))
    return Digest(
        radar.site.title,
        radar.site.url,
        start,
        end,
        tuple(briefings),
        select_papers(candidates, radar.digest.top),
        len(candidates),
    )


# ---- renderings -----------------------------------------------------------------------------


def _authors(authors: Sequence[str]) -> str:
    shown = ", ".join(authors[:3])
    return f"{shown} et al." if len(authors) > 3 else shown


def _link(url: str, text: str, style: str = "") -> str:
    style_attr = f' style="{style}"' if style else ""
    return f'<a href="{escape(url)}"{style_attr}>{escape(text)}</a>'


def render_html(digest: Digest) -> str:
    """The e-mail: every value escaped; links only to the site and the papers' own http(s)
    pages. Each paper's page address is also shown as text, so the plain-text part Apprise
    derives from this HTML keeps it."""
    muted = "color:#57606a;font-size:13px"
    parts = [
        '<div style="font-family:system-ui,sans-serif;max-width:680px;line-height:1.45">',
        f'<h1 style="font-size:20px">{escape(digest.title)}</h1>',
    ]
    for briefing in digest.briefings:
        label = "Briefing" if briefing.kind == "llm" else "Automatic briefing"
        parts.append(f'<h2 style="font-size:16px">{label} of {briefing.day.isoformat()}</h2>')
        if briefing.overview:
            parts.append(f"<p>{escape(briefing.overview)}</p>")
        if briefing.themes:
            items = "".join(
                f"<li><strong>{escape(t.title)}</strong>"
                + (f": {escape(t.summary)}" if t.summary else "")
                + "</li>"
                for t in briefing.themes
            )
            parts.append(f"<ul>{items}</ul>")
    heading = "Top papers" if len(digest.papers) < digest.total else "Papers"
    parts.append(f'<h2 style="font-size:16px">{heading}</h2>')
    parts.append("<ol>")
    for paper in digest.papers:
        title = (
            _link(paper.page_url or paper.abs_url, paper.title, "font-weight:600")
            if paper.page_url or paper.abs_url
            else f"<strong>{escape(paper.title)}</strong>"
        )
        lines = [
            title,
            f'<span style="{muted}">{escape(_authors(paper.authors))} · '
            f"{escape(paper.source_label)} · {paper.announced.isoformat()}</span>",
        ]
        if paper.summary:
            label = "TL;DR: " if paper.has_tldr else ""
            lines.append(f"{label}{escape(paper.summary)}")
        if paper.reasons:
            lines.append(f'<span style="{muted}">Why: {escape("; ".join(paper.reasons))}</span>')
        links = [_link(u, t) for u, t in ((paper.abs_url, "abstract"), (paper.pdf_url, "PDF")) if u]
        if paper.page_url:
            links.insert(0, _link(paper.page_url, paper.page_url))
        if links:
            lines.append(f'<span style="{muted}">{" · ".join(links)}</span>')
        parts.append(f'<li style="margin:0 0 14px">{"<br>".join(lines)}</li>')
    parts.append("</ol>")
    if digest.more_url and digest.total > len(digest.papers):
        more = digest.total - len(digest.papers)
        parts.append(f"<p>{more} more: {_link(digest.more_url, digest.more_url)}</p>")
    site = _link(digest.site_url, digest.site_url) if digest.site_url else "the radar"
    parts.append(
        f'<p style="{muted}">From {escape(digest.site_title)} ({site}); '
        "the digest is set in radar.yaml under digest.</p></div>"
    )
    return "\n".join(parts)


def _chat_paper(number: int, paper: DigestPaper) -> str:
    title = chat_markdown(paper.title)
    url = paper.page_url or paper.abs_url
    head = f"**{number}. [{title}]({url})**" if url else f"**{number}. {title}**"
    lines = [f"{head} · {chat_markdown(paper.source_label)}"]
    if paper.summary:
        label = "TL;DR: " if paper.has_tldr else ""
        lines.append(label + chat_markdown(_snippet(paper.summary, CHAT_SNIPPET_CHARS)))
    if paper.reasons:
        lines.append("_Why: " + chat_markdown(_snippet("; ".join(paper.reasons), 120)) + "_")
    return "\n".join(lines)


def render_chat(digest: Digest, max_chars: int) -> str:
    """Short Markdown for chat: the overview, the themes' names, then as many of the top papers
    as fit in `max_chars` (the service's limit), whole, never cut mid-line."""
    head = []
    if digest.briefings:
        latest = digest.briefings[0]
        if latest.overview:
            head.append(chat_markdown(_snippet(latest.overview, CHAT_OVERVIEW_CHARS)))
        if latest.themes:
            head.append("Themes: " + " · ".join(chat_markdown(t.title) for t in latest.themes))
    for shown in range(len(digest.papers), -1, -1):
        blocks = [*head, *(_chat_paper(n, p) for n, p in enumerate(digest.papers[:shown], 1))]
        rest = digest.total - shown
        if rest and digest.more_url:
            blocks.append(f"{rest} more: {digest.more_url}")
        text = "\n\n".join(blocks)
        if len(text) <= max_chars:
            return text
    return text[:max_chars].rsplit("\n", 1)[0] if "\n" in text[:max_chars] else text[:max_chars]


# ---- the sent state -------------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelState:
    through: date | None = None  # the last day a delivered digest covered
    missed_from: date | None = None  # the first day of a digest that failed, until delivered
    sent_at: str = ""
    failed_at: str = ""
    failure: str = ""


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def load_state(content_dir: Path) -> dict[str, ChannelState]:
    """Channels by key ("1:mailtos": position in the secret and scheme; never the URL, which
    holds credentials). A missing or damaged file is an empty state: at worst one digest again."""
    channels = read_state(content_dir, STATE_FILE).get("channels", {})
    state = {}
    for key, value in channels.items() if isinstance(channels, dict) else ():
        try:
            state[key] = ChannelState(
                through=_day(value.get("through")),
                missed_from=_day(value.get("missed_from")),
                sent_at=str(value.get("sent_at", "")),
                failed_at=str(value.get("failed_at", "")),
                failure=str(value.get("failure", "")),
            )
        except (AttributeError, TypeError, ValueError):
            log.warning("%s: channel %s is unreadable; it gets the digest again", STATE_FILE, key)
    return state


def save_state(content_dir: Path, state: dict[str, ChannelState]) -> None:
    channels = {
        key: {
            "through": value.through.isoformat() if value.through else "",
            "sent_at": value.sent_at,
            **(
                {
                    "missed_from": value.missed_from.isoformat() if value.missed_from else "",
                    "failed_at": value.failed_at,
                    "failure": value.failure,
                }
                if value.failure
                else {}
            ),
        }
        for key, value in state.items()
    }
    save_state_file(content_dir, STATE_FILE, {"channels": channels})


# ---- sending --------------------------------------------------------------------------------


def channel_key(position: int, url: str) -> str:
    return f"{position}:{url.partition('://')[0].lower()}"


def _redact(message: str, url: str) -> str:
    """Apprise's own warning, without any piece of the URL long enough to be a secret."""
    for piece in sorted(set(re.split(r"[:/@?&=#,]+", url.partition("://")[2])), key=len)[::-1]:
        if len(piece) >= 4:
            message = message.replace(piece, "…")
    return one_line(message)[:200]


@dataclass(frozen=True)
class Delivery:
    key: str
    service: str  # Apprise's name for it: "E-Mail", "Mattermost", …
    delivered: bool
    reason: str = ""


def send(position: int, url: str, digest: Digest) -> Delivery:
    """One channel: HTML for services that prefer it (e-mail), Markdown cut to the service's
    length limit for the rest. Apprise's timeouts bound each attempt; failures are returned."""
    import apprise  # imported here: the rest of the pipeline does not need it loaded

    key = channel_key(position, url)
    plugin = apprise.Apprise.instantiate(url)
    if plugin is None:
        scheme = url.partition("://")[0][:20]
        return Delivery(key, scheme, False, f"Apprise does not know the URL scheme {scheme!r}")
    service = str(getattr(plugin, "service_name", "") or key)
    formats = plugin.notify_format
    preferred = formats[0] if isinstance(formats, tuple) else formats
    if preferred == apprise.NotifyFormat.HTML:
        body, body_format = render_html(digest), apprise.NotifyFormat.HTML
    else:
        limit = plugin.body_maxlen - (len(digest.title) + 2 if plugin.title_maxlen <= 0 else 0)
        body, body_format = render_chat(digest, max(limit, 0)), apprise.NotifyFormat.MARKDOWN
    with apprise.LogCapture(level=logging.WARNING) as captured:
        delivered = bool(plugin.notify(body=body, title=digest.title, body_format=body_format))
    warnings = [line for line in captured.getvalue().splitlines() if line.strip()]
    reason = "" if delivered else _redact(warnings[-1] if warnings else "not delivered", url)
    return Delivery(key, service, delivered, reason)


def send_digests(
    radar: Radar, content_dir: Path, day: date, urls: Sequence[str], now: datetime | None = None
) -> list[str]:
    """Send the due digest to every channel that does not have it yet; the report's lines.
    Never raises for a channel: a failure is reported and retried on the next run."""
    period = due_period(day, radar.digest)
    if period is None:
        return []
    if not urls:
        return [f"digest: no channels; put Apprise URLs in the secret {radar.digest.channels_env}"]
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    state = load_state(content_dir)
    notes = []
    digests: dict[tuple[date, date], Digest] = {}
    for position, url in enumerate(urls, 1):
        key = channel_key(position, url)
        previous = state.get(key, ChannelState())
        days = window(period, previous.through, previous.missed_from)
        if days is None:
            notes.append(f"digest: channel {key} already has the digest of {period.label}")
            continue
        if days not in digests:
            digests[days] = read_digest(radar, content_dir, *days)
        digest = digests[days]
        if not digest.papers:
            notes.append(f"digest: no papers for {period.label}; nothing sent to {key}")
            continue
        delivery = send(position, url, digest)
        if delivery.delivered:
            state[key] = ChannelState(through=period.end, sent_at=stamp)
            notes.append(
                f"digest: sent the digest of {period.label} ({digest.total} papers) "
                f"to channel {key} ({delivery.service})"
            )
        else:
            missed = min(days[0], previous.missed_from or days[0])
            state[key] = replace(
                previous, missed_from=missed, failed_at=stamp, failure=delivery.reason
            )
            notes.append(
                f"digest: channel {key} ({delivery.service}) FAILED: {delivery.reason}; "
                f"check that URL in {radar.digest.channels_env}; retried next run"
            )
        save_state(content_dir, state)  # after each channel: a crash never resends the others
    return notes


def parse_channels(secret: str) -> list[str]:
    """Apprise URLs as its own CLI reads them: separated by spaces, commas or new lines."""
    from apprise.utils.parse import parse_urls

    return [url for url in parse_urls(secret or "") if url]
