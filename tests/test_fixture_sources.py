"""Fixtures stay in sync with their authoring sources.

- hera cases: re-running fixtures/hera-*/pipeline.py gives the committed pipeline.yaml.
- KFP v1 cases (kfp==1.8.22 cannot be installed beside kfp 2, so they are not recompiled
  here): the committed pipeline.yaml comes from kfp 1.8.22 via fixtures/build_kfp_v1.sh, and
  every `step:` of the case's pipeline.kfdata.yaml names something in the compiled YAML.
- every case: the sidecar spec is self-consistent (declared datasets and stores only).
"""

from __future__ import annotations

import fnmatch
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ALL_CASES = sorted(p.parent.name for p in FIXTURES.glob("*/pipeline.py"))
HERA_CASES = [c for c in ALL_CASES if c.startswith("hera-")]
KFP_V1_CASES = [c for c in ALL_CASES if c.startswith("kfp-v1-")]
ARGO_CASES = HERA_CASES + KFP_V1_CASES

KFP = "pipelines.kubeflow.org/"
FIXED_COMPILATION_TIME = "2024-01-01T00:00:00.000000"  # see fixtures/build_kfp_v1.sh
DATASET_NAME = re.compile(r"^[a-z][a-z0-9-]{0,39}$")

HAVE_HERA = importlib.util.find_spec("hera") is not None


def load(case: str, name: str) -> Any:
    with open(FIXTURES / case / name, encoding="utf-8") as f:
        return yaml.safe_load(f)


def templates(doc: dict[str, Any]) -> list[dict[str, Any]]:
    spec = doc["spec"]
    if doc["kind"] == "CronWorkflow":
        spec = spec["workflowSpec"]
    return list(spec["templates"])


def is_leaf(template: dict[str, Any]) -> bool:
    return "container" in template or "script" in template


def kfp_names(template: dict[str, Any]) -> set[str]:
    """KFP v1 component name and task display name of a template, where present."""
    annotations = (template.get("metadata") or {}).get("annotations") or {}
    names = set()
    if KFP + "component_spec" in annotations:
        names.add(json.loads(annotations[KFP + "component_spec"])["name"])
    if KFP + "task_display_name" in annotations:
        names.add(annotations[KFP + "task_display_name"])
    return names


