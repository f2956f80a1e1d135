from __future__ import annotations

import pytest

from kfdata_compiler.rewrite.env import add_env
from tests.helpers import parse, run_pass, spec, template, workflow

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
]


@pytest.mark.parametrize(("templates", "datasets", "bindings", "expected"), CASES)
def test_add_env(templates: str, datasets: str, bindings: str, expected: str) -> None:
    docs, _ = run_pass(add_env, workflow(templates), spec(datasets, bindings))
    step = template(docs, "step")
    assert (step.get("container") or step["script"])["env"] == parse(expected)


def test_credentials_never_reach_the_main_container() -> None:
    docs, _ = run_pass(add_env, workflow("- {name: step, container: {image: python}}"),
                       spec("r: {uri: s3://b/k, store: minio}", "- {step: step, read: [r]}"))
    env = template(docs, "step")["container"]["env"]
    assert all("valueFrom" not in var for var in env)
    assert "minio-creds" not in str(env)
