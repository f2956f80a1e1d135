"""``into`` on a template resource's template: the step gets the dataset however it is reached.

Each golden ``into-wt-*`` is run through the twin of Argo's argument handling
(:mod:`tests.formats.argo.argo_arguments`) for every way the file reaches the template:
``argo submit --from``, a ``workflowTemplateRef`` Workflow, a ``templateRef`` task or step.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from kfdata_compiler.compiler import compile_text
from tests.formats.argo import argo_arguments as argo
from tests.paths import FIXTURES, GOLDEN

CASES = ("into-wt-submit-from", "into-wt-templateref-dag", "into-wt-templateref-steps")
DATASET = {"bucket": "render", "key": "presets/v3"}  # no final /: issue 18 §1


def _runs(docs: list[Any]) -> list[tuple[str, list[Any]]]:
    """Every way the file reaches a template: (a label, the input artifacts it runs with)."""
    runs = [(f"argo submit --from {d['metadata']['name']}", argo.submit_from(docs, d)[1])
            for d in docs if d["kind"] in ("WorkflowTemplate", "ClusterWorkflowTemplate")]
    runs += [(f"workflowTemplateRef of {d['metadata'].get('generateName')}",
              argo.run_workflow_template_ref(docs, d)[1])
             for d in docs if d["kind"] == "Workflow" and "workflowTemplateRef" in d["spec"]]
    runs += [(label, argo.run_ref_call(docs, call)) for label, call in argo.ref_calls(docs)]
    return runs


def _compile(case: str, pipeline: bytes | None = None) -> str:
    source = pipeline or (FIXTURES / case / "pipeline.yaml").read_bytes()
    spec = (FIXTURES / case / "pipeline.kfdata.yaml").read_bytes()
    return compile_text(source, spec, "p.yaml", "s.yaml").output


def _presets(inputs: list[Any]) -> Any:
    return next(a for a in inputs if a["name"] == "presets")


@pytest.mark.parametrize("case", CASES)
def test_every_caller_shape_gets_the_dataset(case: str) -> None:
    out = _compile(case)
    assert out == (GOLDEN / f"{case}.yaml").read_text(encoding="utf-8")
    runs = _runs(list(yaml.safe_load_all(out)))
    assert len(runs) >= 2  # submit --from, and the file's own caller
    for label, inputs in runs:
        got = _presets(inputs)
        assert {k: got.get("s3", {}).get(k) for k in DATASET} == DATASET, label
        assert got["path"] == "/presets", label  # Argo keeps the template's path


def test_the_fixtures_reach_the_template_without_the_dataset() -> None:
    """Before the compile, each caller is what the issue reports: nothing supplies ``presets``
    (or an upstream task does), so the twin must tell the bound output from the input."""
    for case in CASES:
        docs = list(yaml.safe_load_all((FIXTURES / case / "pipeline.yaml").read_text("utf-8")))
        with pytest.raises(argo.NotSupplied, match="inputs.artifacts.presets was not supplied"):
            argo.submit_from(docs, docs[0])


def test_templateref_gets_the_template_not_the_resources_arguments() -> None:
    """The shape the compile used to emit: the location in the resource's spec.arguments works
    for ``argo submit --from`` and fails for a ``templateRef`` caller (argo-workflows#10682)."""
    held = {"kind": "WorkflowTemplate", "metadata": {"name": "lib"}, "spec": {
        "entrypoint": "t", "arguments": {"artifacts": [{"name": "p", "s3": {"key": "k"}}]},
        "templates": [{"name": "t", "inputs": {"artifacts": [{"name": "p", "path": "/p"}]}}]}}
    docs = [held]
    assert argo.submit_from(docs, held)[1] == [{"name": "p", "s3": {"key": "k"}, "path": "/p"}]
    with pytest.raises(argo.NotSupplied):
        argo.run_ref_call(docs, {"name": "c", "templateRef": {"name": "lib", "template": "t"}})


def test_a_workflows_own_argument_wins_over_the_resources() -> None:
    held = {"kind": "WorkflowTemplate", "metadata": {"name": "lib"}, "spec": {
        "entrypoint": "t", "arguments": {"artifacts": [{"name": "p", "s3": {"key": "wt"}}]},
        "templates": [{"name": "t", "inputs": {"artifacts": [{"name": "p", "path": "/p"}]}}]}}
    workflow = {"kind": "Workflow", "spec": {
        "workflowTemplateRef": {"name": "lib"},
        "arguments": {"artifacts": [{"name": "p", "s3": {"key": "wf"}}]}}}
    assert argo.run_workflow_template_ref([held, workflow], workflow)[1][0]["s3"] == {"key": "wf"}


def test_arguments_the_file_passes_are_pointed_at_the_dataset() -> None:
    """A resource's own spec.arguments and a workflowTemplateRef Workflow's would replace the
    template's input: both are rewired, and every run still reads the dataset."""
    pipeline = (FIXTURES / "into-wt-submit-from" / "pipeline.yaml").read_text("utf-8")
    old = "{name: p, s3: {key: old}}"
    pipeline = pipeline.replace("  entrypoint: render\n",
                                f"  entrypoint: render\n  arguments: {{artifacts: [{old}]}}\n")
    pipeline = pipeline.replace("    name: render-lib\n",
                                f"    name: render-lib\n  arguments: {{artifacts: [{old}]}}\n")
    pipeline = pipeline.replace("name: p,", "name: presets,")
    docs = list(yaml.safe_load_all(_compile("into-wt-submit-from", pipeline.encode())))
    for label, inputs in _runs(docs):
        assert _presets(inputs)["s3"]["key"] == DATASET["key"], label
