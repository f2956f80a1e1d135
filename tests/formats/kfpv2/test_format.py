"""The KFP v2 format's answers: which file it takes, which tasks a step selects, what it
refuses, what it warns about, and that an Argo compile never loads it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kfdata_compiler.compiler import compile_text, lint_text, plan_text
from kfdata_compiler.errors import KfdataError
from kfdata_compiler.formats.kfpv2 import KFPV2, ir
from kfdata_compiler.load import load_source
from tests.paths import FIXTURES, GOLDEN, ROOT

NESTED = FIXTURES / "kfpv2-nested" / "pipeline.yaml"
FLAT = FIXTURES / "kfpv2-flat" / "pipeline.yaml"
HEAD = "apiVersion: kfdata.dev/v1alpha1\nkind: DataBindings\n"


def _steps(path: Path, pattern: str) -> list[tuple[str, str]]:
    docs = load_source(str(path), path.read_bytes()).docs
    return [(s.node["name"], s.via) for s in KFPV2.steps(docs).select(pattern)]


@pytest.mark.parametrize(("pattern", "found"), [
    ("exit-handler-1/for-loop-3/train", [("exit-handler-1/for-loop-3/train", "task path")]),
    ("train", [("exit-handler-1/for-loop-3/train", "task key")]),
    ("summarize", [("exit-handler-1/report/summarize", "task key"),
                   ("exit-handler-1/report-2/summarize", "task key")]),
    ("*/report*/summarize", [("exit-handler-1/report/summarize", "glob"),
                             ("exit-handler-1/report-2/summarize", "glob")]),
    ("nope", []),
])
def test_a_step_selects_by_path_then_name_then_glob(pattern: str,
                                                     found: list[tuple[str, str]]) -> None:
    assert _steps(NESTED, pattern) == found


def test_component_and_function_names_select_too() -> None:
    text = FLAT.read_text().replace("comp-train", "comp-fit-2")
    path = Path(os.environ.get("TMPDIR", "/tmp")) / "kfpv2-names.yaml"
    path.write_text(text)
    assert _steps(path, "fit") == [("train", "KFP component name")]
    assert _steps(FLAT, "prepare") == [("prepare", "task path")]  # a root task's path is its key


def test_python_components_are_told_from_container_ones() -> None:
    doc = load_source(str(FLAT), FLAT.read_bytes()).docs[0]
    executors = ir.executors(doc)
    assert ir.is_python(executors["exec-train"]) and not ir.is_python(executors["exec-evaluate"])
    assert ir.kfp_version(executors["exec-train"]) == (2, 17, 3)


def test_an_argo_compile_never_loads_the_ir_modules(tmp_path: Path) -> None:
    # The pre-commit hook pays for every module it imports; only the detection is shared.
    (tmp_path / "p.yaml").write_text(
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: w}\n"
        "spec:\n  entrypoint: s\n  templates:\n  - {name: s, container: {image: python}}\n")
    (tmp_path / "s.yaml").write_text(HEAD + "datasets:\n  d: {uri: 'https://e.org/d'}\n"
                                     "bindings:\n- {step: s, read: [d]}\n")
    script = ("import sys; from kfdata_compiler.cli import main; "
              "assert main(['p.yaml', '--spec', 's.yaml', '-o', 'o.yaml']) == 0; "
              "print(' '.join(sorted(m for m in sys.modules if 'kfpv2' in m or "
              "m.split('.')[0] in ('kfp', 'hera'))))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    loaded = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, check=True,
                            capture_output=True, text=True).stdout.split()
    assert loaded == ["kfdata_compiler.formats.kfpv2"]


def test_a_smaller_workspace_than_the_spec_asks_for_warns() -> None:
    spec = (FIXTURES / "kfpv2-nested" / "pipeline.kfdata.yaml").read_text().replace(
        "size: 5Gi", "size: 50Gi")
    result = compile_text(NESTED.read_bytes(), spec.encode(), str(NESTED), "spec.yaml")
    assert [d.code for d in result.warnings] == ["KF615"]
    assert "size: 5Gi" in result.output and "size: 50Gi" not in result.output  # the pipeline's


def test_a_version_keeps_the_artifact_id_and_a_floating_dataset_reimports() -> None:
    # A kfdata.lock pin sets Dataset.version, so it counts exactly as a declared one.
    spec = HEAD + ("stores:\n  m: {s3: {endpoint: 'm:9000'}, kfp: {ambient: true}}\n"
                   "datasets:\n  d: {uri: 's3://b/k/', store: m}\n"
                   "bindings:\n- {step: evaluate, read: [d]}\n")
    floating = compile_text(FLAT.read_bytes(), spec.encode(), "p.yaml", "s.yaml").output
    assert "reimport: true" in floating and "kfdata.dev/version" not in floating
    pinned = spec.replace("store: m}", "store: m, version: v1}")
    planned = plan_text(FLAT.read_bytes(), pinned.encode())
    assert planned.plan.targets[0].accesses[0].version == "v1"
    versioned = compile_text(FLAT.read_bytes(), pinned.encode(), "p.yaml", "s.yaml").output
    assert "reimport" not in versioned and "kfdata.dev/version: v1" in versioned
    assert "cacheKey" not in versioned


def test_the_output_lints_clean_and_a_broken_reference_does_not() -> None:
    assert lint_text((GOLDEN / "kfpv2-nested.yaml").read_bytes(), "n.yaml") == []
    broken = FLAT.read_text().replace("producerTask: prepare", "producerTask: prepair", 1)
    assert [d.code for d in lint_text(broken.encode(), "b.yaml")] == ["KF623"]


def test_a_forged_journal_is_refused() -> None:
    text = (GOLDEN / "kfpv2-flat.yaml").read_text()
    forged = text.replace('"0":[', '"0":[["add",["components","comp-train"]],', 1)
    with pytest.raises(KfdataError) as caught:
        compile_text(forged.encode(), HEAD.encode(), "f.yaml", "s.yaml")
    assert [d.code for d in caught.value.diagnostics] == ["KF111"]


def test_a_third_document_is_refused() -> None:
    text = FLAT.read_text() + "---\nplatforms: {}\n---\nkind: ConfigMap\n"
    with pytest.raises(KfdataError) as caught:
        compile_text(text.encode(), HEAD.encode(), "f.yaml", "s.yaml")
    assert [d.code for d in caught.value.diagnostics] == ["KF600"]
