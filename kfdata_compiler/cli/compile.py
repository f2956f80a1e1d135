"""Compiling pipelines (what ``kfdata-compile`` does without a subcommand).

    kfdata-compile pipeline.yaml                   # to stdout (spec: pipeline.kfdata.yaml)
    kfdata-compile pipeline.yaml -o bound.yaml     # written atomically (kfdata_compiler.outfile)
    kfdata-compile --write a.yaml b.yaml           # a.bound.yaml, b.bound.yaml; 1 if changed
    kfdata-compile --check a.yaml                  # CI: exit 1 and a diff if a.bound.yaml is stale
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import click

from kfdata_compiler import conventions, infile
from kfdata_compiler.cli.options import (
    CONTEXT,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_PROBLEMS,
    error_format,
    report,
)
from kfdata_compiler.cli.options import max_input_size as max_input_size_option
from kfdata_compiler.compiler import CompileResult, compile_text, find_spec
from kfdata_compiler.diagnostics import Diagnostic, Location
from kfdata_compiler.errors import InternalError, KfdataError
from kfdata_compiler.outfile import ReaderGone, write_atomic, write_stdout


class CompileOptions(NamedTuple):
    """What the user asked for, as plain values."""

    pipelines: tuple[str, ...]
    spec: Path | None
    output: str | None
    write: bool
    check: bool
    diff: bool
    error_format: str
    skip_missing_spec: bool = False
    max_input_size: int = infile.DEFAULT_MAX_INPUT_SIZE


def _diff(before: str, after: str, old_name: str, new_name: str) -> str:
    import difflib  # only --check and --diff need it; the hook's start-up stays short

    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), old_name, new_name
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


def _expand(pipelines: Sequence[str]) -> list[str]:
    """Map specs and outputs given on the command line (pre-commit passes them) to pipelines."""
    out: list[str] = []
    for name in pipelines:
        if name == "-":
            out.append(name)
            continue
        path = Path(name)
        target = conventions.pipeline_for(path)
        if target is None:  # a directory-wide kfdata.yaml: every pipeline beside it
            siblings = sorted(
                p
                for p in path.parent.glob("*.y*ml")
                if p.suffix in (".yaml", ".yml") and conventions.role(p) == "pipeline"
            )
            out.extend(str(p) for p in siblings)
        elif target == path or target.is_file():
            out.append(str(target))
    return list(dict.fromkeys(out))


def _compile(name: str, opts: CompileOptions) -> tuple[CompileResult, bytes]:
    """Compile one pipeline; its bytes come back too, as a FIFO or stdin cannot be read twice."""
    limit, stdin = opts.max_input_size, name == "-"
    spec = opts.spec or find_spec(Path.cwd() / "-" if stdin else Path(name))
    if stdin:
        stream = sys.stdin.buffer if sys.stdin is not None else None  # None: `<&-`
        data = infile.read_stream(stream, "<stdin>", "the pipeline", limit)
    else:
        data = infile.read_file(name, "the pipeline", limit)
    spec_data = infile.read_file(spec, "the spec", limit)
    return compile_text(data, spec_data, "<stdin>" if stdin else name, str(spec)), data


def _one(name: str, opts: CompileOptions, to_file: bool) -> int:
    """Compile one pipeline and deliver its output; returns its exit status."""
    result, data = _compile(name, opts)
    if result.warnings:
        report(result.warnings, opts.error_format)
    if opts.diff:  # compiled, so the input is UTF-8
        write_stdout(_diff(data.decode("utf-8"), result.output, name, name))
    if not to_file:
        if not opts.diff:
            write_stdout(result.output)
        return EXIT_OK
    target = Path(opts.output) if opts.output else conventions.output_path(Path(name))
    output = result.output.encode("utf-8")
    current = target.read_bytes() if target.is_file() else None
    if current == output:
        return EXIT_OK
    if opts.check:
        old = (current or b"").decode("utf-8", "replace")
        write_stdout(_diff(old, result.output, str(target), str(target)))
        sys.stderr.write(
            f"kfdata-compile: {target} is out of date; run kfdata-compile {name}"
            f"{' -o ' + str(target) if opts.output else ' --write'}\n"
        )
        return EXIT_PROBLEMS
    write_atomic(target, output)
    sys.stderr.write(f"kfdata-compile: wrote {target}\n")
    # Like a formatter in a pre-commit hook: changing a file is a finding in --write mode.
    return EXIT_PROBLEMS if opts.write or len(opts.pipelines) > 1 else EXIT_OK


def compile_pipelines(opts: CompileOptions) -> int:
    """Compile every pipeline; problems are reported per file and the worst status wins."""
    pipelines = _expand(opts.pipelines)
    if opts.output and len(pipelines) > 1:
        raise click.UsageError(
            "-o/--output takes one pipeline; with several, each is written "
            "to its conventional path (x.yaml -> x.bound.yaml)"
        )
    to_file = bool(opts.output or opts.write or opts.check or len(pipelines) > 1)
    status = EXIT_OK
    for name in pipelines:
        if (
            opts.skip_missing_spec
            and not opts.spec
            and name != "-"
            and not conventions.find_spec(Path(name))
        ):
            continue  # a hook sees every YAML file; only those with a spec are pipelines to bind
        try:
            status = max(status, _one(name, opts, to_file))
        except ReaderGone:  # nobody reads on: stop, as a program ended by SIGPIPE would
            return max(status, EXIT_PROBLEMS)
        except InternalError as exc:
            report(exc.diagnostics, opts.error_format)
            status = EXIT_INTERNAL
        except KfdataError as exc:
            report(exc.diagnostics, opts.error_format)
            status = max(status, EXIT_PROBLEMS)
        except OSError as exc:  # stdout (a closed one, `> /dev/full`) or reading the output
            where = Location(str(exc.filename or name))
            message = f"cannot write output: {exc.strerror or exc}"
            report([Diagnostic("KF100", message, where)], opts.error_format)
            status = max(status, EXIT_PROBLEMS)
    return status


def _output_file(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value == "":  # `-o "$OUT"` with OUT unset must not quietly mean stdout
        raise click.BadParameter("the file name is empty; leave -o out to write to stdout")
    return value


def _size(ctx: click.Context, param: click.Parameter, value: str) -> int:
    try:
        return infile.parse_size(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command(context_settings=CONTEXT)
@click.argument("pipelines", nargs=-1, required=True)
@click.option(
    "--spec",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The DataBindings spec (default: PIPELINE's x.kfdata.yaml, then kfdata.yaml).",
)
@click.option(
    "-o", "--output", metavar="FILE", callback=_output_file,
    help="Write the bound pipeline here (one PIPELINE only).",
)
@click.option(
    "-w",
    "--write",
    is_flag=True,
    help="Write each PIPELINE to its conventional path x.bound.yaml; exit 1 if any changed.",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 1 and print a diff if the output on disk is stale.",
)
@click.option(
    "--diff",
    "show_diff",
    is_flag=True,
    help="Print what the compile changes relative to the input.",
)
@error_format
@click.option(
    "--skip-missing-spec",
    is_flag=True,
    help="Skip files with no spec beside them instead of failing (for pre-commit hooks).",
)
@max_input_size_option
@click.version_option(package_name="kfdata-compiler", prog_name="kfdata-compile")
def command(
    pipelines: tuple[str, ...],
    spec: Path | None,
    output: str | None,
    write: bool,
    check: bool,
    show_diff: bool,
    error_format: str,
    skip_missing_spec: bool,
    max_input_size: int,
) -> int:
    """Bind the datasets of a DataBindings spec to compiled Argo/KFP pipelines.

    PIPELINE is an Argo Workflow YAML file (KFP v1 dsl-compile output, hera, hand-written), or
    - for stdin. Its spec is PIPELINE's x.kfdata.yaml, else kfdata.yaml in the same directory.
    Output goes to stdout, to -o OUT, or with --write (or several PIPELINEs) to x.bound.yaml.
    """
    return compile_pipelines(
        CompileOptions(
            pipelines, spec, output, write, check, show_diff, error_format, skip_missing_spec,
            max_input_size,
        )
    )
