"""The Argo call graph explain draws: DAGs and steps as groups, conditions, loops, recursion."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from kfdata_compiler.formats.argo import ARGO
from kfdata_compiler.formats.argo.graph import MAX_NODES, depends_on, loop_of, shorten
from kfdata_compiler.formats.graph import Edge, Graph
from tests.helpers import workflow


def _graph(templates: str, extra: str = "entrypoint: main") -> Graph:
    return ARGO.graph([yaml.safe_load(workflow(templates, extra))], 0)


def _nodes(graph: Graph) -> dict[str, Any]:
    return {n.key: n for n in graph.nodes}


DAG = """
- name: main
  dag:
    tasks:
    - {name: fetch, template: fetch}
    - {name: train, template: train, dependencies: [fetch]}
    - name: publish
      template: gate
      depends: "train.Succeeded && !fetch.Failed"
      when: "{{tasks.train.outputs.parameters.score}} > 0.9"
    - name: each
      template: shard
      dependencies: [fetch]
      withItems: [a, b, c]
- name: gate
  dag:
    tasks:
    - {name: push, template: push}
- {name: fetch, container: {image: i}}
- {name: train, container: {image: i}}
- {name: push, container: {image: i}}
- {name: shard, script: {image: i, source: x}}
"""


def test_a_dag_is_a_group_with_its_tasks_and_dependencies() -> None:
    graph = _graph(DAG)
    nodes = _nodes(graph)
    assert nodes["main"].kind == "dag" and nodes["main"].parent is None
    assert nodes["main/fetch"].parent == "main" and nodes["main/fetch"].kind == "leaf"
    assert nodes["main/publish"].kind == "dag"
    assert nodes["main/publish/push"].parent == "main/publish"
    assert Edge("main/fetch", "main/train") in graph.edges
    assert Edge("main/train", "main/publish") in graph.edges
    assert Edge("main/fetch", "main/publish", "not Failed") in graph.edges


def test_conditions_and_loops_are_said_for_people() -> None:
    nodes = _nodes(_graph(DAG))
    assert nodes["main/publish"].when == "train.score > 0.9"
    assert nodes["main/each"].loop == "for each of 3 items"
    assert nodes["main/train"].when is None and nodes["main/train"].loop is None


def test_steps_run_group_after_group() -> None:
    graph = _graph("""
    - name: main
      steps:
      - - {name: a, template: leaf}
      - - {name: b, template: leaf}
        - {name: c, template: leaf}
      - {name: d, template: leaf}
    - {name: leaf, container: {image: i}}
    """)
    assert _nodes(graph)["main"].kind == "steps"
    assert set(graph.edges) == {Edge("main/a", "main/b"), Edge("main/a", "main/c"),
                                Edge("main/b", "main/d"), Edge("main/c", "main/d")}


def test_recursion_stops_at_the_template_already_being_drawn() -> None:
    graph = _graph("""
    - name: main
      steps:
      - - {name: flip, template: leaf}
      - - {name: again, template: main, when: "{{steps.flip.outputs.result}} == heads"}
    - {name: leaf, container: {image: i}}
    """)
    again = _nodes(graph)["main/again"]
    assert again.kind == "recursion" and again.when == "flip.result == heads"
    assert len(graph.nodes) == 3


def test_templates_elsewhere_exit_handlers_and_kfp_names() -> None:
    graph = _graph("""
    - name: main
      dag:
        tasks:
        - {name: lib, templateRef: {name: shared, template: x}}
        - {name: make-pvc, template: pvc}
        - {name: train, template: train}
    - {name: pvc, resource: {action: create, manifest: "{}"}}
    - name: train
      container: {image: i}
      metadata:
        annotations:
          pipelines.kubeflow.org/task_display_name: Train it
          pipelines.kubeflow.org/component_spec: '{"name": "Train model"}'
    - {name: bye, container: {image: i}}
    """, "entrypoint: main\nonExit: bye")
    nodes = _nodes(graph)
    assert nodes["main/lib"].kind == "elsewhere" and nodes["main/lib"].template is None
    assert nodes["main/make-pvc"].kind == "other"
    assert nodes["main/train"].label == "Train it"  # the display name wins over the component's
    assert Edge("main", "on exit: bye", "on exit") in graph.edges


def test_without_an_entrypoint_the_uncalled_templates_are_the_roots() -> None:
    graph = _graph("""
    - name: pipeline
      dag: {tasks: [{name: a, template: a}]}
    - {name: a, container: {image: i}}
    - {name: spare, container: {image: i}}
    """, "")
    assert [n.key for n in graph.nodes if n.parent is None] == ["pipeline", "spare"]


@pytest.mark.parametrize(("call", "said"), [
    ({"withItems": [1, 2]}, "for each of 2 items"),
    ({"withParam": "{{tasks.gen.outputs.result}}"}, "for each in gen.result"),
    ({"withSequence": {"count": "5"}}, "for each of 5"),
    ({"withSequence": {"start": "1", "end": "{{inputs.parameters.n}}"}}, "for 1..n"),
    ({}, None),
])
def test_loops(call: dict[str, Any], said: str | None) -> None:
    assert loop_of(call) == said


def test_placeholders_and_depends() -> None:
    assert shorten("{{=asInt(tasks.a.outputs.result) > 1}}") == "asInt(tasks.a.outputs.result) > 1"
    assert shorten("{{workflow.parameters.mode}} == fast") == "mode == fast"
    assert list(depends_on("(a || b.Errored) && !c.Skipped")) == [
        ("a", ""), ("b", "Errored"), ("c", "not Skipped")]


def test_a_workflow_that_doubles_at_every_level_stops_growing() -> None:
    # Each level calls the next twice: 2**30 calls if drawn out; the picture stops expanding.
    levels = [{"name": f"l{i}", "dag": {"tasks": [{"name": "a", "template": f"l{i + 1}"},
                                                  {"name": "b", "template": f"l{i + 1}"}]}}
              for i in range(30)]
    doc = {"kind": "Workflow", "metadata": {"name": "w"},
           "spec": {"entrypoint": "l0", "templates": [*levels,
                                                      {"name": "l30", "container": {}}]}}
    # Past the limit a call is still drawn, unexpanded: at most the siblings along one path.
    assert MAX_NODES <= len(ARGO.graph([doc], 0).nodes) <= MAX_NODES + 2 * 30


def test_text_says_what_a_bound_step_runs_under() -> None:
    from kfdata_compiler.compiler import plan_text
    from kfdata_compiler.explain import build, render
    from tests.helpers import spec

    pipeline = workflow("""
    - name: main
      dag:
        tasks:
        - {name: flip, template: flip}
        - {name: gate, template: gate, dependencies: [flip],
           when: "{{tasks.flip.outputs.result}} == heads"}
        - {name: always, template: train}
    - name: gate
      dag:
        tasks:
        - {name: train, template: train, when: "{{workflow.parameters.n}} > 2"}
        - {name: only, template: other}
    - {name: flip, container: {image: i}}
    - {name: train, container: {image: i}}
    - {name: other, container: {image: i}}
    """, "entrypoint: main")
    text = spec("web: {uri: 'https://h/x'}", "- {step: other, read: [web]}\n"
                "- {step: train, read: [web]}")
    out = render(build(*plan_text(pipeline.encode(), text.encode())), "text")
    assert ("other  (only)\n  selected by  'other' (template name)\n"
            "  runs if      flip.result == heads\n") in out
    # train also runs unguarded (the task 'always'): no condition is said of it
    assert "train\n  selected by  'train' (template name)\n  read web" in out
