"""GitHub annotations from `pipeline check --format github`, escaped so radar text cannot forge
a second workflow command."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.__main__ import main
from pipeline.github import annotation


def test_check_annotates_the_offending_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    radar = tmp_path / "radar.yaml"
    radar.write_text("topics:\n  - name: World models\n    keyword: [world model]\n")
    assert main(["check", "--radar", str(radar), "--format", "github"]) == 2
    out, err = capsys.readouterr()
    assert out == (
        f"::error file={str(radar).replace(':', '%3A')},line=3,title=radar.yaml::"
        "topics[0].keyword: unknown key; did you mean 'keywords'? "
        "Allowed here: name, keywords, exclude, categories.\n"
    )
    assert f"{radar}:3: topics[0].keyword: unknown key" in err  # the usual one-screen error too


def test_check_prints_no_annotation_by_default_or_when_valid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    radar = tmp_path / "radar.yaml"
    radar.write_text("topics:\n  - name: World models\n    keyword: [world model]\n")
    assert main(["check", "--radar", str(radar)]) == 2
    assert "::" not in capsys.readouterr().out
    radar.write_text("topics:\n  - name: World models\n    keywords: [world model]\n")
    assert main(["check", "--radar", str(radar), "--format", "github"]) == 0
    assert "::" not in capsys.readouterr().out


def test_annotation_text_cannot_start_another_command() -> None:
    line = annotation("error", "bad\n::add-mask::x 100%\r", file="a,b:c.yaml", line=7, title="t,1")
    assert line == "::error file=a%2Cb%3Ac.yaml,line=7,title=t%2C1::bad%0A::add-mask::x 100%25%0D"
    assert "\n" not in line
    assert annotation("warning", "plain") == "::warning::plain"
