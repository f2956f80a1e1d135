"""The command line: a thin click layer over :mod:`kfdata_compiler.compiler`; the only printer.

    kfdata-compile pipeline.yaml                   # to stdout (spec: pipeline.kfdata.yaml)
    kfdata-compile pipeline.yaml -o bound.yaml     # written atomically (kfdata_compiler.outfile)
    kfdata-compile --write a.yaml b.yaml           # a.bound.yaml, b.bound.yaml; 1 if changed
    kfdata-compile --check a.yaml                  # CI: exit 1 and a diff if a.bound.yaml is stale
    kfdata-compile lint any-workflow.yaml          # Argo's schema and rules, same report formats

Each subcommand is a module of this package, imported only when it runs (``SUBCOMMANDS``);
anything that is not a subcommand's name compiles pipelines. ``kfdata-compile --help`` lists
every subcommand with its module's ``SUMMARY`` (or its command's first help sentence).

Exit status: 0 ok, 1 problems found (or, with --write/--check, output changed or stale),
2 usage error, 3 internal error, 128 + N ended by signal N (Ctrl-C: 130, kill: 143).
"""

from __future__ import annotations

import importlib
import io
import sys
from collections.abc import Sequence

import click

from kfdata_compiler.cli.options import EXIT_INTERNAL, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from kfdata_compiler.diagnostics import printable
from kfdata_compiler.outfile import Interrupted

# Subcommand -> the module of this package that holds its click ``command``.
SUBCOMMANDS = {"lint": "lint", "explain": "explain", "schema": "schema", "lock": "lock"}

__all__ = [
    "EXIT_INTERNAL", "EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "SUBCOMMANDS", "main", "summaries",
]


def summaries() -> list[tuple[str, str]]:
    """Each subcommand and its one-line summary, for ``kfdata-compile --help``.

    >>> summaries()
    [('lint', "Check Argo YAML files against Argo's schema and rules."), ...]

    The summary is the module's ``SUMMARY``, else its command's ``short_help``, else the first
    sentence of its help; a module that fails to import is listed without one (help must work).
    """
    out = []
    for name in sorted(SUBCOMMANDS):
        try:
            module = importlib.import_module(f"kfdata_compiler.cli.{SUBCOMMANDS[name]}")
            command: click.Command = module.command
            summary = getattr(module, "SUMMARY", "") or command.get_short_help_str(limit=80)
        except Exception:  # noqa: BLE001 - running it will show the real error
            summary = ""
        out.append((name, summary))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: returns the exit status instead of exiting (the library never exits).

    ``kfdata-compile lint FILE...`` checks Argo YAML; anything else compiles pipelines.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    name = args[0] if args and args[0] in SUBCOMMANDS else None
    home = SUBCOMMANDS[name] if name else "compile"
    module = importlib.import_module(f"kfdata_compiler.cli.{home}")
    chosen: click.Command = module.command
    prog = f"kfdata-compile {name}" if name else "kfdata-compile"
    args = args[1:] if name else args
    try:
        status = chosen.main(args, prog_name=prog, standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        # click's message quotes what the user typed (a file name may hold anything): escaped
        # like every other line kfdata-compile writes to a terminal.
        shown = io.StringIO()
        exc.show(shown)
        sys.stderr.write(printable(shown.getvalue(), lines=True))
        return EXIT_USAGE
    except click.exceptions.Abort as exc:  # click's word for a KeyboardInterrupt
        import signal  # only here: its enums cost a run that is not interrupted ~3 M instructions

        return 128 + signal.SIGINT if isinstance(exc.__cause__, KeyboardInterrupt) else EXIT_USAGE
    except Interrupted as exc:  # a signal during a write: the temp file is already gone
        return exc.exit_status
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for users
        sys.stderr.write(
            f"kfdata-compile: internal error: {type(exc).__name__}: {printable(str(exc))}\n"
            "This is a bug in kfdata-compile; please report it with the input files.\n"
        )
        return EXIT_INTERNAL
    return int(status or 0)
