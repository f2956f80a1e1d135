"""annotate_pods: which datasets a pod uses; KFP's cache off where data can change under a URI."""

from __future__ import annotations

import pytest

from kfdata_compiler.rewrite.annotate import annotate_pods
from tests.helpers import run_pass, spec, workflow
from tests.rewrite.tables import after, part, template, untouched

STEP = "- {name: step, container: {image: python}}"
CACHE = "pipelines.kubeflow.org/max_cache_staleness"
CASES = [
    pytest.param('a: {uri: https://h/a, version: "1"}', "- {step: step, read: [a]}",
                 {"kfdata.dev/datasets": "a"}, id="versioned-read-keeps-cache"),
    pytest.param("a: {uri: https://h/a}", "- {step: step, read: [a]}",
                 {"kfdata.dev/datasets": "a", CACHE: "P0D"}, id="unversioned-read-P0D"),
    pytest.param("m: {uri: s3://b/m, store: minio}", "- {step: step, write: [m]}",
                 {"kfdata.dev/datasets": "m"}, id="write-only-keeps-cache"),
    pytest.param(
        "a: {uri: https://h/a}\nb: {uri: git+https://h/o/r.git, "
        "revision: 0123456789abcdef0123456789abcdef01234567}",
        "- {step: step, read: [b, a]}",
        {"kfdata.dev/datasets": "b,a", CACHE: "P0D"}, id="order-follows-bindings"),
    pytest.param('b: {uri: git+https://h/o/r.git, revision: "0abc123"}', "- {step: step, read: [b]}",
                 {"kfdata.dev/datasets": "b"}, id="git-commit-is-a-version"),
]
LABELLED = """
- name: step
  metadata: {labels: {team: nlp}, annotations: {owner: me}}
  container: {image: python}
- {name: other, container: {image: python}}
"""
UNCHANGED = [
    pytest.param(part("step", "metadata", "labels"), id="the-steps-labels"),
    pytest.param(template("other"), id="an-unbound-template"),
]


@pytest.mark.parametrize(("datasets", "bindings", "expected"), CASES)
def test_annotate_pods(datasets: str, bindings: str, expected: dict[str, str]) -> None:
    assert after(annotate_pods, STEP, datasets, bindings)["metadata"]["annotations"] == expected


@pytest.mark.parametrize("pick", UNCHANGED)
def test_annotate_pods_leaves_alone(pick: object) -> None:
    untouched(annotate_pods, workflow(LABELLED), "a: {uri: https://h/a}",
              "- {step: step, read: [a]}", pick)  # type: ignore[arg-type]


def test_the_users_annotations_stay_first() -> None:
    annotations = after(annotate_pods, LABELLED, "a: {uri: https://h/a}",
                        "- {step: step, read: [a]}")["metadata"]["annotations"]
    assert list(annotations) == ["owner", "kfdata.dev/datasets", CACHE]


def test_existing_cache_setting_is_replaced_and_remembered() -> None:
    pipeline = workflow(f"""
- name: step
  metadata: {{annotations: {{{CACHE}: P30D}}}}
  container: {{image: python}}
""")
    docs, edits = run_pass(annotate_pods, pipeline,
                           spec("a: {uri: https://h/a}", "- {step: step, read: [a]}"))
    assert docs[0]["spec"]["templates"][0]["metadata"]["annotations"][CACHE] == "P0D"
    assert ["set", ["metadata", "annotations", CACHE], "P30D"] in edits.ops[(0, "step")]
