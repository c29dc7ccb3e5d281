"""The nightly commit-back against local bare repositories: races, clashes, nothing to commit."""

from __future__ import annotations

import base64
import dataclasses
import subprocess
import threading
from datetime import date
from pathlib import Path

import pytest
from gitrepo import git

from pipeline.archive import article_relpath, parse_article, render_article, write_paper
from pipeline.commit_back import (
    BOT_EMAIL,
    BOT_NAME,
    bot_environment,
    commit_back,
    commit_changes,
    main,
    push_with_retries,
    resolve_clash,
)
from pipeline.models import Match, Paper

DAY = date(2026, 6, 18)


def paper(arxiv_id: str, title: str, **changes: object) -> Paper:
    base = Paper(
        paper_id=f"arxiv:{arxiv_id}",
        title=title,
        authors=("Zeyu Cao",),
        abstract=f"About {title}.",
        announced=DAY,
        source_label="arXiv (cs.LG)",
        source="arxiv",
        categories=("cs.LG",),
        version=1,
        announce_type="new",
        matches=(Match("author", "Zeyu Cao", "author Zeyu Cao"),),
    )
    return dataclasses.replace(base, **changes)


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    """A bare 'GitHub' repository whose main holds the README and an empty archive."""
    bare = tmp_path / "origin.git"
    seed = tmp_path / "seed"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(seed)], check=True)
    (seed / "content" / "papers").mkdir(parents=True)
    (seed / "content" / "papers" / ".gitkeep").write_text("")
    (seed / "README.md").write_text("radar\n")
    git(seed, "add", ".")
    git(seed, "commit", "-qm", "seed")
    git(seed, "push", "-q", str(bare), "main")
    return bare


def clone(origin: Path, where: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(origin), str(where)], check=True)
    return where


def night(repo: Path, papers: list[Paper], report: str) -> None:
    """What `pipeline run` leaves behind: articles and the day's report."""
    content = repo / "content"
    for item in papers:
        write_paper(content, item, None)
    (content / "reports").mkdir(exist_ok=True)
    (content / "reports" / "2026-06-18.json").write_text(report)


def origin_file(origin: Path, path: str) -> str:
    return git(origin, "show", f"main:{path}")


def origin_articles(origin: Path) -> list[str]:
    listed = git(origin, "ls-tree", "-r", "--name-only", "main", "content/papers")
    return sorted(p for p in listed.splitlines() if p.endswith(".md"))


def test_nothing_changed_commits_nothing(origin: Path, tmp_path: Path) -> None:
    repo = clone(origin, tmp_path / "a")
    before = git(repo, "rev-parse", "HEAD")
    done = commit_back(repo, ["content"], "Nightly", pause=0)
    assert not done.committed and done.attempts == 0
    assert git(repo, "rev-parse", "HEAD") == before == git(origin, "rev-parse", "main")


def test_commit_is_the_bots_and_only_content(origin: Path, tmp_path: Path) -> None:
    repo = clone(origin, tmp_path / "a")
    night(repo, [paper("2606.19025", "FoMoE")], '{"run": "a"}\n')
    (repo / "README.md").write_text("edited by hand, not the bot's business\n")
    done = commit_back(repo, ["content"], "Nightly radar: 2026-06-18", pause=0)
    assert done.committed and done.attempts == 1
    author = git(origin, "log", "-1", "--format=%an <%ae>|%cn|%s", "main")
    assert author == f"{BOT_NAME} <{BOT_EMAIL}>|{BOT_NAME}|Nightly radar: 2026-06-18\n"
    assert origin_file(origin, "README.md") == "radar\n"
    assert origin_articles(origin) == ["content/papers/arxiv/2606/arxiv-2606-19025.md"]


def test_two_racing_runs_both_land_their_papers(origin: Path, tmp_path: Path) -> None:
    first, second = clone(origin, tmp_path / "a"), clone(origin, tmp_path / "b")
    night(first, [paper("2606.19025", "FoMoE"), paper("2606.00001", "Shared")], '{"run": "a"}\n')
    night(
        second,
        [paper("2606.18001", "Looped World Models"), paper("2606.00001", "Shared")],
        '{"run": "b"}\n',
    )
    # Both runs commit before either pushes: the second push is rejected and must rebase.
    assert commit_changes(first, ["content"], "Nightly a")
    assert commit_changes(second, ["content"], "Nightly b")
    assert push_with_retries(first, "origin", "main", pause=0) == (1, [])
    attempts, resolved = push_with_retries(second, "origin", "main", pause=0)
    assert attempts == 2
    assert resolved == ["content/reports/2026-06-18.json"]  # the identical article did not clash
    assert origin_articles(origin) == [
        "content/papers/arxiv/2606/arxiv-2606-00001.md",
        "content/papers/arxiv/2606/arxiv-2606-18001.md",
        "content/papers/arxiv/2606/arxiv-2606-19025.md",
    ]
    assert origin_file(origin, "content/reports/2026-06-18.json") == '{"run": "b"}\n'
    shared = origin_file(origin, "content/papers/arxiv/2606/arxiv-2606-00001.md")
    assert shared == render_article(paper("2606.00001", "Shared"))
    history = git(origin, "log", "--format=%s", "main").split("\n")
    assert history[:3] == ["Nightly b", "Nightly a", "seed"]  # linear: rebased, not merged


