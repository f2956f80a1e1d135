"""``kfdata-compile explain`` through the real CLI: three formats, compile's errors, no writes."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from kfdata_compiler.cli import main
from kfdata_compiler.compiler import compile_text, plan_text
from kfdata_compiler.explain import as_data, build
from tests.explain.mermaid_check import parse
from tests.paths import FIXTURES

SENTIMENT = FIXTURES / "kfp-v1-sentiment"
PIPELINE, SPEC = SENTIMENT / "pipeline.yaml", SENTIMENT / "pipeline.kfdata.yaml"
ERROR_CASES = sorted(p.name for p in FIXTURES.glob("err-*") if (p / "pipeline.yaml").is_file())


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def _spec() -> dict[str, Any]:
    found: dict[str, Any] = yaml.safe_load(SPEC.read_text())
    return found


def test_text_shows_each_bound_step_and_how_it_was_selected(
        capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(capsys, "explain", str(PIPELINE))
    assert (status, err) == (0, "")
    assert out.startswith(f"{PIPELINE} with {SPEC}: ")
    for binding in _spec()["bindings"]:
        assert f"selected by  {binding['step']!r} (" in out
    assert "selected by  'eval*' (glob)" in out
    assert "selected by  'Train model' (KFP component name)" in out
    assert "\ntrain-model  (Train model)\n" in out
    assert "delivery   input artifact tokenize-tokens at /tmp/inputs/tokens/data" in out
    assert "version    2024-06-01" in out and "version    floating (cache off)" in out
    assert out.endswith("steps no binding selects: notify, tokenize (Tokenize)\n"
                        "datasets no binding uses: none\n")


def test_mermaid_is_a_flowchart_of_the_dag_with_the_datasets(
        capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "explain", str(PIPELINE), "--format", "mermaid")
    assert status == 0
    chart = parse(out)
    assert chart.subgraphs == {"g_sentiment": ("sentiment · DAG", None)}
    assert all(parent == "g_sentiment" for shape, _, parent in chart.nodes.values()
               if shape != "[()]")
    assert chart.nodes["s_train_model"][1] == "Train model"
    datasets = {label for shape, label, _ in chart.nodes.values() if shape == "[()]"}
    assert datasets == {"reviews · 2024-06-01", "vocab", "corpus", "eval-code", "model"}
    assert ("d_reviews", "-.->", "s_preprocess", None) in chart.edges
    assert ("s_train_model", "-.->", "d_model", None) in chart.edges
    assert ("s_tokenize", "-->", "s_train_model", None) in chart.edges


def test_json_is_the_facts_and_agrees_with_the_compiled_output(
        capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "explain", str(PIPELINE), "--format", "json")
    assert status == 0
    data = json.loads(out)
    planned = plan_text(PIPELINE.read_bytes(), SPEC.read_bytes(), str(PIPELINE), str(SPEC))
    assert data == as_data(build(*planned))
    assert [s["template"] for s in data["steps"]] == [
        "eval-accuracy", "eval-fairness", "preprocess", "train-model"]
    # What explain says each step gets is what the compile gives it.
    bound = yaml.safe_load(compile_text(PIPELINE.read_bytes(), SPEC.read_bytes()).output)
    templates = {t["name"]: t for t in bound["spec"]["templates"]}
    for step in data["steps"]:
        env = {e["name"] for e in templates[step["template"]]["container"]["env"]}
        for use in step["datasets"]:
            assert set(use["env"]) <= env
        cache = templates[step["template"]]["metadata"]["annotations"].get(
            "pipelines.kubeflow.org/max_cache_staleness")
        assert (cache == "P0D") == step["cache_off"]


@pytest.mark.parametrize("error_format", ["text", "json"])
@pytest.mark.parametrize("case", ERROR_CASES)
def test_errors_and_exit_status_are_the_compiles(
        case: str, error_format: str, capsys: pytest.CaptureFixture[str]) -> None:
    pipeline = str(FIXTURES / case / "pipeline.yaml")
    compiled = _run(capsys, pipeline, "--error-format", error_format)
    explained = _run(capsys, "explain", pipeline, "--error-format", error_format)
    assert explained[0] == compiled[0] != 0
    assert explained[2] == compiled[2] and explained[1] == ""


def test_a_missing_spec_is_the_compiles_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(PIPELINE, tmp_path / "p.yaml")
    compiled = _run(capsys, str(tmp_path / "p.yaml"))
    explained = _run(capsys, "explain", str(tmp_path / "p.yaml"))
    assert explained == compiled and "KF110" in explained[2]
    assert _run(capsys, "explain", str(PIPELINE), "--format", "dot")[0] == 2


@pytest.mark.parametrize("how", ["text", "mermaid", "json"])
def test_explain_writes_nothing(
        how: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    work = tmp_path / "case"
    shutil.copytree(SENTIMENT, work)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in work.rglob("*")}
    assert _run(capsys, "explain", str(work / "pipeline.yaml"), "--format", how)[0] == 0
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in work.rglob("*")} == before


def test_stdin_and_an_explicit_spec(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(PIPELINE.read_bytes())))
    status, out, _ = _run(capsys, "explain", "-", "--spec", str(SPEC), "--format", "json")
    assert status == 0 and json.loads(out)["pipeline"] == "<stdin>"


def test_a_bound_pipeline_explains_as_its_original(capsys: pytest.CaptureFixture[str],
                                                   tmp_path: Path) -> None:
    # Earlier edits are undone first, as a compile does: the facts are the original's.
    bound = tmp_path / "pipeline.yaml"
    bound.write_text(compile_text(PIPELINE.read_bytes(), SPEC.read_bytes()).output)
    shutil.copy(SPEC, tmp_path / "pipeline.kfdata.yaml")
    fresh = _run(capsys, "explain", str(PIPELINE), "--format", "mermaid")
    again = _run(capsys, "explain", str(bound), "--format", "mermaid")
    assert again == fresh


def test_compiling_loads_nothing_of_explain() -> None:
    # The compile path's import cost stays what it was: explain, its graph and bind load only
    # for `explain` and `bind`.
    code = ("import contextlib, io, sys\nfrom kfdata_compiler.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    assert main([{str(PIPELINE)!r}]) == 0\n"
            "print(sorted(m for m in sys.modules if m.startswith('kfdata_compiler.')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout
    for module in ("kfdata_compiler.explain", "kfdata_compiler.formats.graph",
                   "kfdata_compiler.formats.argo.graph", "kfdata_compiler.api",
                   "kfdata_compiler.cli.explain"):
        assert repr(module) not in loaded
