"""Mermaid joins a call to the template of another document it runs (Argo ``templateRef``,
``workflowTemplateRef``), and never calls a template that something in the file calls
"(not called)" (issue 20 §6).

Argo v3.7.18 ``workflow/templateresolution/context.go`` (``GetTemplateFromRef``): a
``templateRef`` names a WorkflowTemplate, or with ``clusterScope: true`` a
ClusterWorkflowTemplate, and one template of it by name; ``util.JoinWorkflowSpec`` runs a
``workflowTemplateRef`` Workflow from the resource's entry point.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kfdata_compiler.compiler import plan_text
from kfdata_compiler.explain import as_data, build, render
from tests.explain.mermaid_check import Chart, parse
from tests.helpers import spec

ROOT = Path(__file__).resolve().parents[2]


def _doc(kind: str, name: str, body: str) -> str:
    key = "generateName" if kind == "Workflow" else "name"
    return (f"apiVersion: argoproj.io/v1alpha1\nkind: {kind}\nmetadata:\n  {key}: {name}\n"
            f"spec:\n{textwrap.indent(textwrap.dedent(body).strip(), '  ')}\n")


LIBRARY = _doc("WorkflowTemplate", "lib", """
    entrypoint: main
    templates:
    - name: main
      dag:
        tasks:
        - {name: a, template: a}
    - {name: a, container: {image: i}}
    - {name: b, container: {image: i}}
    - name: inner
      steps:
      - - {name: deep, template: c}
    - {name: c, container: {image: i}}
    """)
CLUSTER = _doc("ClusterWorkflowTemplate", "lib", """
    entrypoint: b
    templates:
    - {name: b, container: {image: i}}
    """)


def _caller(shape: str) -> str:
    return _doc("Workflow", "run-", shape)


DAG_CALL = _caller("""
    entrypoint: main
    templates:
    - name: main
      dag:
        tasks:
        - name: call-b
          templateRef: {name: lib, template: b}
    """)
STEPS_CALL = _caller("""
    entrypoint: main
    templates:
    - name: main
      steps:
      - - name: call-b
          templateRef: {name: lib, template: b}
    """)
CLUSTER_CALL = _caller("""
    entrypoint: main
    templates:
    - name: main
      steps:
      - - name: call-b
          templateRef: {name: lib, template: b, clusterScope: true}
    """)
GROUP_CALL = _caller("""
    entrypoint: main
    templates:
    - name: main
      dag:
        tasks:
        - name: call-b
          templateRef: {name: lib, template: inner}
    """)
SUBMIT = _caller("""
    workflowTemplateRef: {name: lib}
    """)

# (documents, bound template, the node or subgraph the call's edge must reach (None: no edge),
#  edge label, the label the bound step is drawn with)
CASES = {
    "dag task": ([LIBRARY, DAG_CALL], "b", "b", "templateRef", "b"),
    "steps step": ([LIBRARY, STEPS_CALL], "b", "b", "templateRef", "b"),
    "clusterScope": ([CLUSTER, CLUSTER_CALL], "b", "b · entrypoint", "templateRef",
                     "b · entrypoint"),
    # A namespaced templateRef never runs a ClusterWorkflowTemplate: no edge, still drawn.
    "clusterScope missing": ([CLUSTER, STEPS_CALL], "b", None, None, "b · entrypoint"),
    # The call runs a steps template of the library, whose own call reaches the bound step.
    "a group of the library": ([LIBRARY, GROUP_CALL], "c", "inner · steps", "templateRef",
                               "deep"),
    "entrypoint, no caller": ([LIBRARY], "a", None, None, "a"),
    "workflowTemplateRef": ([LIBRARY, SUBMIT], "a", "main · DAG · entrypoint",
                            "workflowTemplateRef", "a"),
    "uncalled library template": ([LIBRARY], "b", None, None, "b"),
}


def _chart(docs: list[str], step: str) -> Chart:
    pipeline = "---\n".join(docs)
    text = spec("web: {uri: 'https://h/x'}", f"- {{step: {step}, read: [web]}}")
    return parse(render(build(*plan_text(pipeline.encode(), text.encode())), "mermaid"))


def _labels(chart: Chart) -> dict[str, str]:
    return {**{k: v[1] for k, v in chart.nodes.items()},
            **{k: v[0] for k, v in chart.subgraphs.items()}}


@pytest.mark.parametrize(("docs", "step", "target", "via", "drawn"), CASES.values(),
                         ids=CASES.keys())
def test_a_call_into_another_document_is_drawn_and_nothing_called_is_not_called(
        docs: list[str], step: str, target: str | None, via: str | None, drawn: str) -> None:
    chart = _chart(docs, step)
    labels = _labels(chart)
    assert not [t for t in labels.values() if "not called" in t]
    reads = [t for s, arrow, t, label in chart.edges if s == "d_web"]
    assert [labels[t] for t in reads] == [drawn]
    joins = [(labels[s], labels[t], label) for s, arrow, t, label in chart.edges
             if label in ("templateRef", "workflowTemplateRef")]
    if target is None:
        assert joins == []
    else:
        caller = "↗ call-b" if via == "templateRef" else "↗ main"
        assert joins == [(caller, target, via)]


def test_the_entrypoint_of_a_workflow_template_says_so_and_a_workflow_does_not() -> None:
    chart = _chart([LIBRARY, DAG_CALL], "b")
    titles = {title for title, _ in chart.subgraphs.values()}
    assert "main · DAG · entrypoint" in titles and "main · DAG" in titles


def test_a_template_no_call_reaches_is_still_not_called() -> None:
    dead = _caller("""
        entrypoint: main
        templates:
        - name: main
          steps:
          - - {name: a, template: a}
        - {name: a, container: {image: i}}
        - {name: dead, container: {image: i}}
        """)
    labels = _labels(_chart([dead], "dead"))
    assert "dead (not called)" in labels.values()


def test_json_names_the_document_and_root_a_call_runs() -> None:
    pipeline = "---\n".join([LIBRARY, STEPS_CALL])
    text = spec("web: {uri: 'https://h/x'}", "- {step: b, read: [web]}")
    data = as_data(build(*plan_text(pipeline.encode(), text.encode())))
    calls = {n["key"]: n for n in data["workflows"][1]["nodes"]}
    assert calls["main/call-b"]["ref"] == {"doc": 0, "key": "b", "via": "templateRef"}
    roots = {n["key"]: n["note"] for n in data["workflows"][0]["nodes"] if n["parent"] is None}
    assert roots == {"main": "entrypoint", "b": None, "inner": None}


@pytest.mark.parametrize("fixture", ["into-wt-templateref-dag", "into-wt-templateref-steps",
                                     "into-wt-submit-from"])
def test_the_fixtures_join_their_calls(fixture: str) -> None:
    folder = ROOT / "fixtures" / fixture
    facts = build(*plan_text((folder / "pipeline.yaml").read_bytes(),
                             (folder / "pipeline.kfdata.yaml").read_bytes()))
    chart = parse(render(facts, "mermaid"))
    labels = _labels(chart)
    joins = {labels[t] for s, _, t, label in chart.edges
             if label in ("templateRef", "workflowTemplateRef")}
    assert joins == {"render · entrypoint"}
