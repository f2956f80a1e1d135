"""Which templates a binding selects, and the problems resolve reports before anything changes."""

from __future__ import annotations

import json

import pytest

from kfdata_compiler.errors import ResolveError
from tests.helpers import plan, spec, workflow


def kfp(name: str, component: str, display: str | None = None) -> str:
    annotations = {"pipelines.kubeflow.org/component_spec": json.dumps({"name": component})}
    if display:
        annotations["pipelines.kubeflow.org/task_display_name"] = display
    return f"- name: {name}\n  metadata: {{annotations: {json.dumps(annotations)}}}\n  container: {{image: python}}\n"


PIPELINE = workflow(
    kfp("train-model", "Train model", "Train (GPU)")
    + kfp("eval-accuracy", "Eval accuracy")
    + kfp("eval-fairness", "Eval fairness")
    + kfp("preprocess", "Train model-ish")
    + "- {name: main, dag: {tasks: [{name: t, template: train-model}]}}\n"
)


@pytest.mark.parametrize(
    ("step", "selected"),
    [
        pytest.param("train-model", ["train-model"], id="template-name"),
        pytest.param("Train model", ["train-model"], id="kfp-component-name"),
        pytest.param("Train (GPU)", ["train-model"], id="kfp-display-name"),
        pytest.param("eval*", ["eval-accuracy", "eval-fairness"], id="glob"),
        pytest.param("eval-?ccuracy", ["eval-accuracy"], id="glob-question-mark"),
        pytest.param("*-model", ["train-model"], id="glob-suffix"),
    ],
)
def test_selection(step: str, selected: list[str]) -> None:
    _, the_plan = plan(PIPELINE, spec("a: {uri: https://h/a}", f"- {{step: '{step}', read: [a]}}"))
    assert [t.node for t in the_plan.targets] == selected


def test_exact_name_wins_over_component_name() -> None:
    pipeline = workflow(kfp("a", "b") + kfp("b", "x"))
    _, the_plan = plan(pipeline, spec("d: {uri: https://h/d}", "- {step: b, read: [d]}"))
    assert [t.node for t in the_plan.targets] == ["b"]


def test_identical_bindings_from_two_patterns_merge() -> None:
    _, the_plan = plan(PIPELINE, spec("a: {uri: https://h/a}",
                                      "- {step: eval*, read: [a]}\n- {step: eval-accuracy, read: [a]}"))
    assert [(t.node, len(t.accesses)) for t in the_plan.targets] == [
        ("eval-accuracy", 1), ("eval-fairness", 1)]


def test_selection_is_per_document() -> None:
    second = workflow(kfp("train", "Train model"))
    _, the_plan = plan(PIPELINE + "---\n" + second,
                       spec("a: {uri: https://h/a}", "- {step: Train model, read: [a]}"))
    assert [(t.doc, t.node) for t in the_plan.targets] == [(0, "train-model"), (1, "train")]


@pytest.mark.parametrize(
    ("bindings", "code", "message"),
    [
        pytest.param("- {step: eval*, read: [a]}\n- {step: eval-accuracy, read: [{dataset: a, path: /x}]}",
                     "KF309", "bound to template 'eval-accuracy' twice", id="conflicting-duplicate"),
        pytest.param("- {step: main, read: [a]}", "KF303", "selects dag template 'main'", id="dag"),
        pytest.param("- {step: '*', read: [a]}", "KF303", "selects dag template 'main'", id="glob-hits-dag"),
        pytest.param("- {step: nope*, read: [a]}", "KF302", "matches no template", id="glob-nothing"),
        pytest.param("- {step: preprocess, read: [{dataset: a, into: x, path: /p}]}", "KF310",
                     "'into' and 'path' cannot be combined", id="into-and-path"),
        pytest.param("- {step: preprocess, write: [{dataset: a, into: x}]}", "KF310",
                     "cannot be used under write", id="into-under-write"),
        pytest.param("- {step: preprocess, read: [a, {dataset: b, path: /kfdata/a/b}]}", "KF304",
                     "collides with dataset 'a'", id="nested-paths-of-two-datasets"),
        pytest.param("- {step: preprocess, read: [a, {dataset: b, env: A}]}", "KF305",
                     "'KFDATA_A_PATH' would be set by both dataset 'a' and dataset 'b'", id="two-datasets-one-env-stem"),
    ],
)
def test_problems(bindings: str, code: str, message: str) -> None:
    with pytest.raises(ResolveError) as caught:
        plan(PIPELINE, spec("a: {uri: https://h/a}\nb: {uri: https://h/b}", bindings))
    assert [(d.code, message in d.message) for d in caught.value.diagnostics] == [(code, True)], [
        d.message for d in caught.value.diagnostics]


