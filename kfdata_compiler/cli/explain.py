"""``kfdata-compile explain PIPELINE``: which step gets what, and a picture; writes no file.

    kfdata-compile explain pipeline.yaml                    # one block per bound step
    kfdata-compile explain pipeline.yaml --format mermaid   # a flowchart for a PR comment
    kfdata-compile explain pipeline.yaml --format json      # the same facts as data

It resolves exactly as a compile does (``compiler.plan_text``), so a broken spec gets the same
diagnostics and the same exit status as compiling it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kfdata_compiler import infile
from kfdata_compiler.cli.options import (
    CONTEXT,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_PROBLEMS,
    Session,
    error_format,
)
from kfdata_compiler.cli.options import max_input_size as max_input_size_option
from kfdata_compiler.diagnostics import Diagnostic, Location
from kfdata_compiler.errors import InternalError, KfdataError
from kfdata_compiler.outfile import ReaderGone

FORMATS = ("text", "mermaid", "json")
# The line `kfdata-compile --help` shows for this subcommand.
SUMMARY = "Show which steps a spec binds and what each gets (text, mermaid, json)."


def _explain(pipeline: str, spec: Path | None, how: str, session: Session, limit: int) -> None:
    """Resolve, report the spec's warnings, print the report (``KfdataError`` on problems)."""
    from kfdata_compiler.compiler import find_spec, lock_for, plan_text
    from kfdata_compiler.explain import build, render

    stdin = pipeline == "-"
    spec = spec or find_spec(Path.cwd() / "-" if stdin else Path(pipeline))
    if stdin:
        stream = sys.stdin.buffer if sys.stdin is not None else None  # None: `<&-`
        data = infile.read_stream(stream, "<stdin>", "the pipeline", limit)
    else:
        data = infile.read_file(pipeline, "the pipeline", limit)
    spec_data = infile.read_file(spec, "the spec", limit)
    lock, lock_data = lock_for(spec, limit)  # pinned versions show as a compile would use them
    planned = plan_text(data, spec_data, "<stdin>" if stdin else pipeline, str(spec),
                        lock_data, str(lock))
    text = render(build(*planned), how)
    session.add(planned.spec.warnings)
    session.product(text, how)


def _run(pipeline: str, spec: Path | None, how: str, session: Session, limit: int) -> int:
    try:
        _explain(pipeline, spec, how, session, limit)
    except ReaderGone:  # nobody reads on: stop, as a program ended by SIGPIPE would
        return EXIT_PROBLEMS
    except InternalError as exc:
        session.add(exc.diagnostics)
        return EXIT_INTERNAL
    except KfdataError as exc:
        session.add(exc.diagnostics)
        return EXIT_PROBLEMS
    except OSError as exc:  # stdout closed or full
        where = Location(str(exc.filename or "<stdout>"))
        session.add([Diagnostic("KF100", f"cannot write output: {exc.strerror or exc}", where)])
        return EXIT_PROBLEMS
    return EXIT_OK


@click.command(context_settings=CONTEXT, short_help=SUMMARY)
@click.argument("pipeline")
@click.option(
    "--spec",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The DataBindings spec (default: PIPELINE's x.kfdata.yaml, then kfdata.yaml).",
)
@click.option(
    "--format",
    "how",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text: per bound step; mermaid: a flowchart for Markdown; json: the facts as data.",
)
@error_format
@max_input_size_option
def command(
    pipeline: str, spec: Path | None, how: str, error_format: str, max_input_size: int
) -> int:
    """Show which steps the spec binds and what each gets, without writing anything.

    PIPELINE is what kfdata-compile would compile (- for stdin). Problems are reported as a
    compile reports them, with the same exit status; with --error-format json they are one
    document on stderr, as stdout carries the report.
    """
    session = Session(error_format, to_stderr=True)  # stdout carries the report
    return session.run_and_finish(lambda: _run(pipeline, spec, how, session, max_input_size))
