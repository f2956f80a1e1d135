"""KF419 and --argo-version: what a rule says depends on the Argo release the workflow runs on.

`parallelism: 0` (KFP SDK 1.8's ParallelFor without a limit): Argo 3.3 to 3.7 run it as no limit
(`HasParallelism` is `> 0`), so a warning; Argo 4.0's full CRDs refuse it (`minimum: 1`), so an
error. A workflow-level `parallelism: 0` hangs 3.x and is refused by 4.x: an error everywhere.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kfdata_compiler.cli import main
from kfdata_compiler.compiler import compile_text, lint_file
from kfdata_compiler.diagnostics import Severity
from kfdata_compiler.errors import KfdataError
from kfdata_compiler.formats.argo import versions
from kfdata_compiler.spec import ARGO_VERSION
from tests.helpers import workflow
from tests.paths import FIXTURES

LOOP = workflow("""
- name: main
  dag:
    tasks:
    - {name: loop, template: for-loop-1, arguments: {parameters: [{name: x, value: '{{item}}'}]},
       withItems: [1, 2]}
- name: for-loop-1
  parallelism: 0
  inputs: {parameters: [{name: x}]}
  dag:
    tasks:
    - {name: work, template: work, arguments: {parameters: [{name: x, value: '{{inputs.parameters.x}}'}]}}
- name: work
  inputs: {parameters: [{name: x}]}
  container: {image: alpine:3.19, args: ['{{inputs.parameters.x}}']}
""", "entrypoint: main")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "wf.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("target", "severity", "message"), [
    pytest.param("3.3", Severity.WARNING, "means no limit on Argo 3.3.0, and Argo 4.0 rejects it",
                 id="kfp-1.8-argo"),
    pytest.param(None, Severity.WARNING, "means no limit on Argo 3.7.0", id="default-3.7"),
    pytest.param("v3.7.5", Severity.WARNING, "means no limit on Argo 3.7.5", id="v-prefix"),
    pytest.param("4.0", Severity.ERROR, "is rejected by Argo 4.0.0 (its CRDs require at least 1)",
                 id="argo-4.0"),
    pytest.param("4.1.2", Severity.ERROR, "is rejected by Argo 4.1.2", id="argo-4.1"),
])
def test_parallelism_0_by_target(tmp_path: Path, target: str | None, severity: Severity,
                                 message: str) -> None:
    found = lint_file(_write(tmp_path, LOOP), argo_version=target)
    # One finding: the rule's; the strict schema's KF400 (minimum: 1) at the same value is dropped.
    assert [(d.code, d.severity, d.location.json_path) for d in found] == [
        ("KF419", severity, "$.spec.templates[1].parallelism")]
    assert message in found[0].message
    assert "dsl.ParallelFor" in found[0].hint and "KFP SDK 1.8" in found[0].hint


def test_workflow_parallelism_0_is_an_error_everywhere(tmp_path: Path) -> None:
    text = LOOP.replace("    parallelism: 0\n", "").replace("spec:\n", "spec:\n  parallelism: 0\n")
    for target, why in (("3.7", "wait for ever"), ("4.1", "rejected by Argo 4.1.0")):
        found = lint_file(_write(tmp_path, text), argo_version=target)
        assert [(d.code, d.severity, d.location.json_path) for d in found] == [
            ("KF419", Severity.ERROR, "$.spec.parallelism")]
        assert why in found[0].message


def test_lint_exits_0_on_warnings_alone_and_1_on_errors(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = str(_write(tmp_path, LOOP))
    assert main(["lint", path]) == 0
    assert "warning[KF419]" in capsys.readouterr().err
    assert main(["lint", "--argo-version", "4.1", path]) == 1
    assert "error[KF419]" in capsys.readouterr().err
    assert main(["lint", "--argo-version", "3.3", "--error-format", "json", path]) == 0
    assert [d["severity"] for d in json.loads(capsys.readouterr().out)] == ["warning"]


@pytest.mark.parametrize("bad", ["3", "3.x", "latest", "3.7.0.1", " 3.7"])
def test_a_release_that_is_none_is_a_usage_error(tmp_path: Path, bad: str) -> None:
    path = str(_write(tmp_path, LOOP))
    for args in (["lint", "--argo-version", bad, path], [path, "--argo-version", bad]):
        assert main(args) == 2
    with pytest.raises(ValueError):
        compile_text(LOOP.encode(), b"", argo_version=bad)
    with pytest.raises(ValueError):
        versions.parse(bad)
    assert ARGO_VERSION.fullmatch(bad) is None


@pytest.mark.parametrize(("text", "parsed"), [
    ("3.7", (3, 7, 0)), ("3.4.17", (3, 4, 17)), ("v3.5.14", (3, 5, 14)), ("4.1", (4, 1, 0))])
def test_releases_parse_and_compare(text: str, parsed: tuple[int, int, int]) -> None:
    assert versions.parse(text) == parsed
    assert versions.target(None) == versions.parse(versions.DEFAULT) == (3, 7, 0)
    assert versions.parse("3.4.16") < versions.DATUMS <= versions.parse("3.5") < versions.FULL_CRDS


def test_the_spec_the_flag_and_the_default() -> None:
    pipeline = (FIXTURES / "datum-steps-gcs" / "pipeline.yaml").read_bytes()
    datum = (FIXTURES / "datum-steps-gcs" / "pipeline.kfdata.yaml").read_text(encoding="utf-8")
    old = datum.replace("kind: DataBindings\n", "kind: DataBindings\nargoVersion: '3.4.16'\n")
    compile_text(pipeline, datum.encode())  # default 3.7: per-datum is fine
    with pytest.raises(KfdataError) as refused:
        compile_text(pipeline, old.encode())
    assert [d.code for d in refused.value.diagnostics] == ["KF324"]
    compile_text(pipeline, old.encode(), argo_version="3.4.17")  # the flag wins
    with pytest.raises(KfdataError):
        compile_text(pipeline, datum.encode(), argo_version="3.3")


def test_the_three_spellings_of_a_release_agree() -> None:
    from kfdata_compiler import schemas

    pattern = schemas.load_schema("databindings.schema.json")["properties"]["argoVersion"]["pattern"]
    for text in ("3.7", "3.4.17", "v3.5.14", "3", "3.x", "latest", "3.7.0.1", "v", "33.0"):
        assert bool(re.search(pattern, text)) == bool(ARGO_VERSION.fullmatch(text)), text


def test_the_kfp_releases_below_datums() -> None:
    assert versions.kfp_releases(versions.DATUMS) == "KFP 1.8 to 2.2"
    assert versions.kfp_releases(versions.FULL_CRDS) == "KFP 1.8 to 2.16"  # 2.17: Argo 4.0.5
