"""The code stays typed, lint-clean and layered (imports point downstream only)."""

from __future__ import annotations

import ast
import shutil
import statistics
import subprocess
import sys

import pytest

from tests.paths import ROOT

PACKAGE = ROOT / "kfdata_compiler"

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


@pytest.mark.parametrize("path", [str(p.relative_to(PACKAGE)) for p in sorted(PACKAGE.rglob("*.py"))])
def test_the_compile_path_never_imports_hera_or_kfp(path: str) -> None:
    assert not any(m.split(".")[0] in HEAVY for m in _imports(path)), "hera/kfp on the compile path"


def test_modules_stay_small() -> None:
    # _validators/ is generated from the schemas (kfdata_compiler.schemagen), not written.
    sizes = {str(p.relative_to(PACKAGE)): len(p.read_text().splitlines())
             for p in PACKAGE.rglob("*.py") if p.parent.name != "_validators"}
    assert max(sizes.values()) <= 300, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]
    assert statistics.median(sizes.values()) <= 100


def test_at_most_fifteen_modules_at_the_top() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 15, top


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
