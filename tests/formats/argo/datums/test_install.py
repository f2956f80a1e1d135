"""What a stock install does that the output cannot show (datums/install.py): the cache's RBAC
(KF345), the target a KFP SDK 1.x workflow most likely runs on (KF346), and the namespace
parameter an incremental step gets (KF307 when it is taken)."""

from __future__ import annotations

import pytest

from kfdata_compiler.compiler import compile_text
from kfdata_compiler.diagnostics import Severity
from kfdata_compiler.errors import KfdataError
from tests.helpers import spec, workflow

TEMPLATES = """- name: main
  dag: {tasks: [{name: a, template: t}]}
- name: t
  container: {image: alpine:3.19}"""
READ = "images: {uri: s3://datasets/images, store: minio, version: '1'}"


def _warnings(bindings: str, pipeline: str | None = None, target: str | None = None,
              templates: str = TEMPLATES) -> list[tuple[str, str, str]]:
    text = pipeline or workflow(templates, "entrypoint: main")
    result = compile_text(text.encode(), spec(READ, bindings).encode(), "p.yaml", "s.yaml",
                          argo_version=target)
    assert all(d.severity is Severity.WARNING for d in result.warnings)
    return [(d.code, d.message, d.location.json_path) for d in result.warnings]


def test_incremental_warns_about_the_stock_roles() -> None:
    found = _warnings("- {step: t, read: [{dataset: images, datum: {glob: '/*', "
                      "incremental: true}}]}")
    assert [(c, p) for c, _, p in found] == [("KF345", "$.bindings[0].read[0].datum.incremental")]
    assert "get, watch and list" in found[0][1]


def test_a_plain_datum_read_does_not() -> None:
    assert _warnings("- {step: t, read: [{dataset: images, datum: {glob: '/*'}}]}") == []


KFP_V1 = """apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: p-
  annotations: {pipelines.kubeflow.org/kfp_sdk_version: 1.8.22}
spec:
  entrypoint: main
  templates:
""" + "\n".join("  " + line for line in TEMPLATES.splitlines()) + "\n"
PER_DATUM = "- {step: t, read: [{dataset: images, datum: {glob: '/*'}}]}"


def test_a_kfp_sdk_1_workflow_without_a_target_is_told_what_was_assumed() -> None:
    found = _warnings(PER_DATUM, KFP_V1)
    assert [(c, p) for c, _, p in found] == [
        ("KF346", '$.metadata.annotations["pipelines.kubeflow.org/kfp_sdk_version"]')]
    assert "KFP SDK 1.8.22" in found[0][1] and "Argo 3.3.8" in found[0][1]


@pytest.mark.parametrize("target", ["3.7", "3.4.17"])
def test_a_given_target_is_not_second_guessed(target: str) -> None:
    assert _warnings(PER_DATUM, KFP_V1, target) == []


def test_a_whole_dataset_read_needs_no_list() -> None:
    assert _warnings("- {step: t, read: [images]}", KFP_V1) == []


def test_the_namespace_parameter_must_be_free() -> None:
    taken = TEMPLATES.replace("container: {image: alpine:3.19}",
                              "inputs: {parameters: [{name: kfdata-namespace}]}\n"
                              "  container: {image: alpine:3.19}")
    text = workflow(taken, "entrypoint: main")
    bindings = "- {step: t, read: [{dataset: images, datum: {glob: '/', incremental: true}}]}"
    with pytest.raises(KfdataError) as caught:
        compile_text(text.encode(), spec(READ, bindings).encode(), "p.yaml", "s.yaml")
    errors = [d for d in caught.value.diagnostics if d.severity is Severity.ERROR]
    assert [d.code for d in errors] == ["KF307"]
    assert "'kfdata-namespace'" in errors[0].message
