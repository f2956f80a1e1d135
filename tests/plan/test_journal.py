"""The edit journal: whatever the passes did, undo() restores the document exactly."""

from __future__ import annotations

import copy
import json

import pytest

from kfdata_compiler.compiler import compile_text
from kfdata_compiler.errors import LoadError
from kfdata_compiler.formats.argo.journal import undo_one as undo
from kfdata_compiler.formats.argo.slots import JOURNAL_AT
from kfdata_compiler.formats.argo.slots import JOURNAL_KEY as EDITS_ANNOTATION
from kfdata_compiler.plan.journal import Edits
from kfdata_compiler.plan.paths import Named
from tests.helpers import spec, workflow

OWNER = (0, "t")


def template() -> dict:
    return {
        "name": "t",
        "container": {"image": "python", "env": [{"name": "A", "value": "1"}]},
        "inputs": {"artifacts": [{"name": "tokens", "path": "/tokens", "from": "{{x}}"}]},
        "metadata": {"labels": {"x": "y"},
                     "annotations": {"pipelines.kubeflow.org/max_cache_staleness": "P30D"}},
        "steps": [[{"name": "s1", "template": "a"}], [{"name": "s2", "template": "b"}]],
    }


FED = {"name": "tokens", "http": {"url": "https://h/t"}, "archive": {"none": {}}}
EDITS = [
    pytest.param(lambda e, t: e.append(OWNER, t, ("container", "env"),
                                       {"name": "KFDATA_B_PATH", "value": "/b"}),
                 id="append-to-existing-list"),
    pytest.param(lambda e, t: e.append(OWNER, t, ("outputs", "artifacts"),
                                       {"name": "kfdata-k", "path": "/k"}),
                 id="append-creates-parents"),
    pytest.param(lambda e, t: e.put(OWNER, t, ("spec", "annotations"), "kfdata.dev/x", "v"),
                 id="put-creates-mapping"),
    pytest.param(lambda e, t: e.put(OWNER, t, ("metadata", "annotations"),
                                    "pipelines.kubeflow.org/max_cache_staleness", "P0D"),
                 id="put-replaces"),
    pytest.param(lambda e, t: e.replace_named(OWNER, t, ("inputs", "artifacts"), FED),
                 id="replace-named"),
    pytest.param(lambda e, t: e.replace_named(
        OWNER, t, ("steps", Named("s2"), "arguments", "artifacts"), FED),
        id="through-a-steps-group"),
]


@pytest.mark.parametrize("edit", EDITS)
def test_undo_restores_exactly(edit) -> None:  # type: ignore[no-untyped-def]
    original = template()
    changed = copy.deepcopy(original)
    edits = Edits()
    edit(edits, changed)
    assert changed != original
    edits.record(OWNER, changed, JOURNAL_AT, EDITS_ANNOTATION)
    assert EDITS_ANNOTATION in changed["metadata"]["annotations"]
    assert undo(changed) is True
    assert changed == original
    assert json.dumps(changed) == json.dumps(original)  # key order too


def test_setting_the_same_value_records_nothing() -> None:
    t = template()
    edits = Edits()
    edits.put(OWNER, t, ("metadata", "labels"), "x", "y")
    edits.replace_named(OWNER, t, ("container", "env"), {"name": "A", "value": "1"})
    assert edits.ops == {}


@pytest.mark.parametrize(
    "journal",
    [
        pytest.param([["add", ["spec"]]], id="drop-a-user-field"),
        pytest.param([["add", ["container", "env", {"name": "A"}]]], id="drop-a-user-env-var"),
        pytest.param([["set", ["container", "image"], "evil:latest"]], id="swap-the-image"),
        pytest.param([["add", ["metadata"]]], id="drop-user-metadata"),
        pytest.param([["set", ["inputs", "artifacts", {"name": "tokens"}], {"name": "other"}]],
                     id="rename-an-artifact"),
        pytest.param([["remove", ["x"]]], id="unknown-entry"),
        pytest.param([["add"]], id="malformed-entry"),
    ],
)
def test_a_forged_journal_is_refused(journal: list) -> None:
    t = template()
    t["metadata"]["annotations"][EDITS_ANNOTATION] = json.dumps(journal)
    before = copy.deepcopy(t)
    with pytest.raises(ValueError):
        undo(t)
    assert t["container"] == before["container"] and t["inputs"] == before["inputs"]


@pytest.mark.parametrize(
    ("node", "path"),
    [
        pytest.param({"container": {"image": "p", "env": "oops"}}, ("container", "env"), id="env"),
        pytest.param({"metadata": "oops"}, ("metadata", "annotations"), id="metadata"),
        pytest.param({"metadata": {"annotations": ["a"]}}, ("metadata", "annotations"),
                     id="annotations"),
    ],
)
def test_wrong_shapes_are_reported_not_crashed_on(node: dict, path: tuple) -> None:
    from kfdata_compiler.plan.journal import ShapeError

    edits = Edits()
    with pytest.raises(ShapeError) as caught:
        if path[-1] == "env":
            edits.append(OWNER, node, path, {"name": "KFDATA_X_PATH", "value": "/x"})
        else:
            edits.put(OWNER, node, path, "kfdata.dev/datasets", "x")
    assert caught.value.path[: len(path)] == path[: len(caught.value.path)]


def test_children_of_created_parents_are_not_journalled_twice() -> None:
    t = template()
    edits = Edits()
    edits.append(OWNER, t, ("outputs", "artifacts"), {"name": "a"})
    edits.append(OWNER, t, ("outputs", "artifacts"), {"name": "b"})
    assert edits.ops[OWNER] == [["add", ["outputs"]]]


def test_no_journal_means_nothing_to_undo() -> None:
    t = template()
    assert undo(t) is False
    assert t == template()


def test_a_hand_edited_journal_is_a_clear_error() -> None:
    pipeline = workflow("""
- name: step
  metadata: {annotations: {kfdata.dev/edits: 'not json'}}
  container: {image: python}
""")
    with pytest.raises(LoadError) as caught:
        compile_text(pipeline.encode(), spec("a: {uri: https://h/a}", "- {step: step, read: [a]}").encode(),
                     "p.yaml", "s.yaml")
    (diag,) = caught.value.diagnostics
    assert diag.code == "KF111"
    assert (diag.location.line, diag.location.col) == (8, 30)  # the annotation key itself
    assert "compile the original pipeline" in diag.hint


def test_recompiling_with_a_changed_spec_equals_compiling_the_original() -> None:
    pipeline = workflow("""
- name: a
  container: {image: python, env: [{name: X, value: "1"}]}
- name: b
  script: {image: python, source: "print(1)"}
""").encode()
    first = spec('r: {uri: https://h/r}\nm: {uri: s3://b/m, store: minio}',
                 "- {step: a, read: [r], write: [m]}").encode()
    second = spec('r: {uri: https://h/r, version: "2"}', "- {step: b, read: [r]}").encode()
    once = compile_text(pipeline, first, "p.yaml", "s.yaml").output
    assert compile_text(once.encode(), second, "p.yaml", "s.yaml").output == compile_text(
        pipeline, second, "p.yaml", "s.yaml").output
