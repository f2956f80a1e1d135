"""Null and wrong-typed fields in KFP v2 IR, where the compile writes (issue 19 §3).

Every field on the way to something a compile of the KFP v2 fixtures records in its journal is
set to ``null`` or to a value of another type. The compile then exits 0 or refuses with a
located diagnostic (never an internal error); when it compiles, compiling the output again
gives the same output, and compiling it with an empty spec restores the input.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from kfdata_compiler.compiler import compile_text
from kfdata_compiler.errors import InternalError, KfdataError
from kfdata_compiler.plan.paths import decode_path
from kfdata_compiler.yamlio.kfpstyle import load_kfp_documents
from tests.paths import CORPUS, FIXTURES
from tests.strategies import scaled

EMPTY = b"apiVersion: kfdata.dev/v1alpha1\nkind: DataBindings\n"
CASES = sorted(p.name for p in FIXTURES.glob("kfpv2-*")
               if (p / "pipeline.yaml").is_file() and not p.name.startswith("kfpv2-err"))
JUNK = [None, "oops", 5, True, [], {}, ["x"], [1]]
PVC_SPEC = """apiVersion: kfdata.dev/v1alpha1
kind: DataBindings
datasets:
  holdout: {uri: "pvc://holdout-claim/sets/2024", version: "2024-01"}
bindings:
  - step: STEP
    read: [holdout]
