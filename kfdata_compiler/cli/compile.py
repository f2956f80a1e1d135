"""Compiling pipelines (what ``kfdata-compile`` does without a subcommand).

    kfdata-compile pipeline.yaml                   # to stdout (spec: pipeline.kfdata.yaml)
    kfdata-compile pipeline.yaml -o bound.yaml     # written atomically (kfdata_compiler.outfile)
    kfdata-compile --write a.yaml b.yaml           # a.bound.yaml, b.bound.yaml; 1 if changed
    kfdata-compile --check a.yaml                  # CI: exit 1 and a diff if a.bound.yaml is stale

A written output starts with a one-line header naming its sources
(``conventions.generated_header``); stdout gets the bound pipeline alone, as the library
returns it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NamedTuple

import click

from kfdata_compiler import conventions, infile
from kfdata_compiler.cli.check import stale
from kfdata_compiler.cli.diffs import compile_diff
from kfdata_compiler.cli.options import (
    CONTEXT,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_PROBLEMS,
    Session,
    argo_version_option,
    error_format,
)
from kfdata_compiler.cli.options import max_input_size as max_input_size_option
from kfdata_compiler.compiler import (
    CompileResult,
    compile_text,
    find_spec,
    holds_pipeline,
    kfp_launcher_config,
    lock_for,
)
from kfdata_compiler.diagnostics import Diagnostic, Location, Severity
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
    lock_mode: str = "default"
    argo_version: str | None = None
    kfp_launcher_config: str | None = None  # FILE: the kfp-launcher providers (KFP v2)
    full_diff: bool = False  # diff the input as it is; --check: a missing output's whole text


class Inputs(NamedTuple):
    """One pipeline's bytes, its spec's and its lock's (each read once: a FIFO cannot be read
    twice); no lock file beside the spec is ``lock_data=None``."""

    data: bytes
    spec: Path
    spec_data: bytes
    lock: Path
    lock_data: bytes | None


def _read(name: str, opts: CompileOptions) -> Inputs:
    limit, stdin = opts.max_input_size, name == "-"
    spec = opts.spec or find_spec(Path.cwd() / "-" if stdin else Path(name))
    if stdin:
        stream = sys.stdin.buffer if sys.stdin is not None else None  # None: `<&-`
        data = infile.read_stream(stream, "<stdin>", "the pipeline", limit)
    else:
        data = infile.read_file(name, "the pipeline", limit)
    lock, lock_data = lock_for(spec, limit)
    return Inputs(data, spec, infile.read_file(spec, "the spec", limit), lock, lock_data)


def _compile(name: str, inputs: Inputs, opts: CompileOptions) -> CompileResult:
    path = "<stdin>" if name == "-" else name
    return compile_text(inputs.data, inputs.spec_data, path, str(inputs.spec),
                        inputs.lock_data, str(inputs.lock), opts.lock_mode,
                        argo_version=opts.argo_version)


def _skipped(name: str, inputs: Inputs, session: Session) -> int:
    """A YAML file beside a shared ``kfdata.yaml`` that is no pipeline (Helm values, a
    ConfigMap): not the spec's business, so a note, not an error."""
    message = "not an Argo Workflow, (Cluster)WorkflowTemplate or CronWorkflow: skipped"
    hint = (f"{inputs.spec} applies to the pipelines beside it; give this file a spec of its "
            "own (x.kfdata.yaml) or --spec to compile it anyway")
    session.event(Diagnostic("KF123", message, Location(name), hint, Severity.INFO),
                  f"skipped {name}: not an Argo/KFP pipeline (beside {inputs.spec})")
    return EXIT_OK


def _fix(name: str, opts: CompileOptions, target: Path) -> str:
    """The command that brings ``target`` up to date."""
    argv = ["kfdata-compile", *(["--spec", str(opts.spec)] if opts.spec else [])]
    argv += [name, "-o", str(target)] if opts.output else ["--write", name]
    import shlex  # only for a stale or missing output's fix

    return shlex.join(argv)


def _one(name: str, opts: CompileOptions, to_file: bool, session: Session) -> int:
    """Compile one pipeline and deliver its output; returns its exit status."""
    inputs = _read(name, opts)
    # Found through a shared kfdata.yaml: the file may be any YAML beside the pipelines.
    shared = not opts.spec and name != "-" and conventions.is_directory_spec(inputs.spec)
    try:
        result = _compile(name, inputs, opts)
    except KfdataError:
        if shared and not holds_pipeline(inputs.data, name):
            return _skipped(name, inputs, session)
        raise
    if shared and not result.changed and not holds_pipeline(inputs.data, name):
        return _skipped(name, inputs, session)
    session.add(result.warnings)
    # An input that carries the header (an earlier output) compiles as its content would.
    output = conventions.strip_generated_header(result.output)
    if opts.kfp_launcher_config:  # KFP v2: what the namespace's kfp-launcher ConfigMap needs
        snippet = kfp_launcher_config(output, inputs.spec_data, str(inputs.spec))
        write_atomic(Path(opts.kfp_launcher_config), snippet.encode("utf-8"))
    if opts.diff:  # compiled, so the input is UTF-8
        session.aside(compile_diff(inputs.data, output, name, name, opts.full_diff))
    if not to_file:
        if not opts.diff:
            write_stdout(output)
        return EXIT_OK
    target = Path(opts.output) if opts.output else conventions.output_path(Path(name))
    text = conventions.generated_header(target, name, str(inputs.spec)) + output
    current = target.read_bytes() if target.is_file() else None
    if current == text.encode("utf-8"):
        return EXIT_OK
    fix = _fix(name, opts, target)
    if opts.check:
        return stale(target, current, result.bound, text, fix, opts.full_diff, session)
    write_atomic(target, text.encode("utf-8"))
    # Like a formatter in a pre-commit hook: changing a file is a finding in --write mode.
    failing = opts.write or len(opts.pipelines) > 1
    state = "it was missing" if current is None else "it was out of date"
    hint = "exit 1: an output changed, as a formatter reports; review it and commit it"
    session.event(
        Diagnostic("KF122", f"wrote {target} ({state})", Location(str(target)),
                   hint if failing else "", Severity.WARNING if failing else Severity.INFO),
        f"wrote {target}")
    return EXIT_PROBLEMS if failing else EXIT_OK


