"""The datum machinery loads only for a spec that reads per datum: the pre-commit hook compiles
ordinary specs on every commit and must not pay for it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import FIXTURES, ROOT

SCRIPT = ("import sys; from kfdata_compiler.cli import main; "
          "status = main([sys.argv[1], '-o', sys.argv[2]]); "
          "print(' '.join(sorted(m for m in sys.modules "
          "if m.startswith('kfdata_compiler.formats.argo.datums.')))); sys.exit(status)")


def _loaded(case: str, tmp_path: Path) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", SCRIPT, str(FIXTURES / case / "pipeline.yaml"),
                          str(tmp_path / "out.yaml")], env=env, capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    return run.stdout.split()


def test_an_ordinary_compile_loads_none_of_it(tmp_path: Path) -> None:
    assert _loaded("kfp-v1-sentiment", tmp_path) == []


@pytest.mark.parametrize("case", ["datum-steps-gcs"])
def test_a_datum_compile_loads_what_it_needs(case: str, tmp_path: Path) -> None:
    loaded = _loaded(case, tmp_path)
    assert "kfdata_compiler.formats.argo.datums.fanout" in loaded
    assert "kfdata_compiler.formats.argo.datums.checks" in loaded
