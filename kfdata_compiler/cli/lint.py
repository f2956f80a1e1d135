"""``kfdata-compile lint FILE...``: the format's own checks (Argo's schema and rules) on any file.

    kfdata-compile lint wf.yaml   ->  wf.yaml:14:13: error[KF412]: env var 'A' appears twice ...
"""

from __future__ import annotations

from pathlib import Path

import click

from kfdata_compiler.cli.options import CONTEXT, EXIT_OK, EXIT_PROBLEMS, error_format, report
from kfdata_compiler.cli.options import max_input_size as max_input_size_option
from kfdata_compiler.errors import KfdataError


@click.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@error_format
@max_input_size_option
def command(files: tuple[str, ...], error_format: str, max_input_size: int) -> int:
    """Check Argo YAML files against Argo's schema and rules (exit 1 on any problem)."""
    from kfdata_compiler.compiler import lint_file

    status = EXIT_OK
    for name in files:
        try:
            found = lint_file(Path(name), max_input_size)
        except KfdataError as exc:
            found = list(exc.diagnostics)
        if found:
            report(found, error_format)
            status = EXIT_PROBLEMS
    return status
