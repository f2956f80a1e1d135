"""``explain`` on big pipelines: every corpus file draws a sound chart, and a 30-step KFP
pipeline stays readable (grouped by DAG, KFP display names, loops and conditions marked)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from kfdata_compiler.cli import main
from kfdata_compiler.compiler import plan_text
from kfdata_compiler.errors import KfdataError
from kfdata_compiler.explain import build, render
from kfdata_compiler.formats.graph import GROUPS, Graph
from tests.explain.mermaid_check import ENTITY, Chart, parse
from tests.paths import CORPUS

FOLDERS = ("argo-examples", "kfp-v1-argo", "kfp-v2-argo")
FILES = sorted(p for f in FOLDERS for p in (CORPUS / f).glob("*.yaml")) if CORPUS.is_dir() else []
EMPTY = b"apiVersion: kfdata.dev/v1alpha1\nkind: DataBindings\n"
# The largest KFP pipelines of the corpus: ~30 tasks in nested DAGs, loops and conditions.
LARGE = ("kfp-v2-argo/pipeline_producer_consumer.yaml", "kfp-v2-argo/flip_coin.yaml",
         "kfp-v2-argo/pipeline_with_loops_and_conditions.yaml",
         "kfp-v1-argo/parallelfor_item_argument_resolving.yaml",
         "kfp-v1-argo/kfp1822-samples-nested_condition.yaml")
SPEC = """apiVersion: kfdata.dev/v1alpha1
kind: DataBindings
datasets:
  web: {{uri: "https://example.org/data.csv", version: "7"}}
  scratch: {{uri: "pvc://scratch-claim/runs"}}
bindings:
  - step: "{step}"
    read: [web, scratch]
