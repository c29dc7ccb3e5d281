"""GitHub at the edges: workflow-command annotations and a small REST client.

Everything printed as a workflow command is escaped here, so text from radar.yaml or a feed can
never start a second command (a newline) or end a property early (a comma or colon)."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import RunError


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(
    level: str, message: str, *, file: str = "", line: int | None = None, title: str = ""
) -> str:
    """`::error file=radar.yaml,line=14,title=…::message`, shown on that line of the PR diff."""
    properties = []
    if file:
        properties.append(f"file={_escape_property(file)}")
    if line:
        properties.append(f"line={int(line)}")
    if title:
        properties.append(f"title={_escape_property(title)}")
    joined = " " + ",".join(properties) if properties else ""
    return f"::{level}{joined}::{_escape_data(message)}"


class GitHubError(RunError):
    """A REST call that failed, with the method, path and status; never the token."""

    def __init__(self, method: str, path: str, status: int, message: str) -> None:
        self.status = status
        super().__init__(f"GitHub API {method} {path}: {status} {message}".strip())


@dataclass(frozen=True)
class GitHubApi:
    """The few REST calls the nightly job makes, with the job's own GITHUB_TOKEN."""

    repository: str  # owner/name
    token: str
    api_url: str = "https://api.github.com"
    timeout: float = 20.0

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> GitHubApi:
        missing = [k for k in ("GITHUB_REPOSITORY", "GITHUB_TOKEN") if not environ.get(k)]
        if missing:
            raise GitHubError("", "", 0, f"set {' and '.join(missing)} (the workflow does)")
        return cls(
            repository=environ["GITHUB_REPOSITORY"],
            token=environ["GITHUB_TOKEN"],
            api_url=environ.get("GITHUB_API_URL") or cls.api_url,
        )

    def call(self, method: str, path: str, body: Mapping[str, Any] | None = None) -> Any:
        url = f"{self.api_url.rstrip('/')}/repos/{self.repository}{path}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Accept", "application/vnd.github+json")
        request.add_header("Authorization", f"Bearer {self.token}")
        request.add_header("X-GitHub-Api-Version", "2022-11-28")
        request.add_header("User-Agent", "AcademicHub")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as err:
            try:
                message = json.loads(err.read() or b"{}").get("message", "")
            except (ValueError, AttributeError):
                message = ""
            raise GitHubError(method, path, err.code, str(message)[:200]) from None
        except (urllib.error.URLError, TimeoutError, OSError) as err:
            reason = getattr(err, "reason", err)
            raise GitHubError(method, path, 0, f"unreachable: {reason}") from None
        return json.loads(raw) if raw.strip() else None
