"""feed_inputs (Argo's own pass): ``into`` makes a dataset the source of an existing input."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kfdata_compiler.formats.argo.into import feed_inputs
from tests.helpers import parse, run_pass, spec, template, workflow
from tests.rewrite.tables import untouched

CONSUMER = """
- name: train
  inputs:
    artifacts:
    - {name: prep-tokens, path: /tmp/inputs/tokens/data, mode: 0444}
  container: {image: python}
"""
LOCATION = {"http": {"url": "https://h/tok"}, "archive": {"none": {}}}
FED = [{"name": "prep-tokens", **LOCATION}]
DAG = CONSUMER + """
- name: main
  dag:
    tasks:
    - name: a
      template: train
      arguments:
        artifacts: [{name: prep-tokens, from: "{{tasks.prep.outputs.artifacts.prep-tokens}}"}]
    - {name: b, template: train}
"""
STEPS = CONSUMER + """
- name: main
  steps:
  - - {name: first, template: other}
  - - {name: second, template: train}
- {name: other, container: {image: alpine}}
"""
UNCALLED = """
- name: train
  inputs:
    artifacts:
    - {name: tokens, path: /tokens, mode: 0444, s3: {key: old/key}}
  container: {image: python}
"""
INTO = "- {step: train, read: [{dataset: t, into: %s}]}"


def _tasks(docs: list[Any]) -> Any:
    return [t.get("arguments") for t in template(docs, "main")["dag"]["tasks"]]


CASES = [
    pytest.param(workflow(DAG, "entrypoint: main"), "tokens", _tasks,
                 [{"artifacts": FED}, {"artifacts": FED}], id="every-dag-caller-passes-it"),
    pytest.param(workflow(STEPS, "entrypoint: main"), "prep-tokens",
                 lambda docs: template(docs, "main")["steps"][1][0]["arguments"],
                 {"artifacts": FED}, id="steps-callers-in-parallel-groups"),
    pytest.param(workflow(CONSUMER, "entrypoint: train"), "tokens",
                 lambda docs: docs[0]["spec"]["arguments"], {"artifacts": FED},
                 id="the-entrypoint-through-workflow-arguments"),
    pytest.param(workflow(UNCALLED), "tokens",
                 lambda docs: template(docs, "train")["inputs"]["artifacts"],
                 [{"name": "tokens", "path": "/tokens", "mode": 0o444, **LOCATION}],
                 id="an-uncalled-template-keeps-path-and-mode"),
]
UNCHANGED = [
    # Argo takes path and mode from the template, not the argument: the template is not touched.
    pytest.param(workflow(DAG, "entrypoint: main"), INTO % "tokens",
                 lambda docs: template(docs, "train"), id="a-called-template"),
    pytest.param(workflow(STEPS, "entrypoint: main"), INTO % "prep-tokens",
                 lambda docs: template(docs, "main")["steps"][0], id="other-steps"),
    pytest.param(workflow(CONSUMER), "- {step: train, read: [t]}",
                 lambda docs: docs[0], id="a-read-without-into"),
]


@pytest.mark.parametrize(("pipeline", "into", "pick", "expected"), CASES)
def test_feed_inputs(pipeline: str, into: str, pick: Callable[[list[Any]], Any],
                     expected: Any) -> None:
    docs, _ = run_pass(feed_inputs, pipeline, spec("t: {uri: https://h/tok}", INTO % into))
    assert pick(docs) == expected


@pytest.mark.parametrize(("pipeline", "bindings", "pick"), UNCHANGED)
def test_feed_inputs_leaves_alone(pipeline: str, bindings: str,
                                  pick: Callable[[list[Any]], Any]) -> None:
    untouched(feed_inputs, pipeline, "t: {uri: https://h/tok}", bindings, pick)


def test_no_into_no_edits() -> None:
    docs, edits = run_pass(feed_inputs, workflow(CONSUMER),
                           spec("t: {uri: https://h/tok}", "- {step: train, read: [t]}"))
    assert template(docs, "train") == parse(CONSUMER)[0]
    assert not edits.ops