def test_available_steps_are_listed() -> None:
    with pytest.raises(ResolveError) as caught:
        plan(PIPELINE, spec("a: {uri: https://h/a}", "- {step: trian-model, read: [a]}"))
    (diag,) = caught.value.diagnostics
    assert diag.hint.splitlines() == [
        "did you mean 'train-model'?",
        "available steps: Eval accuracy, Eval fairness, Train (GPU), Train model, Train model-ish, "
        "eval-accuracy, eval-fairness, preprocess, train-model",
        "steps and tasks: t (calls train-model)",
    ]
    assert (diag.location.file, diag.location.line) == ("spec.yaml", 13)


# --- issue 9: ordinary input that reached exit 3 ---------------------------------------------------

LEAF = "- name: main\n  container: {image: alpine}\n"


@pytest.mark.parametrize(
    ("uri", "why"),
    [
        pytest.param("https://example.org/{{inputs.parameters.day}}/x",
                     "template 'main' has no input parameter 'day'", id="input-parameter"),
        pytest.param("https://example.org/{{inputs.artifacts.z.path}}/x",
                     "template 'main' has no input artifact 'z'", id="input-artifact"),
        pytest.param("https://example.org/{{steps.a.outputs.result}}/x",
                     "template 'main' has no steps", id="steps-reference"),
        pytest.param("https://example.org/{{tasks.a.outputs.result}}/x",
                     "template 'main' has no tasks", id="tasks-reference"),
    ],
)
def test_unresolvable_reference_in_a_dataset_is_reported_at_the_uri(uri: str, why: str) -> None:
    with pytest.raises(ResolveError) as caught:
        plan(workflow(LEAF), spec(f'd: {{uri: "{uri}"}}', "- {step: main, read: [d]}"))
    (diag,) = caught.value.diagnostics
    assert diag.code == "KF313"
    assert why in diag.message and "template 'main'" in diag.message
    assert diag.location.json_path == "$.datasets.d.uri"
    assert (diag.location.file, diag.location.line) == ("spec.yaml", 11)
    assert diag.hint.startswith("template 'main' declares no input parameters and no input "
                                "artifacts.")


def test_references_the_template_declares_resolve() -> None:
    pipeline = workflow("- name: main\n  inputs: {parameters: [{name: day}]}\n"
                        "  container: {image: alpine}\n")
    _, the_plan = plan(pipeline, spec('d: {uri: "https://h/{{inputs.parameters.day}}/x"}\n'
                                      'w: {uri: "s3://b/{{workflow.uid}}", store: minio}',
                                      "- {step: main, read: [d], write: [w]}"))
    assert [t.node for t in the_plan.targets] == ["main"]


def test_a_reference_in_the_version_points_at_the_version() -> None:
    with pytest.raises(ResolveError) as caught:
        plan(workflow(LEAF), spec('d: {uri: "https://h/x", version: "{{inputs.parameters.v}}"}',
                                  "- {step: main, read: [d]}"))
    assert [d.location.json_path for d in caught.value.diagnostics] == ["$.datasets.d.version"]


