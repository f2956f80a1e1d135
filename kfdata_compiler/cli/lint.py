"""``kfdata-compile lint FILE...``: the format's own checks (Argo's schema and rules) on any file.

    kfdata-compile lint wf.yaml   ->  wf.yaml:14:13: error[KF412]: env var 'A' appears twice ...
    kfdata-compile lint --error-format json wf.yaml   ->  stdout: [{"code": "KF412", ...}]
"""

from __future__ import annotations

from pathlib import Path

import click

from kfdata_compiler.cli.options import (
    CONTEXT,
    EXIT_OK,
    EXIT_PROBLEMS,
    Session,
    argo_version_option,
    error_format,
)
from kfdata_compiler.cli.options import max_input_size as max_input_size_option
from kfdata_compiler.diagnostics import Severity
from kfdata_compiler.errors import KfdataError

# The line `kfdata-compile --help` shows for this subcommand.
SUMMARY = "Check Argo and KFP v2 IR files against their schema and rules."


def _lint_all(files: tuple[str, ...], max_input_size: int, argo_version: str | None,
              deep: bool, session: Session) -> int:
    from kfdata_compiler.compiler import lint_file

    status, findings = EXIT_OK, 0
    for name in files:
        try:
            found = lint_file(Path(name), max_input_size, argo_version, deep)
        except KfdataError as exc:
            found = list(exc.diagnostics)
        session.add(found)
        findings += len(found)
        if any(d.severity is Severity.ERROR for d in found):  # warnings alone: exit 0
            status = EXIT_PROBLEMS
    if not findings:  # as ruff says "All checks passed!": silence is not proof it ran
        session.say(f"{len(files)} file{'s' if len(files) != 1 else ''} checked: no problems")
    return status


@click.command(context_settings=CONTEXT, short_help=SUMMARY)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--deep", is_flag=True,
              help="KFP v2 IR: also kfp's own checks (strict parse, load_component, a nested "
                   "compile, each bound Python component run on placeholder data); needs "
                   "pip install 'kfdata-compiler[kfp]'.")
@error_format
@max_input_size_option
@argo_version_option
def command(files: tuple[str, ...], deep: bool, error_format: str, max_input_size: int,
            argo_version: str | None) -> int:
    """Check Argo YAML files against Argo's schema and rules, and KFP v2 IR files against the
    IR's graph rules (exit 1 on any error; warnings alone exit 0). --argo-version says which
    release the rules that depend on it check for.

    With --error-format json the report is one JSON document on stdout ([] when clean).
    """
    session = Session(error_format)  # lint writes no product: json goes to stdout
    return session.run_and_finish(lambda: _lint_all(files, max_input_size, argo_version, deep,
                                                    session))
