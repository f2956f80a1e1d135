"""`datum:` in the spec: the glob grammar (Pachyderm's), and where a datum cannot go."""

from __future__ import annotations

import pytest

from kfdata_compiler.load import load_source
from kfdata_compiler.spec import check_spec
from kfdata_compiler.spec.datum import Datum, glob_problem
from tests.helpers import spec


@pytest.mark.parametrize("glob", ["/", "/**", "/*", "/*/*", "/dt=*", "/2026-??-*/*.log",
                                  "/a/b/c/d/e/f/g/h", "/_x.y=z-1"])
def test_globs_in_the_grammar(glob: str) -> None:
    assert glob_problem(glob) is None


@pytest.mark.parametrize(("glob", "why"), [
    ("*", "it does not start with '/'"),
    ("/a/", "it ends in '/'"),
    ("/a//b", "segment 2 is empty"),
    ("/a b", "' ' is not allowed"),
    ("/[ab]", "'[' is not allowed"),
    ("/a/**", "'**' is only allowed as the whole glob '/**'"),
    ("/..", "segment 1 is '..', which names no object"),
    ("/a/b/c/d/e/f/g/h/i", "it has 9 segments; at most 8"),
])
def test_globs_outside_it(glob: str, why: str) -> None:
    assert glob_problem(glob) == why


def test_the_model() -> None:
    assert Datum("/*/x").segments == ("*", "x") and Datum("/**").segments == ()
    assert Datum("/").fans_out is False and Datum("/*").fans_out is True
    assert Datum("/*") == Datum("/*", incremental=False, max_age="", shards=16)


def _codes(bindings: str, datasets: str = "d: {uri: s3://b/k, store: minio}") -> list[str]:
    text = spec(datasets, bindings)
    checked = check_spec(load_source("s.yaml", text.encode()))
    return [d.code for d in checked.problems]


@pytest.mark.parametrize(("bindings", "codes"), [
    pytest.param("- {step: s, read: [{dataset: d, datum: {glob: /*, incremental: true, "
                 "maxAge: 1h30m, shards: 256}}]}", [], id="every-field"),
    pytest.param("- {step: s, read: [{dataset: d, datum: {glob: /x y}}]}", ["KF320"], id="glob"),
    pytest.param("- {step: s, write: [{dataset: d, datum: {glob: /*}}]}", ["KF321"], id="write"),
    pytest.param("- {step: s, read: [{dataset: d, into: x, datum: {glob: /*}}]}", ["KF321"],
                 id="into"),
    pytest.param("- {step: s, read: [{dataset: d, datum: {glob: /*}}, {dataset: d, datum: "
                 "{glob: /*/*}}]}", ["KF323"], id="two-in-one-binding"),
    pytest.param("- {step: s, read: [{dataset: d, datum: {glob: /*, shards: 8}}]}", ["KF201"],
                 id="shards-enum"),
    pytest.param("- {step: s, read: [{dataset: d, datum: {glob: /*, maxAge: 1 day}}]}",
                 ["KF201"], id="max-age-duration"),
    pytest.param("- {step: s, read: [{dataset: d, datum: {incremental: true}}]}", ["KF201"],
                 id="glob-required"),
])
def test_spec_problems(bindings: str, codes: list[str]) -> None:
    assert _codes(bindings) == codes


def test_a_bad_argo_version_is_left_out_with_its_problem() -> None:
    text = spec("d: {uri: s3://b/k, store: minio}", "- {step: s, read: [d]}").replace(
        "kind: DataBindings\n", "kind: DataBindings\nargoVersion: three\n")
    checked = check_spec(load_source("s.yaml", text.encode()))
    assert [d.code for d in checked.problems] == ["KF201"]
    assert checked.bindings.argo_version is None
    good = check_spec(load_source("s.yaml", text.replace("three", "'3.5'").encode()))
    assert good.bindings.argo_version == "3.5" and not good.problems
