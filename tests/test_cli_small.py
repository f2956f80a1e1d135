"""Issue 20 §6, the small things a new user trips over: a silent ``lint``, a ``--help`` that
never says KFP v2, and KF204 calling a bucket path without ``s3://`` an unsupported scheme."""

from __future__ import annotations

from pathlib import Path

import pytest

from kfdata_compiler.cli import main
from tests.paths import FIXTURES, GOLDEN


def test_lint_says_one_line_on_success(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(GOLDEN / "kfp-v1-sentiment.yaml"),
                 str(FIXTURES / "kfpv2-flat" / "pipeline.yaml")]) == 0
    out, err = capsys.readouterr()
    assert (out, err) == ("", "kfdata-compile: 2 files checked: no problems\n")
    assert main(["lint", "--error-format", "json", str(GOLDEN / "kfp-v1-sentiment.yaml")]) == 0
    assert capsys.readouterr() == ("[]\n", "")  # a tool's document stays the document alone


def test_lint_with_findings_adds_no_success_line(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "wf.yaml"
    bad.write_text("kind: Workflow\nspec: {templates: [{name: a, container: {image: x}}],"
                   " entrypoint: b}\n")
    assert main(["lint", str(bad)]) == 1
    assert "no problems" not in capsys.readouterr().err


def test_help_names_kfp_v2_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    what = capsys.readouterr().out.split("Options:")[0]  # the command's own text, not lint's
    assert "KFP v2 pipeline (the IR YAML kfp 2.x compiles" in " ".join(what.split())


def test_a_uri_without_a_scheme_is_said_so(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pipeline.yaml").write_text(
        (FIXTURES / "kfp-v1-sentiment" / "pipeline.yaml").read_text())
    spec = (FIXTURES / "kfp-v1-sentiment" / "pipeline.kfdata.yaml").read_text()
    (tmp_path / "pipeline.kfdata.yaml").write_text(
        spec.replace("uri: s3://datasets/reviews/2024-06", "uri: media-raw/uploads/2026-12"))
    assert main([str(tmp_path / "pipeline.yaml")]) == 1
    err = capsys.readouterr().err
    assert "error[KF204]: dataset 'reviews': URI 'media-raw/uploads/2026-12' has no scheme" in err
    assert "hint: did you mean 's3://media-raw/uploads/2026-12'?" in err
    assert "unsupported URI scheme" not in err
