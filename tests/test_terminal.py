"""Nothing a pipeline, a spec or a file name holds reaches the terminal raw (issue 19 §4).

A KFP display name with ``ESC ] 0 ; ... BEL`` retitles the window, ``ESC [ 2 J`` clears the
screen, CR rewrites the line and U+202E reverses what follows. Every output path is fed such a
name (in the pipeline's step names and in the directory every file is in) and must show each
character as its escape (``\\x1b``), in every format; the JSON documents keep the data.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from kfdata_compiler.cli import main
from tests.paths import FIXTURES

HOSTILE = "x\x1b]0;T\x07\x1b[2J\r\u202ey"
RAW = ("\x1b", "\r", "\x07", "\u202e")
SHOWN = "x\\x1b]0;T\\x07\\x1b[2J\\r\\u202ey"


class Run(NamedTuple):
    status: int
    out: str
    err: str


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Any:
    """``run(*args)``: kfdata-compile in-process; its status, stdout and stderr."""
    def go(*args: object) -> Run:
        capsys.readouterr()
        status = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(status, captured.out, captured.err)

    return go


def _kfpv2(directory: Path) -> Path:
    """kfpv2-flat with task ``prepare`` displayed as HOSTILE; its pipeline."""
    shutil.copytree(FIXTURES / "kfpv2-flat", directory)
    pipeline = directory / "pipeline.yaml"
    text = pipeline.read_text()
    yaml_name = json.dumps(HOSTILE)  # a YAML double-quoted scalar takes JSON's escapes
    pipeline.write_text(text.replace("taskInfo:\n          name: prepare",
                                     f"taskInfo:\n          name: {yaml_name}"))
    return pipeline


def _argo(directory: Path) -> Path:
    """kfp-v1-display-names with the bound clean-shard displayed as HOSTILE; its pipeline."""
    shutil.copytree(FIXTURES / "kfp-v1-display-names", directory)
    pipeline = directory / "pipeline.yaml"
    text = pipeline.read_text()
    pipeline.write_text(text.replace("task_display_name: Clean one language",
                                     f"task_display_name: {json.dumps(HOSTILE)}"))
    return pipeline


def _clean(found: Run) -> None:
    for char in RAW:
        assert char not in found.out and char not in found.err, (char, found)


@pytest.fixture
def where(tmp_path: Path) -> Path:
    """A directory whose name is HOSTILE: every file name the run reports holds it."""
    return tmp_path / HOSTILE


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_a_step_name_in_a_hint_and_a_file_name_in_a_location(run: Any, where: Path,
                                                              fmt: str) -> None:
    pipeline = _kfpv2(where)
    spec = pipeline.with_name("pipeline.kfdata.yaml")
    spec.write_text(spec.read_text().replace("step: evaluate", "step: evaluat"))
    found = run("--error-format", fmt, pipeline)
    assert found.status == 1
    _clean(found)
    if fmt == "json":
        (entry,) = json.loads(found.err)
        assert HOSTILE in entry["hint"] and HOSTILE in entry["file"]  # the data, unchanged
    else:
        assert "available steps: evaluate, prepare, train, " + SHOWN in found.err
        assert found.err.count(SHOWN) == 2  # the hint and the file's directory


@pytest.mark.parametrize("how", ["text", "mermaid", "json"])
def test_explain(run: Any, where: Path, how: str) -> None:
    found = run("explain", "--format", how, _kfpv2(where))
    assert found.status == 0, found.err
    _clean(found)
    if how == "json":
        data = json.loads(found.out)
        assert HOSTILE in data["pipeline"]
        assert HOSTILE in [s["label"] for s in data["unbound_steps"]]
    elif how == "text":
        assert f"steps no binding selects: prepare ({SHOWN})" in found.out


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_check_diff_and_summary(run: Any, where: Path, fmt: str) -> None:
    pipeline = _argo(where)
    missing = run("--check", "--error-format", fmt, pipeline)
    assert missing.status == 1
    _clean(missing)
    assert SHOWN in missing.err  # the outcome names the output file
    run("--write", pipeline)
    bound = pipeline.with_name("pipeline.bound.yaml")
    bound.write_text(bound.read_text().replace("Clean shard", "Clean shards"))
    stale = run("--check", "--error-format", fmt, pipeline)
    assert stale.status == 1 and f"--- a{where.as_posix()}/pipeline.bound.yaml".replace(
        HOSTILE, SHOWN) in stale.out
    _clean(stale)


def test_diff_header_and_body(run: Any, where: Path) -> None:
    found = run("--diff", _argo(where))
    assert found.status == 0, found.err
    _clean(found)
    # The header names the file; the body shows the annotation beside the one kfdata adds.
    assert found.out.startswith(f"--- {where.as_posix().replace(HOSTILE, SHOWN)}/pipeline.yaml")
    assert "task_display_name: \"x\\e]0;T\\a\\e[2J\\r\\u202ey\"" in found.out


def test_the_bound_pipeline_is_the_writer_s_yaml(run: Any, where: Path) -> None:
    """The product is not a report: it is YAML, whose writer double-quotes what it must (ESC,
    BEL, CR), and keeps what YAML calls printable (U+202E) as it is."""
    found = run(_argo(where))
    assert found.status == 0
    for char in RAW[:3]:
        assert char not in found.out
    assert "\\e]0;T\\a\\e[2J\\r" in found.out


def test_lint(run: Any, where: Path) -> None:
    pipeline = where / "wf.yaml"
    where.mkdir()
    pipeline.write_text("kind: Workflow\nspec: {templates: [{name: a, container: {image: x}}],"
                        " entrypoint: b}\n")
    for fmt in ("text", "github"):
        found = run("lint", "--error-format", fmt, pipeline)
        assert found.status == 1 and SHOWN in found.err
        _clean(found)


def test_lock_summaries(run: Any, where: Path) -> None:
    where.mkdir()
    (where / "pipeline.yaml").write_text(
        "kind: Workflow\nmetadata: {name: wf}\n"
        "spec: {entrypoint: train, templates: [{name: train, container: {image: x}}]}\n")
    spec = where / "pipeline.kfdata.yaml"
    spec.write_text("apiVersion: kfdata.dev/v1alpha1\nkind: DataBindings\n"
                    "datasets: {d: {uri: 'pvc://claim/a', version: '3'}}\n"
                    "bindings: [{step: train, read: [d]}]\n")
    for args in (["lock", "--check", spec], ["lock", spec], ["lock", spec]):
        found = run(*args)
        assert SHOWN in found.err, found  # missing; wrote; up to date
        _clean(found)


def test_usage_errors_and_internal_errors(run: Any, where: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    found = run("--spec", where / "nope.yaml", "p.yaml")  # click's message quotes the path
    assert found.status == 2 and SHOWN in found.err
    _clean(found)

    def boom(*args: object) -> None:
        raise RuntimeError(HOSTILE)

    monkeypatch.setattr("kfdata_compiler.cli.compile._compile", boom)
    pipeline = _argo(where)
    found = run(pipeline)
    assert found.status == 3 and f"RuntimeError: {SHOWN}" in found.err
    _clean(found)


def test_the_escapes() -> None:
    from kfdata_compiler.diagnostics import json_printable, printable

    assert printable(HOSTILE) == SHOWN
    assert printable("a\nb") == "a\\nb" and printable("a\nb", lines=True) == "a\nb"
    assert printable("tab\tand é, 中文, emoji 🙂") == "tab\tand é, 中文, emoji 🙂"
    assert printable("\x85\u2028\u200f\ud800\U000e0041") == "\\x85\\u2028\\u200f\\ud800\\U000e0041"
    document = json.dumps({"k": HOSTILE + "\x9b\U000e0041"}, ensure_ascii=False)
    safe = json_printable(document)
    assert json.loads(safe) == json.loads(document)
    assert not any(c in safe for c in (*RAW, "\x9b", "\U000e0041"))
