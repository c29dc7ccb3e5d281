"""What a night's fetch is, for the registry that runs them and the modules that plan them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..http import Http
from ..models import SourceResult


@dataclass(frozen=True)
class Fetch:
    """One fetch of the night (a report row), run with an Http of its own whose clock bounds it."""

    name: str
    run: Callable[[Http], SourceResult]
