"""``--check``: what an output on disk that is missing or out of date reports.

    kfdata-compile: pipeline.bound.yaml is missing; run kfdata-compile --write pipeline.yaml
    kfdata-compile: it binds 4 steps to 5 datasets: preprocess (reviews, vocab), ...

An out-of-date output gets the diff from the file on disk; a missing one the command and a
summary, not its whole text as an all-``+`` diff (``--full-diff`` for that).
"""

from __future__ import annotations

from pathlib import Path

from kfdata_compiler.cli.diffs import git_side, unified_diff
from kfdata_compiler.cli.options import EXIT_PROBLEMS, Session
from kfdata_compiler.diagnostics import Diagnostic, Location

# Each bound step with the datasets it uses (``CompileResult.bound``).
Bound = tuple[tuple[str, tuple[str, ...]], ...]


def summary(bound: Bound) -> str:
    """What a compile binds, in one line: ``--check``'s account of a missing output.

    >>> summary((("preprocess", ("reviews", "vocab")), ("train-model", ("reviews", "model"))))
    'it binds 2 steps to 3 datasets: preprocess (reviews, vocab), train-model (reviews, model)'
    """
    datasets = dict.fromkeys(name for _, names in bound for name in names)
    steps = ", ".join(f"{step} ({', '.join(names)})" for step, names in bound)
    return (f"it binds {len(bound)} step{'s' if len(bound) != 1 else ''} to {len(datasets)} "
            f"dataset{'s' if len(datasets) != 1 else ''}: {steps or 'nothing'}")


def stale(target: Path, current: bytes | None, bound: Bound, text: str, fix: str,
          full: bool, session: Session) -> int:
    """--check: a KF120 (missing: the command and a summary; the whole text with --full-diff)
    or a KF121 (out of date: the diff, on disk -> as compiled)."""
    if current is not None or full:
        old = (current or b"").decode("utf-8", "replace")
        before = "/dev/null" if current is None else git_side("a", target)
        session.aside(unified_diff(old, text, before, git_side("b", target)))
    code, state = ("KF120", "missing") if current is None else ("KF121", "out of date")
    message = f"{target} is {state}"
    hint = f"run: {fix}" + (f"\n{summary(bound)}" if current is None else "")
    session.event(Diagnostic(code, message, Location(str(target)), hint, fix=fix),
                  f"{message}; run {fix}")
    if current is None:
        session.say(summary(bound) + ("" if full else " (--full-diff shows the file)"))
    return EXIT_PROBLEMS
