"""Properties of compile_text on random valid workflows and specs (hypothesis).

    pipelines() x bound_specs(docs)  ->  compile  ->  deterministic, idempotent, re-compilable,
                                                     additions only, unbound templates untouched,
                                                     lint-clean, and binding what the spec says

The example count per test is ``KFDATA_HYPOTHESIS_EXAMPLES`` (default 60, the whole module runs
in well under a minute); for a long local run::

    KFDATA_HYPOTHESIS_EXAMPLES=2000 .venv/bin/pytest tests/test_properties.py

A failure prints ``@reproduce_failure(...)``; hypothesis also replays it from ``.hypothesis/``.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from deepdiff import DeepDiff
from hypothesis import given
from hypothesis import strategies as st

from kfdata_compiler.compiler import CompileResult, compile_text, lint_file
from kfdata_compiler.diagnostics import Diagnostic
from kfdata_compiler.errors import InternalError, KfdataError
from kfdata_compiler.yamlio import load_documents
from tests.paths import FIXTURES, ROOT, cases
from tests.strategies import (
    PROFILE,
    Expectation,
    Pipeline,
    Spec,
    bound_specs,
    callers_of,
    calls_of,
    loose_specs,
    main_key,
    pipelines,
    scaled,
    spec_of,
    templates_of,
    to_text,
)

MAX_CACHE = "pipelines.kubeflow.org/max_cache_staleness"
DATASETS = "kfdata.dev/datasets"


def run(pipeline: bytes, spec: bytes) -> CompileResult:
    return compile_text(pipeline, spec, "pipeline.yaml", "pipeline.kfdata.yaml")


def load(text: str | bytes) -> list[Any]:
    return load_documents(text.decode() if isinstance(text, bytes) else text, "x.yaml")


@st.composite
def cases_(draw: st.DrawFn) -> tuple[Pipeline, Spec]:
    pipeline = draw(pipelines())
    return pipeline, draw(bound_specs(pipeline.docs))


def _fixture(name: str) -> Pipeline:
    text = (FIXTURES / name / "pipeline.yaml").read_bytes()
    return Pipeline(load(text), text, "fixture")


FIXTURE_PIPELINES = [_fixture(n) for n in cases() if not n.startswith(("err-", "kfp-v2"))]


@st.composite
def fixture_cases(draw: st.DrawFn) -> tuple[Pipeline, Spec]:
    """The repo's fixture pipelines with random specs bound to them."""
    pipeline = draw(st.sampled_from(FIXTURE_PIPELINES))
    return pipeline, draw(bound_specs(pipeline.docs))


any_case = st.one_of(cases_(), fixture_cases())


# --- lint ----------------------------------------------------------------------------------------


def lint_problems(text: str) -> list[Diagnostic]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "out.yaml"
        path.write_text(text, encoding="utf-8")
        return list(lint_file(path))


def new_lint_problems(before_docs: list[Any], output: str) -> list[str]:
    """Lint problems of the output that the input did not have (fixtures are not all clean).

    Compared by code, JSON path and message: the compiler adds, so paths stay where they were.
    """
    def keys(problems: list[Diagnostic]) -> set[str]:
        return {f"{d.code} {d.location.json_path} {d.message}" for d in problems}

    before = keys(lint_problems(to_text(before_docs, "canonical").decode()))
    return sorted(keys(lint_problems(output)) - before)


# --- what changed ---------------------------------------------------------------------------------


def _template_at(doc: Any, path: list[Any]) -> tuple[dict[str, Any] | None, list[Any]]:
    """The template a path (inside one document) points into, and the rest of the path."""
    base = ["spec", "workflowSpec", "templates"] if doc.get("kind") == "CronWorkflow" else [
        "spec", "templates"]
    if path[: len(base)] != base or len(path) <= len(base):
        return None, path
    return spec_of(doc)["templates"][path[len(base)]], path[len(base) + 1:]


