"""The digest over loopback: a real SMTP server (aiosmtpd) and a Mattermost-style webhook on
127.0.0.1 receive it through Apprise, once per period, in digest order, within the service's
length limit; a rerun sends nothing; an unreachable channel is reported and retried."""

from __future__ import annotations

import email
import email.policy
import json
import socket
from collections.abc import Iterator
from datetime import date, timedelta
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from hypothesis import given, settings
from hypothesis import strategies as st
from replay import ReplayServer, Reply

from pipeline.__main__ import main
from pipeline.archive import article_relpath
from pipeline.archive.store import store_papers
from pipeline.brief import briefing_relpath, embedded_briefing, read_briefing, render_briefing
from pipeline.config import RadarError, parse_radar
from pipeline.digest import (
    CATCH_UP_DAYS,
    Period,
    due_period,
    load_state,
    read_digest,
    render_chat,
    send_digests,
    window,
)
from pipeline.models import WEEKDAYS, DigestSettings, Match, Paper

DAY = date(2026, 12, 3)  # a Thursday
SITE = "https://radar.example.org/hub"
HOSTILE_TITLE = "<script>alert(1)</script> **bold** [link](javascript:x) @channel"


def _paper(n: int, title: str, day: date = DAY, **extra: object) -> Paper:
    fields: dict[str, object] = {
        "paper_id": f"arxiv:2612.{n:05d}",
        "title": title,
        "authors": (f"Author {n}", "Zeyu Cao"),
        "abstract": f"Abstract of paper {n}: federated training over slow links, step {n}.",
        "announced": day,
        "source_label": "arXiv (cs.LG)",
        "source": "arxiv",
        "abs_url": f"https://arxiv.org/abs/2612.{n:05d}",
        "pdf_url": f"https://arxiv.org/pdf/2612.{n:05d}",
        "matches": (Match("topic", "Low-communication training", f'keyword "federated" ({n})'),),
    }
    fields.update(extra)
    return Paper(**fields)  # type: ignore[arg-type]


def _add_headers(content: Path, paper_id: str, **headers: str) -> None:
    """What the per-paper summaries (Tldr) and the library ranking (Relevance) add to an
    article's metadata."""
    path = content / article_relpath(paper_id)
    head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
    lines = "".join(f"\n{key.capitalize()}: {value}" for key, value in headers.items())
    path.write_text(f"{head}{lines}\n\n{body}", encoding="utf-8")


def _radar(tmp_path: Path, digest: str) -> Path:
    path = tmp_path / "radar.yaml"
    path.write_text(
        f"site: {{title: Test Radar, url: '{SITE}'}}\n"
        "topics: [{name: Low-communication training, keywords: [federated]}]\n"
        f"digest: {digest}\n"
    )
    return path


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """Five papers on DAY (three ranked, one with a TL;DR, one hostile), one the day before,
    and the day's briefing as the pipeline writes it."""
    content = tmp_path / "content"
    papers = [
        _paper(1, "Low relevance paper"),
        _paper(2, "Most relevant paper"),
        _paper(3, "Unranked paper"),
        _paper(4, "Middle relevance paper"),
        _paper(5, HOSTILE_TITLE),
        _paper(6, "Yesterday's paper", DAY - timedelta(days=1)),
    ]
    store_papers(content, papers)
    _add_headers(content, "arxiv:2612.00001", relevance="0.21")
    _add_headers(content, "arxiv:2612.00002", relevance="0.93", tldr="Cuts traffic 100x.")
    _add_headers(content, "arxiv:2612.00004", relevance="0.55")
    _add_headers(content, "arxiv:2612.00005", relevance="0.10")
    briefing = embedded_briefing(DAY, papers[:5])
    path = content / briefing_relpath(DAY)
    path.parent.mkdir(parents=True)
    path.write_text(render_briefing(briefing, papers[:5]), encoding="utf-8")
    return content


