"""Commit the night's content/ back to the branch as github-actions[bot], safe against races.

`python -m pipeline.commit_back --message "…"`: nothing to commit → nothing happens. A rejected
push (main moved: a merged pull request, a second run) fetches, rebases and tries again. Articles
sit at paths fixed by their paper id, so two runs adding different papers never touch the same
file; when both wrote the same article the rebase stops only if they differ, and then the two
versions are merged as the pipeline merges two sightings of one paper, so no paper is lost. Any
other clash (the day's report, a briefing) keeps this run's file, the newer one.
"""

from __future__ import annotations

import argparse
import base64
import os
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .archive import PAPERS_DIR, ArchiveError, parse_article, render_article
from .dedupe import merge_papers
from .errors import RunError
from .write import write_atomically

BOT_NAME = "github-actions[bot]"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"  # GitHub's id for the bot


class CommitBackError(RunError):
    """Git refused in a way retrying cannot fix; the message is git's own last lines."""


@dataclass(frozen=True)
class CommitBack:
    committed: bool
    attempts: int  # pushes tried; 0 when there was nothing to commit
    resolved: tuple[str, ...] = ()  # files whose clash was resolved during a rebase


def bot_environment(environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """Git's environment: the bot's identity and, when GITHUB_TOKEN is set, the token as an
    HTTP header for the server only (what actions/checkout would otherwise leave in .git/config
    for every later step; here it lives in this process's environment alone, never on argv)."""
    env = dict(
        environ,
        GIT_AUTHOR_NAME=BOT_NAME,
        GIT_AUTHOR_EMAIL=BOT_EMAIL,
        GIT_COMMITTER_NAME=BOT_NAME,
        GIT_COMMITTER_EMAIL=BOT_EMAIL,
        GIT_EDITOR="true",
        GIT_TERMINAL_PROMPT="0",
    )
    token = environ.get("GITHUB_TOKEN", "")
    if token:
        server = environ.get("GITHUB_SERVER_URL") or "https://github.com"
        basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
        count = int(environ.get("GIT_CONFIG_COUNT") or 0)
        env[f"GIT_CONFIG_KEY_{count}"] = f"http.{server.rstrip('/')}/.extraheader"
        env[f"GIT_CONFIG_VALUE_{count}"] = f"AUTHORIZATION: basic {basic}"
        env["GIT_CONFIG_COUNT"] = str(count + 1)
    return env


def _git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        env=bot_environment(),
        check=False,
    )
    if check and done.returncode != 0:
        tail = " ".join((done.stderr or done.stdout).split()[-60:])
        raise CommitBackError(f"git {args[0]} failed (exit {done.returncode}): {tail}")
    return done


def resolve_clash(path: str, upstream: str | None, ours: str | None) -> str | None:
    """The file to keep when the branch and this run both changed `path`. Pure.

    A paper article is the merge of both sightings (versions, matches, sources); anything else is
    this run's. None means the file is gone on both sides."""
    if upstream is None or ours is None:
        return ours if ours is not None else upstream
    if not _is_article(path):
        return ours
    try:
        merged = merge_papers(parse_article(upstream, Path(path)), parse_article(ours, Path(path)))
    except ArchiveError:
        return ours
    return render_article(merged)


