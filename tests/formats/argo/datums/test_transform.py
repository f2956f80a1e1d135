"""Datums are the contract: what each glob yields from a listing, through the Python twin of the
list template's expressions, and through real expr-lang where `go` is on PATH (skipped
otherwise; the test never fetches a module: GOPROXY=off)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kfdata_compiler.formats.argo.datums.transform import literal, run, segment_regex, steps
from kfdata_compiler.spec.datum import Datum

IMAGES = ["images/cat/1.jpg", "images/cat/2.jpg", "images/dog/1.jpg", "images/readme.txt",
          "images/dir/", "images/../x", "images/a{{b}}/x", "images2/o"]
LOGS = ["app/2026-11-21/03/a.log", "app/2026-11-21/03/b.log", "app/2026-11-21/04/a.log",
        "app/2026-11-22/00/z.log", "app/2026-11-22/01", "app/README", "app/x/"]
PARTITIONS = ["clicks/dt=2026-11-29/part-0.parquet", "clicks/dt=2026-11-30/part-0.parquet",
              "clicks/dt=2026-11-30/part-1.parquet", "clicks/_SUCCESS", "clicks/tmp/dt=x/y",
              "clicks/dt=/z", "clicks//dt=2026-12-01/w"]

# (glob, key, gcs, listing, datums)
TABLE = [
    pytest.param("/*", "images", False, IMAGES, ["cat", "dog", "readme.txt"], id="s3-top-level"),
    pytest.param("/**", "images", False, IMAGES,
                 ["cat/1.jpg", "cat/2.jpg", "dog/1.jpg", "readme.txt"], id="s3-every-object"),
    pytest.param("/*/*", "app/", True, LOGS,
                 ["2026-11-21/03/", "2026-11-21/04/", "2026-11-22/00/", "2026-11-22/01"],
                 id="gcs-second-level-keeps-directory-slash"),
    pytest.param("/*", "app/", True, LOGS, ["2026-11-21/", "2026-11-22/", "README"],
                 id="gcs-top-level"),
    pytest.param("/dt=*", "clicks", False, PARTITIONS, ["dt=", "dt=2026-11-29", "dt=2026-11-30"],
                 id="partition-prefix"),
    pytest.param("/dt=????-??-29", "clicks/", False, PARTITIONS, ["dt=2026-11-29"],
                 id="question-marks"),
    pytest.param("/*/*.jpg", "images", False, IMAGES, ["cat/1.jpg", "cat/2.jpg", "dog/1.jpg"],
                 id="dot-is-literal"),
    pytest.param("/cat", "images", False, IMAGES, ["cat"], id="literal-segment"),
    pytest.param("/*", "images", False, [], [], id="empty-listing"),
]


def _steps(glob: str, key: str, gcs: bool) -> tuple[str, ...]:
    return tuple(s.expression for s in steps(Datum(glob).segments, key, gcs))


@pytest.mark.parametrize(("glob", "key", "gcs", "listing", "datums"), TABLE)
def test_the_python_twin(glob: str, key: str, gcs: bool, listing: list[str],
                         datums: list[str]) -> None:
    assert run(steps(Datum(glob).segments, key, gcs), listing) == datums


def test_the_expressions_are_the_design_notes() -> None:
    assert _steps("/*", "images", False) == (
        'filter(data, # startsWith "images/" && !(# endsWith "/"))',
        'map(data, trimPrefix(#, "images/"))',
        'filter(data, none(split(#, "/"), {# in ["", ".", ".."]}) && !(# matches "[{][{]"))',
        'map(data, join(split(#, "/")[:1], "/"))',
        "sort(keys(groupBy(data, #)))",
    )
    assert _steps("/*/*", "app/", True)[3:] == (
        'filter(data, # matches "^[^/]*/[^/]*(/|$)")',
        'map(data, len(split(#, "/")) > 2 ? join(split(#, "/")[:2], "/") + "/" : #)',
        "sort(keys(groupBy(data, #)))",
    )
    assert len(_steps("/**", "images", False)) == 3  # prefix, relative, named: no cut


def test_no_transformation_holds_a_template_tag() -> None:
    # Argo substitutes {{...}} over the whole template's JSON: one in an expression breaks it.
    for glob in ("/*", "/**", "/*/*", "/a?/b*"):
        assert not any("{{" in e or "}}" in e for e in _steps(glob, "k", False))


def test_regex_and_literals() -> None:
    assert segment_regex(("2026-*", "??")) == "^2026-[^/]*/[^/][^/](/|$)"
    assert literal('a"b\\c') == '"a\\"b\\\\c"'
    quoted = steps(("*",), 'we"ird', False)
    assert quoted[0].expression.startswith('filter(data, # startsWith "we\\"ird/"')
    assert run(quoted, ['we"ird/x/1', "other/y"]) == ["x"]


TWIN = Path(__file__).parent / "exprtwin"


def _expr_lang(expressions: tuple[str, ...], data: list[str], tmp: Path) -> object:
    """Run the expressions through expr-lang as Argo's data template does; skip when that
    cannot be done offline (no `go`, or expr-lang not in the module cache)."""
    go = shutil.which("go")
    if go is None:
        pytest.skip("go is not on PATH: the expressions are checked by the Python twin only")
    env = {**os.environ, "GOPROXY": "off", "GOFLAGS": "-mod=mod", "GOSUMDB": "off"}
    work = tmp / "exprtwin"
    shutil.copytree(TWIN, work, dirs_exist_ok=True)
    built = subprocess.run([go, "build", "-o", str(work / "twin"), "."], cwd=work, env=env,
                           capture_output=True, text=True, timeout=300)
    if built.returncode != 0:
        pytest.skip(f"expr-lang is not in the Go module cache (no fetching): {built.stderr[-300:]}")
    done = subprocess.run([str(work / "twin")], input=json.dumps(
        {"expressions": list(expressions), "data": data}), capture_output=True, text=True,
        timeout=60, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize(("glob", "key", "gcs", "listing", "datums"), TABLE)
def test_expr_lang_agrees(glob: str, key: str, gcs: bool, listing: list[str], datums: list[str],
                          tmp_path: Path) -> None:
    got = _expr_lang(_steps(glob, key, gcs), listing, tmp_path)
    assert (got or []) == datums
