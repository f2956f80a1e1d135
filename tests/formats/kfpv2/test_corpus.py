"""Conformance over ../shared/corpus/kfp-v2-ir (176 real IR files; skipped without it).

Every file compiles with no bindings to exactly itself; with one generated read on its first
container task, the output breaks no graph rule the input kept, compiles again to itself, and
compiles with no bindings back to the input's documents. In process, about 20 s in all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kfdata_compiler.compiler import compile_text
from kfdata_compiler.formats.kfpv2 import graphcheck
from kfdata_compiler.formats.kfpv2.tasks import Tasks
from kfdata_compiler.yamlio.kfpstyle import load_kfp_documents
from tests.paths import CORPUS

FILES = sorted((CORPUS / "kfp-v2-ir").glob("*.yaml")) if CORPUS.is_dir() else []
pytestmark = pytest.mark.skipif(not FILES, reason="../shared/corpus is not present")
EMPTY = b"apiVersion: kfdata.dev/v1alpha1\nkind: DataBindings\n"
SPEC = """apiVersion: kfdata.dev/v1alpha1
kind: DataBindings
kfp: {{workspace: {{size: 1Gi, accessModes: [ReadWriteOnce], storageClassName: standard}}}}
stores:
  minio: {{s3: {{endpoint: "minio:9000"}}, kfp: {{pipelineRoot: "minio://mlpipeline/v2/artifacts"}}}}
datasets:
  lake: {{uri: "s3://mlpipeline/data/lake/", store: minio}}
bindings:
  - step: "{step}"
    read: [lake]
"""


def test_the_corpus_is_all_there() -> None:
    assert len(FILES) == 176


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_bindings_is_the_identity_and_one_read_is_sound(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    result = compile_text(path.read_bytes(), EMPTY, str(path), "spec.yaml")
    assert result.output == text and not result.changed
    docs = load_kfp_documents(text)
    step = next(v["name"] for v in Tasks(docs).views if v["kind"] == "container")
    spec = SPEC.format(step=step).encode()
    bound = compile_text(path.read_bytes(), spec, str(path), "spec.yaml").output
    before = {f[:2] for f in graphcheck.check(docs)}
    assert {f[:2] for f in graphcheck.check(load_kfp_documents(bound))} <= before
    assert compile_text(bound.encode(), spec, "out.yaml", "spec.yaml").output == bound
    restored = compile_text(bound.encode(), EMPTY, "out.yaml", "spec.yaml").output
    assert load_kfp_documents(restored) == [d for d in docs if d is not None]