def _compile_all(pipelines: list[str], opts: CompileOptions, to_file: bool,
                 session: Session) -> int:
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
            status = max(status, _one(name, opts, to_file, session))
        except ReaderGone:  # nobody reads on: stop, as a program ended by SIGPIPE would
            return max(status, EXIT_PROBLEMS)
        except InternalError as exc:
            session.add(exc.diagnostics)
            status = EXIT_INTERNAL
        except KfdataError as exc:
            session.add(exc.diagnostics)
            status = max(status, EXIT_PROBLEMS)
        except OSError as exc:  # stdout (a closed one, `> /dev/full`) or reading the output
            where = Location(str(exc.filename or name))
            message = f"cannot write output: {exc.strerror or exc}"
            session.add([Diagnostic("KF100", message, where)])
            status = max(status, EXIT_PROBLEMS)
    return status


def compile_pipelines(opts: CompileOptions) -> int:
    """Compile every pipeline; problems are reported per file and the worst status wins."""
    pipelines = conventions.pipelines_named(opts.pipelines)
    if (opts.output or opts.kfp_launcher_config) and len(pipelines) > 1:
        raise click.UsageError(
            f"{'-o/--output' if opts.output else '--kfp-launcher-config'} takes one pipeline; "
            "with several, each is written to its conventional path (x.yaml -> x.bound.yaml)")
    to_file = bool(opts.output or opts.write or opts.check or len(pipelines) > 1)
    # json goes where the product does not: stderr when the pipeline (or a diff) is on stdout.
    session = Session(opts.error_format, to_stderr=not to_file)
    return session.run_and_finish(lambda: _compile_all(pipelines, opts, to_file, session))


class _Command(click.Command):
    """The compile command; its help also lists the subcommands (``cli.SUBCOMMANDS``)."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from kfdata_compiler.cli import summaries  # the package knows its subcommands

        with formatter.section("Commands (kfdata-compile COMMAND --help for each)"):
            formatter.write_dl(summaries())
        super().format_epilog(ctx, formatter)


def _output_file(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value == "":  # `-o "$OUT"` with OUT unset must not quietly mean stdout
        raise click.BadParameter("the file name is empty; leave -o out to write to stdout")
    return value


@click.command(cls=_Command, context_settings=CONTEXT)
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
    help="Write nothing; exit 1 and print a diff if the output on disk is missing or stale.",
)
@click.option(
    "--diff",
    "show_diff",
    is_flag=True,
    help="Print what the compile changes: from the input as kfdata-compile writes YAML (so "
    "restyling does not show) to the output.",
)
@click.option(
    "--full-diff",
    is_flag=True,
    help="The whole diff: --diff from the input as it is, restyled lines too; with --check, a "
    "missing output's whole text (by default: the command and a summary).",
)
@error_format
@click.option(
    "--skip-missing-spec",
    is_flag=True,
    help="Skip files with no spec beside them instead of failing (for pre-commit hooks).",
)
@max_input_size_option
@click.option("--locked", "lock_mode", flag_value="locked", default=None,
              help="Fail (write nothing) if the spec's kfdata.lock is missing or stale.")
@click.option("--frozen", "lock_mode", flag_value="frozen",
              help="Like --locked, and every dataset a step reads must be pinned.")
@argo_version_option
@click.option("--kfp-launcher-config", metavar="FILE", callback=_output_file,
              help="KFP v2: also write the kfp-launcher providers its workspace imports need.")
@click.version_option(package_name="kfdata-compiler", prog_name="kfdata-compile")
def command(
    pipelines: tuple[str, ...],
    spec: Path | None,
    output: str | None,
    write: bool,
    check: bool,
    show_diff: bool,
    full_diff: bool,
    error_format: str,
    skip_missing_spec: bool,
    max_input_size: int,
    lock_mode: str | None,
    argo_version: str | None,
    kfp_launcher_config: str | None,
) -> int:
    """Bind the datasets of a DataBindings spec to compiled Argo, KFP v1 and KFP v2 pipelines.

    PIPELINE is an Argo Workflow YAML file (KFP v1 dsl-compile output, hera, hand-written), a
    KFP v2 pipeline (the IR YAML kfp 2.x compiles: docs/kfp-v2.md), or - for stdin. Its spec
    is PIPELINE's x.kfdata.yaml, else kfdata.yaml in the same directory.
    Output goes to stdout, to -o OUT, or with --write (or several PIPELINEs) to x.bound.yaml;
    a file written starts with a "# Generated by kfdata-compile" line, stdout does not.
    """
    return compile_pipelines(
        CompileOptions(
            pipelines, spec, output, write, check, show_diff or (full_diff and not check),
            error_format, skip_missing_spec, max_input_size, lock_mode or "default",
            argo_version, kfp_launcher_config, full_diff,
        )
    )