def _into_entry(after: list[Any], path: list[Any], expect: Expectation) -> bool:
    """True when ``path`` is inside an artifact entry that ``into`` may replace."""
    for i in range(len(path) - 2):
        if path[i + 1: i + 2] == ["artifacts"] and path[i] in ("arguments", "inputs") \
                and isinstance(path[i + 2], int):
            node: Any = after
            for part in path[: i + 3]:
                node = node[part]
            return isinstance(node, dict) and node.get("name") in expect.into_names(path[0])
    return False


def _allowed_replacement(kind: str, path: list[Any], new: Any, after: list[Any],
                         expect: Expectation) -> bool:
    doc = after[path[0]]
    template, rest = _template_at(doc, path[1:])
    if rest == ["metadata", "annotations", MAX_CACHE] and kind == "values_changed" \
            and template is not None and new == "P0D":
        return expect.needs_no_cache((path[0], str(template.get("name"))))
    return _into_entry(after, path, expect)


def non_additions(before: list[Any], after: list[Any], expect: Expectation) -> list[str]:
    """DeepDiff entries other than additions and the documented replacements."""
    # threshold_to_diff_deeper=0: report the keys added to a mapping, never "the mapping changed"
    # (DeepDiff's default does that when under a third of the keys are shared).
    diff = DeepDiff(before, after, ignore_order=False, view="tree", threshold_to_diff_deeper=0)
    bad = []
    for kind, levels in diff.items():
        if kind in ("dictionary_item_added", "iterable_item_added"):
            continue
        for level in levels:
            path = level.path(output_format="list")
            if not _allowed_replacement(kind, path, level.t2, after, expect):
                bad.append(f"{kind} at {path}: {level.t1!r} -> {level.t2!r}")
    return bad


def order_problems(before: Any, after: Any, expect: Expectation, path: list[Any],
                   root: list[Any]) -> list[str]:
    """Paths where the output does not keep the input's keys first, in the input's order."""
    if path and _into_entry(root, path, expect):
        return []
    if isinstance(before, dict) and isinstance(after, dict):
        if list(after)[: len(before)] != list(before):
            return [f"{path}: {list(before)} -> {list(after)}"]
        return [p for k in before for p in order_problems(before[k], after[k], expect,
                                                          [*path, k], root)]
    if isinstance(before, list) and isinstance(after, list):
        if len(after) < len(before):
            return [f"{path}: list shrank"]
        return [p for i, item in enumerate(before)
                for p in order_problems(item, after[i], expect, [*path, i], root)]
    return []


def touched(doc_index: int, doc: Any, expect: Expectation) -> set[str]:
    """Templates a compile may change: the bound ones and their callers."""
    bound = {name for (d, name) in expect.targets if d == doc_index}
    return bound | {c for name in bound for c in callers_of(doc, name)}


def check_compiled(before_docs: list[Any], result: CompileResult, expect: Expectation) -> None:
    """Everything a successful compile of a valid case must satisfy."""
    after = load(result.output)
    assert len(after) == len(before_docs)
    # Additions only, except KFP's cache annotation and the `into` argument artifacts.
    assert non_additions(before_docs, after, expect) == []
    assert order_problems(before_docs, after, expect, [], after) == []
    for index, (before, doc) in enumerate(zip(before_docs, after, strict=True)):
        if not any(d == index for d, _ in expect.targets):
            assert json.dumps(doc) == json.dumps(before), f"unbound document {index} changed"
            continue
        may_change = touched(index, before, expect)
        old = {t["name"]: t for t in templates_of(before)}
        new_templates = templates_of(doc)
        assert [t["name"] for t in new_templates] == list(old)
        for template in new_templates:
            name = str(template["name"])
            if name not in may_change:
                assert json.dumps(template) == json.dumps(old[name]), f"{name} changed"
            _check_binding(index, template, old[name], expect, doc)
    assert new_lint_problems(before_docs, result.output) == []
    # What Go reads is what PyYAML reads: no scalar changes type on the way out.
    assert list(yaml.safe_load_all(result.output)) == after


