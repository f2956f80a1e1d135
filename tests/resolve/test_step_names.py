"""A binding's ``step`` may be a step or DAG task name: what ``argo get`` and the Argo UI show.

A step or task name selects the template it calls, after template names and KFP names and
before globs (docs/spec.md, "Which templates a step selects").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kfdata_compiler.cli import main
from kfdata_compiler.errors import ResolveError
from kfdata_compiler.formats.argo import ARGO
from kfdata_compiler.load import load_source
from tests.helpers import parse, plan, spec, workflow

LEAVES = """\
- {name: print-message-from-file, container: {image: alpine}}
- {name: whalesay, container: {image: docker/whalesay}}
- {name: other, container: {image: alpine}}
"""
STEPS = """\
- name: main
  steps:
  - - {name: generate-artifact, template: whalesay}
  - - {name: consume-artifact, template: print-message-from-file}
    - {name: shared, template: whalesay}
  - - {name: ext, templateRef: {name: library, template: fetch}}
    - {name: inline-step, inline: {container: {image: alpine}}}
    - {name: nested, template: pipeline}
    - {name: mixed, template: pipeline}
- name: pipeline
  dag:
    tasks:
    - {name: train, template: other}
    - {name: whalesay-task, template: whalesay}
    - {name: other, template: whalesay}
    - {name: mixed, template: print-message-from-file}
    - {name: shared, template: other}
"""
PIPELINE = workflow(STEPS + LEAVES)
DATASET = "d: {uri: https://h/d}"


@pytest.mark.parametrize(
    ("step", "selected"),
    [
        pytest.param("consume-artifact", [("print-message-from-file", "step name")], id="step"),
        pytest.param("whalesay-task", [("whalesay", "DAG task name")], id="dag-task"),
        # A name used by several calls (a step here, a task there) selects each distinct leaf
        # template they call, in document order.
        pytest.param("shared", [("whalesay", "step name"), ("other", "DAG task name")],
                     id="several-calls"),
        # A template name wins over a task of that name calling another template.
        pytest.param("other", [("other", "template name")], id="template-name-first"),
        # Only the leaf templates of a name calling both a DAG and a leaf.
        pytest.param("mixed", [("print-message-from-file", "DAG task name")], id="leaf-only"),
    ],
)
def test_a_step_or_task_name_selects_the_template_it_calls(
        step: str, selected: list[tuple[str, str]]) -> None:
    _, the_plan = plan(PIPELINE, spec(DATASET, f"- {{step: {step}, read: [d]}}"))
    assert [t.node for t in the_plan.targets] == [name for name, _ in selected]
    steps = ARGO.steps(load_source("p.yaml", PIPELINE.encode()).docs)
    assert [(s.node["name"], s.via) for s in steps.select(step)] == selected


def test_a_template_called_by_several_steps_of_the_name_is_selected_once() -> None:
    pipeline = workflow("- {name: a, steps: [[{name: s, template: leaf}]]}\n"
                        "- {name: b, dag: {tasks: [{name: s, template: leaf}]}}\n"
                        "- {name: leaf, container: {image: alpine}}\n")
    steps = ARGO.steps(load_source("p.yaml", pipeline.encode()).docs)
    assert [(s.position, s.node["name"], s.via) for s in steps.select("s")] == [
        (2, "leaf", "step name")]


@pytest.mark.parametrize(
    ("step", "code", "message"),
    [
        pytest.param("ext", "KF302", "step 'ext' matches no template", id="template-ref"),
        pytest.param("inline-step", "KF302", "step 'inline-step' matches no template",
                     id="inline"),
        # A step calling only a DAG: KF303 says why, rather than "matches no template".
        pytest.param("nested", "KF303", "step 'nested' selects dag template 'pipeline'",
                     id="calls-a-dag"),
        # Globs match template names only, never step or task names.
        pytest.param("consume-*", "KF302", "step 'consume-*' matches no template",
                     id="glob-not-over-steps"),
    ],
)
def test_what_a_step_or_task_name_cannot_select(step: str, code: str, message: str) -> None:
    with pytest.raises(ResolveError) as caught:
        plan(PIPELINE, spec(DATASET, f"- {{step: '{step}', read: [d]}}"))
    assert [(d.code, d.message.startswith(message)) for d in caught.value.diagnostics] == [
        (code, True)]


def test_kf302_lists_step_and_task_names_with_the_template_each_calls() -> None:
    with pytest.raises(ResolveError) as caught:
        plan(PIPELINE, spec(DATASET, "- {step: consume-artefact, read: [d]}"))
    (diag,) = caught.value.diagnostics
    assert diag.hint.splitlines() == [
        "did you mean 'consume-artifact'?",
        "available steps: other, print-message-from-file, whalesay",
        "steps and tasks: consume-artifact (calls print-message-from-file), generate-artifact "
        "(calls whalesay), mixed (calls print-message-from-file), shared (calls other, whalesay), "
        "train (calls other), whalesay-task (calls whalesay)",
    ]


def test_kfp_v1_tasks_named_like_their_templates_add_nothing_to_the_hint() -> None:
    pipeline = workflow("- {name: main, dag: {tasks: [{name: prep, template: prep}]}}\n"
                        "- {name: prep, container: {image: alpine}}\n")
    with pytest.raises(ResolveError) as caught:
        plan(pipeline, spec(DATASET, "- {step: perp, read: [d]}"))
    (diag,) = caught.value.diagnostics
    assert diag.hint.splitlines() == ["did you mean 'prep'?", "available steps: prep"]


def test_the_call_is_left_as_it_was_and_the_template_is_bound() -> None:
    docs, the_plan = plan(PIPELINE, spec(DATASET, "- {step: consume-artifact, read: [d]}"))
    (target,) = the_plan.targets
    assert (target.node, [a.dataset.name for a in target.accesses]) == (
        "print-message-from-file", ["d"])
    assert docs[0]["spec"]["templates"][0]["steps"][1][0] == parse(
        "{name: consume-artifact, template: print-message-from-file}")


def test_cli_binds_a_step_name_and_reports_a_typo_with_the_steps(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "p.yaml").write_text(PIPELINE)
    (tmp_path / "p.kfdata.yaml").write_text(spec(DATASET, "- {step: consume-artifact, read: [d]}"))
    assert main([str(tmp_path / "p.yaml")]) == 0
    out = capsys.readouterr().out
    assert "KFDATA_D_PATH" in out and "kfdata-d" in out
    (tmp_path / "p.kfdata.yaml").write_text(spec(DATASET, "- {step: consume-artefact, read: [d]}"))
    assert main([str(tmp_path / "p.yaml")]) == 1
    assert capsys.readouterr().err == (
        f"{tmp_path / 'p.kfdata.yaml'}:13:6: error[KF302]: step 'consume-artefact' matches no "
        "template\n"
        "  at: $.bindings[0].step\n"
        "  hint: did you mean 'consume-artifact'?\n"
        "        available steps: other, print-message-from-file, whalesay\n"
        "        steps and tasks: consume-artifact (calls print-message-from-file), "
        "generate-artifact (calls whalesay), mixed (calls print-message-from-file), shared "
        "(calls other, whalesay), train (calls other), whalesay-task (calls whalesay)\n"
    )
