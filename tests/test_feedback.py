"""Feedback through GitHub, against a GitHub API on 127.0.0.1 (GITHUB_API_URL, as Actions sets
it): only the owner's and a collaborator's form issues change the radar; each of them gets a
comment and is closed; nothing else is touched. Every request made is asserted."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from replay import ReplayServer, Reply, Request, fixture_bytes

from pipeline.archive.store import store_papers
from pipeline.feedback import (
    FORM,
    LABEL,
    VERDICTS,
    Feedback,
    issue_url,
    library_from,
    load_applied,
    main,
    parse_form,
    read_feedback,
)
from pipeline.models import Paper

REPO = Path(__file__).resolve().parents[1]
ISSUES = "/repos/octo/radar/issues"
LISTING = {"labels": [LABEL], "state": ["open"], "per_page": ["100"], "page": ["1"]}


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    store_papers(
        folder,
        [
            Paper(
                f"arxiv:2612.{n:05d}",
                f"Paper {n}",
                ("Ada",),
                "Abstract.",
                date(2026, 12, 2),
                "arXiv (cs.LG)",
            )
            for n in range(1, 5)
        ],
    )
    return folder


@pytest.fixture
def github(replay: ReplayServer, monkeypatch: pytest.MonkeyPatch) -> ReplayServer:
    """The API as Actions exposes it to a job: its URL, the repository and the job's token."""
    monkeypatch.setenv("GITHUB_API_URL", replay.url)
    monkeypatch.setenv("GITHUB_REPOSITORY", "octo/radar")
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_jobtoken")
    issues = json.loads(fixture_bytes("github/issues-radar-feedback.json"))
    closed: set[int] = set()

    def listing(request: Request) -> Reply:
        still_open = [issue for issue in issues if issue["number"] not in closed]
        return Reply(200, json.dumps(still_open).encode(), {"Content-Type": "application/json"})

    def close(number: int):
        def patch(request: Request) -> Reply:
            if json.loads(request.body).get("state") == "closed":
                closed.add(number)
            return Reply(200, b"{}")

        return patch

    replay.routes[ISSUES] = listing
    for number in range(11, 18):
        replay.routes[f"{ISSUES}/{number}/comments"] = Reply(201, b"{}")
        replay.routes[f"{ISSUES}/{number}"] = close(number)
    return replay


def _made(server: ReplayServer) -> list[tuple[str, str, object]]:
    return [
        (r.method, r.path, r.query if r.method == "GET" else json.loads(r.body))
        for r in server.requests
    ]


def test_only_the_owner_and_a_collaborator_change_the_library_and_their_issues_are_closed(
    content: Path, github: ReplayServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["apply", "--content", str(content)]) == 0
    # reading only: one page of open feedback issues, with the job's token
    assert _made(github) == [("GET", ISSUES, LISTING)]
    assert github.requests[0].headers["Authorization"] == "Bearer ghs_jobtoken"
    assert load_applied(content) == [
        Feedback(11, "arxiv:2612.00002", "like", "octo", "2026-12-02"),
        Feedback(12, "arxiv:2612.00004", "save", "ada", "2026-12-02"),
    ]
    assert read_feedback(content).library == ("arxiv:2612.00002", "arxiv:2612.00004")
    assert read_feedback(content).saved == ("arxiv:2612.00004",)
    assert read_feedback(content).not_interested == ()
    out = capsys.readouterr().out
    assert "issue #13 left alone: opened by NONE outside the repository's collaborators" in out
    assert "issue #14 left alone: its body is not the feedback form as filed" in out
    assert "issue #15 left alone: arxiv:9999.99999 is not a paper in the archive" in out
    assert "issue #16 left alone: its body is not the feedback form as filed" in out
    assert "issue #17 left alone: not an issue" in out
    assert "ghs_jobtoken" not in out

    # the next job, once the file is committed: a comment and closing for #11 and #12 only
    github.requests.clear()
    assert main(["close", "--content", str(content)]) == 0
    made = _made(github)
    assert [(method, path) for method, path, _ in made] == [
        ("GET", ISSUES),
        ("POST", f"{ISSUES}/11/comments"),
        ("PATCH", f"{ISSUES}/11"),
        ("POST", f"{ISSUES}/12/comments"),
        ("PATCH", f"{ISSUES}/12"),
    ]
    assert made[0][2] == LISTING
    assert made[2][2] == made[4][2] == {"state": "closed", "state_reason": "completed"}
    comment = made[1][2]["body"]  # type: ignore[index]
    assert comment.startswith("👍 **More like this** for `arxiv:2612.00002`: added to the radar's")
    assert "content/state/feedback.json" in comment
    assert made[3][2]["body"].startswith("☆ **Save** for `arxiv:2612.00004`: saved")  # type: ignore[index]

    # a rerun of both: nothing recorded twice, nothing closed twice
    github.requests.clear()
    assert main(["apply", "--content", str(content)]) == 0
    assert main(["close", "--content", str(content)]) == 0
    assert _made(github) == [("GET", ISSUES, LISTING), ("GET", ISSUES, LISTING)]
    assert len(load_applied(content)) == 2


def test_an_unreachable_api_changes_nothing_and_the_night_goes_on(
    content: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GITHUB_API_URL", "http://127.0.0.1:9")  # discard port: refused
    monkeypatch.setenv("GITHUB_REPOSITORY", "octo/radar")
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_jobtoken")
    assert main(["apply", "--content", str(content)]) == 0
    assert "unreachable" in capsys.readouterr().out
    assert not (content / "state" / "feedback.json").exists()


def test_the_latest_verdict_on_a_paper_wins() -> None:
    library = library_from(
        [
            Feedback(3, "arxiv:1", "dislike", "octo", "2026-12-03"),
            Feedback(1, "arxiv:1", "like", "octo", "2026-12-01"),
            Feedback(2, "arxiv:2", "save", "octo", "2026-12-02"),
        ]
    )
    assert library.not_interested == ("arxiv:1",) and library.library == ("arxiv:2",)


def test_the_site_link_prefills_the_form_that_the_parser_reads() -> None:
    """The link's query names the form's field ids; the body GitHub writes from the form's
    labels is what parse_form accepts."""
    form = yaml.safe_load((REPO / ".github" / "ISSUE_TEMPLATE" / FORM).read_text())
    assert form["labels"] == [LABEL]
    fields = {item["id"]: item["attributes"]["label"] for item in form["body"] if "id" in item}
    url = issue_url("octo/radar", "doi:10.1038/s41586-026-0001-x", "dislike", "A <b> title")
    parts = urlsplit(url)
    assert (parts.netloc, parts.path) == ("github.com", "/octo/radar/issues/new")
    query = parse_qs(parts.query)
    assert query["template"] == [FORM]
    assert query["title"] == ["👎 Not interested: doi:10.1038/s41586-026-0001-x — A <b> title"]
    assert set(query) - {"template", "title"} == set(fields)
    body = "\n\n".join(f"### {fields[key]}\n\n{query[key][0]}" for key in fields)
    assert parse_form(body) == ("doi:10.1038/s41586-026-0001-x", "dislike")


@settings(deadline=None)
@given(extra=st.text(min_size=1, max_size=40).filter(lambda s: s.strip()))
def test_any_edit_to_the_form_body_is_left_alone(extra: str) -> None:
    body = "### Paper\n\narxiv:2612.00002\n\n### Feedback\n\nlike"
    assert parse_form(body) == ("arxiv:2612.00002", "like")
    assert parse_form(body + "\n\n" + extra) is None
    assert parse_form(extra + "\n\n" + body) is None
    assert set(VERDICTS) == {"like", "dislike", "save"}
