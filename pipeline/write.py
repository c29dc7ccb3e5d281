"""The one way files are written (articles, state, reports, caches, the search manifest):
atomically, so a killed run never leaves half a file. What an article says is pipeline.archive's."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

TEMP_SUFFIX = ".tmp"  # and a leading dot: ".NAME.RANDOM.tmp"; Pelican and git ignore these
FILE_MODE = 0o644  # mkstemp's 0600 would hide a committed article from every other reader


def write_atomically(path: Path, text: str | bytes) -> None:
    """The one way state is written (articles, reports, caches, the search manifest): a
    temporary file beside `path`, fsync, rename. Never a half-written file; a killed run leaves
    at most a temporary file, which clear_temporaries removes at the start of the next. Text is
    written as UTF-8 with its newlines as they are; bytes (the ranking's index) as they are."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8") if isinstance(text, str) else text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def clear_temporaries(folder: Path, *, recursive: bool = True) -> list[Path]:
    """Remove the temporary files a killed run left (write_atomically's, and nothing else)."""
    if not folder.is_dir():
        return []
    found = folder.rglob(f".*{TEMP_SUFFIX}") if recursive else folder.glob(f".*{TEMP_SUFFIX}")
    removed = [path for path in found if path.is_file()]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed
