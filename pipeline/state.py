"""State files the nightly job keeps in content/state/ and commits with the papers (the feeds'
HTTP validators). One place reads and writes them: a missing or unreadable file reads as empty,
so a damaged state costs one full fetch, never a night; a write is atomic."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .write import write_atomically

STATE_DIR = "state"
HTTP_VALIDATORS = "http-validators.json"  # sources.validators.Validators.state()


def read_state(content_dir: Path, name: str) -> dict[str, Any]:
    try:
        state = json.loads((content_dir / STATE_DIR / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def save_state(content_dir: Path, name: str, state: Mapping[str, Any]) -> None:
    text = json.dumps(state, indent=1, sort_keys=True) + "\n"
    write_atomically(content_dir / STATE_DIR / name, text)
