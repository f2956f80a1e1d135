"""What the subcommands share: the report of a run, the options that shape it, the exit codes.

    session = Session("json")                     # one run's report, written once, at the end
    session.add(diagnostics)                      # problems and warnings (never the same twice)
    session.event(Diagnostic("KF122", ...), "wrote x.bound.yaml")   # what the run did
    return session.run_and_finish(body)           # body() -> status; json: the one document

The formats (``--error-format``, docs/cli-output.md):

- ``text`` and ``github`` go to stderr as they come, so a long run shows its progress; an
  outcome (an output written, stale or missing, a file skipped) is a plain
  ``kfdata-compile: ...`` line in text, an annotation (``::error file=...::``) in github.
- ``json`` is one document, a list of entries, ``[]`` when there is nothing to say: on stdout,
  unless stdout carries the bound pipeline or a diff (``to_stderr=True``): then on stderr, alone.
  Nothing else goes where the document goes; a diff is written "aside", to the other stream.

Whatever a text report holds (a pipeline's step names, a file name, a diff's lines) reaches the
terminal through :func:`~kfdata_compiler.diagnostics.printable`: control, bidi and invisible
characters are written as escapes (``\x1b``), in every format (docs/cli-output.md).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Sequence

import click

from kfdata_compiler import infile
from kfdata_compiler.diagnostics import (
    FORMATTERS,
    Diagnostic,
    Location,
    format_json,
    json_printable,
    printable,
)
from kfdata_compiler.outfile import ReaderGone, write_stdout

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
CONTEXT = {"help_option_names": ["-h", "--help"]}


def report(diagnostics: Sequence[Diagnostic], fmt: str) -> None:
    """Write diagnostics to stderr in the chosen format, now (a :class:`Session` collects them
    and writes json as one document; prefer it for anything a run reports more than once)."""
    sys.stderr.write(FORMATTERS[fmt](diagnostics))


def emit_json(diagnostics: Sequence[Diagnostic], to_stderr: bool = False) -> None:
    """Write one JSON document of ``diagnostics`` to stdout (or stderr).

    >>> emit_json([])          # stdout: "[]"

    Raises what :func:`~kfdata_compiler.outfile.write_stdout` raises (``ReaderGone``, an
    ``OSError`` naming ``<stdout>``).
    """
    text = format_json(diagnostics)
    if to_stderr:
        sys.stderr.write(text)
    else:
        write_stdout(text)


class Session:
    """One run's report: what it found and what it did, in the format the user chose.

    ``to_stderr``: the run writes its product (the bound pipeline, a diff) to stdout, so a json
    document goes to stderr. A subcommand's use, e.g. ``explain --format json``::

        session = Session(error_format, to_stderr=False)
        return session.run_and_finish(lambda: explain_all(files, session))
    """

    def __init__(self, fmt: str, to_stderr: bool = False) -> None:
        self.fmt = fmt
        self.to_stderr = to_stderr
        self.entries: list[Diagnostic] = []
        self._seen: set[Diagnostic] = set()

    @property
    def json(self) -> bool:
        """Whether the report is one JSON document (collected, written by :meth:`finish`)."""
        return self.fmt == "json"

    def add(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Report problems and warnings; one already reported in this run is left out (a shared
        spec's problem, found again with each pipeline beside it)."""
        new = [d for d in diagnostics if d not in self._seen]
        self._seen.update(new)
        if self.json:
            self.entries.extend(new)
        elif new:
            sys.stderr.write(FORMATTERS[self.fmt](new))

    def event(self, diagnostic: Diagnostic, line: str) -> None:
        """Report what the run did: ``line`` in text (``kfdata-compile: wrote x.bound.yaml``),
        the diagnostic in github and json."""
        if self.fmt == "text":
            if diagnostic not in self._seen:
                self._seen.add(diagnostic)
                self.say(line)
        else:
            self.add([diagnostic])

    def say(self, line: str) -> None:
        """A line for people on stderr in text (``kfdata-compile: up to date: x.lock``), nothing
        in github and json: what no tool needs to know."""
        if self.fmt == "text":
            sys.stderr.write(f"kfdata-compile: {printable(line)}\n")

    def aside(self, text: str) -> None:
        """Write what goes beside the report (a diff, several lines): to stdout, unless the JSON
        document is there; then to stderr."""
        text = printable(text, lines=True)
        if self.json and not self.to_stderr:
            sys.stderr.write(text)
        else:
            write_stdout(text)

    def product(self, text: str, how: str) -> None:
        """Write a report that is the run's product (``explain``'s) to stdout: ``how`` is
        ``json`` for a JSON document (escaped as JSON), else text of several lines."""
        write_stdout(json_printable(text) if how == "json" else printable(text, lines=True))

    def finish(self, status: int) -> int:
        """Write the json document (text and github are written already); returns ``status``,
        or 1 at least when the document cannot be written."""
        if not self.json:
            return status
        try:
            emit_json(self.entries, self.to_stderr)
        except ReaderGone:  # the reader stopped: as with any output, quietly
            return max(status, EXIT_PROBLEMS)
        except OSError as exc:  # a closed stdout, `> /dev/full`
            sys.stderr.write(f"kfdata-compile: cannot write the report: {exc.strerror or exc}\n")
            return max(status, EXIT_PROBLEMS)
        return status

    def run_and_finish(self, body: Callable[[], int]) -> int:
        """``body()``'s exit status, after the report is written.

        With json, a bug (an unexpected exception) is a KF901 entry of the document and exit 3,
        so that the document is still complete; otherwise it goes on to the CLI's last line of
        defence (one line on stderr, exit 3). Usage errors stay click's.
        """
        try:
            status = body()
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:
            if not self.json:
                raise
            self.add([_internal(exc)])
            status = EXIT_INTERNAL
        return self.finish(status)


def _internal(exc: Exception) -> Diagnostic:
    return Diagnostic(
        "KF901",
        f"internal error: {type(exc).__name__}: {exc}",
        Location(""),  # no file: the run itself
        "this is a bug in kfdata-compile; please report it with the input files",
    )


def size(ctx: click.Context, param: click.Parameter, value: str) -> int:
    """A size option's value in bytes (``128M``); a usage error when it is not one."""
    try:
        return infile.parse_size(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


error_format = click.option(
    "--error-format",
    type=click.Choice(sorted(FORMATTERS)),
    default="text",
    show_default=True,
    help="How problems and outcomes are reported: text and github on stderr; json as one "
    "document on stdout (on stderr when the pipeline goes to stdout). See docs/cli-output.md.",
)
def _release(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An Argo release as ``argoVersion:`` takes it (the spec's schema has the same pattern)."""
    if value is not None and not re.fullmatch(r"v?[0-9]+\.[0-9]+(\.[0-9]+)?", value):
        raise click.BadParameter(f"{value!r} is not an Argo release such as 3.7 or 3.4.17")
    return value


argo_version_option = click.option(
    "--argo-version",
    metavar="X.Y[.Z]",
    callback=_release,
    help="The Argo release the output runs on (default: the spec's argoVersion, else 3.7): "
    "what may be emitted (per-datum bindings need 3.4.17) and what is checked. See "
    "docs/datums.md.",
)
max_input_size = click.option(
    "--max-input-size",
    default=infile.format_size(infile.DEFAULT_MAX_INPUT_SIZE, flag=True),
    callback=size,
    show_default=True,
    metavar="SIZE",
    help="Refuse (KF112) any input file larger than this: bytes, or K, M, G (128M).",
)
