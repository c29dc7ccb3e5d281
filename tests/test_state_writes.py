"""All state is written through one helper (pipeline.write.write_atomically): a write_text or an
open(…, "w") anywhere else in pipeline/ is a file a killed run can leave half-written. And a run
starts by clearing the temporary files a killed one left."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from replay import ReplayServer, Reply

from pipeline.__main__ import main

PIPELINE = Path(__file__).resolve().parents[1] / "pipeline"
HELPER = PIPELINE / "write.py"


def _direct_writes(tree: ast.AST) -> list[int]:
    """Lines that write a file without the helper: .write_text/.write_bytes, or open/fdopen
    with a mode that writes or truncates (appending to a log such as the step summary is fine)."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", getattr(node.func, "id", ""))
        if name in ("write_text", "write_bytes"):
            lines.append(node.lineno)
        elif name in ("open", "fdopen"):
            given = [*node.args[1:2], *(k.value for k in node.keywords if k.arg == "mode")]
            modes = [a.value for a in given if isinstance(a, ast.Constant)]
            if any(isinstance(m, str) and ("w" in m or "x" in m) for m in modes):
                lines.append(node.lineno)
    return lines


def test_only_the_helper_writes_files() -> None:
    found = {
        f"{path.relative_to(PIPELINE.parent)}:{line}"
        for path in sorted(PIPELINE.rglob("*.py"))
        if path != HELPER
        for line in _direct_writes(ast.parse(path.read_text(encoding="utf-8")))
    }
    assert found == set()


def test_the_guard_sees_each_kind_of_direct_write() -> None:
    source = (
        "p.write_text('x')\np.write_bytes(b'x')\nopen(f, 'w')\nopen(f, mode='wb')\n"
        "os.fdopen(fd, 'w')\nopen(f, 'a')\nopen(f)\n"
    )
    assert _direct_writes(ast.parse(source)) == [1, 2, 3, 4, 5]


def test_a_run_clears_what_a_killed_run_left(
    arxiv_env: ReplayServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = Reply(200, b'<rss version="2.0"><channel/></rss>')
    for route in ("/rss/cs.AI", "/api/query"):
        arxiv_env.routes[route] = empty
    (tmp_path / "radar.yaml").write_text(
        "authors: [Zeyu Cao]\nsources:\n  arxiv: {categories: [cs.AI]}\n"
    )
    content, cache = tmp_path / "content", tmp_path / "cache"
    left = [
        content / "papers/arxiv/2606/.arxiv-2606-19025.md.x1y2.tmp",
        content / "state/.http-validators.json.q9.tmp",
        cache / ".archive-index.tsv.r4.tmp",
    ]
    for path in left:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("half")
    argv = ["run", "--radar", str(tmp_path / "radar.yaml"), "--content", str(content)]
    assert main([*argv, "--date", "2026-06-20"]) == 0
    assert [path for path in left if path.exists()] == []
    report = content / "reports/2026-06-20.json"
    assert oct(report.stat().st_mode & 0o777) == "0o644"
