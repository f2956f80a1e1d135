"""The KFP v2 fixtures stay what fixtures/build_kfp_v2.sh makes: each DSL source compiles (with
kfp 2.17.3, when installed) to its committed IR, and each copy is its source's IR byte for byte.

Each DSL source runs in a fresh interpreter, as the script runs it: kfp writes the IR with the
global ``yaml.dump``, whose output another test's import (hera's ``str`` representer) changes."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import FIXTURES

SCRIPT = (FIXTURES / "build_kfp_v2.sh").read_text()
COPIES = re.findall(r"^(kfpv2-\S+) (kfpv2-\S+)$", SCRIPT.split("<<'COPIES'")[1], re.M)
SOURCES = sorted(p.parent.name for p in FIXTURES.glob("kfpv2-*/pipeline.py"))
HAVE_KFP = importlib.util.find_spec("kfp") is not None


def test_every_case_is_built_by_the_script() -> None:
    cases = {p.name for p in FIXTURES.glob("kfpv2-*") if p.is_dir()}
    assert cases == {*SOURCES, *(c for c, _ in COPIES), "kfpv2-shared", "kfpv2-err-names"}


@pytest.mark.parametrize(("case", "source"), COPIES)
def test_copies_are_their_sources_ir(case: str, source: str) -> None:
    assert (FIXTURES / case / "pipeline.yaml").read_bytes() == (
        FIXTURES / source / "pipeline.yaml").read_bytes()


def test_the_names_case_is_a_copy_of_the_hand_written_ir() -> None:
    assert (FIXTURES / "kfpv2-err-names" / "pipeline.yaml").read_bytes() == (
        FIXTURES / "kfpv2-shared" / "pipeline.yaml").read_bytes()


@pytest.mark.skipif(not HAVE_KFP, reason="kfp is not installed")
@pytest.mark.parametrize("case", SOURCES)
def test_the_dsl_compiles_to_the_committed_ir(case: str, tmp_path: Path) -> None:
    out = tmp_path / "pipeline.yaml"
    # What build_kfp_v2.sh runs, (cd fixtures/<case> && python pipeline.py pipeline.yaml), with
    # the kfp version the committed IR embeds checked first.
    run_source = ("import kfp, runpy, sys; assert kfp.__version__ == '2.17.3', kfp.__version__;"
                  " sys.argv = ['pipeline.py', sys.argv[1]];"
                  " runpy.run_path('pipeline.py', run_name='__main__')")
    run = subprocess.run([sys.executable, "-c", run_source, str(out)], cwd=FIXTURES / case,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    assert out.read_text() == (FIXTURES / case / "pipeline.yaml").read_text()