def test_same_article_changed_by_both_runs_keeps_both_sightings(
    origin: Path, tmp_path: Path
) -> None:
    first, second = clone(origin, tmp_path / "a"), clone(origin, tmp_path / "b")
    v1 = paper("2606.19025", "FoMoE")
    moe = Match("topic", "Mixture of experts", 'keyword "MoE" in title')
    v2 = paper("2606.19025", "FoMoE v2", version=2, announced=date(2026, 6, 19), matches=(moe,))
    night(first, [v1], "{}\n")
    night(second, [v2], "{}\n")
    assert commit_changes(first, ["content"], "Nightly a")
    assert commit_changes(second, ["content"], "Nightly b")
    push_with_retries(first, "origin", "main", pause=0)
    attempts, resolved = push_with_retries(second, "origin", "main", pause=0)
    path = "content/" + article_relpath(v1.paper_id)
    assert attempts == 2 and path in resolved
    merged = parse_article(origin_file(origin, path))
    assert merged.title == "FoMoE v2" and merged.version == 2
    assert merged.announced == DAY and merged.updated == date(2026, 6, 19)
    assert [m.name for m in merged.matches] == ["Zeyu Cao", "Mixture of experts"]


def test_concurrent_runs_each_retry_until_both_land(origin: Path, tmp_path: Path) -> None:
    repos = [clone(origin, tmp_path / name) for name in "abc"]
    for index, repo in enumerate(repos):
        night(repo, [paper(f"2606.1000{index}", f"Paper {index}")], f'{{"run": {index}}}\n')
    outcomes: list[object] = []

    def run(repo: Path) -> None:
        outcomes.append(commit_back(repo, ["content"], f"Nightly {repo.name}", pause=0.05))

    threads = [threading.Thread(target=run, args=(repo,)) for repo in repos]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 3 and all(o.committed for o in outcomes)
    assert origin_articles(origin) == [
        f"content/papers/arxiv/2606/arxiv-2606-1000{i}.md" for i in range(3)
    ]


def test_resolve_clash_is_pure_and_keeps_this_runs_other_files() -> None:
    article = "content/papers/arxiv/2606/arxiv-2606-19025.md"
    old = render_article(paper("2606.19025", "FoMoE"))
    new = render_article(paper("2606.19025", "FoMoE", version=2, announced=date(2026, 6, 20)))
    kept = parse_article(resolve_clash(article, old, new) or "")
    assert kept.version == 2 and kept.announced == DAY and kept.updated == date(2026, 6, 20)
    assert resolve_clash("content/reports/2026-06-18.json", "old\n", "new\n") == "new\n"
    assert resolve_clash(article, None, new) == new
    assert resolve_clash(article, old, None) == old
    assert resolve_clash(article, "hand-edited\n", new) == new  # unreadable → this run's


def test_cli_says_nothing_changed(
    origin: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = clone(origin, tmp_path / "a")
    assert main(["--repo", str(repo), "--message", "Nightly", "--branch", "main"]) == 0
    assert "nothing changed, nothing committed" in capsys.readouterr().out


def test_cli_fails_in_one_line_when_the_remote_is_gone(
    origin: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = clone(origin, tmp_path / "a")
    night(repo, [paper("2606.19025", "FoMoE")], "{}\n")
    git(repo, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    argv = ["--repo", str(repo), "--message", "Nightly", "--branch", "main", "--retries", "2"]
    assert main(argv) == 1
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.startswith("error: git fetch failed (exit 128): fatal: ")
    assert "does not appear to be a git repository" in last


def test_token_reaches_git_through_the_environment_only(
    origin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = clone(origin, tmp_path / "a")
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_secret_for_test")
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.example")
    key = "http.https://github.example/.extraheader"
    header = subprocess.run(
        ["git", "-C", str(repo), "config", "--get", key],
        env=bot_environment(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    expected = base64.b64encode(b"x-access-token:ghs_secret_for_test").decode()
    assert header == f"AUTHORIZATION: basic {expected}\n"
    night(repo, [paper("2606.19025", "FoMoE")], "{}\n")
    assert commit_back(repo, ["content"], "Nightly", pause=0).committed  # local remote: unused
    on_disk = b"".join(p.read_bytes() for p in (repo / ".git").rglob("*") if p.is_file())
    assert expected.encode() not in on_disk and b"ghs_secret_for_test" not in on_disk
