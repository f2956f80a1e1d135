"""validate(): the compiler checks its own output, and blames itself only for what it broke."""

from __future__ import annotations

import copy
import time
from typing import Any

import pytest
import yaml

from kfdata_compiler import compiler
from kfdata_compiler.cli import main
from kfdata_compiler.compiler import compile_text
from kfdata_compiler.diagnostics import Location, render_path
from kfdata_compiler.errors import InternalError, KfdataError
from kfdata_compiler.formats.argo import ARGO, versions
from kfdata_compiler.formats.argo.lint import lint_document
from kfdata_compiler.formats.argo.validate import _before, _changed, validate
from kfdata_compiler.rewrite import rewrite
from tests.helpers import plan, spec, template, workflow

# The input already breaks two rules: env var A twice (KF412) and KFP's `parallelism: 0` on
# the caller (KF419: Argo 4 rejects it). The binding changes both templates (the caller's
# argument is fed).
PIPELINE = workflow("""
- name: train
  container: {image: python, env: [{name: A, value: '1'}, {name: A, value: '2'}]}
  inputs: {artifacts: [{name: prep-tokens, path: /tmp/inputs/tokens/data}]}
- name: main
  parallelism: 0
  dag:
    tasks:
    - {name: a, template: train, arguments: {artifacts: [{name: prep-tokens, raw: {data: x}}]}}
""", "entrypoint: main")
SPEC = spec("t: {uri: https://h/tok}", "- {step: train, read: [{dataset: t, into: prep-tokens}]}")


def _compiled() -> tuple[list[Any], Any]:
    docs, the_plan = plan(PIPELINE, SPEC)
    return rewrite(docs, the_plan, ARGO), the_plan


def _codes(doc: dict[str, Any]) -> list[tuple[str, str]]:
    found = lint_document(doc, lambda path: Location("x", json_path=render_path(path)))
    return [(d.code, d.location.json_path) for d in found]


def test_problems_the_input_had_are_not_blamed_on_the_compile() -> None:
    docs, the_plan = _compiled()
    assert _codes(docs[0]) == [  # the output has them (lint says so) ...
        ("KF412", "$.spec.templates[0].container.env[1].name"),
        ("KF419", "$.spec.templates[1].parallelism"),
    ]
    assert _changed(docs[0]) == [0, 1]
    assert validate(docs, the_plan, "p.yaml") == []  # ... but the input had them too


def test_a_target_that_rejects_an_input_quirk_still_compiles_it() -> None:
    # At Argo 4.1 `parallelism: 0` is an error (lint says so), but the input had it: the compile
    # binds, its self-check blames nothing on itself (docs/datums.md, "Target Argo version").
    docs, _ = _compiled()
    found = lint_document(docs[0], lambda path: Location("x", json_path=render_path(path)),
                          versions.parse("4.1"))
    assert [(d.code, d.severity.value) for d in found] == [("KF412", "error"), ("KF419", "error")]
    result = compile_text(PIPELINE.encode(), SPEC.encode(), "p.yaml", "s.yaml", argo_version="4.1")
    assert result.changed


def test_the_input_is_rebuilt_from_the_journals() -> None:
    docs, _ = _compiled()
    assert _before(docs[0], _changed(docs[0])) == yaml.safe_load(PIPELINE)


def test_what_the_compile_broke_is_reported() -> None:
    docs, the_plan = _compiled()
    env = template(docs, "train")["container"]["env"]
    # Break the output inside what the journal says the compile added (as a buggy pass would).
    injected = env[-1]
    env.append(copy.deepcopy(injected))
    injected["valueFromm"] = {}
    found = validate(docs, the_plan, "p.yaml")
    last = len(env) - 1
    assert [(d.code, d.location.json_path) for d in found] == [
        ("KF412", f"$.spec.templates[0].container.env[{last}].name (output document 0)"),
        ("KF400", f"$.spec.templates[0].container.env[{last - 1}].valueFromm (output document 0)"),
    ]
    assert all(d.location.file == "p.yaml" for d in found)


