"""The errors AcademicHub raises on purpose, under one base, so the command line catches one class
and prints its message on one screen, never a traceback.

Two branches say whose move it is: a `UserError` is input the user can fix (radar.yaml, a flag, a
path; exit status 2), a `RunError` is a run that could not finish (exit status 1). A failing
source or LLM call raises one too, but it is caught at that stage's boundary and reported: it
degrades one part of the night and never reaches the command line. Standard library only: the
health step imports it on the runner's own Python."""

from __future__ import annotations


class AcademicHubError(Exception):
    """Any error of ours; `exit_status` is what the command line exits with."""

    exit_status = 1


class UserError(AcademicHubError):
    """Bad input the user can fix; the message says where and how."""

    exit_status = 2


class RunError(AcademicHubError):
    """The run could not finish: a tool, a file or a service failed."""

    exit_status = 1


class SourceError(RunError):
    """A source could not be fetched or read; the message is one line for the run report."""
