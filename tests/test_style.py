"""The code stays typed, lint-clean and layered (imports point downstream only)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys

import pytest

from tests.paths import ROOT

PACKAGE = ROOT / "kfdata_compiler"

# module -> package modules it must never import (directly). Stages only look upstream.
FORBIDDEN = {
    "yamlio": {"load", "spec", "resolve", "rewrite", "drivers", "compiler", "cli", "emit", "validate"},
    "goresolve": {"yamlio", "load", "spec", "resolve", "rewrite", "compiler", "cli"},
    "argo": {"yamlio", "load", "spec", "resolve", "rewrite", "drivers", "compiler", "cli", "kfpv1"},
    "kfpv1": {"yamlio", "load", "spec", "resolve", "rewrite", "drivers", "compiler", "cli"},
    "schemas": {"load", "spec", "resolve", "rewrite", "compiler", "cli"},
    "load": {"spec", "resolve", "rewrite", "drivers", "compiler", "cli", "emit", "validate"},
    "spec": {"resolve", "rewrite", "drivers", "compiler", "cli", "emit", "validate", "yamlio"},
    "drivers": {"resolve", "rewrite", "compiler", "cli", "emit", "validate", "yamlio"},
    "selection": {"rewrite", "compiler", "cli", "emit", "validate", "yamlio", "resolve"},
    "mountpaths": {"rewrite", "compiler", "cli", "emit", "validate", "yamlio", "resolve"},
    "yamlbuild": {"load", "spec", "resolve", "rewrite", "drivers", "compiler", "cli"},
    "yamlwrite": {"load", "spec", "resolve", "rewrite", "drivers", "compiler", "cli"},
    "resolve": {"rewrite", "compiler", "cli", "emit", "validate", "yamlio"},
    "rewrite": {"compiler", "cli", "emit", "validate", "yamlio", "load", "spec"},
    "validate": {"rewrite", "compiler", "cli", "emit", "yamlio"},
    "emit": {"rewrite", "resolve", "compiler", "cli", "validate", "spec", "load"},
    "compiler": {"cli"},
}
# Reading and writing files: below every stage, knowing nothing of YAML or Argo.
FORBIDDEN["infile"] = FORBIDDEN["outfile"] = {
    "argo", "yamlio", "load", "spec", "resolve", "rewrite", "drivers", "compiler", "cli"}
HEAVY = ("hera", "kfp")


def _imports(path: str) -> set[str]:
    tree = ast.parse((PACKAGE / path).read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def _modules() -> list[tuple[str, str]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        out.append((rel.parts[0].removesuffix(".py"), str(rel)))
    return out


@pytest.mark.parametrize(("stage", "path"), _modules(), ids=[p for _, p in _modules()])
def test_imports_point_downstream_only(stage: str, path: str) -> None:
    imported = {m.split(".")[1] for m in _imports(path) if m.startswith("kfdata_compiler.")}
    assert not imported & FORBIDDEN.get(stage, set())
    assert not any(m.split(".")[0] in HEAVY for m in _imports(path)), "hera/kfp on the compile path"


def test_modules_stay_small() -> None:
    sizes = {str(p.relative_to(PACKAGE)): len(p.read_text().splitlines()) for p in PACKAGE.rglob("*.py")}
    assert max(sizes.values()) <= 350, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]


@pytest.mark.skipif(shutil.which("mypy") is None and not (ROOT / ".venv/bin/mypy").exists(),
                    reason="mypy is not installed (pip install -e '.[test]')")
def test_mypy_is_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("ruff") is None and not (ROOT / ".venv/bin/ruff").exists(),
                    reason="ruff is not installed (pip install -e '.[test]')")
def test_ruff_is_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "kfdata_compiler"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