def _is_article(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return PAPERS_DIR in parts[:-1] and path.endswith(".md")


def _stage(repo: Path, stage: int, path: str) -> str | None:
    shown = _git(repo, "show", f":{stage}:{path}", check=False)
    return shown.stdout if shown.returncode == 0 else None


def _rebase_in_progress(repo: Path) -> bool:
    for state in ("rebase-merge", "rebase-apply"):
        where = _git(repo, "rev-parse", "--git-path", state).stdout.strip()
        if (repo / where).exists():
            return True
    return False


def _resolve_rebase(repo: Path) -> list[str]:
    """Settle every clash of a stopped rebase and continue it, commit by commit."""
    resolved: list[str] = []
    while _rebase_in_progress(repo):
        clashes = _git(repo, "diff", "--name-only", "--diff-filter=U").stdout.split("\n")
        for path in filter(None, clashes):
            # During a rebase stage 2 is the branch being rebased onto, stage 3 this run's commit.
            kept = resolve_clash(path, _stage(repo, 2, path), _stage(repo, 3, path))
            if kept is None:
                _git(repo, "rm", "--quiet", "--", path)
            else:
                write_atomically(repo / path, kept)
                _git(repo, "add", "--", path)
            resolved.append(path)
        cont = _git(repo, "rebase", "--continue", check=False)
        if cont.returncode != 0 and "nothing to commit" in cont.stdout + cont.stderr:
            _git(repo, "rebase", "--skip", check=False)  # this run's change was already there
        elif (
            cont.returncode != 0 and not _git(repo, "diff", "--name-only", "--diff-filter=U").stdout
        ):
            _git(repo, "rebase", "--abort", check=False)
            raise CommitBackError(f"rebase could not continue: {cont.stderr.strip()[-300:]}")
    return resolved


def commit_changes(repo: Path, paths: list[str], message: str) -> bool:
    """Stage `paths` (new, changed and deleted files) and commit them as the bot; False when
    there is nothing to commit."""
    _git(repo, "add", "--all", "--", *paths)
    if _git(repo, "diff", "--cached", "--quiet", "--", *paths, check=False).returncode == 0:
        return False
    _git(repo, "commit", "--quiet", "--no-verify", "-m", message, "--", *paths)
    return True


def push_with_retries(
    repo: Path, remote: str, branch: str, retries: int = 5, pause: float = 2.0
) -> tuple[int, list[str]]:
    """Push HEAD to remote/branch; on rejection fetch, rebase onto it and try again."""
    resolved: list[str] = []
    last = ""
    for attempt in range(1, retries + 1):
        pushed = _git(repo, "push", "--quiet", remote, f"HEAD:refs/heads/{branch}", check=False)
        if pushed.returncode == 0:
            return attempt, resolved
        last = " ".join(pushed.stderr.split())
        print(
            f"push {attempt}/{retries} refused; fetching {remote}/{branch} and rebasing",
            file=sys.stderr,
            flush=True,
        )
        _git(repo, "fetch", "--quiet", remote, branch)
        rebased = _git(repo, "rebase", "--quiet", "FETCH_HEAD", check=False)
        if rebased.returncode != 0:
            resolved += _resolve_rebase(repo)
        time.sleep(pause * attempt)
    raise CommitBackError(
        f"push to {remote}/{branch} still rejected after {retries} tries: {last[-300:]}"
    )


def commit_back(
    repo: Path,
    paths: list[str],
    message: str,
    *,
    remote: str = "origin",
    branch: str = "main",
    retries: int = 5,
    pause: float = 2.0,
) -> CommitBack:
    if not commit_changes(repo, paths, message):
        return CommitBack(committed=False, attempts=0)
    attempts, resolved = push_with_retries(repo, remote, branch, retries, pause)
    return CommitBack(committed=True, attempts=attempts, resolved=tuple(resolved))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.commit_back",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--message", required=True, help="commit message")
    parser.add_argument("--paths", nargs="+", default=["content"], help="default: content")
    parser.add_argument("--repo", default=".", help="working tree (default: .)")
    parser.add_argument("--remote", default="origin")
    parser.add_argument(
        "--branch",
        default=os.environ.get("GITHUB_REF_NAME") or "main",
        help="branch to push to (default: $GITHUB_REF_NAME or main)",
    )
    parser.add_argument("--retries", type=int, default=5)
    args = parser.parse_args(argv)
    try:
        done = commit_back(
            Path(args.repo),
            args.paths,
            args.message,
            remote=args.remote,
            branch=args.branch,
            retries=args.retries,
        )
    except CommitBackError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    if not done.committed:
        print(f"{' '.join(args.paths)}: nothing changed, nothing committed")
        return 0
    merged = f"; merged {len(done.resolved)} clashing file(s)" if done.resolved else ""
    print(
        f"Committed {' '.join(args.paths)} as {BOT_NAME} and pushed to {args.remote}/"
        f"{args.branch} (attempt {done.attempts}){merged}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
