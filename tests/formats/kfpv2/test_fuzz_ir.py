"""Broken IR never crashes the compiler: a field of the wrong type anywhere in a fixture gives
diagnostics (exit 1) or a sound output, never an exception or a KF900 (exit 3)."""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from typing import Any

import pytest

from kfdata_compiler.compiler import compile_text
from kfdata_compiler.errors import InternalError, KfdataError
from kfdata_compiler.yamlio.kfpstyle import dump_kfp_documents, load_kfp_documents
from tests.paths import FIXTURES

JUNK: list[Any] = [None, 1, "x", [], {}, [1, {"a": 2}], {"k": []}, True, 2.5]
CASES = ["kfpv2-nested", "kfpv2-flat-workspace", "kfpv2-shared", "kfpv2-into-workspace"]


def _paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    items = node.items() if isinstance(node, dict) else enumerate(node) \
        if isinstance(node, list) else ()
    for key, value in items:
        yield from _paths(value, (*path, key))


@pytest.mark.parametrize("case", CASES)
def test_wrong_types_give_diagnostics_not_crashes(case: str) -> None:
    source = (FIXTURES / case / "pipeline.yaml").read_text()
    spec = (FIXTURES / case / "pipeline.kfdata.yaml").read_bytes()
    original = load_kfp_documents(source)
    every = list(_paths(original))[1:]
    rng = random.Random(case)
    for _ in range(15):  # ~1 s a case: the suite's time is shared
        docs = copy.deepcopy(original)
        for path in rng.sample(every, 2):
            parent: Any = docs
            try:
                for key in path[:-1]:
                    parent = parent[key]
                parent[path[-1]] = copy.deepcopy(rng.choice(JUNK))
            except (KeyError, IndexError, TypeError):
                continue
        text = dump_kfp_documents(docs)
        try:
            compile_text(text.encode(), spec, "p.yaml", "s.yaml")
        except InternalError as exc:  # pragma: no cover - the failure being looked for
            pytest.fail(f"KF900 on {text[:200]}: {exc.diagnostics}")
        except KfdataError:
            pass