def test_one_report_per_template_for_a_glob() -> None:
    pipeline = workflow(LEAF + LEAF.replace("main", "other"))
    with pytest.raises(ResolveError) as caught:
        plan(pipeline, spec('d: {uri: "https://h/{{inputs.parameters.day}}"}',
                            "- {step: '*', read: [d]}"))
    assert sorted(d.message.split(" in ")[1].split(" (")[0] for d in caught.value.diagnostics) \
        == ["template 'main'", "template 'other'"]


INTO = """\
- name: dag
  inputs: {parameters: [{name: %s}]}
  dag:
    tasks:
    - {name: use, template: consume, arguments: {artifacts: [{name: message, raw: {data: hi}}]}}
- name: consume
  inputs: {parameters: [{name: day}], artifacts: [{name: message, path: /tmp/m}]}
  container: {image: alpine}
"""


def test_an_into_location_must_resolve_in_each_caller() -> None:
    bindings = "- step: consume\n  read: [{dataset: d, into: message}]"
    datasets = 'd: {uri: "https://h/{{inputs.parameters.day}}"}'
    _, the_plan = plan(workflow(INTO % "day"), spec(datasets, bindings))
    assert [t.node for t in the_plan.targets] == ["consume"]
    with pytest.raises(ResolveError) as caught:
        plan(workflow(INTO % "night"), spec(datasets, bindings))
    (diag,) = caught.value.diagnostics
    assert diag.code == "KF313"
    assert "does not resolve in task 'use' of template 'dag'" in diag.message


DUPLICATE_TEMPLATES = LEAF + LEAF.replace("main", "a") + LEAF.replace("main", "a")
DUPLICATE_STEPS_TEMPLATES = """\
- name: main
  steps:
  - - {name: use, template: consume, arguments: {artifacts: [{name: message, raw: {data: hi}}]}}
- name: main
  steps:
  - - {name: use, template: consume, arguments: {artifacts: [{name: message, raw: {data: hi}}]}}
- name: consume
  inputs: {artifacts: [{name: message, path: /tmp/m}]}
  container: {image: alpine}
"""
DUPLICATE_TASKS = """\
- name: dag
  dag:
    tasks:
    - {name: t, template: main}
    - {name: t, template: main}
""" + LEAF


@pytest.mark.parametrize(
    ("templates", "bindings", "message", "line"),
    [
        pytest.param(DUPLICATE_TEMPLATES, "- {step: a, read: [d]}",
                     "template name 'a' appears twice", 11, id="duplicate-templates"),
        pytest.param(DUPLICATE_STEPS_TEMPLATES,
                     "- step: consume\n  read: [{dataset: d, into: message}]",
                     "template name 'main' appears twice", 10, id="duplicate-steps-templates"),
        pytest.param(DUPLICATE_TASKS, "- {step: main, read: [d]}",
                     "DAG task name 't' appears twice in template 'dag'", 11,
                     id="duplicate-task-names"),
    ],
)
def test_duplicate_names_make_binding_ambiguous(templates: str, bindings: str, message: str,
                                                line: int) -> None:
    with pytest.raises(ResolveError) as caught:
        plan(workflow(templates), spec("d: {uri: https://h/d}", bindings))
    (diag,) = caught.value.diagnostics
    assert (diag.code, diag.location.file, diag.location.line) == ("KF402", "pipeline.yaml", line)
    assert diag.message.startswith(message) and "cannot tell which one to bind" in diag.message


def test_duplicates_in_a_document_nothing_binds_into_are_left_alone() -> None:
    other = workflow(DUPLICATE_TEMPLATES)
    _, the_plan = plan(workflow(LEAF.replace("main", "solo")) + "---\n" + other,
                       spec("d: {uri: https://h/d}", "- {step: solo, read: [d]}"))
    assert [(t.doc, t.node) for t in the_plan.targets] == [(0, "solo")]