def test_a_broken_output_is_an_internal_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Any,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    def buggy(docs: list[Any], the_plan: Any, fmt: Any) -> list[Any]:
        docs = rewrite(docs, the_plan, fmt)
        env = template(docs, "train")["container"]["env"]
        env.append(copy.deepcopy(env[-1]))
        return docs

    monkeypatch.setattr(compiler, "rewrite", buggy)
    # An input lint finds nothing wrong with where the compile writes: the bug is the compile's.
    clean = PIPELINE.replace(", {name: A, value: '2'}", "").replace("    parallelism: 0\n", "")
    with pytest.raises(InternalError) as raised:
        compile_text(clean.encode(), SPEC.encode())
    (problem,) = raised.value.diagnostics
    assert problem.code == "KF900"
    assert problem.message.startswith("kfdata-compile produced output that breaks rule KF412: ")
    (tmp_path / "p.yaml").write_text(clean)
    (tmp_path / "p.kfdata.yaml").write_text(SPEC)
    assert main([str(tmp_path / "p.yaml")]) == 3
    assert "error[KF900]" in capsys.readouterr().err


def test_a_broken_output_of_a_broken_input_is_said_of_the_input(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # PIPELINE's bound template already has env var A twice: what lint says of the input where
    # the compile writes is said first, at the input's line (issue 19), not as KF900.
    def buggy(docs: list[Any], the_plan: Any, fmt: Any) -> list[Any]:
        docs = rewrite(docs, the_plan, fmt)
        env = template(docs, "train")["container"]["env"]
        env.append(copy.deepcopy(env[-1]))
        return docs

    monkeypatch.setattr(compiler, "rewrite", buggy)
    with pytest.raises(KfdataError) as raised:
        compile_text(PIPELINE.encode(), SPEC.encode(), "p.yaml")
    assert not isinstance(raised.value, InternalError)
    assert [(d.code, d.location.line) for d in raised.value.diagnostics] == [("KF412", 9)]


def _big_workflow(n: int) -> str:
    """A KFP-like chain of ``n`` container templates, one DAG task each."""
    tasks, templates = [], []
    for i in range(n):
        templates.append({
            "name": f"step-{i}",
            "container": {"image": "python:3.11", "args": ["--in", "{{inputs.artifacts.in.path}}"],
                          "env": [{"name": "A", "value": "1"}]},
            "inputs": {"artifacts": [{"name": "in", "path": "/tmp/inputs/in/data"}]},
            "outputs": {"artifacts": [{"name": "out", "path": "/tmp/outputs/out/data"}]},
        })
        source = ({"from": f"{{{{tasks.step-{i - 1}.outputs.artifacts.out}}}}"} if i
                  else {"raw": {"data": "x"}})
        task: dict[str, Any] = {"name": f"step-{i}", "template": f"step-{i}",
                                "arguments": {"artifacts": [{"name": "in", **source}]}}
        if i:
            task["dependencies"] = [f"step-{i - 1}"]
        tasks.append(task)
    return yaml.safe_dump({
        "apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "metadata": {"name": "big"},
        "spec": {"entrypoint": "main",
                 "templates": [{"name": "main", "dag": {"tasks": tasks}}, *templates]},
    }, sort_keys=False)


def test_validate_stays_fast_on_2000_templates() -> None:
    docs, the_plan = plan(_big_workflow(2000), spec(
        "t: {uri: https://h/tok}", "- {step: step-1000, read: [t]}"))
    docs = rewrite(docs, the_plan, ARGO)
    start = time.perf_counter()
    assert validate(docs, the_plan, "big.yaml") == []
    # ~5 ms measured (the Template subschema on one template, the rules, the spec's own
    # fields); the whole document would cost ~0.4 s against the schema alone.
    assert time.perf_counter() - start < 0.25
