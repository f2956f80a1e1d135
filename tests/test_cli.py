"""The command line: outputs, --write/--check/--diff, error formats, exit codes, atomic writes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kfdata_compiler.cli import main
from tests.paths import FIXTURES, GOLDEN


@pytest.fixture
def case(tmp_path: Path) -> Path:
    """A copy of the kfp-v1-sentiment fixture: pipeline.yaml + pipeline.kfdata.yaml."""
    shutil.copytree(FIXTURES / "kfp-v1-sentiment", tmp_path / "p")
    return tmp_path / "p"


def golden() -> str:
    return (GOLDEN / "kfp-v1-sentiment.yaml").read_text()


def test_stdout_by_default(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(case / "pipeline.yaml")]) == 0
    assert capsys.readouterr().out == golden()
    assert not (case / "pipeline.bound.yaml").exists()


def test_output_file(case: Path) -> None:
    assert main([str(case / "pipeline.yaml"), "-o", str(case / "out.yaml")]) == 0
    assert (case / "out.yaml").read_text() == golden()
    assert not list(case.glob(".out.yaml.*"))  # no temp file left behind


def test_explicit_spec(case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "elsewhere.yaml"
    (case / "pipeline.kfdata.yaml").rename(spec)
    assert main([str(case / "pipeline.yaml"), "--spec", str(spec)]) == 0
    assert capsys.readouterr().out == golden()


def test_directory_spec(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (case / "pipeline.kfdata.yaml").rename(case / "kfdata.yaml")
    assert main([str(case / "pipeline.yaml")]) == 0
    assert capsys.readouterr().out == golden()


def test_missing_spec_is_a_clear_error(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (case / "pipeline.kfdata.yaml").unlink()
    assert main([str(case / "pipeline.yaml")]) == 1
    err = capsys.readouterr().err
    assert "error[KF110]: no kfdata spec found" in err
    assert "pipeline.kfdata.yaml" in err and "kfdata.yaml" in err


def test_write_mode_is_a_formatter(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--write", str(case / "pipeline.yaml")]
    assert main(args) == 1  # the output was created: a formatter reports a change
    assert (case / "pipeline.bound.yaml").read_text() == golden()
    assert main(args) == 0  # up to date now
    assert "wrote" in capsys.readouterr().err


def test_several_pipelines_write_conventional_outputs(case: Path) -> None:
    shutil.copytree(FIXTURES / "hera-dag", case.parent / "q")
    assert main([str(case / "pipeline.yaml"), str(case.parent / "q" / "pipeline.yaml")]) == 1
    assert (case / "pipeline.bound.yaml").read_text() == golden()
    assert (case.parent / "q" / "pipeline.bound.yaml").read_text() == (GOLDEN / "hera-dag.yaml").read_text()


def test_output_with_several_pipelines_is_a_usage_error(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(FIXTURES / "hera-dag", case.parent / "q")
    assert main([str(case / "pipeline.yaml"), str(case.parent / "q" / "pipeline.yaml"), "-o", "x"]) == 2
    assert "-o/--output takes one pipeline" in capsys.readouterr().err


def test_check_reports_stale_output_with_a_diff(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--check", str(case / "pipeline.yaml")]
    assert main(args) == 1
    assert not (case / "pipeline.bound.yaml").exists()  # --check writes nothing
    out = capsys.readouterr()
    assert "+    kfdata.dev/spec-sha256:" in out.out
    assert "out of date" in out.err
    (case / "pipeline.bound.yaml").write_text(golden())
    assert main(args) == 0
    (case / "pipeline.bound.yaml").write_text(golden().replace("P0D", "P1D"))
    assert main(args) == 1
    assert "-        pipelines.kubeflow.org/max_cache_staleness: P1D" in capsys.readouterr().out


def test_diff_shows_what_the_compile_changes(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--diff", str(case / "pipeline.yaml")]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"--- {case / 'pipeline.yaml'}\n+++ {case / 'pipeline.yaml'}\n")
    assert "+      - name: KFDATA_MODEL_PATH" in out


def test_stdin(case: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((case / "pipeline.yaml").read_bytes())))
    assert main(["-", "--spec", str(case / "pipeline.kfdata.yaml")]) == 0
    assert capsys.readouterr().out == golden()


def test_failed_compile_leaves_an_existing_output_untouched(
    case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = case / "out.yaml"
    out.write_text("previous output\n")
    (case / "pipeline.kfdata.yaml").write_text(
        (case / "pipeline.kfdata.yaml").read_text().replace("step: preprocess", "step: nope"))
    assert main([str(case / "pipeline.yaml"), "-o", str(out)]) == 1
    assert out.read_text() == "previous output\n"
    assert "error[KF302]: step 'nope' matches no template" in capsys.readouterr().err


ERR_SPEC = FIXTURES / "err-bindings" / "pipeline.yaml"


def test_error_format_github(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(ERR_SPEC), "--error-format", "github"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith(f"::error file={ERR_SPEC.with_name('pipeline.kfdata.yaml')},line=9,col=12,title=KF301::")
    assert len(lines) == 5


def test_error_format_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(ERR_SPEC), "--error-format", "json"]) == 1
    found = json.loads(capsys.readouterr().err)
    assert [d["code"] for d in found] == ["KF301", "KF302", "KF303", "KF306", "KF308"]
    assert found[0]["json_path"] == "$.bindings[0].read[0]"
    assert found[0]["hint"] == "did you mean 'reviews'?"


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--frobnicate", "x.yaml"]) == 2
    assert "No such option" in capsys.readouterr().err


def test_unexpected_errors_exit_3_without_a_traceback(
    case: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom(*args: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("kfdata_compiler.cli.compile._compile", boom)
    assert main([str(case / "pipeline.yaml")]) == 3
    err = capsys.readouterr().err
    assert "internal error: ZeroDivisionError: boom" in err
    assert "Traceback" not in err


def test_spec_and_output_arguments_map_to_their_pipeline(case: Path) -> None:
    # pre-commit passes whatever changed: a spec edit recompiles its pipeline.
    assert main(["--write", str(case / "pipeline.kfdata.yaml")]) == 1
    assert (case / "pipeline.bound.yaml").read_text() == golden()
    (case / "pipeline.bound.yaml").write_text("hand edited\n")
    assert main(["--write", str(case / "pipeline.bound.yaml")]) == 1
    assert (case / "pipeline.bound.yaml").read_text() == golden()


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert "kfdata-compile, version" in capsys.readouterr().out
