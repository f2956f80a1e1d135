"""Problems as data: a ``Diagnostic`` has a code, a message, a hint and a location.

Every stage collects diagnostics and the CLI renders them with one of ``FORMATTERS``::

    pipeline.yaml:12:5: error[KF301]: binding step 'trian' matches no template
      at: $.bindings[0].step
      hint: did you mean 'train'?
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import NamedTuple

from kfdata_compiler import lazy

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
            import json  # only for a key that is no identifier: rare, and json costs ~5 M

            out.append(f"[{json.dumps(part)}]")
    return "".join(out)


def _position(loc: Location) -> str:
    return f"{loc.file}:{loc.line}:{loc.col}" if loc.line else loc.file


# What a terminal would act on or a reader would not see: C0 controls but TAB and LF (ESC starts
# OSC/CSI sequences, CR rewrites the line, BEL rings), DEL and C1 (8-bit CSI), Unicode's bidi
# controls (U+202E reverses what follows: "Trojan Source"), invisible format characters, line
# separators, lone surrogates (a file name that is not UTF-8) and tag characters. Python's
# ``repr`` escapes every one of them, so its notation is the escape.
_UNSAFE = ("\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u2028-\u202e"
           "\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff\U000e0000-\U000e007f")
_IN_LINES = lazy.compile(f"[{_UNSAFE}]")
_IN_LINE = lazy.compile(f"[\n{_UNSAFE}]")


def printable(text: str, lines: bool = False) -> str:
    """``text`` with every character a terminal would act on, or a reader would not see, written
    as its Python escape (the notation ``repr`` gives the spec's strings in messages).

    >>> printable("pre\x1b]0;x\x07\r\u202epare")
    'pre\\x1b]0;x\\x07\\r\\u202epare'

    ``lines``: the text is several lines, its LFs kept (a report, a diff); otherwise an LF is
    ``\\n`` too, so a name cannot start a line of its own. Every text report goes through it
    where it is rendered (docs/cli-output.md#control-characters), whatever the text's source.
    """
    return (_IN_LINES if lines else _IN_LINE).sub(lambda m: repr(m.group())[1:-1], text)


def json_printable(document: str) -> str:
    """A JSON document's text with the same characters as ``\\uXXXX`` escapes (inside a string,
    the only place they can stand, so the data is unchanged): ``json.dumps`` with
    ``ensure_ascii=False`` leaves C1, bidi controls and lone surrogates raw."""
    import json  # the json report only: a text run never loads it

    return _IN_LINES.sub(lambda m: json.dumps(m.group())[1:-1], document)


def format_text(diagnostics: Sequence[Diagnostic]) -> str:
    """Render as ``file:line:col: error[KF301]: message`` with the JSON path and hint below.

    Every field goes through :func:`printable`: a message or a path is one line; a hint keeps
    its own line breaks (LF only) and has each line escaped.
    """
    lines = []
    for d in diagnostics:
        lines.append(f"{printable(_position(d.location))}: {d.severity.value}[{d.code}]: "
                     f"{printable(d.message)}")
        if d.location.json_path != "$":
            lines.append(f"  at: {printable(d.location.json_path)}")
        if d.hint:
            lines.extend(
                "  " + ("hint: " if i == 0 else "      ") + printable(h)
                for i, h in enumerate(d.hint.rstrip("\n").split("\n"))
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
        props = f"file={_github_escape(printable(loc.file), prop=True)}"
        if loc.line:
            props += f",line={loc.line},col={loc.col}"
        props += f",title={d.code}"
        message = printable(d.message) + (
            f" ({printable(loc.json_path)})" if loc.json_path != "$" else "")
        if d.hint:  # its lines stay lines (%0A); what is in them is escaped as in text
            message += f"\nhint: {printable(d.hint, lines=True)}"
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
    import json  # the json report only

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
