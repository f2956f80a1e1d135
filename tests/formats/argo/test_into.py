from __future__ import annotations

from kfdata_compiler.formats.argo.into import feed_inputs
from tests.helpers import parse, run_pass, spec, template, workflow

CONSUMER = """
- name: train
  inputs:
    artifacts:
    - {name: prep-tokens, path: /tmp/inputs/tokens/data, mode: 0444}
  container: {image: python}
"""
LOCATION = {"http": {"url": "https://h/tok"}, "archive": {"none": {}}}


def test_every_caller_passes_the_dataset_instead() -> None:
    pipeline = workflow(CONSUMER + """
- name: main
  dag:
    tasks:
    - name: a
      template: train
      arguments:
        artifacts: [{name: prep-tokens, from: "{{tasks.prep.outputs.artifacts.prep-tokens}}"}]
    - {name: b, template: train}
""", "entrypoint: main")
    docs, _ = run_pass(feed_inputs, pipeline,
                       spec("t: {uri: https://h/tok}", "- {step: train, read: [{dataset: t, into: tokens}]}"))
    tasks = template(docs, "main")["dag"]["tasks"]
    assert tasks[0]["arguments"]["artifacts"] == [{"name": "prep-tokens", **LOCATION}]
    assert tasks[1]["arguments"] == {"artifacts": [{"name": "prep-tokens", **LOCATION}]}
    # The template keeps its path and mode: Argo takes those from the template, not the argument.
    assert template(docs, "train") == parse(CONSUMER)[0]


def test_steps_callers_are_found_in_parallel_groups() -> None:
    pipeline = workflow(CONSUMER + """
- name: main
  steps:
  - - {name: first, template: other}
  - - {name: second, template: train}
- {name: other, container: {image: alpine}}
""", "entrypoint: main")
    docs, _ = run_pass(feed_inputs, pipeline,
                       spec("t: {uri: https://h/tok}", "- {step: train, read: [{dataset: t, into: prep-tokens}]}"))
    second = template(docs, "main")["steps"][1][0]
    assert second["arguments"]["artifacts"] == [{"name": "prep-tokens", **LOCATION}]


def test_entrypoint_is_fed_through_workflow_arguments() -> None:
    pipeline = workflow(CONSUMER, "entrypoint: train")
    docs, _ = run_pass(feed_inputs, pipeline,
                       spec("t: {uri: https://h/tok}", "- {step: train, read: [{dataset: t, into: tokens}]}"))
    assert docs[0]["spec"]["arguments"] == {"artifacts": [{"name": "prep-tokens", **LOCATION}]}


def test_uncalled_template_gets_the_location_itself_keeping_path_and_mode() -> None:
    pipeline = workflow("""
- name: train
  inputs:
    artifacts:
    - {name: tokens, path: /tokens, mode: 0444, s3: {key: old/key}}
  container: {image: python}
""")
    docs, _ = run_pass(feed_inputs, pipeline,
                       spec("t: {uri: https://h/tok}", "- {step: train, read: [{dataset: t, into: tokens}]}"))
    assert template(docs, "train")["inputs"]["artifacts"] == [
        {"name": "tokens", "path": "/tokens", "mode": 0o444, **LOCATION}
    ]


def test_noop_without_into() -> None:
    pipeline = workflow(CONSUMER)
    docs, edits = run_pass(feed_inputs, pipeline,
                           spec("t: {uri: https://h/tok}", "- {step: train, read: [t]}"))
    assert template(docs, "train") == parse(CONSUMER)[0]
    assert not edits.ops
