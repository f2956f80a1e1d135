"""The ``kfdata-compile`` process (also ``python -m kfdata_compiler``).

It runs on every commit as a pre-commit hook, so its start and exit are kept short::

    $ kfdata-compile pipeline.yaml      ->  run(): main(sys.argv[1:]), then exit with its status
"""

from __future__ import annotations

import gc
import os
import sys
from typing import NoReturn


def run() -> NoReturn:
    """Run the command line, flush what it wrote and end the process with its exit status."""
    # Everything this short-lived process builds is acyclic: the cyclic GC would only walk the
    # imported modules and schemas again and again while they load (benchmarks/README.md).
    gc.disable()
    if sys.stderr is None:  # started with stderr closed (`2>&-`): reports go nowhere, quietly
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - the process ends with it open
    from kfdata_compiler.cli import EXIT_PROBLEMS, main

    status = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # None: the process started with it closed (`>&-`)
                stream.flush()
        except OSError:  # e.g. `| head` closed the pipe: what was asked for was not delivered
            status = status or EXIT_PROBLEMS
    # Skip the interpreter's teardown: freeing every module and schema object one by one took
    # a quarter of a small compile's run, and nothing is left to release (files are closed).
    os._exit(status)


if __name__ == "__main__":
    run()
