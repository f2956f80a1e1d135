"""Conformance over ../shared/corpus: real pipelines nobody here wrote (skipped without it).

Every Argo file lints with no error (warnings, such as KF419 on KFP v1's ``parallelism: 0``, are
not refusals) but the ones refused on purpose, and every Argo document compiles with no bindings
to exactly itself, and with a binding on one of its leaf templates to output that passes Argo's
rules and recompiles to itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kfdata_compiler.compiler import compile_text, lint_file
from kfdata_compiler.diagnostics import Location, Severity
from kfdata_compiler.errors import KfdataError
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.argo import rules
from kfdata_compiler.yamlio import load_documents
from tests.paths import CORPUS

FOLDERS = ("argo-examples", "kfp-v1-argo", "kfp-v2-argo")
FILES = sorted(p for f in FOLDERS for p in (CORPUS / f).glob("*.yaml")) if CORPUS.is_dir() else []
pytestmark = pytest.mark.skipif(not FILES, reason="../shared/corpus is not present")
EMPTY = b"apiVersion: kfdata.dev/v1alpha1\nkind: DataBindings\n"
# Corpus files kfdata-compile refuses on purpose, with the reason.
EXPECTED_LOAD_ERRORS = {
    "argo-examples/k8s-patch-json-workflow.yaml": (
        "KF102", "metadata.annotations appears twice (lines 6 and 13): Go's non-strict decoder "
        "silently keeps the last one and drops the other; we refuse rather than guess"),
}


def _ids(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def _loadable(path: Path) -> bool:
    return _ids(path) not in EXPECTED_LOAD_ERRORS


def _leaf(path: Path) -> str | None:
    if not _loadable(path):
        return None
    # A name that is a leaf template in every document that has it (files may hold several).
    kinds: dict[str, set[bool]] = {}
    for doc in load_documents(path.read_text(), str(path)):
        if argo.is_workflow(doc):
            for template in argo.templates(doc):
                leaf = argo.template_type(template) in argo.LEAF_TYPES
                kinds.setdefault(str(template["name"]), set()).add(leaf)
    return next((name for name, leaf in kinds.items() if leaf == {True}), None)


@pytest.mark.parametrize("name", sorted(EXPECTED_LOAD_ERRORS))
def test_expected_load_errors_still_fail(name: str) -> None:
    path = CORPUS / name
    with pytest.raises(KfdataError) as caught:
        compile_text(path.read_bytes(), EMPTY, str(path), "spec.yaml")
    assert [d.code for d in caught.value.diagnostics] == [EXPECTED_LOAD_ERRORS[name][0]]


def test_the_corpus_is_all_there() -> None:
    assert {f: len(list((CORPUS / f).glob("*.yaml"))) for f in FOLDERS} == {
        "argo-examples": 217, "kfp-v1-argo": 120, "kfp-v2-argo": 164}


@pytest.mark.parametrize("path", FILES, ids=_ids)
def test_every_argo_file_lints_without_errors(path: Path) -> None:
    try:
        found = lint_file(path)
    except KfdataError as refused:
        found = list(refused.diagnostics)
    errors = [d.code for d in found if d.severity is Severity.ERROR]
    expected = EXPECTED_LOAD_ERRORS.get(_ids(path))
    assert errors == ([expected[0]] if expected else [])


@pytest.mark.parametrize("path", [p for p in FILES if _loadable(p)], ids=_ids)
def test_no_bindings_is_the_identity(path: Path) -> None:
    result = compile_text(path.read_bytes(), EMPTY, str(path), "spec.yaml")
    assert result.output == path.read_text() and not result.changed


SPEC = """apiVersion: kfdata.dev/v1alpha1
kind: DataBindings
stores:
  minio: {{s3: {{endpoint: "minio:9000", credentials: {{secret: s, accessKey: a, secretKey: b}}}}}}
datasets:
  web: {{uri: "https://example.org/data.csv"}}
  lake: {{uri: "s3://lake/data/", store: minio, version: "1"}}
  out: {{uri: "s3://results/{{{{workflow.uid}}}}", store: minio}}
bindings:
  - step: "{step}"
    read: [web, lake]
    write: [out]
"""


@pytest.mark.parametrize("path", [p for p in FILES if _leaf(p)], ids=_ids)
def test_binding_a_leaf_gives_valid_output(path: Path) -> None:
    step = _leaf(path)
    spec = SPEC.format(step=step).encode()
    result = compile_text(path.read_bytes(), spec, str(path), "spec.yaml")
    assert result.changed
    before = list(yaml.safe_load_all(path.read_text()))
    docs = load_documents(result.output, "out.yaml")
    for doc in docs:
        if argo.is_workflow(doc):

            def locate(p: tuple[str | int, ...]) -> Location:
                return Location("out.yaml", json_path=str(p))

            only = [int(p[-1]) for p, t in argo.located_templates(doc) if t.get("name") == step]
            assert rules.diagnose(rules.check_document(doc, only), locate) == []
    assert len(docs) == len([d for d in before if d is not None])
    again = compile_text(result.output.encode(), spec, "out.yaml", "spec.yaml")
    assert again.output == result.output
    restored = compile_text(result.output.encode(), EMPTY, "out.yaml", "spec.yaml")
    assert load_documents(restored.output, "r.yaml") == load_documents(path.read_text(), "p.yaml")
