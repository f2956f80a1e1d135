"""Per-datum bindings over ../shared/corpus (skipped without it): on a leaf that tasks or steps
call, every compile either refuses with the user's problem (KF3xx) or gives output that adds no
lint error, recompiles to itself, and gives the input back with an empty spec. Never KF900."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kfdata_compiler.compiler import compile_text, lint_text
from kfdata_compiler.diagnostics import Severity
from kfdata_compiler.errors import InternalError, KfdataError
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.yamlio import load_documents
from tests.paths import CORPUS

FILES = sorted(CORPUS.glob("*/*.yaml")) if CORPUS.is_dir() else []
pytestmark = pytest.mark.skipif(not FILES, reason="../shared/corpus is not present")
SPEC = """apiVersion: kfdata.dev/v1alpha1
kind: DataBindings
stores:
  minio: {{s3: {{endpoint: "minio:9000", credentials: {{secret: s, accessKey: a, secretKey: b}}}}}}
datasets:
  lake: {{uri: "s3://lake/data/", store: minio, version: "1"}}
  out: {{uri: "s3://results/out", store: minio}}
bindings:
  - step: "{step}"
    read: [{{dataset: lake, datum: {{glob: "{glob}", incremental: {incremental}}}}}]
    write: [out]
"""
EMPTY = b"apiVersion: kfdata.dev/v1alpha1\nkind: DataBindings\n"


def _called_leaf(path: Path) -> str | None:
    try:
        docs = load_documents(path.read_text(encoding="utf-8"), str(path))
    except KfdataError:
        return None
    for doc in docs:
        if argo.is_workflow(doc):
            for template in argo.templates(doc):
                name = str(template.get("name"))
                if argo.template_type(template) in argo.LEAF_TYPES and any(
                        True for _ in argo.callers(doc, name)):
                    return name
    return None


CASES = [(p, s) for p in FILES if (s := _called_leaf(p)) is not None]


def _errors(data: bytes, name: str) -> set[tuple[str, str]]:
    return {(d.code, d.location.json_path) for d in lint_text(data, name)
            if d.severity is Severity.ERROR}


def test_per_datum_bindings_over_the_corpus() -> None:
    assert len(CASES) > 150
    compiled = 0
    for number, (path, step) in enumerate(CASES):
        data = path.read_bytes()
        glob, incremental = ("/*", "false") if number % 2 else ("/*/*", "true")
        spec = SPEC.format(step=step, glob=glob, incremental=incremental).encode()
        try:
            out = compile_text(data, spec, str(path), "s.yaml").output
        except InternalError as exc:
            pytest.fail(f"{path.name}: {exc.diagnostics}")
        except KfdataError as exc:
            assert all(d.code.startswith("KF3") for d in exc.diagnostics), (path, exc.diagnostics)
            continue
        compiled += 1
        assert compile_text(out.encode(), spec, "o.yaml", "s.yaml").output == out, path
        new = {code for code, _ in _errors(out.encode(), "o.yaml")} - {
            code for code, _ in _errors(data, str(path))}
        assert not new, (path, new)
        restored = compile_text(out.encode(), EMPTY, "o.yaml", "s.yaml").output
        assert list(yaml.safe_load_all(restored)) == [
            d for d in yaml.safe_load_all(data) if d is not None], path
    assert compiled > 50
