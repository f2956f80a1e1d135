"""record_lineage: the workflow says which data it ran on and which spec bound it."""

from __future__ import annotations

import hashlib
import json

import pytest

from kfdata_compiler.rewrite.lineage import record_lineage
from tests.helpers import run_pass, spec, workflow
from tests.rewrite.tables import untouched

PIPELINE = workflow("""
- {name: a, container: {image: python}}
- {name: b, script: {image: python, source: x}}
""")
CASES = [
    pytest.param('r: {uri: https://h/r, version: "2"}\nm: {uri: s3://b/m, store: minio}',
                 "- {step: a, read: [r]}\n- {step: b, read: [r], write: [m]}",
                 {"r": {"uri": "https://h/r", "version": "2", "read": ["a", "b"]},
                  "m": {"uri": "s3://b/m", "write": ["b"]}}, id="reads-and-writes-per-dataset"),
    pytest.param("r: {uri: https://h/r}", "- {step: '*', read: [r]}\n- {step: a, read: [r]}",
                 {"r": {"uri": "https://h/r", "read": ["a", "b"]}}, id="each-step-listed-once"),
    pytest.param('g: {uri: git+https://h/o/r.git, revision: "0abc123"}', "- {step: a, read: [g]}",
                 {"g": {"uri": "git+https://h/o/r.git", "version": "0abc123", "read": ["a"]}},
                 id="an-implied-version-is-recorded"),
]
SECOND = PIPELINE + "---\n" + workflow("- {name: c, container: {image: python}}")
UNCHANGED = [
    pytest.param(SECOND, "- {step: a, read: [r]}", lambda docs: docs[1],
                 id="a-document-with-nothing-bound"),
    pytest.param(PIPELINE, "- {step: a, read: [r]}", lambda docs: docs[0]["spec"],
                 id="the-workflow-spec"),
]


@pytest.mark.parametrize(("datasets", "bindings", "expected"), CASES)
def test_record_lineage(datasets: str, bindings: str, expected: dict[str, object]) -> None:
    text = spec(datasets, bindings)
    docs, _ = run_pass(record_lineage, PIPELINE, text)
    annotations = docs[0]["metadata"]["annotations"]
    assert json.loads(annotations["kfdata.dev/bindings"]) == expected
    assert annotations["kfdata.dev/spec-sha256"] == hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize(("pipeline", "bindings", "pick"), UNCHANGED)
def test_record_lineage_leaves_alone(pipeline: str, bindings: str, pick: object) -> None:
    untouched(record_lineage, pipeline, "r: {uri: https://h/r}", bindings,
              pick)  # type: ignore[arg-type]


def test_nothing_bound_nothing_recorded() -> None:
    docs, edits = run_pass(record_lineage, PIPELINE,
                           "apiVersion: kfdata.dev/v1alpha1\nkind: DataBindings\n")
    assert "annotations" not in docs[0]["metadata"]
    assert not edits.ops
