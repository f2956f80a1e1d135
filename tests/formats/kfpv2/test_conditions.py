"""KFP v2 conditions as people read them (issue 20 §6): every shape of the corpus, and what
stays as written.

The shapes are kfp 2.17.0's ``sdk/python/kfp/compiler/pipeline_spec_builder.py``
(``_resolve_condition_operands``): ``inputs.parameter_values['<input>']``, ``int(...)`` for an
integer, ``double(...)`` against a float, ``!(...)`` for elif/else, `` && `` between them.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from kfdata_compiler.cli import main
from kfdata_compiler.formats.kfpv2 import ir
from kfdata_compiler.formats.kfpv2.conditions import readable
from kfdata_compiler.formats.kfpv2.graph import graph
from tests.explain.mermaid_check import parse
from tests.paths import CORPUS, FIXTURES

IR = CORPUS / "kfp-v2-ir"
FILES = sorted(IR.glob("*.yaml")) if IR.is_dir() else []
needs_corpus = pytest.mark.skipif(not FILES, reason="../shared/corpus is not present")


def _pipeline(path: Any) -> Any:
    return next(iter(yaml.safe_load_all(path.read_text())))


def _when(name: str, task: str) -> tuple[str | None, str | None]:
    found = {n.key: n for n in graph(_pipeline(IR / name)).nodes}[task]
    return found.when_raw, found.when


# (corpus file, task path) -> how it reads; one row per shape the corpus holds.
CORPUS_SHAPES = {
    ("flip_coin.yaml", "condition-1"): "flip-coin.Output == 'heads'",  # a task's output
    ("flip_coin.yaml", "condition-1/condition-2"): "random-num.Output > 5",  # int(...) dropped
    ("pipeline_with_importer.yaml", "condition-1"): "train.scalar == '123'",
    ("conditional_producer_and_consumers.yaml", "condition-4"): "pipeline.threshold == 2",
    ("gcpc-prophet_trainer_pipeline.yaml", "exit-handler-1/condition-2"):
        "pipeline.run_evaluation == true",  # a pipeline input handed down into a DAG
    ("artifacts_complex.yaml", "for-loop-2/for-loop-4/condition-5"):
        "for-loop-4.item >= pipeline.threshold",  # a loop's item, an input two DAGs up
    ("pipeline_with_loops_and_conditions.yaml", "condition-1/for-loop-2/condition-3"):
        "for-loop-2.item.A_a == 'heads'",  # a field of the item (parameterExpressionSelector)
    ("if_elif_else_with_oneof_parameters.yaml",
     "roll-die-pipeline/condition-branches-1/condition-3"):
        "!(flip-three-sided-die.Output == 'heads') && flip-three-sided-die.Output == 'tails'",
    ("if_elif_else_complex.yaml", "for-loop-1/condition-branches-4/condition-13"):
        "!(int-0-to-9999.Output < 5000) && !(int-0-to-9999.Output > 5000)",
    ("pipeline_with_nested_conditions.yaml", "condition-1/condition-2"):
        "flip-coin-op-2.Output == flip-coin-op-3.Output",  # two channels, one handed down
    ("gcpc-automl_tabular_pipeline.yaml", "exit-handler-1/condition-4/condition-5/condition-6"):
        "bool-identity-2.Output == 'true'",  # handed down three DAGs
}


@needs_corpus
@pytest.mark.parametrize(("where", "expected"), CORPUS_SHAPES.items(),
                         ids=[f"{f}:{t}" for f, t in CORPUS_SHAPES])
def test_each_corpus_shape_reads_as_people_name_it(where: tuple[str, str],
                                                   expected: str) -> None:
    raw, when = _when(*where)
    assert raw is not None and "inputs.parameter_values" in raw
    assert when == expected


@needs_corpus
def test_every_corpus_condition_is_read() -> None:
    seen = 0
    for path in FILES:
        doc = _pipeline(path)
        if not isinstance(doc, dict) or "root" not in doc:
            continue
        for node in graph(doc).nodes:
            if node.when_raw is None:
                continue
            seen += 1
            assert node.when is not None and "parameter_values" not in node.when, (
                path.name, node.key, node.when)
            assert "pipelinechannel--" not in node.when and "int(" not in node.when
    assert seen >= 50  # the corpus holds ~50 conditions; a parser that skips them all fails


def _doc(task_inputs: dict[str, Any], condition: str, parent_inputs: Any = None) -> Any:
    """A root task ``run`` whose DAG holds ``guarded``, which runs under ``condition``."""
    return {
        "pipelineInfo": {"name": "p"},
        "root": {"inputDefinitions": {"parameters": {"n": {"parameterType": "NUMBER_INTEGER"}}},
                 "dag": {"tasks": {
                     "make": {"componentRef": {"name": "comp-make"}, "taskInfo": {"name": "make"}},
                     "run": {"componentRef": {"name": "comp-run"}, "taskInfo": {"name": "run"},
                             "inputs": {"parameters": parent_inputs or {}}}}}},
        "components": {
            "comp-make": {"executorLabel": "exec-make"},
            "comp-run": {"dag": {"tasks": {"guarded": {
                "componentRef": {"name": "comp-make"}, "taskInfo": {"name": "guarded"},
                "triggerPolicy": {"condition": condition},
                "inputs": {"parameters": task_inputs}}}}},
        },
    }


OUT = {"pipelinechannel--make-Output": {"taskOutputParameter": {
    "producerTask": "make", "outputParameterKey": "Output"}}}
DOWN = {"pipelinechannel--n": {"componentInputParameter": "pipelinechannel--n"}}
FROM_ROOT = {"pipelinechannel--n": {"componentInputParameter": "n"}}
REF = "inputs.parameter_values['pipelinechannel--make-Output']"
N = "inputs.parameter_values['pipelinechannel--n']"

INLINE = {
    "task output": (OUT, f"{REF} == 'x'", None, "make.Output == 'x'"),
    "double quotes": (OUT, REF.replace("'", '"') + ' == "x"', None, 'make.Output == "x"'),
    "double(int(...))": (DOWN, f"double(int({N})) > 1.5", FROM_ROOT, "pipeline.n > 1.5"),
    "a literal that looks like a reference": (
        OUT, f"{REF} == 'inputs.parameter_values'", None,
        "make.Output == 'inputs.parameter_values'"),
}
# Conditions that cannot be read stay exactly as written.
RAW = {
    "an input the task lacks": ({}, f"{REF} == 'x'", None),
    "a constant": ({"pipelinechannel--make-Output": {"runtimeValue": {"constant": "x"}}},
                   f"{REF} == 'x'", None),
    "another selector": ({"pipelinechannel--n": {"componentInputParameter": "pipelinechannel--n",
                                                 "parameterExpressionSelector": "size(x)"}},
                         f"{N} == 1", FROM_ROOT),
    "handed down from nowhere": (DOWN, f"{N} == 1", None),
    "an artifact": (OUT, "inputs.artifacts['a'].uri == 'x'", None),
    "an unbalanced quote": (OUT, f"{REF} == 'x", None),
    "a reference inside a literal": (OUT, f"'int({REF})' == '1'", None),
}


@pytest.mark.parametrize(("inputs", "condition", "parent", "expected"), INLINE.values(),
                         ids=INLINE.keys())
def test_inline_shapes(inputs: Any, condition: str, parent: Any, expected: str) -> None:
    doc = _doc(inputs, condition, parent)
    refs = {r.path: r for r in ir.walk(doc)}
    assert readable(refs, "run/guarded", condition) == expected


@pytest.mark.parametrize(("inputs", "condition", "parent"), RAW.values(), ids=RAW.keys())
def test_what_cannot_be_read_stays_as_written(inputs: Any, condition: str, parent: Any) -> None:
    doc = _doc(inputs, condition, parent)
    node = {n.key: n for n in graph(doc).nodes}["run/guarded"]
    assert node.when == node.when_raw == condition


NESTED = FIXTURES / "kfpv2-nested"


def test_explain_says_what_a_step_runs_under_readably_and_json_keeps_the_cel(
        capsys: pytest.CaptureFixture[str]) -> None:
    pipeline = str(NESTED / "pipeline.yaml")
    assert main(["explain", pipeline]) == 0
    text = capsys.readouterr().out
    assert ("exit-handler-1/condition-4/condition-5/publish  (publish)\n"
            "  selected by  'publish' (task key)\n"
            "  runs if      (score.Output > 0.5) && (score.Output > 0.7)\n") in text
    assert "parameter_values" not in text
    assert main(["explain", pipeline, "--format", "mermaid"]) == 0
    chart = parse(capsys.readouterr().out)
    conditions = {label for shape, label, _ in chart.nodes.values() if shape == "{}"}
    assert conditions == {"if score.Output #gt; 0.5", "if score.Output #gt; 0.7"}
    assert main(["explain", pipeline, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    nodes = {n["key"]: n for n in data["workflows"][0]["nodes"]}
    guard = nodes["exit-handler-1/condition-4"]
    assert guard["when"] == "score.Output > 0.5"
    assert guard["when_raw"] == "inputs.parameter_values['pipelinechannel--score-Output'] > 0.5"
    publish = next(s for s in data["steps"] if s["template"].endswith("/publish"))
    assert publish["runs_if"] == ["(score.Output > 0.5) && (score.Output > 0.7)"]
