from __future__ import annotations

import pytest

from kfdata_compiler.rewrite.annotate import annotate_pods
from tests.helpers import run_pass, spec, template, workflow

STEP = "- {name: step, container: {image: python}}"


@pytest.mark.parametrize(
    ("datasets", "bindings", "expected"),
    [
        pytest.param('a: {uri: https://h/a, version: "1"}', "- {step: step, read: [a]}",
                     {"kfdata.dev/datasets": "a"}, id="versioned-read-keeps-cache"),
        pytest.param("a: {uri: https://h/a}", "- {step: step, read: [a]}",
                     {"kfdata.dev/datasets": "a",
                      "pipelines.kubeflow.org/max_cache_staleness": "P0D"}, id="unversioned-read-P0D"),
        pytest.param("m: {uri: s3://b/m, store: minio}", "- {step: step, write: [m]}",
                     {"kfdata.dev/datasets": "m"}, id="write-only-keeps-cache"),
        pytest.param(
            "a: {uri: https://h/a}\nb: {uri: git+https://h/o/r.git, revision: 0123456789abcdef0123456789abcdef01234567}",
            "- {step: step, read: [b, a]}",
            {"kfdata.dev/datasets": "b,a", "pipelines.kubeflow.org/max_cache_staleness": "P0D"},
            id="order-follows-bindings"),
        pytest.param('b: {uri: git+https://h/o/r.git, revision: "0abc123"}', "- {step: step, read: [b]}",
                     {"kfdata.dev/datasets": "b"}, id="git-commit-is-a-version"),
    ],
)
def test_annotate_pods(datasets: str, bindings: str, expected: dict[str, str]) -> None:
    docs, _ = run_pass(annotate_pods, workflow(STEP), spec(datasets, bindings))
    assert template(docs, "step")["metadata"]["annotations"] == expected


def test_existing_cache_setting_is_replaced_and_remembered() -> None:
    pipeline = workflow("""
- name: step
  metadata: {annotations: {pipelines.kubeflow.org/max_cache_staleness: P30D}}
  container: {image: python}
""")
    docs, edits = run_pass(annotate_pods, pipeline, spec("a: {uri: https://h/a}", "- {step: step, read: [a]}"))
    annotations = template(docs, "step")["metadata"]["annotations"]
    assert annotations["pipelines.kubeflow.org/max_cache_staleness"] == "P0D"
    assert ["set", ["metadata", "annotations", "pipelines.kubeflow.org/max_cache_staleness"],
            "P30D"] in edits.ops[(0, "step")]
