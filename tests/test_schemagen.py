"""The compiled validators (kfdata_compiler/_validators) are what schemagen writes today, and
they agree with jsonschema: valid exactly when jsonschema finds no problem."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kfdata_compiler import schemafast, schemagen, schemas
from tests.paths import FIXTURES, GOLDEN, ROOT

SPEC = "databindings.schema.json"
ARGO = "argo-workflows.strict.schema.json"
LOCK = "kfdata-lock.schema.json"
EXAMPLES = int(os.environ.get("KFDATA_HYPOTHESIS_EXAMPLES", "60"))


def test_the_checked_in_validators_are_what_schemagen_writes() -> None:
    for path, text in schemagen.expected().items():
        assert path.read_text("utf-8") == text, (
            f"{path.name} is stale: run python -m kfdata_compiler.schemagen")


def test_a_keyword_schemagen_does_not_implement_is_refused() -> None:
    with pytest.raises(ValueError, match="not implemented"):
        schemagen.generate(json.dumps({"type": "object", "dependentRequired": {"a": ["b"]}}), "x")


def _jsonschema_valid(instance: Any, name: str, definition: str | None = None) -> bool:
    return not list(schemas._validator(name, definition).iter_errors(instance))


def _agree(instance: Any, name: str, definition: str | None = None) -> None:
    assert schemafast.valid(instance, name, definition) == _jsonschema_valid(
        instance, name, definition), (name, definition, instance)


def _specs() -> Iterator[Any]:
    for path in sorted(FIXTURES.glob("*/*.kfdata.yaml")):
        yield from yaml.safe_load_all(path.read_text())


def test_every_fixture_spec_is_judged_alike() -> None:
    seen = {True: 0, False: 0}
    for doc in _specs():
        _agree(doc, SPEC)
        seen[schemafast.valid(doc, SPEC)] += 1
    assert seen[True] > 20 and seen[False] >= 2, seen  # both answers are exercised


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _leaves(v, (*path, i))


# What a mutation puts in place of a value: each a way the schemas' keywords can tell apart.
JUNK = [None, True, 0, 1.5, -1, "", "x\n", "Bad Name", "s3://b/k", "a" * 300, [], ["x"], {},
        {"uri": "s3://b/k"}, {"unknown": 1}]


@settings(max_examples=EXAMPLES, derandomize=bool(os.environ.get("CI")), deadline=None)
@given(st.data())
def test_mutated_specs_are_judged_alike(data: st.DataObject) -> None:
    docs = list(_specs())
    doc = copy.deepcopy(data.draw(st.sampled_from(docs)))
    for _ in range(data.draw(st.integers(1, 3))):
        paths = list(_leaves(doc))
        path = data.draw(st.sampled_from(paths))
        junk = copy.deepcopy(data.draw(st.sampled_from(JUNK)))  # never shared: no cycles
        if not path:
            doc = junk
            continue
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        if data.draw(st.booleans()) and isinstance(parent, dict):
            parent[f"{path[-1]}x"] = junk  # an unknown key beside a known one
        else:
            parent[path[-1]] = junk
    _agree(doc, SPEC)


def _argo_parts() -> Iterator[tuple[str, Any]]:
    """(definition, value) for the templates and workflow specs of every golden output."""
    for path in sorted(GOLDEN.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            spec = (doc or {}).get("spec") or {}
            spec = spec.get("workflowSpec", spec)
            for template in spec.get("templates") or []:
                yield "io.argoproj.workflow.v1alpha1.Template", template


def test_argo_definitions_are_judged_alike_on_the_goldens_and_their_mutations() -> None:
    count = 0
    for definition, value in _argo_parts():
        _agree(value, ARGO, definition)
        for i, path in enumerate(_leaves(value)):
            if not path or i % 7:
                continue  # a sample of the places: every 7th
            broken = copy.deepcopy(value)
            parent = broken
            for part in path[:-1]:
                parent = parent[part]
            parent[path[-1]] = JUNK[(i // 7) % len(JUNK)]
            _agree(broken, ARGO, definition)
            count += 1
    assert count > 500


def test_lock_files_are_judged_alike() -> None:
    good = {"apiVersion": "kfdata.dev/v1alpha1", "kind": "DataBindingsLock"}
    for doc in (good, {}, {"apiVersion": 1}, [], None):
        _agree(doc, LOCK)


def test_the_bundled_example_compiles_without_importing_jsonschema() -> None:
    code = ("import sys\nfrom kfdata_compiler.cli import main\n"
            "status = main(['fixtures/kfp-v1-sentiment/pipeline.yaml'])\n"
            "print('\\nLOADED', status, sorted(m for m in sys.modules if m.split('.')[0] in "
            "('jsonschema', 'referencing', 'hera', 'kfp')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert "LOADED 0 []" in done.stdout, done.stdout[-2000:] + done.stderr[-2000:]


def test_an_invalid_spec_still_gets_jsonschema_s_diagnostics() -> None:
    assert jsonschema  # the slow path: the messages the error goldens hold
    problems = schemas.problems({"apiVersion": "kfdata.dev/v1alpha1", "kind": "DataBindings",
                                 "datasets": {"a": {"uri": 3}}}, SPEC)
    assert problems and all(p.message for p in problems)
