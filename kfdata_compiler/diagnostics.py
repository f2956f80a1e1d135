"""Problems as data: a ``Diagnostic`` has a code, a message, a hint and a location.

Every stage collects diagnostics and the CLI renders them with one of ``FORMATTERS``::

    pipeline.yaml:12:5: error[KF301]: binding step 'trian' matches no template
      at: $.bindings[0].step
      hint: did you mean 'train'?
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Sequence
from typing import NamedTuple

JsonPath = tuple[str | int, ...]


class Severity(str, enum.Enum):
    """How bad a diagnostic is: errors stop the compile, warnings do not, info only tells."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # what a run did or skipped (KF122 output written, KF123 file skipped)


class Location(NamedTuple):
    """Where a problem is: the file, a 1-based line and column, and the JSON path inside it."""

    file: str
    line: int = 0
    col: int = 0
    json_path: str = "$"


class Diagnostic(NamedTuple):
    """One finding. Codes: KF1xx load (KF12x: outputs), KF2xx spec, KF3xx resolve, KF4xx lint,
    KF9xx internal. ``fix`` is a shell command that fixes it, where there is one::

        Diagnostic("KF121", "out of date", Location("x.bound.yaml"),
                   fix="kfdata-compile --write x.yaml")
    """

    code: str
    message: str
    location: Location
    hint: str = ""
    severity: Severity = Severity.ERROR
    fix: str = ""


def render_path(path: JsonPath) -> str:
    """Render a path of keys and indices as a JSON path.

    >>> render_path(("spec", "templates", 3, "container"))
    '$.spec.templates[3].container'
    """
    out = ["$"]
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif part.replace("_", "").replace("-", "").isalnum() and part[:1].isalpha():
            out.append(f".{part}")
        else:
            out.append(f"[{json.dumps(part)}]")
    return "".join(out)


def _position(loc: Location) -> str:
    return f"{loc.file}:{loc.line}:{loc.col}" if loc.line else loc.file


def format_text(diagnostics: Sequence[Diagnostic]) -> str:
    """Render as ``file:line:col: error[KF301]: message`` with the JSON path and hint below."""
    lines = []
    for d in diagnostics:
        lines.append(f"{_position(d.location)}: {d.severity.value}[{d.code}]: {d.message}")
        if d.location.json_path != "$":
            lines.append(f"  at: {d.location.json_path}")
        if d.hint:
            lines.extend(
                "  " + ("hint: " if i == 0 else "      ") + h
                for i, h in enumerate(d.hint.splitlines())
            )
    return "".join(line + "\n" for line in lines)


def _github_escape(text: str, prop: bool = False) -> str:
    # GitHub workflow commands need %, CR and LF escaped in the message part, and a property's
    # value (a file name) its ',' and ':' as well, or it ends there (actions/toolkit's rules).
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


# GitHub's commands: error, warning and notice (its word for info).
_GITHUB_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def format_github(diagnostics: Sequence[Diagnostic]) -> str:
    """Render as GitHub Actions workflow commands (annotations on the pull request).

    >>> format_github([Diagnostic("KF120", "x.bound.yaml is missing", Location("x.bound.yaml"))])
    '::error file=x.bound.yaml,title=KF120::x.bound.yaml is missing\\n'

    A diagnostic with no line annotates the whole file (``line=0`` would point nowhere).
    """
    out = []
    for d in diagnostics:
        loc = d.location
        props = f"file={_github_escape(loc.file, prop=True)}"
        if loc.line:
            props += f",line={loc.line},col={loc.col}"
        props += f",title={d.code}"
        message = d.message + (f" ({loc.json_path})" if loc.json_path != "$" else "")
        if d.hint:
            message += f"\nhint: {d.hint}"
        out.append(f"::{_GITHUB_COMMAND[d.severity]} {props}::{_github_escape(message)}\n")
    return "".join(out)


def format_json(diagnostics: Sequence[Diagnostic]) -> str:
    """Render as a JSON list, one object per diagnostic, for tools (docs/cli-output.md).

    >>> format_json([])
    '[]\\n'
    """
    items = [
        {
            "code": d.code,
            "severity": d.severity.value,
            "message": d.message,
            "hint": d.hint,
            "file": d.location.file,
            "line": d.location.line,
            "col": d.location.col,
            "json_path": d.location.json_path,
            "fix": d.fix,
        }
        for d in diagnostics
    ]
    return json.dumps(items, indent=2) + "\n"


FORMATTERS: dict[str, Callable[[Sequence[Diagnostic]], str]] = {
    "text": format_text,
    "github": format_github,
    "json": format_json,
}


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    """Return a ``did you mean 'x'?`` hint for the closest choice, or ``""``.

    >>> did_you_mean("reviwes", ["reviews", "vocab"])
    "did you mean 'reviews'?"
    """
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else ""
