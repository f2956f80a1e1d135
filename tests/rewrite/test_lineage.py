from __future__ import annotations

import hashlib
import json

from kfdata_compiler.rewrite.lineage import record_lineage
from tests.helpers import run_pass, spec, workflow

PIPELINE = workflow("""
- {name: a, container: {image: python}}
- {name: b, script: {image: python, source: x}}
""")


def test_bindings_and_spec_hash_on_the_workflow() -> None:
    text = spec('r: {uri: https://h/r, version: "2"}\nm: {uri: s3://b/m, store: minio}',
                "- {step: a, read: [r]}\n- {step: b, read: [r], write: [m]}")
    docs, _ = run_pass(record_lineage, PIPELINE, text)
    annotations = docs[0]["metadata"]["annotations"]
    assert json.loads(annotations["kfdata.dev/bindings"]) == {
        "r": {"uri": "https://h/r", "version": "2", "read": ["a", "b"]},
        "m": {"uri": "s3://b/m", "write": ["b"]},
    }
    assert annotations["kfdata.dev/spec-sha256"] == hashlib.sha256(text.encode()).hexdigest()


def test_nothing_bound_nothing_recorded() -> None:
    docs, edits = run_pass(record_lineage, PIPELINE,
                           "apiVersion: kfdata.dev/v1alpha1\nkind: DataBindings\n")
    assert "annotations" not in docs[0]["metadata"]
    assert not edits.ops