class Inbox:
    """An SMTP server on 127.0.0.1 that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        content = envelope.content  # type: ignore[attr-defined]
        self.messages.append(email.message_from_bytes(content, policy=email.policy.default))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, str]]:
    handler = Inbox()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, _mail_url(port)
    finally:
        controller.stop()


def _mail_url(port: int) -> str:
    return (
        f"mailto://127.0.0.1:{port}?from=radar@example.org&to=reader@example.org"
        "&mode=insecure&cto=3"
    )


def _parts(message: Message) -> dict[str, str]:
    return {
        part.get_content_type(): part.get_content()  # type: ignore[attr-defined]
        for part in message.walk()
        if not part.is_multipart()
    }


def test_one_email_per_day_most_relevant_first_html_and_text(
    archive: Path, tmp_path: Path, inbox: tuple[Inbox, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, url = inbox
    radar = _radar(tmp_path, "{cadence: daily, top: 4, channels_env: RADAR_CHANNELS}")
    monkeypatch.setenv("RADAR_CHANNELS", url)
    args = ["digest", "--radar", str(radar), "--content", str(archive), "--date", DAY.isoformat()]
    assert main(args) == 0
    assert len(server.messages) == 1
    message = server.messages[0]
    assert message["Subject"] == "Test Radar: 5 new papers, 2026-12-03"
    assert message.get_content_type() == "multipart/alternative"
    parts = _parts(message)
    assert set(parts) == {"text/plain", "text/html"}
    html, text = parts["text/html"], parts["text/plain"]
    expected = ["Most relevant paper", "Middle relevance paper", "Low relevance paper"]
    # the top 4 by relevance: 0.93, 0.55, 0.21, then the hostile one (0.10); the unranked and
    # yesterday's paper stay out
    for part in (html, text):
        positions = [part.index(title) for title in expected]
        assert positions == sorted(positions)
        assert "Unranked paper" not in part and "Yesterday's paper" not in part
        assert "Cuts traffic 100x." in part
        assert f"{SITE}/papers/arxiv-2612-00002/" in part
        assert 'keyword "federated" (2)' in part or "keyword &quot;federated&quot; (2)" in part
    assert "TL;DR: Cuts traffic 100x." in text
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.index("Low relevance paper") < html.index("&lt;script&gt;")
    assert f'href="{SITE}/papers/arxiv-2612-00002/"' in html
    assert "1 more:" in html and f"{SITE}/days/2026-12-03/" in html
    briefing = read_briefing((archive / briefing_relpath(DAY)).read_text(), DAY)
    assert briefing.overview and briefing.overview[:60] in text

    # a rerun of the same night sends nothing, and says so
    assert main(args) == 0
    assert len(server.messages) == 1
    state = load_state(archive)
    assert [(key, s.through) for key, s in state.items()] == [("1:mailto", DAY)]


def test_chat_digest_fits_the_services_limit_in_order(
    tmp_path: Path, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mattermost (Slack-style incoming webhook) takes 4,000 characters: 40 papers do not fit,
    so the digest carries the first ones whole and says how many more there are."""
    content = tmp_path / "content"
    papers = [_paper(n, f"Paper number {n:02d} " + "long title words " * 6) for n in range(1, 41)]
    papers.append(_paper(41, HOSTILE_TITLE))
    store_papers(content, papers)
    for n in range(1, 42):
        _add_headers(content, f"arxiv:2612.{n:05d}", relevance=f"{1 - n / 100:.2f}")
    replay.routes["/hooks/radartoken"] = Reply(200, b"ok")
    radar = _radar(tmp_path, "{cadence: daily, top: 50}")
    monkeypatch.setenv(
        "APPRISE_URLS", f"mmost://127.0.0.1:{replay.url.rsplit(':', 1)[1]}/radartoken"
    )
    args = ["digest", "--radar", str(radar), "--content", str(content), "--date", DAY.isoformat()]
    assert main(args) == 0
    posts = replay.requests_to("/hooks/radartoken")
    assert len(posts) == 1
    text = json.loads(posts[0].body)["text"]
    assert len(text) <= 4000
    assert text.startswith("Test Radar: 41 new papers, 2026-12-03\r\n**1. [Paper number 01 ")
    shown = [n for n in range(1, 41) if f"Paper number {n:02d} " in text]
    assert shown == list(range(1, len(shown) + 1)) and 10 <= len(shown) < 40
    assert "**1. [Paper number 01 " in text and f"]({SITE}/papers/arxiv-2612-00001/)" in text
    assert text.rstrip().endswith(f"{41 - len(shown)} more: {SITE}/days/2026-12-03/")
    assert main(args) == 0
    assert len(replay.requests_to("/hooks/radartoken")) == 1  # a rerun sends nothing


def test_hostile_titles_are_inert_in_chat_markdown(archive: Path, tmp_path: Path) -> None:
    radar = parse_radar((_radar(tmp_path, "{top: 10}")).read_text())
    digest = read_digest(radar, archive, DAY, DAY)
    text = render_chat(digest, 4000)
    line = next(line for line in text.splitlines() if "alert(1)" in line)
    assert "\\<script\\>alert(1)\\</script\\> \\*\\*bold\\*\\* \\[link\\](javascript:x)" in line
    assert "@\u2060channel" in line and "@channel" not in text


