from __future__ import annotations

import json

import pytest

from kfdata_compiler.diagnostics import (
    Diagnostic,
    Location,
    Severity,
    did_you_mean,
    format_github,
    format_json,
    format_text,
    render_path,
)

D = Diagnostic("KF301", "unknown dataset 'x'", Location("s.yaml", 3, 7, "$.bindings[0].read[0]"),
               "did you mean 'y'?\ndeclared: y, z")


@pytest.mark.parametrize(
    ("path", "rendered"),
    [((), "$"), (("spec", "templates", 3, "container"), "$.spec.templates[3].container"),
     (("metadata", "annotations", "kfdata.dev/edits"), '$.metadata.annotations["kfdata.dev/edits"]'),
     (("datasets", "eval-code"), "$.datasets.eval-code")],
)
def test_render_path(path: tuple[str | int, ...], rendered: str) -> None:
    assert render_path(path) == rendered


def test_text() -> None:
    assert format_text([D]) == (
        "s.yaml:3:7: error[KF301]: unknown dataset 'x'\n"
        "  at: $.bindings[0].read[0]\n"
        "  hint: did you mean 'y'?\n"
        "        declared: y, z\n"
    )


def test_text_without_position_or_path() -> None:
    d = Diagnostic("KF110", "no spec", Location("p.yaml"), severity=Severity.WARNING)
    assert format_text([d]) == "p.yaml: warning[KF110]: no spec\n"


def test_github_escapes_newlines() -> None:
    out = format_github([D])
    assert out.count("\n") == 1
    assert out.startswith("::error file=s.yaml,line=3,col=7,title=KF301::unknown dataset")
    assert "%0Ahint: did you mean" in out


def test_json() -> None:
    (item,) = json.loads(format_json([D]))
    assert item == {"code": "KF301", "severity": "error", "message": "unknown dataset 'x'",
                    "hint": "did you mean 'y'?\ndeclared: y, z", "file": "s.yaml", "line": 3,
                    "col": 7, "json_path": "$.bindings[0].read[0]"}


def test_did_you_mean() -> None:
    assert did_you_mean("reviwes", ["reviews", "vocab"]) == "did you mean 'reviews'?"
    assert did_you_mean("zzz", ["reviews"]) == ""
