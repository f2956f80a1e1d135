"""Plans that add nodes and rewire existing ones go through the journal like every injection:
the output is valid, compiling it again changes nothing, compiling it with a spec that binds
nothing gives the input back, and a journal entry kfdata would never write is refused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from kfdata_compiler.compiler import compile_text
from kfdata_compiler.errors import InternalError, LoadError
from kfdata_compiler.formats.argo import ARGO
from kfdata_compiler.plan import Plan
from kfdata_compiler.plan.actions import Action, AddNode, Inject, Rewire
from kfdata_compiler.plan.paths import Named
from tests.helpers import spec, workflow

DAG = workflow("""
- name: main
  dag:
    tasks:
    - {name: prep, template: train}
    - {name: t, template: train, dependencies: [prep]}
- name: train
  container: {image: python:3.11}
""", "entrypoint: main")
STEPS = workflow("""
- name: main
  steps:
  - - {name: s, template: train}
- name: train
  container: {image: python:3.11}
""", "entrypoint: main")
PIPELINE = DAG + "---\n" + STEPS
SPEC = spec("d: {uri: https://h/d}", "- {step: train, read: [d]}")
EMPTY = b"apiVersion: kfdata.dev/v1alpha1\nkind: DataBindings\n"
PROBE = {"name": "kfdata-probe", "container": {"image": "alpine:3.19"}}


def probe(docs: list[Any], plan: Plan) -> Iterator[Action]:
    """What a per-datum plan does: a template of its own, a task or group calling it before
    the bound step, and the bound step's call rewired to follow it."""
    if not plan.targets:
        return
    for doc in (0, 1):
        yield AddNode((doc, None), "template", PROBE)
    yield AddNode((0, "main"), "dag_task", {"name": "kfdata-probe-t", "template": "kfdata-probe"})
    yield Rewire((0, "main"), "call_field", ["prep", "kfdata-probe-t"], key="dependencies",
                 at=("dag", "tasks", Named("t")))
    yield Rewire((0, "main"), "call_field", '["a", "b"]', key="withParam",
                 at=("dag", "tasks", Named("t")))
    yield Inject((0, "main"), "argument_parameter", {"name": "kfdata-datum-d", "value": "{{item}}"},
                 at=("dag", "tasks", Named("t")))
    yield Inject((0, "train"), "input_parameter", {"name": "kfdata-datum-d"})
    yield AddNode((1, "main"), "steps_group", [{"name": "kfdata-probe-s", "template": "kfdata-probe"}],
                  before="s")


@pytest.fixture
def probed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ARGO, "passes", (*ARGO.passes, probe))


def _compile(pipeline: bytes, spec_text: bytes = SPEC.encode()) -> str:
    return compile_text(pipeline, spec_text, "p.yaml", "s.yaml").output


@pytest.mark.usefixtures("probed")
def test_added_and_rewired_nodes_land_where_the_table_says() -> None:
    dag, steps = yaml.safe_load_all(_compile(PIPELINE.encode()))
    templates = {t["name"]: t for t in dag["spec"]["templates"]}
    assert templates["kfdata-probe"] == PROBE
    tasks = {t["name"]: t for t in templates["main"]["dag"]["tasks"]}
    assert tasks["kfdata-probe-t"] == {"name": "kfdata-probe-t", "template": "kfdata-probe"}
    assert tasks["t"]["dependencies"] == ["prep", "kfdata-probe-t"]
    assert tasks["t"]["withParam"] == '["a", "b"]'
    assert tasks["t"]["arguments"]["parameters"] == [{"name": "kfdata-datum-d", "value": "{{item}}"}]
    assert templates["train"]["inputs"]["parameters"] == [{"name": "kfdata-datum-d"}]
    assert [[s["name"] for s in group] for group in steps["spec"]["templates"][0]["steps"]] == [
        ["kfdata-probe-s"], ["s"]]
    journal = json.loads(templates["main"]["metadata"]["annotations"]["kfdata.dev/edits"])
    assert ["set", ["dag", "tasks", {"name": "t"}, "dependencies"], ["prep"]] in journal
    assert ["add", ["dag", "tasks", {"name": "kfdata-probe-t"}]] in journal


@pytest.mark.usefixtures("probed")
def test_compiling_the_output_again_changes_nothing() -> None:
    once = _compile(PIPELINE.encode())
    assert _compile(once.encode()) == once


@pytest.mark.usefixtures("probed")
def test_a_spec_that_binds_nothing_gives_the_input_back() -> None:
    restored = _compile(_compile(PIPELINE.encode()).encode(), EMPTY)
    assert list(yaml.safe_load_all(restored)) == list(yaml.safe_load_all(PIPELINE))


@pytest.mark.parametrize(
    ("owner", "entry"),
    [
        pytest.param("main", ["set", ["dag", "tasks", {"name": "t"}, "template"], "evil"],
                     id="retarget-a-task"),
        pytest.param("main", ["add", ["dag", "tasks", {"name": "prep"}]], id="drop-a-user-task"),
        pytest.param(None, ["add", ["spec", "templates", {"name": "train"}]],
                     id="drop-a-user-template"),
        pytest.param("main", ["add", ["steps", {"group": "s"}]], id="drop-a-user-steps-group"),
    ],
)
def test_a_journal_that_would_touch_user_nodes_is_refused(owner: str | None, entry: list[Any]) -> None:
    doc = yaml.safe_load(DAG)
    holder = doc if owner is None else next(t for t in doc["spec"]["templates"] if t["name"] == owner)
    holder.setdefault("metadata", {}).setdefault("annotations", {})["kfdata.dev/edits"] = json.dumps([entry])
    with pytest.raises(LoadError) as caught:
        _compile(yaml.safe_dump(doc).encode())
    assert [d.code for d in caught.value.diagnostics] == ["KF111"]


@pytest.mark.parametrize(
    ("added", "rule"),
    [
        pytest.param({"name": "kfdata-bad", "container": {"image": "a:1"}, "bogus": 1}, "KF400",
                     id="unknown-field"),
        pytest.param({"name": "kfdata-bad", "container": {
            "image": "a:1", "volumeMounts": [{"name": "nobody", "mountPath": "/x"}]}}, "KF410",
            id="mount-of-no-volume"),
    ],
)
def test_a_broken_added_template_is_caught(monkeypatch: pytest.MonkeyPatch, added: dict[str, Any],
                                           rule: str) -> None:
    def broken(docs: list[Any], plan: Plan) -> Iterator[Action]:
        yield AddNode((0, None), "template", added)

    monkeypatch.setattr(ARGO, "passes", (*ARGO.passes, broken))
    with pytest.raises(InternalError) as caught:
        _compile(DAG.encode())
    assert [d.code for d in caught.value.diagnostics] == ["KF900"]
    assert f"breaks rule {rule}" in caught.value.diagnostics[0].message


def test_an_added_node_whose_name_is_taken_is_refused_before_anything_changes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def clash(docs: list[Any], plan: Plan) -> Iterator[Action]:
        yield AddNode((0, "main"), "dag_task", {"name": "prep", "template": "train"})

    monkeypatch.setattr(ARGO, "passes", (*ARGO.passes, clash))
    from kfdata_compiler.errors import ResolveError

    with pytest.raises(ResolveError) as caught:
        _compile(DAG.encode())
    (diag,) = caught.value.diagnostics
    assert diag.code == "KF307"
    assert diag.message == "dag task name 'prep' is already used in template 'main'"