def _check_binding(doc_index: int, template: dict[str, Any], before: dict[str, Any],
                   expect: Expectation, doc: dict[str, Any]) -> None:
    key = (doc_index, str(template["name"]))
    annotations = (template.get("metadata") or {}).get("annotations") or {}
    old_annotations = (before.get("metadata") or {}).get("annotations") or {}
    if key not in expect.targets:
        assert DATASETS not in annotations
        return
    assert annotations.get(DATASETS) == expect.datasets_annotation(key)
    if expect.needs_no_cache(key):
        assert annotations.get(MAX_CACHE) == "P0D"
    else:
        assert annotations.get(MAX_CACHE) == old_annotations.get(MAX_CACHE)
    env = {e["name"]: e.get("value") for e in template[str(main_key(template))].get("env", [])}
    for access in expect.targets[key]:
        assert env[f"KFDATA_{access.stem}_PATH"] == access.path
        assert env[f"KFDATA_{access.stem}_URI"] == access.uri
        assert env.get(f"KFDATA_{access.stem}_VERSION") == access.version
        if access.into is None:
            continue
        for caller in templates_of(doc):
            for call in calls_of(caller):
                if call.get("template") == template["name"]:
                    fed = [a for a in (call.get("arguments") or {}).get("artifacts", [])
                           if a.get("name") == access.into]
                    assert len(fed) == 1 and "from" not in fed[0], call
    added = set(env) - {e["name"] for e in before[str(main_key(before))].get("env", [])}
    assert all(name.startswith("KFDATA_") for name in added)


# --- the properties -------------------------------------------------------------------------------


@PROFILE
@given(any_case)
def test_valid_cases_compile_to_what_the_spec_says(case: tuple[Pipeline, Spec]) -> None:
    pipeline, spec = case
    assert spec.expect is not None
    result = run(pipeline.text, spec.text)  # a valid case never raises, not even KfdataError
    if not spec.expect.targets:
        assert result.output == pipeline.text.decode() and not result.changed
        return
    assert result.changed == (result.output != pipeline.text.decode())
    check_compiled(pipeline.docs, result, spec.expect)


@PROFILE
@given(any_case)
def test_deterministic_and_idempotent(case: tuple[Pipeline, Spec]) -> None:
    pipeline, spec = case
    first = run(pipeline.text, spec.text)
    assert run(pipeline.text, spec.text).output == first.output
    again = run(first.output.encode(), spec.text)
    assert again.output == first.output
    assert not again.changed


@PROFILE
@given(st.data())
def test_recompiling_output_with_another_spec_equals_compiling_the_input(data: st.DataObject
                                                                         ) -> None:
    pipeline = data.draw(st.one_of(pipelines(), st.sampled_from(FIXTURE_PIPELINES)))
    first = data.draw(bound_specs(pipeline.docs))
    second = data.draw(bound_specs(pipeline.docs))
    bound = run(pipeline.text, first.text).output
    direct = run(pipeline.text, second.text).output
    again = run(bound.encode(), second.text).output
    assert load(again) == load(direct)
    assert json.dumps(load(again)) == json.dumps(load(direct))  # key order too
    if second.expect and not second.expect.targets and pipeline.style != "canonical":
        return  # see test_recompiling_to_an_empty_spec_gives_back_the_input_documents
    assert again == direct


def test_recompiling_to_an_empty_spec_gives_back_the_input_documents() -> None:
    """The documented exception: compiling with a spec that binds nothing returns the input's
    own bytes, but a bound output compiled with it can only give back the same documents (same
    values, same key order) in kfdata's block style: dsl-compile's flow style is not recorded."""
    pipeline = (FIXTURES / "kfp-v1-sentiment" / "pipeline.yaml").read_bytes()
    spec = (FIXTURES / "kfp-v1-sentiment" / "pipeline.kfdata.yaml").read_bytes()
    empty = b"apiVersion: kfdata.dev/v1alpha1\nkind: DataBindings\n"
    restored = run(run(pipeline, spec).output.encode(), empty).output
    assert run(pipeline, empty).output == pipeline.decode()
    assert json.dumps(load(restored)) == json.dumps(load(pipeline.decode()))
    assert restored != pipeline.decode()  # not byte for byte: see the docstring


