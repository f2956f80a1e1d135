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
                    "col": 7, "json_path": "$.bindings[0].read[0]", "fix": ""}


OUTPUT = Diagnostic("KF121", "x.bound.yaml is out of date", Location("x.bound.yaml"),
                    "run: kfdata-compile --write x.yaml", fix="kfdata-compile --write x.yaml")


@pytest.mark.parametrize(("diagnostic", "line"), [
    (OUTPUT, "::error file=x.bound.yaml,title=KF121::x.bound.yaml is out of date%0Ahint: run: "
             "kfdata-compile --write x.yaml"),
    (Diagnostic("KF122", "wrote o", Location("o"), severity=Severity.INFO),
     "::notice file=o,title=KF122::wrote o"),
    (Diagnostic("KF209", "w", Location("a,b:c.yaml", 2, 3), severity=Severity.WARNING),
     "::warning file=a%2Cb%3Ac.yaml,line=2,col=3,title=KF209::w"),
], ids=["file-level", "info-is-a-notice", "property-escaped"])
def test_github_commands(diagnostic: Diagnostic, line: str) -> None:
    assert format_github([diagnostic]) == line + "\n"


def test_json_carries_the_fix() -> None:
    (item,) = json.loads(format_json([OUTPUT]))
    assert (item["fix"], item["line"], item["json_path"]) == ("kfdata-compile --write x.yaml", 0, "$")
    assert format_json([]) == "[]\n"


def test_text_of_an_info() -> None:
    d = Diagnostic("KF123", "skipped", Location("v.yaml"), severity=Severity.INFO)
    assert format_text([d]) == "v.yaml: info[KF123]: skipped\n"


def test_did_you_mean() -> None:
    assert did_you_mean("reviwes", ["reviews", "vocab"]) == "did you mean 'reviews'?"
    assert did_you_mean("zzz", ["reviews"]) == ""