"""
needs_corpus = pytest.mark.skipif(not FILES, reason="../shared/corpus is not present")


def _label(text: str) -> str:
    return ENTITY.sub("x", text)


def readable(chart: Chart, graphs: list[Graph]) -> None:
    """What keeps a big chart readable: a subgraph per DAG or steps call, every step inside
    the group that calls it, a diamond per condition, loops marked, labels short."""
    nodes = [n for g in graphs for n in g.nodes]
    wrappers = len(graphs) if len(graphs) > 1 else 0  # a subgraph per workflow document
    assert len(chart.subgraphs) == wrappers + sum(n.kind in GROUPS for n in nodes)
    diamonds = [k for k, (shape, _, _) in chart.nodes.items() if shape == "{}"]
    assert len(diamonds) == sum(n.when is not None for n in nodes)
    titles = [t for t, _ in chart.subgraphs.values()]
    labels = [label for _, label, _ in chart.nodes.values()]
    assert sum(t.startswith("⟳") for t in titles + labels) == sum(bool(n.loop) for n in nodes)
    assert all(len(_label(t)) <= 80 for t in titles + labels)
    if len(graphs) == 1 and graphs[0].nodes and graphs[0].nodes[0].kind in GROUPS:
        loose = [k for k, (shape, _, parent) in chart.nodes.items()
                 if parent is None and shape != "[()]"]
        assert loose == [] or all(k.startswith("s_on_exit") for k in loose)


@needs_corpus
@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_corpus_pipeline_draws_a_sound_chart(path: Path) -> None:
    try:
        planned = plan_text(path.read_bytes(), EMPTY, str(path), "spec.yaml")
    except KfdataError:
        pytest.skip("refused by the compiler too (tests/test_corpus.py)")
    facts = build(*planned)
    readable(parse(render(facts, "mermaid")), [w.graph for w in facts.workflows])
    json.loads(render(facts, "json"))


def _leaf(path: Path) -> str:
    doc = yaml.load(path.read_text(), Loader=yaml.CSafeLoader)
    return next(t["name"] for t in doc["spec"]["templates"] if "container" in t)


@needs_corpus
@pytest.mark.parametrize("name", LARGE)
def test_a_large_kfp_pipeline_through_the_cli(
        name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = CORPUS / name
    leaf = _leaf(path)
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC.format(step=leaf))
    outputs = {}
    for how in ("text", "mermaid", "json"):
        assert main(["explain", str(path), "--spec", str(spec), "--format", how]) == 0
        outputs[how], _ = capsys.readouterr()
    facts = build(*plan_text(path.read_bytes(), spec.read_bytes(), str(path), str(spec)))
    chart = parse(outputs["mermaid"])
    readable(chart, [w.graph for w in facts.workflows])
    data = json.loads(outputs["json"])
    callers = sum(n["template"] == leaf for w in data["workflows"] for n in w["nodes"])
    # Each call of the bound template reads both datasets.
    assert sum(e[0] in ("d_web", "d_scratch") for e in chart.edges) == 2 * callers
    assert outputs["text"].count("selected by") == len(data["steps"]) == 1


def kfp_like(steps: int = 30) -> str:
    """A KFP v1-shaped pipeline of ``steps`` components: a chain, a ParallelFor sub-DAG and a
    Condition sub-DAG, component names and some display names, as dsl-compile writes them."""
    templates, tasks, loop, cond = [], [], [], []
    for i in range(1, steps + 1):
        name = f"step-{i:02d}"
        notes = {"pipelines.kubeflow.org/component_spec": json.dumps({"name": f"Step {i}"})}
        if i % 3 == 0:
            notes["pipelines.kubeflow.org/task_display_name"] = f"Stage {i} (\"quoted\") <b>"
        templates.append({"name": name, "container": {"image": "python:3.9"},
                          "metadata": {"annotations": notes}})
        task = {"name": name, "template": name}
        group = loop if 10 < i <= 15 else cond if 20 < i <= 25 else tasks
        if group and i not in (11, 21):
            task["dependencies"] = [group[-1]["name"]]
        group.append(task)
    templates += [
        {"name": "for-loop-1", "dag": {"tasks": loop}},
        {"name": "condition-2", "dag": {"tasks": cond}},
        {"name": "big", "dag": {"tasks": [*tasks,
            {"name": "for-loop-1", "template": "for-loop-1", "dependencies": ["step-10"],
             "withParam": "{{tasks.step-10.outputs.parameters.shards}}"},
            {"name": "condition-2", "template": "condition-2", "dependencies": ["for-loop-1"],
             "when": '"{{tasks.step-10.outputs.parameters.mode}}" == "full"'}]}},
    ]
    doc = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
           "metadata": {"generateName": "big-"},
           "spec": {"entrypoint": "big", "templates": templates}}
    return yaml.safe_dump(doc, sort_keys=False)


def test_a_30_step_kfp_pipeline_is_grouped_and_labelled(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "p.yaml").write_text(kfp_like())
    (tmp_path / "p.kfdata.yaml").write_text(SPEC.format(step="step-1*"))
    assert main(["explain", str(tmp_path / "p.yaml"), "--format", "mermaid"]) == 0
    out, _ = capsys.readouterr()
    chart = parse(out)
    assert {t for t, _ in chart.subgraphs.values()} == {
        "big · DAG", "⟳ for-loop-1 · DAG · for each in step-10.shards", "condition-2 · DAG"}
    steps = {k: v for k, v in chart.nodes.items() if k.startswith("s_")}
    assert len(steps) == 30
    assert steps["s_step_03"][1] == "Stage 3 (#quot;quoted#quot;) #lt;b#gt;"
    assert steps["s_step_04"][1] == "Step 4"
    assert chart.nodes["c_condition_2"] == (
        "{}", "if #quot;step-10.mode#quot; == #quot;full#quot;", "g_big")
    assert {v[2] for k, v in steps.items() if re.fullmatch(r"s_step_1[1-5]", k)} == {
        "g_for_loop_1"}
    assert ("g_for_loop_1", "-->", "c_condition_2", None) in chart.edges
    # A glob on template names: step-10 to step-19, in the main DAG and in the loop.
    bound = next(line for line in out.splitlines() if line.endswith(" bound"))
    assert bound == "  class " + ",".join(f"s_step_{i}" for i in range(10, 20)) + " bound"