"""


def _docs(text: str) -> list[Any]:
    docs = [d for d in load_kfp_documents(text) if d is not None]
    return docs if len(docs) > 1 else [*docs, {}]


def _dump(docs: list[Any]) -> str:
    return "---\n".join(yaml.safe_dump(d, sort_keys=True) for d in docs if d is not None)


@cache
def _case(name: str) -> tuple[str, str, tuple[tuple[int, tuple[str, ...]], ...]]:
    """A fixture's pipeline and spec, and every field path (of plain keys) the input has on
    the way to an edit its compile journals."""
    text = (FIXTURES / name / "pipeline.yaml").read_text()
    spec = (FIXTURES / name / "pipeline.kfdata.yaml").read_text()
    out = _docs(compile_text(text.encode(), spec.encode()).output)
    journal = json.loads(out[1]["platforms"]["kfdata"]["config"]["edits"])
    docs = _docs(text)
    found: set[tuple[int, tuple[str, ...]]] = set()
    for doc, ops in journal.items():
        for op in ops:
            path = decode_path(op[1])
            for end in range(1, len(path) + 1):
                prefix = path[:end]
                if not all(isinstance(s, str) for s in prefix):
                    break
                node: Any = docs[int(doc)]
                for key in prefix[:-1]:
                    node = node.get(key) if isinstance(node, dict) else None
                if isinstance(node, dict) and prefix[-1] in node:
                    found.add((int(doc), tuple(str(s) for s in prefix)))
    return text, spec, tuple(sorted(found))


def _set(docs: list[Any], doc: int, path: tuple[str, ...], value: Any) -> list[Any]:
    out = copy.deepcopy(docs)
    node = out[doc]
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = copy.deepcopy(value)
    return out


def assert_sound(pipeline: str, spec: str) -> None:
    """Exit 0 with an idempotent, undoable output, or a located refusal."""
    try:
        result = compile_text(pipeline.encode(), spec.encode(), "p.yaml", "s.yaml")
    except InternalError as exc:  # pragma: no cover - what this test exists to catch
        pytest.fail(f"internal error: {exc.diagnostics}")
    except KfdataError as exc:
        assert all(d.location.line > 0 for d in exc.diagnostics), exc.diagnostics
        return
    again = compile_text(result.output.encode(), spec.encode(), "o.yaml", "s.yaml")
    assert again.output == result.output
    undone = compile_text(result.output.encode(), EMPTY, "o.yaml", "s.yaml")
    assert [d for d in _docs(undone.output) if d] == [d for d in _docs(pipeline) if d]


@scaled(0.5)
@given(data=st.data())
def test_null_and_wrong_typed_fields_where_the_compile_writes(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(CASES))
    text, spec, paths = _case(name)
    doc, path = data.draw(st.sampled_from(paths))
    value = data.draw(st.sampled_from(JUNK))
    assert_sound(_dump(_set(_docs(text), doc, path, value)), spec)


PVC_AT = ("platforms", "kubernetes", "deploymentSpec", "executors", "exec-train")
# field of the bound executor's platform entry -> (value, whether the compile refuses it)
PLATFORM = {
    "pvcMount-a-string": ("pvcMount", "oops", True),
    "pvcMount-a-mapping": ("pvcMount", {}, True),
    "pvcMount-null": ("pvcMount", None, False),
    "pvcMount-kept": ("pvcMount", [{"constant": "c", "mountPath": "/m"}], False),
    "podMetadata-null": ("podMetadata", None, False),
    "podMetadata-a-list": ("podMetadata", [], True),
}


@pytest.mark.parametrize("case", sorted(PLATFORM))
def test_a_platform_field_the_compile_adds_to(case: str) -> None:
    key, value, refused = PLATFORM[case]
    text = (FIXTURES / "kfpv2-flat" / "pipeline.yaml").read_text()
    docs = _docs(text)
    docs[1] = {"platforms": {"kubernetes": {"deploymentSpec": {"executors": {
        "exec-train": {key: value}}}}}}
    pipeline = _dump(docs)
    spec = PVC_SPEC.replace("STEP", "train")
    if not refused:
        assert_sound(pipeline, spec)
        out = _docs(compile_text(pipeline.encode(), spec.encode()).output)
        mounts = out[1]
        for part in PVC_AT:
            mounts = mounts[part]
        if isinstance(value, list) and key == "pvcMount":
            assert mounts["pvcMount"][:len(value)] == value  # the user's mounts are kept
        return
    with pytest.raises(KfdataError) as caught:
        compile_text(pipeline.encode(), spec.encode(), "p.yaml", "s.yaml")
    assert not isinstance(caught.value, InternalError)
    (problem,) = caught.value.diagnostics
    assert problem.code == "KF600" and problem.location.line > 0
    assert f"{'.'.join(PVC_AT)}.{key}" in problem.message


@pytest.mark.parametrize("value", ["prepare", 5, [1]])
def test_dependent_tasks_of_the_wrong_type_are_refused(value: Any) -> None:
    text = (FIXTURES / "kfpv2-flat" / "pipeline.yaml").read_text()
    spec = (FIXTURES / "kfpv2-flat" / "pipeline.kfdata.yaml").read_text()
    pipeline = _dump(_set(_docs(text), 0, ("root", "dag", "tasks", "evaluate", "dependentTasks"),
                          value))
    with pytest.raises(KfdataError) as caught:
        compile_text(pipeline.encode(), spec.encode(), "p.yaml", "s.yaml")
    assert [d.code for d in caught.value.diagnostics] == ["KF600"]
    assert caught.value.diagnostics[0].location.line > 0


CORPUS_IR = sorted((CORPUS / "kfp-v2-ir").glob("*.yaml")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not CORPUS_IR, reason="../shared/corpus is not present")
@scaled(0.2)
@given(data=st.data())
def test_nulled_fields_of_corpus_ir(data: st.DataObject) -> None:
    path: Path = data.draw(st.sampled_from(CORPUS_IR))
    docs = _docs(path.read_text())
    executors = sorted(docs[0].get("deploymentSpec", {}).get("executors", {}))
    tasks = sorted(docs[0].get("root", {}).get("dag", {}).get("tasks", {}))
    if not executors or not tasks:
        return
    task = data.draw(st.sampled_from(tasks))
    spec = PVC_SPEC.replace("STEP", json.dumps(task))
    field = data.draw(st.sampled_from([("root", "dag", "tasks", task, "inputs"),
                                       ("root", "dag", "tasks", task, "dependentTasks"),
                                       ("root", "dag", "tasks", task, "cachingOptions")]))
    node: Any = docs[0]
    for key in field[:-1]:
        node = node[key]
    if not isinstance(node, dict):
        return
    assert_sound(_dump(_set(docs, 0, field, data.draw(st.sampled_from(JUNK)))), spec)
