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
    assert [t.template for t in the_plan.targets] == selected


def test_exact_name_wins_over_component_name() -> None:
    pipeline = workflow(kfp("a", "b") + kfp("b", "x"))
    _, the_plan = plan(pipeline, spec("d: {uri: https://h/d}", "- {step: b, read: [d]}"))
    assert [t.template for t in the_plan.targets] == ["b"]


def test_identical_bindings_from_two_patterns_merge() -> None:
    _, the_plan = plan(PIPELINE, spec("a: {uri: https://h/a}",
                                      "- {step: eval*, read: [a]}\n- {step: eval-accuracy, read: [a]}"))
    assert [(t.template, len(t.accesses)) for t in the_plan.targets] == [
        ("eval-accuracy", 1), ("eval-fairness", 1)]


def test_selection_is_per_document() -> None:
    second = workflow(kfp("train", "Train model"))
    _, the_plan = plan(PIPELINE + "---\n" + second,
                       spec("a: {uri: https://h/a}", "- {step: Train model, read: [a]}"))
    assert [(t.doc, t.template) for t in the_plan.targets] == [(0, "train-model"), (1, "train")]


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
    ]
    assert (diag.location.file, diag.location.line) == ("spec.yaml", 13)
