"""add_env: KFDATA_<NAME>_PATH/_URI/_VERSION on the step's own container, nowhere else."""

from __future__ import annotations

import pytest

from kfdata_compiler.rewrite.env import add_env
from tests.helpers import parse, workflow
from tests.rewrite.tables import after, part, template, untouched

CASES = [
    pytest.param(
        "- {name: step, container: {image: python, env: [{name: LOG, value: info}]}}",
        'r: {uri: https://h/r, version: "7"}', "- {step: step, read: [r]}",
        """
        - {name: LOG, value: info}
        - {name: KFDATA_R_PATH, value: /kfdata/r}
        - {name: KFDATA_R_URI, value: https://h/r}
        - {name: KFDATA_R_VERSION, value: "7"}
        """,
        id="appends-after-existing-with-version",
    ),
    pytest.param(
        "- {name: step, script: {image: python, source: x}}",
        "eval-set: {uri: https://h/e}", "- {step: step, read: [{dataset: eval-set, env: EVAL}]}",
        """
        - {name: KFDATA_EVAL_PATH, value: /kfdata/eval-set}
        - {name: KFDATA_EVAL_URI, value: https://h/e}
        """,
        id="env-replaces-the-stem-on-a-script",
    ),
    pytest.param(
        "- {name: step, container: {image: python}}",
        "eval-set: {uri: https://h/e}", "- {step: step, read: [eval-set]}",
        """
        - {name: KFDATA_EVAL_SET_PATH, value: /kfdata/eval-set}
        - {name: KFDATA_EVAL_SET_URI, value: https://h/e}
        """,
        id="dashes-become-underscores",
    ),
    pytest.param(
        "- {name: step, container: {image: python, env: [{name: KFDATA_R_PATH, value: /kfdata/r}]}}",
        "r: {uri: https://h/r}", "- {step: step, read: [r]}",
        """
        - {name: KFDATA_R_PATH, value: /kfdata/r}
        - {name: KFDATA_R_URI, value: https://h/r}
        """,
        id="identical-existing-var-is-not-duplicated",
    ),
    pytest.param(
        "- {name: step, container: {image: python}}",
        "r: {uri: 's3://b/$(AWS_SECRET_ACCESS_KEY)', store: minio}", "- {step: step, read: [r]}",
        """
        - {name: KFDATA_R_PATH, value: /kfdata/r}
        - {name: KFDATA_R_URI, value: 's3://b/$$(AWS_SECRET_ACCESS_KEY)'}
        """,
        id="values-are-literal-for-the-kubelet",
    ),
]

SIDECAR = """
- name: step
  container: {image: python}
  initContainers: [{name: warm, image: busybox, env: [{name: A, value: "1"}]}]
  sidecars: [{name: proxy, image: envoy, env: [{name: B, value: "2"}]}]
- {name: other, container: {image: python, env: [{name: C, value: "3"}]}}
"""
UNCHANGED = [
    pytest.param(SIDECAR, part("step", "initContainers"), id="init-containers-of-the-step"),
    pytest.param(SIDECAR, part("step", "sidecars"), id="sidecars-of-the-step"),
    pytest.param(SIDECAR, template("other"), id="an-unbound-template"),
]


@pytest.mark.parametrize(("templates", "datasets", "bindings", "expected"), CASES)
def test_add_env(templates: str, datasets: str, bindings: str, expected: str) -> None:
    step = after(add_env, templates, datasets, bindings)
    assert (step.get("container") or step["script"])["env"] == parse(expected)


@pytest.mark.parametrize(("templates", "pick"), UNCHANGED)
def test_add_env_leaves_alone(templates: str, pick: object) -> None:
    untouched(add_env, workflow(templates), "r: {uri: https://h/r}", "- {step: step, read: [r]}",
              pick)  # type: ignore[arg-type]


def test_credentials_never_reach_the_main_container() -> None:
    step = after(add_env, "- {name: step, container: {image: python}}",
                 "r: {uri: s3://b/k, store: minio}", "- {step: step, read: [r]}")
    env = step["container"]["env"]
    assert all("valueFrom" not in var for var in env)
    assert "minio-creds" not in str(env)
