"""What the subcommands share: how problems are reported, and the options that say so.

    report([Diagnostic("KF301", ...)], "github")  ->  stderr: "::error file=s.yaml,line=9,...::..."
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from kfdata_compiler import infile
from kfdata_compiler.diagnostics import FORMATTERS, Diagnostic

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
CONTEXT = {"help_option_names": ["-h", "--help"]}


def report(diagnostics: Sequence[Diagnostic], fmt: str) -> None:
    """Write diagnostics to stderr in the chosen format."""
    sys.stderr.write(FORMATTERS[fmt](diagnostics))


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
    help="How problems are reported (on stderr).",
)
max_input_size = click.option(
    "--max-input-size",
    default=infile.format_size(infile.DEFAULT_MAX_INPUT_SIZE, flag=True),
    callback=size,
    show_default=True,
    metavar="SIZE",
    help="Refuse (KF112) any input file larger than this: bytes, or K, M, G (128M).",
)
