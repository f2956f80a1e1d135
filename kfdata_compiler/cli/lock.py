"""``kfdata-compile lock [SPEC]``: pin the spec's floating datasets in ``<spec stem>.lock``.

    kfdata-compile lock pipeline.kfdata.yaml        # writes pipeline.kfdata.lock (atomically)
    kfdata-compile lock --upgrade                   # ask every store again: move the pins
    kfdata-compile lock --check --upgrade           # CI: exit 1 and a diff if the data moved
    kfdata-compile lock --endpoint minio=http://127.0.0.1:9000   # reach a store from here

Credentials come from this environment (boto3's chain, git's helpers, ``LAKECTL_*``), never
from the spec. Any failure writes nothing: the old lock file stays as it was.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from kfdata_compiler import conventions
from kfdata_compiler.cli.diffs import git_side, unified_diff
from kfdata_compiler.cli.options import CONTEXT, EXIT_OK, EXIT_PROBLEMS, Session, error_format
from kfdata_compiler.cli.options import max_input_size as max_input_size_option
from kfdata_compiler.diagnostics import Diagnostic, Location, Severity
from kfdata_compiler.errors import KfdataError
from kfdata_compiler.outfile import write_atomic

SUMMARY = "Pin the spec's floating datasets in <spec>.lock; --check --upgrade: has data moved?"


def _endpoints(ctx: click.Context, param: click.Parameter,
               value: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in value:
        store, sep, url = item.partition("=")
        if not sep or not store or not url:
            raise click.BadParameter(f"{item!r} is not STORE=URL (e.g. minio=http://127.0.0.1:9000)")
        out[store] = url
    return out


def _spec(given: Path | None) -> Path:
    """The spec to lock: SPEC (a pipeline stands for its spec: KF110 if it has none), else the
    one spec in this directory."""
    if given is not None:
        if conventions.role(given) == "pipeline":
            from kfdata_compiler.compiler import find_spec

            return find_spec(given)
        return given
    here = [Path(conventions.DIRECTORY_SPEC), Path("kfdata.yml"),
            *sorted(Path().glob(f"*{conventions.SPEC_SUFFIX}.y*ml"))]
    specs = [p for p in dict.fromkeys(here) if p.is_file()]
    if len(specs) != 1:
        raise click.UsageError("name the spec to lock: " + (
            f"this directory has {', '.join(map(str, specs))}" if specs
            else "there is no kfdata.yaml or *.kfdata.yaml here"))
    return specs[0]


@click.command(context_settings=CONTEXT)
@click.argument("spec", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--upgrade", is_flag=True,
              help="Resolve every dataset again (move every pin), not only new or changed ones.")
@click.option("--upgrade-dataset", "datasets", multiple=True, metavar="NAME",
              help="Resolve this dataset again (repeatable).")
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 and print a diff if the lock file would change.")
@click.option("--endpoint", "endpoints", multiple=True, metavar="STORE=URL", callback=_endpoints,
              help="Reach STORE at URL instead of the spec's (often in-cluster) endpoint.")
@error_format
@max_input_size_option
def command(spec: Path | None, upgrade: bool, datasets: tuple[str, ...], check: bool,
            endpoints: dict[str, str], error_format: str, max_input_size: int) -> int:
    """Pin the floating datasets a spec reads (branches, prefixes, URLs) in <spec stem>.lock.

    SPEC defaults to the kfdata.yaml (or the one *.kfdata.yaml) in this directory. Entries
    whose spec fields are unchanged are kept without asking their store; --upgrade asks again.
    """
    if upgrade and datasets:
        raise click.UsageError("--upgrade asks for every dataset; --upgrade-dataset for some")
    session = Session(error_format)  # the product is a file: a json report goes to stdout
    return session.run_and_finish(lambda: _lock(spec, upgrade, datasets, check, endpoints,
                                                max_input_size, session))


def _lock(spec: Path | None, upgrade: bool, datasets: tuple[str, ...], check: bool,
          endpoints: dict[str, str], max_input_size: int, session: Session) -> int:
    from kfdata_compiler.lock.update import LockRun, lock_spec

    try:
        path = _spec(spec)
        run = LockRun(path, upgrade, frozenset(datasets), endpoints, dict(os.environ),
                      max_input_size)
        outcome = lock_spec(run)
    except KfdataError as exc:
        session.add(exc.diagnostics)
        return EXIT_PROBLEMS
    target = outcome.path
    fix = f"kfdata-compile lock {path}{' --upgrade' if upgrade else ''}"
    if check:
        if not outcome.changed:
            return EXIT_OK
        before = "/dev/null" if outcome.old is None else git_side("a", target)
        session.aside(unified_diff(outcome.old or "", outcome.new, before, git_side("b", target)))
        code, state = ("KF120", "missing") if outcome.old is None else ("KF121", "out of date")
        session.event(Diagnostic(code, f"{target} is {state}", Location(str(target)),
                                 f"run: {fix}", fix=fix), f"{target} is {state}; run {fix}")
        return EXIT_PROBLEMS
    counts = f"{len(outcome.resolved)} resolved, {len(outcome.kept)} kept"
    if not outcome.changed:  # nothing happened: a line for people, nothing in a report
        session.say(f"up to date: {target} ({counts})")
        return EXIT_OK
    write_atomic(target, outcome.new.encode("utf-8"))
    session.event(Diagnostic("KF122", f"wrote {target} ({counts})", Location(str(target)),
                             severity=Severity.INFO), f"wrote {target} ({counts})")
    return EXIT_OK
