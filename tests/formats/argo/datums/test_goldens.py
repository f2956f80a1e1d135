"""Every per-datum golden: it lints clean, and compiling it with a changed spec gives what
compiling the original pipeline with that spec gives (the journal undoes the fan-out, the list
and memoize first). The golden tests already check compile-again and an empty spec."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from kfdata_compiler.compiler import compile_text, lint_file
from tests.paths import FIXTURES, GOLDEN

CASES = sorted(p.stem for p in GOLDEN.glob("datum-*.yaml"))
DATUM = re.compile(r"datum: \{[^}]*\}")

CHANGES: dict[str, Callable[[str], str]] = {
    "no-datum": lambda s: re.sub(r",?\s*datum: \{[^}]*\}", "", s),
    "every-object": lambda s: DATUM.sub('datum: {glob: "/**"}', s),
    "whole-and-incremental": lambda s: DATUM.sub('datum: {glob: "/", incremental: true}', s),
    "other-glob-incremental-shards-1": lambda s: DATUM.sub(
        'datum: {glob: "/*/*", incremental: true, shards: 1, maxAge: 1h}', s),
    "no-bindings-but-the-first": lambda s: s[:s.index("bindings:")] + "bindings:\n" + s[
        s.index("bindings:") + len("bindings:\n"):].split("\n  - ")[0] + "\n",
}


def test_there_are_datum_goldens() -> None:
    assert len(CASES) >= 7


def _compile(pipeline: bytes, spec: str, lock: bytes | None) -> str:
    try:
        return compile_text(pipeline, spec.encode(), "p.yaml", "pipeline.kfdata.yaml", lock,
                            "pipeline.kfdata.lock").output
    except Exception as exc:  # the same refusal either way is equal too
        return f"refused: {sorted(d.code for d in getattr(exc, 'diagnostics', []))}"


@pytest.mark.parametrize("change", sorted(CHANGES))
@pytest.mark.parametrize("case", CASES)
def test_recompiling_with_a_changed_spec_equals_compiling_the_original(case: str,
                                                                       change: str) -> None:
    fixture = FIXTURES / case
    spec = CHANGES[change]((fixture / "pipeline.kfdata.yaml").read_text(encoding="utf-8"))
    lock_file = fixture / "pipeline.kfdata.lock"
    lock = lock_file.read_bytes() if lock_file.is_file() else None
    original = _compile((fixture / "pipeline.yaml").read_bytes(), spec, lock)
    again = _compile((GOLDEN / f"{case}.yaml").read_bytes(), spec, lock)
    assert again == original


@pytest.mark.parametrize("case", CASES)
def test_the_golden_lints_clean_at_every_target_that_takes_datums(case: str) -> None:
    for target in ("3.4.17", "3.7", "4.1"):
        assert lint_file(Path(GOLDEN / f"{case}.yaml"), argo_version=target) == []