@PROFILE
@given(st.data())
def test_loose_specs_fail_cleanly_or_compile_cleanly(data: st.DataObject) -> None:
    """Schema-valid specs that may not fit: a KfdataError naming the problem, never a crash,
    never KF900 (resolve must catch every conflict before the passes run)."""
    pipeline = data.draw(st.one_of(pipelines(), st.sampled_from(FIXTURE_PIPELINES)))
    spec = data.draw(loose_specs(pipeline.docs))
    try:
        result = run(pipeline.text, spec.text)
    except InternalError as exc:
        pytest.fail(f"KF900 on a schema-valid spec: {[d.message for d in exc.diagnostics]}")
    except KfdataError as exc:
        assert exc.diagnostics
        for d in exc.diagnostics:
            assert d.code.startswith("KF") and d.message
            assert d.location.file in ("pipeline.yaml", "pipeline.kfdata.yaml")
            assert d.location.line > 0 and d.location.col > 0, d
        return
    assert new_lint_problems(pipeline.docs, result.output) == []
    assert run(result.output.encode(), spec.text).output == result.output


@PROFILE
@given(pipelines())
def test_generated_inputs_are_what_they_claim(pipeline: Pipeline) -> None:
    """The generator's own contract: the text reads back as the docs, and lints clean."""
    assert load(pipeline.text) == pipeline.docs
    assert json.dumps(load(pipeline.text)) == json.dumps(pipeline.docs)
    assert not lint_problems(pipeline.text.decode())
    for style in ("canonical", "json", "block", "flow"):
        assert load(to_text(pipeline.docs, style)) == pipeline.docs


_HASH_SCRIPT = """
import hashlib, json, sys
from kfdata_compiler.compiler import compile_text
from kfdata_compiler.diagnostics import format_text
from kfdata_compiler.errors import KfdataError
out = {}
for case in json.loads(sys.stdin.read()):
    try:
        text = compile_text(case[0].encode(), case[1].encode(), "p.yaml", "s.yaml").output
    except KfdataError as exc:
        text = format_text(exc.diagnostics)
    out[hashlib.sha256((case[0] + case[1]).encode()).hexdigest()] = text
print(json.dumps(out))
"""


def _in_subprocess(cases_: list[tuple[str, str]], seed: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", _HASH_SCRIPT], input=json.dumps(cases_),
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return dict(json.loads(proc.stdout))


@scaled(0.1)
@given(st.lists(st.one_of(cases_(), st.none()), min_size=3, max_size=6), st.data())
def test_output_does_not_depend_on_the_hash_seed(generated: list[Any], data: st.DataObject
                                                 ) -> None:
    """Byte-identical output (and diagnostics) whatever PYTHONHASHSEED is."""
    batch = []
    for item in generated:
        if item is None:  # a spec that may fail: its diagnostics must be stable too
            pipeline = data.draw(pipelines())
            batch.append((pipeline.text.decode(), data.draw(loose_specs(pipeline.docs)).text))
        else:
            batch.append((item[0].text.decode(), item[1].text))
    for name in ("kfp-v1-sentiment", "hera-dag", "multi-doc", "err-bindings"):
        batch.append(((FIXTURES / name / "pipeline.yaml").read_text(),
                      (FIXTURES / name / "pipeline.kfdata.yaml").read_text()))
    cases_text = [(p, s.decode() if isinstance(s, bytes) else s) for p, s in batch]
    seeds = [_in_subprocess(cases_text, seed) for seed in ("0", "1", "4242")]
    assert seeds[0] == seeds[1] == seeds[2]
    assert len(seeds[0]) == len({hashlib.sha256((p + s).encode()).hexdigest()
                                 for p, s in cases_text})
