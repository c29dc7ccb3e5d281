"""Feedback through GitHub, with nothing hosted: the site's 👍 / 👎 / ☆ links open an issue from
the form .github/ISSUE_TEMPLATE/feedback.yml (label `radar-feedback`, the paper's id and
the verdict prefilled). The nightly job reads the open ones and records what they say in
content/state/feedback.json, committed with the archive; a later job closes each recorded issue
with a comment saying what changed.

Only issues opened by the repository's owner, members or collaborators (GitHub's
`author_association`), whose body is the form exactly as filed, naming a paper in the archive,
are recorded. Anything else is left alone: not recorded, not commented on, not closed.

content/state/feedback.json holds {"applied": [{"issue", "paper_id", "verdict", "by", "day"}]},
oldest first; `verdict` is like (👍: add to the library), dislike (👎: library.not_interested) or
save (☆: add to the library, listed on the site's Saved page). `read_feedback` turns it into
those lists, a paper's latest verdict winning. Standard library only: the closing job runs on
the runner's own Python."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from .archive import ArchiveError, read_existing
from .github import GitHubApi, GitHubError
from .state import read_state, save_state

LABEL = "radar-feedback"
FORM = "feedback.yml"  # in .github/ISSUE_TEMPLATE/
STATE_FILE = "feedback.json"
TRUSTED = frozenset({"OWNER", "MEMBER", "COLLABORATOR"})
VERDICTS = {
    "like": ("👍", "More like this", "added to the radar's library"),
    "dislike": ("👎", "Not interested", "added to library.not_interested"),
    "save": ("☆", "Save", "saved (the site's Saved page) and added to the radar's library"),
}
MAX_PAGES = 10  # 1,000 open feedback issues a night is more than anyone files
# The body GitHub writes for the form: one "### Label" heading and the answer per field.
FORM_BODY = re.compile(
    r"### Paper\n\n(?P<paper>[a-z]+:[^\s`]{1,200})\n\n### Feedback\n\n(?P<verdict>\w+)"
)


@dataclass(frozen=True)
class Feedback:
    issue: int
    paper_id: str
    verdict: str  # a key of VERDICTS
    by: str  # the issue author's login
    day: str  # YYYY-MM-DD the issue was opened


@dataclass(frozen=True)
class FeedbackLibrary:
    """What the feedback adds to the radar's library (pipeline/library.py reads it)."""

    liked: tuple[str, ...] = ()
    saved: tuple[str, ...] = ()
    not_interested: tuple[str, ...] = ()

    @property
    def library(self) -> tuple[str, ...]:
        """Paper ids 👍 or ☆: the library's own papers."""
        return tuple(dict.fromkeys([*self.liked, *self.saved]))


def issue_url(repository: str, paper_id: str, verdict: str, title: str = "") -> str:
    """The new-issue page of the form with the paper and verdict filled in: the site's links
    (a Jinja filter: `FEEDBACK_REPOSITORY | feedback_url(paper_id, "like")`). The site leaves
    the title out: 50k paper pages × three links is bytes that add up."""
    fields = {"template": FORM, "paper": paper_id, "verdict": verdict}
    if title:
        emoji, label, _ = VERDICTS[verdict]
        fields["title"] = f"{emoji} {label}: {paper_id} — {title[:80]}"
    return f"https://github.com/{repository}/issues/new?{urlencode(fields, safe=':/')}"


def parse_form(body: str | None) -> tuple[str, str] | None:
    """(paper id, verdict) from an issue body that is the form as filed; None for anything
    else, an edited body included."""
    text = (body or "").replace("\r\n", "\n").strip()
    found = FORM_BODY.fullmatch(text)
    if not found or found.group("verdict") not in VERDICTS:
        return None
    return found.group("paper"), found.group("verdict")


def judge(issue: Mapping[str, Any], is_known: Callable[[str], bool]) -> Feedback | str:
    """The feedback an issue carries, or why it is left alone."""
    number = issue.get("number")
    if "pull_request" in issue or not isinstance(number, int):
        return "not an issue"
    association = str(issue.get("author_association", ""))
    if association not in TRUSTED:
        return f"opened by {association or 'someone'} outside the repository's collaborators"
    parsed = parse_form(issue.get("body"))
    if parsed is None:
        return "its body is not the feedback form as filed"
    paper_id, verdict = parsed
    if not is_known(paper_id):
        return f"{paper_id} is not a paper in the archive"
    login = str((issue.get("user") or {}).get("login", ""))
    return Feedback(number, paper_id, verdict, login, str(issue.get("created_at", ""))[:10])


# ---- the committed file ---------------------------------------------------------------------


