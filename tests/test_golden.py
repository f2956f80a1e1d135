"""Golden tests: fixtures/<case>/ compiles to golden/<case>.yaml, byte for byte.

Negative cases compile to golden/<case>.err: the exact rendered diagnostics. Beside each
golden output, golden/<case>.diff is the unified diff from the input (written the way
kfdata-compile writes YAML, so that only the compile's changes show) to the output: the change
a case makes, for a reviewer to read instead of the whole output.
Regenerate with ``KFDATA_REGENERATE=1 pytest tests/test_golden.py`` (refused when CI is set),
then review every golden diff like code.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from deepdiff import DeepDiff

from kfdata_compiler.cli.diffs import compile_diff
from kfdata_compiler.compiler import compile_text
from kfdata_compiler.diagnostics import format_text
from kfdata_compiler.errors import KfdataError
from tests.paths import FIXTURES, GOLDEN, ROOT, cases

REGENERATE = os.environ.get("KFDATA_REGENERATE") == "1"


def _lock(spec: Path) -> bytes | None:
    """The case's kfdata.lock (``pipeline.kfdata.lock`` beside its spec), if it has one."""
    lock = spec.with_suffix(".lock")
    return lock.read_bytes() if lock.is_file() else None


def _compile(pipeline: Path, spec: Path) -> tuple[str, str]:
    """(suffix, text): ``.yaml`` and the output, or ``.err`` and the rendered diagnostics."""
    try:
        result = compile_text(pipeline.read_bytes(), spec.read_bytes(),
                              str(pipeline.relative_to(ROOT)), str(spec.relative_to(ROOT)),
                              _lock(spec), str(spec.with_suffix(".lock").relative_to(ROOT)))
    except KfdataError as exc:
        return ".err", format_text(exc.diagnostics)
    return ".yaml", result.output


def _explain(expected: str, actual: str) -> str:
    try:
        before = list(yaml.safe_load_all(expected))
        after = list(yaml.safe_load_all(actual))
    except yaml.YAMLError:
        return ""
    return DeepDiff(before, after, verbose_level=2).pretty()


@pytest.mark.parametrize("case", cases())
def test_golden(case: str) -> None:
    suffix, actual = _compile(FIXTURES / case / "pipeline.yaml",
                              FIXTURES / case / "pipeline.kfdata.yaml")
    golden = GOLDEN / f"{case}{suffix}"
    other = GOLDEN / f"{case}{'.err' if suffix == '.yaml' else '.yaml'}"
    if REGENERATE:
        if os.environ.get("CI"):
            pytest.fail("KFDATA_REGENERATE is refused under CI: goldens are reviewed, not rebuilt")
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
        other.unlink(missing_ok=True)
    assert not other.exists(), f"{case} now gives {suffix} but {other.name} exists"
    assert golden.exists(), f"missing {golden.relative_to(ROOT)}; see the module docstring"
    expected = golden.read_text(encoding="utf-8")
    assert actual == expected, f"{case} differs from its golden:\n{_explain(expected, actual)}"


def _change(case: str) -> str:
    """The diff from the case's input, as kfdata-compile writes YAML, to its golden output:
    ``kfdata-compile --diff``'s own (``cli.diffs.compile_diff``), with git's labels."""
    source = FIXTURES / case / "pipeline.yaml"
    after = (GOLDEN / f"{case}.yaml").read_text(encoding="utf-8")
    return compile_diff(source.read_bytes(), after, f"a/fixtures/{case}/pipeline.yaml",
                        f"b/golden/{case}.yaml")


@pytest.mark.parametrize("case", [c for c in cases() if (GOLDEN / f"{c}.yaml").exists()])
def test_each_golden_has_its_diff(case: str) -> None:
    diff = GOLDEN / f"{case}.diff"
    actual = _change(case)
    if REGENERATE and not os.environ.get("CI"):
        diff.write_text(actual, encoding="utf-8")
    assert diff.exists(), f"missing {diff.relative_to(ROOT)}; see the module docstring"
    assert diff.read_text(encoding="utf-8") == actual, f"{diff.name} is stale: regenerate it"


def test_every_golden_has_a_case() -> None:
    known = set(cases())
    stale = sorted(p.name for p in GOLDEN.iterdir() if p.stem not in known)
    assert not stale, f"goldens without a fixture: {stale}"


@pytest.mark.parametrize("case", [c for c in cases() if (GOLDEN / f"{c}.yaml").exists()])
def test_compiling_the_output_again_changes_nothing(case: str, tmp_path: Path) -> None:
    golden = GOLDEN / f"{case}.yaml"
    spec = FIXTURES / case / "pipeline.kfdata.yaml"
    result = compile_text(golden.read_bytes(), spec.read_bytes(), "bound.yaml", spec.name,
                          _lock(spec), "spec.lock")
    assert result.output == golden.read_text(encoding="utf-8")
    assert not result.changed


EMPTY_SPEC = b"apiVersion: kfdata.dev/v1alpha1\nkind: DataBindings\n"


@pytest.mark.parametrize("case", [c for c in cases() if (GOLDEN / f"{c}.yaml").exists()])
def test_compiling_the_output_with_no_bindings_restores_the_input(case: str) -> None:
    golden = GOLDEN / f"{case}.yaml"
    original = FIXTURES / case / "pipeline.yaml"
    restored = compile_text(golden.read_bytes(), EMPTY_SPEC, "bound.yaml", "spec.yaml").output
    unchanged = compile_text(original.read_bytes(), EMPTY_SPEC, "p.yaml", "spec.yaml").output
    assert unchanged == original.read_text(encoding="utf-8")  # nothing bound: byte for byte
    assert list(yaml.safe_load_all(restored)) == list(yaml.safe_load_all(unchanged))
