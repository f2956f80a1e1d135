"""Conformance over ../shared/corpus/kfp-v2-ir (176 real IR files; skipped without it).

Every file lints clean (kfp compiled them all, and the backend runs what kfp compiles) and
compiles with no bindings to exactly itself; with one generated read on its first container
task, the output lints clean too, compiles again to itself, and compiles with no bindings back
to the input's documents. In process, about 20 s in all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kfdata_compiler.compiler import compile_text, lint_file, lint_text
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
    assert graphcheck.check(docs) == [] and graphcheck.check(load_kfp_documents(bound)) == []
    assert lint_text(bound.encode(), "out.yaml") == []
    assert compile_text(bound.encode(), spec, "out.yaml", "spec.yaml").output == bound
    restored = compile_text(bound.encode(), EMPTY, "out.yaml", "spec.yaml").output
    assert load_kfp_documents(restored) == [d for d in docs if d is not None]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_ir_file_lints_clean(path: Path) -> None:
    assert lint_file(path) == []