def load_applied(content_dir: Path) -> list[Feedback]:
    entries = read_state(content_dir, STATE_FILE).get("applied", [])
    applied = []
    for entry in entries if isinstance(entries, list) else []:
        try:
            feedback = Feedback(
                int(entry["issue"]),
                str(entry["paper_id"]),
                str(entry["verdict"]),
                str(entry.get("by", "")),
                str(entry.get("day", "")),
            )
        except (KeyError, TypeError, ValueError):
            continue
        if feedback.verdict in VERDICTS:
            applied.append(feedback)
    return applied


def save_applied(content_dir: Path, applied: Iterable[Feedback]) -> None:
    save_state(content_dir, STATE_FILE, {"applied": [asdict(f) for f in applied]})


def library_from(applied: Iterable[Feedback]) -> FeedbackLibrary:
    """A paper's latest verdict (by issue number) is the one that counts."""
    latest: dict[str, str] = {}
    for feedback in sorted(applied, key=lambda f: f.issue):
        latest.pop(feedback.paper_id, None)
        latest[feedback.paper_id] = feedback.verdict
    by_verdict = {v: tuple(p for p, verdict in latest.items() if verdict == v) for v in VERDICTS}
    return FeedbackLibrary(by_verdict["like"], by_verdict["save"], by_verdict["dislike"])


def read_feedback(content_dir: Path) -> FeedbackLibrary:
    return library_from(load_applied(content_dir))


# ---- GitHub at the edges --------------------------------------------------------------------


def open_feedback_issues(api: GitHubApi) -> list[dict[str, Any]]:
    issues: list[dict[str, Any]] = []
    for page in range(1, MAX_PAGES + 1):
        query = urlencode({"labels": LABEL, "state": "open", "per_page": 100, "page": page})
        batch = api.call("GET", f"/issues?{query}") or []
        issues += [issue for issue in batch if isinstance(issue, dict)]
        if len(batch) < 100:
            break
    return sorted(issues, key=lambda issue: issue.get("number") or 0)


def _is_known(content_dir: Path) -> Callable[[str], bool]:
    def is_known(paper_id: str) -> bool:
        try:
            found = read_existing(content_dir, paper_id)
        except (ArchiveError, OSError):
            return False
        return found is not None and found[0].paper_id == paper_id

    return is_known


def apply_feedback(api: GitHubApi, content_dir: Path) -> list[str]:
    """Record tonight's feedback issues; the report's lines. Reads issues only."""
    applied = load_applied(content_dir)
    recorded = {feedback.issue for feedback in applied}
    lines = []
    for issue in open_feedback_issues(api):
        number = issue.get("number")
        if number in recorded:
            continue
        verdict = judge(issue, _is_known(content_dir))
        if isinstance(verdict, str):
            lines.append(f"feedback: issue #{number} left alone: {verdict}")
            continue
        applied.append(verdict)
        emoji, label, change = VERDICTS[verdict.verdict]
        lines.append(
            f"feedback: issue #{number} by {verdict.by}: {emoji} {label} "
            f"{verdict.paper_id}: {change}"
        )
    if len(applied) > len(recorded):
        save_applied(content_dir, applied)
    return lines


def closing_comment(feedback: Feedback) -> str:
    emoji, label, change = VERDICTS[feedback.verdict]
    return (
        f"{emoji} **{label}** for `{feedback.paper_id}`: {change}, recorded in "
        f"`content/state/{STATE_FILE}` by the nightly run. The radar's ranking uses it from the "
        "next night. Closing this issue; open a new one from the site to change it."
    )


def close_applied(api: GitHubApi, content_dir: Path) -> list[str]:
    """Comment on and close each open feedback issue the committed file records."""
    applied = {feedback.issue: feedback for feedback in load_applied(content_dir)}
    lines = []
    for issue in open_feedback_issues(api):
        feedback = applied.get(issue.get("number"))  # type: ignore[arg-type]
        if feedback is None:
            continue
        try:
            api.call(
                "POST", f"/issues/{feedback.issue}/comments", {"body": closing_comment(feedback)}
            )
            api.call(
                "PATCH",
                f"/issues/{feedback.issue}",
                {"state": "closed", "state_reason": "completed"},
            )
        except GitHubError as err:
            lines.append(
                f"feedback: issue #{feedback.issue} not closed: {err}; tried again next night"
            )
            continue
        lines.append(f"feedback: closed issue #{feedback.issue} ({feedback.paper_id})")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.feedback",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    apply = commands.add_parser("apply", help="record open feedback issues in content/state/")
    close = commands.add_parser("close", help="comment on and close the issues recorded there")
    for command in (apply, close):
        command.add_argument("--content", default="content", help="archive (default: content)")
    args = parser.parse_args(argv)
    try:
        api = GitHubApi.from_environment()
        run = apply_feedback if args.command == "apply" else close_applied
        lines = run(api, Path(args.content))
    except GitHubError as err:
        print(f"feedback: {err}; nothing changed, tried again next night")
        return 0  # feedback never fails the night
    print("\n".join(lines or ["feedback: no open feedback issues to act on"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