def test_unreachable_server_is_reported_the_night_succeeds_and_the_next_night_catches_up(
    archive: Path,
    tmp_path: Path,
    inbox: tuple[Inbox, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server, working_url = inbox
    radar = _radar(tmp_path, "{cadence: daily, top: 10}")
    closed = _mail_url(_free_port())  # nothing listens there
    monkeypatch.setenv("APPRISE_URLS", closed)
    summary = tmp_path / "summary.md"
    base = ["digest", "--radar", str(radar), "--content", str(archive), "--summary", str(summary)]
    assert main([*base, "--date", DAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "channel 1:mailto (E-Mail) FAILED" in out and "retried next run" in out
    assert "reader@example.org" not in out and "radar@example.org" not in out
    assert "FAILED" in summary.read_text()
    state = load_state(archive)["1:mailto"]
    assert state.through is None and state.failure
    assert server.messages == []

    # the next night the server is up: the digest carries the day that failed as well
    monkeypatch.setenv("APPRISE_URLS", working_url)
    assert main([*base, "--date", (DAY + timedelta(days=1)).isoformat()]) == 0
    assert len(server.messages) == 1
    assert server.messages[0]["Subject"] == "Test Radar: 5 new papers, 2026-12-03 – 2026-12-04"
    assert load_state(archive)["1:mailto"].through == DAY + timedelta(days=1)


def test_weekly_digest_goes_out_once_on_its_weekday_newest_first_without_ranking(
    tmp_path: Path, inbox: tuple[Inbox, str]
) -> None:
    server, url = inbox
    content = tmp_path / "content"
    monday = date(2026, 11, 30)
    store_papers(
        content,
        [
            _paper(1, "Tuesday before", monday - timedelta(days=6)),
            _paper(2, "Saturday", monday - timedelta(days=2)),
            _paper(3, "Monday itself", monday),
            _paper(4, "Too old", monday - timedelta(days=7)),
            _paper(5, "Next week", monday + timedelta(days=1)),
        ],
    )
    radar = parse_radar(_radar(tmp_path, "{cadence: weekly, weekday: mon}").read_text())
    notes = [send_digests(radar, content, monday + timedelta(days=n), [url]) for n in range(3)]
    assert notes[0] == [
        "digest: sent the digest of week of 2026-11-24 – 2026-11-30 (3 papers) "
        "to channel 1:mailto (E-Mail)"
    ]
    assert (
        notes[1:]
        == [["digest: channel 1:mailto already has the digest of week of 2026-11-24 – 2026-11-30"]]
        * 2
    )
    assert len(server.messages) == 1
    text = _parts(server.messages[0])["text/plain"]
    order = [text.index(t) for t in ("Monday itself", "Saturday", "Tuesday before")]
    assert order == sorted(order)
    assert "Too old" not in text and "Next week" not in text


@settings(deadline=None)
@given(
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    weekday=st.sampled_from(WEEKDAYS),
    sent_days_ago=st.one_of(st.none(), st.integers(min_value=0, max_value=60)),
)
def test_periods_end_on_their_weekday_and_windows_never_repeat_a_sent_day(
    day: date, weekday: str, sent_days_ago: int | None
) -> None:
    weekly = due_period(day, DigestSettings(cadence="weekly", weekday=weekday))
    assert weekly is not None and weekly.end.weekday() == WEEKDAYS.index(weekday)
    assert weekly.end <= day < weekly.end + timedelta(days=7)
    assert (weekly.end - weekly.start).days == 6
    assert due_period(day, DigestSettings(cadence="off")) is None
    daily = due_period(day, DigestSettings(cadence="daily"))
    assert daily == Period("daily", day, day)
    for period in (weekly, daily):
        through = None if sent_days_ago is None else period.end - timedelta(days=sent_days_ago)
        days = window(period, through)
        if through is not None and through >= period.end:
            assert days is None
            continue
        assert days is not None and days[1] == period.end
        assert days[0] <= period.start
        assert (period.end - days[0]).days < max(CATCH_UP_DAYS, 7)
        if through is not None:
            assert days[0] > through or days[0] == period.start


def test_digest_settings_are_read_and_mistakes_named_with_their_line() -> None:
    head = "authors: [Zeyu Cao]\n"
    radar = parse_radar(head + "digest: {cadence: weekly, weekday: fri, top: 5}\n")
    assert radar.digest == DigestSettings("weekly", "fri", 5, "APPRISE_URLS")
    assert parse_radar(head).digest.cadence == "off"
    assert parse_radar(head + "digest: {channels_env: MY_URLS}\n").digest.cadence == "daily"
    assert parse_radar(head + "feedback: {repository: octo/radar}\n").feedback.repository == (
        "octo/radar"
    )
    for text, expected in [
        (
            "digest:\n  cadence: hourly\n",
            "radar.yaml:3: digest.cadence: expected one of daily, weekly, off",
        ),
        ("digest:\n  weekday: someday\n", "radar.yaml:3: digest.weekday: expected one of mon, tue"),
        ("digest:\n  top: 0\n", "radar.yaml:3: digest.top: expected a whole number from 1"),
        (
            "digest:\n  channels_env: a-b\n",
            "radar.yaml:3: digest.channels_env: 'a-b' is not an environment",
        ),
        (
            "feedback:\n  repository: octo\n",
            "radar.yaml:3: feedback.repository: write it as owner/name",
        ),
    ]:
        with pytest.raises(RadarError) as raised:
            parse_radar(head + text)
        assert str(raised.value).startswith(expected)