def called_by(step: str, tmpls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The leaf templates that the steps or DAG tasks named ``step`` call."""
    calls = [c for t in tmpls for c in (t.get("dag") or {}).get("tasks", [])]
    calls += [c for t in tmpls for group in t.get("steps") or []
              for c in (group if isinstance(group, list) else [group])]
    targets = {c.get("template") for c in calls if c.get("name") == step}
    return [t for t in tmpls if t["name"] in targets and is_leaf(t)]


def select(step: str, tmpls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The contract's selection order: template name, else KFP name, else the templates of the
    steps or tasks of that name, else glob (docs/spec.md)."""
    exact = [t for t in tmpls if t["name"] == step]
    if exact:
        return exact
    by_kfp_name = [t for t in tmpls if step in kfp_names(t)]
    if by_kfp_name:
        return by_kfp_name
    return called_by(step, tmpls) or [t for t in tmpls if fnmatch.fnmatchcase(t["name"], step)]


def dataset_refs(entries: list[Any]) -> list[str]:
    return [e if isinstance(e, str) else e["dataset"] for e in entries]


def test_cases_are_complete() -> None:
    assert HERA_CASES and KFP_V1_CASES and "kfp-v2-ir" in ALL_CASES
    for case in ALL_CASES:
        for name in ("pipeline.py", "pipeline.yaml", "pipeline.kfdata.yaml"):
            assert (FIXTURES / case / name).is_file(), f"{case}/{name} is missing"


@pytest.mark.parametrize("case", ALL_CASES)
def test_spec_is_self_consistent(case: str) -> None:
    spec = load(case, "pipeline.kfdata.yaml")
    assert spec["apiVersion"] == "kfdata.dev/v1alpha1"
    assert spec["kind"] == "DataBindings"
    stores = spec.get("stores") or {}
    datasets = spec["datasets"]
    for name, ds in datasets.items():
        assert DATASET_NAME.match(name), name
        assert "store" not in ds or ds["store"] in stores, f"{name}: unknown store {ds['store']}"
    assert spec["bindings"]
    for binding in spec["bindings"]:
        refs = dataset_refs(binding.get("read", [])) + dataset_refs(binding.get("write", []))
        assert refs, binding
        for ref in refs:
            assert ref in datasets, f"binding {binding['step']!r} uses undeclared dataset {ref!r}"


@pytest.mark.parametrize("case", ARGO_CASES)
def test_spec_steps_select_leaf_templates(case: str) -> None:
    tmpls = templates(load(case, "pipeline.yaml"))
    for binding in load(case, "pipeline.kfdata.yaml")["bindings"]:
        selected = select(binding["step"], tmpls)
        assert selected, f"{case}: step {binding['step']!r} matches no template"
        for t in selected:
            assert is_leaf(t), f"{case}: step {binding['step']!r} selects non-leaf {t['name']}"


@pytest.mark.parametrize("case", KFP_V1_CASES)
def test_kfp_v1_output_comes_from_kfp_1_8_22(case: str) -> None:
    doc = load(case, "pipeline.yaml")
    annotations = doc["metadata"]["annotations"]
    assert annotations[KFP + "kfp_sdk_version"] == "1.8.22"
    assert annotations[KFP + "pipeline_compilation_time"] == FIXED_COMPILATION_TIME


@pytest.mark.parametrize("case", KFP_V1_CASES)
def test_kfp_v1_spec_steps_name_components(case: str) -> None:
    """Every non-glob step is a template name, component name or task display name."""
    tmpls = templates(load(case, "pipeline.yaml"))
    known = {t["name"] for t in tmpls}.union(*(kfp_names(t) for t in tmpls))
    for binding in load(case, "pipeline.kfdata.yaml")["bindings"]:
        step = binding["step"]
        if any(ch in step for ch in "*?["):
            assert fnmatch.filter(sorted(t["name"] for t in tmpls), step), step
        else:
            assert step in known, f"{case}: {step!r} not in {sorted(known)}"


def test_kfp_v2_ir_is_not_argo() -> None:
    doc = load("kfp-v2-ir", "pipeline.yaml")
    assert "apiVersion" not in doc and "kind" not in doc
    assert doc["sdkVersion"].startswith("kfp-2.")
    assert {"pipelineInfo", "root", "components", "deploymentSpec"} <= doc.keys()


@pytest.fixture(scope="module")
def regenerated_hera(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Run every hera authoring source once, concurrently, into a temporary directory."""
    if not HAVE_HERA:
        pytest.skip("hera is not installed (pip install -e '.[test]')")
    outdir = tmp_path_factory.mktemp("hera")
    outputs = {case: outdir / f"{case}.yaml" for case in HERA_CASES}
    procs = {
        case: subprocess.Popen(
            [sys.executable, str(FIXTURES / case / "pipeline.py"), str(out)],
            cwd=outdir,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for case, out in outputs.items()
    }
    for case, proc in procs.items():
        log, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0, f"{case}/pipeline.py failed:\n{log.decode()}"
    return outputs


@pytest.mark.parametrize("case", HERA_CASES)
def test_hera_source_reproduces_committed_yaml(
    case: str, regenerated_hera: dict[str, Path]
) -> None:
    regenerated = yaml.safe_load(regenerated_hera[case].read_text(encoding="utf-8"))
    assert regenerated == load(case, "pipeline.yaml"), (
        f"fixtures/{case}/pipeline.yaml is stale: run .venv/bin/python fixtures/build_hera.py"
    )
