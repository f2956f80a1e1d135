"""The driver registry: its tables match the driver modules, which load only when used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kfdata_compiler.drivers import MODULES, SCHEMES, argo_driver

PACKAGE = Path(__file__).resolve().parents[2] / "kfdata_compiler"
# Modules of the drivers package that are not a kind's driver.
HELPERS = {"__init__", "base", "need", "objectstore", "initcontainer", "uriparts"}
# Shared by every driver, hence loaded on every compile.
ALWAYS = ["kfdata_compiler.drivers.base", "kfdata_compiler.drivers.need"]


def test_every_kind_names_its_own_driver() -> None:
    for kind in MODULES:
        assert argo_driver(kind).kind == kind


def test_every_driver_module_is_listed() -> None:
    modules = {p.stem for p in (PACKAGE / "drivers").glob("*.py")} - HELPERS
    assert modules == set(MODULES.values())


def test_every_scheme_names_a_kind() -> None:
    assert set(SCHEMES.values()) <= set(MODULES)
    assert {k for k, v in SCHEMES.items() if v == "http"} == {"http", "https"}


def test_a_compile_loads_only_the_drivers_it_uses(tmp_path: Path) -> None:
    # The pre-commit hook pays for every module it imports, on every commit.
    (tmp_path / "p.yaml").write_text(
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: w}\n"
        "spec:\n  entrypoint: s\n  templates:\n  - {name: s, container: {image: python}}\n")
    (tmp_path / "s.yaml").write_text(
        "apiVersion: kfdata.dev/v1alpha1\nkind: DataBindings\n"
        "datasets:\n  d: {uri: 'https://example.org/d.csv'}\nbindings:\n- {step: s, read: [d]}\n")
    script = ("import sys; from kfdata_compiler.cli import main; "
              "assert main(['p.yaml', '--spec', 's.yaml', '-o', 'out.yaml']) == 0; "
              "print(' '.join(sorted(m for m in sys.modules if m.startswith('kfdata_compiler.drivers.'))))")
    env = {**os.environ, "PYTHONPATH": str(PACKAGE.parent)}
    loaded = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, check=True,
                            capture_output=True, text=True).stdout.split()
    assert loaded == sorted([*ALWAYS, "kfdata_compiler.drivers.http"])
