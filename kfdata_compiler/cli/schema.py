"""``kfdata-compile schema [--path]``: the DataBindings JSON Schema, exactly as installed.

    kfdata-compile schema          ->  {"$schema": "https://json-schema.org/draft/2020-12/...
    kfdata-compile schema --path   ->  /venv/lib/python3.12/site-packages/kfdata_compiler/
                                       _schemas/databindings.schema.json

Editors find it through a modeline on a spec's first line (yaml-language-server):
``# yaml-language-server: $schema=<the path --path prints>``.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kfdata_compiler.cli.options import CONTEXT, EXIT_OK, EXIT_PROBLEMS
from kfdata_compiler.diagnostics import printable
from kfdata_compiler.outfile import ReaderGone, write_stdout

if TYPE_CHECKING:
    from importlib.abc import Traversable

# Where the package keeps it: the resource kfdata_compiler.schemas validates specs with (the
# cli layer may not import that module; tests/test_schema_command.py checks that they agree).
PACKAGE, FOLDER, NAME = "kfdata_compiler", "_schemas", "databindings.schema.json"
SUMMARY = "Print the spec's JSON Schema for editors (--path: where it is installed)."


def installed_schema() -> Traversable:
    """The installed schema file, as an importlib resource: a plain ``Path`` for an install
    from a wheel or a source tree (only a zip archive gives something else).

    >>> installed_schema().name
    'databindings.schema.json'
    """
    return resources.files(PACKAGE).joinpath(FOLDER).joinpath(NAME)


def _fail(message: str) -> int:
    sys.stderr.write(f"kfdata-compile: {printable(message)}\n")
    return EXIT_PROBLEMS


@click.command(context_settings=CONTEXT)
@click.option(
    "--path", "show_path", is_flag=True,
    help="Print the absolute path of the installed schema file instead of its content.",
)
def command(show_path: bool) -> int:
    """Print the JSON Schema of DataBindings specs (for editors: yaml-language-server).

    Put `# yaml-language-server: $schema=<the path --path prints>` on a spec's first line.
    """
    schema = installed_schema()
    if not schema.is_file():  # a broken install: say so rather than print a traceback
        return _fail(f"the schema is not installed ({schema} is missing); "
                     "reinstall kfdata-compiler")
    if not show_path:  # the bytes as installed (UTF-8 JSON): no newline translation
        text = schema.read_bytes().decode("utf-8")
    elif isinstance(schema, Path):
        # Resolved: an editable install's path then holds no symlink, and a relative sys.path
        # entry becomes absolute.
        text = f"{schema.resolve()}\n"
    else:  # inside a zip archive: there is no file an editor could open
        return _fail("the schema is inside an archive, not a file; save it with "
                     "`kfdata-compile schema > databindings.schema.json`")
    try:
        write_stdout(text)
    except ReaderGone:  # `| head -1`: nobody reads on; end quietly, as compiling does
        return EXIT_PROBLEMS
    except OSError as exc:  # a closed stdout, `> /dev/full`
        return _fail(f"cannot write output: {exc.strerror or exc}")
    return EXIT_OK
