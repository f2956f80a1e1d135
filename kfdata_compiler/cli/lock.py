"""``kfdata-compile lock [SPEC]``: pin the spec's floating datasets in ``<spec stem>.lock``.

    kfdata-compile lock pipeline.kfdata.yaml        # writes pipeline.kfdata.lock (atomically)
    kfdata-compile lock --upgrade                   # ask every store again: move the pins
    kfdata-compile lock --check --upgrade           # CI: exit 1 and a diff if the data moved
    kfdata-compile lock --endpoint minio=http://127.0.0.1:9000   # reach a store from here
    kfdata-compile lock --partial                   # write the pins that could be made (exit 1)
    kfdata-compile lock --dataset vocab             # lock vocab only, carry the others over

Credentials come from this environment (boto3's chain, git's helpers, ``LAKECTL_*``), never
from the spec. Any failure writes nothing (the old lock file stays as it was), unless
``--partial`` asks for the pins that could be made.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import click

from kfdata_compiler import conventions, infile
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
@click.option("--dataset", "only", multiple=True, metavar="NAME",
              help="Lock only this dataset (repeatable); the others' entries stay as they are.")
@click.option("--partial", is_flag=True,
              help="When some datasets cannot be pinned, write the pins that could be made "
              "(the run still exits 1, reporting the others).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=60.0,
              show_default=True, metavar="SECONDS",
              help="How long a store may take to answer a request (retries stop there too).")
@error_format
@max_input_size_option
def command(spec: Path | None, upgrade: bool, datasets: tuple[str, ...], check: bool,
            endpoints: dict[str, str], only: tuple[str, ...], partial: bool, timeout: float,
            error_format: str, max_input_size: int) -> int:
    """Pin the floating datasets a spec reads (branches, prefixes, URLs) in <spec stem>.lock.

    SPEC defaults to the kfdata.yaml (or the one *.kfdata.yaml) in this directory. Entries
    whose spec fields are unchanged are kept without asking their store; --upgrade asks again.
    """
    if upgrade and datasets:
        raise click.UsageError("--upgrade asks for every dataset; --upgrade-dataset for some")
    session = Session(error_format)  # the product is a file: a json report goes to stdout
    ctx = click.get_current_context()
    return session.run_and_finish(lambda: _lock(spec, check, ctx, session))


def _lock(spec: Path | None, check: bool, ctx: click.Context, session: Session) -> int:
    from kfdata_compiler.lock.update import LockRun, lock_spec

    given = ctx.params
    try:
        path = _spec(spec)
        run = LockRun(path, given["upgrade"], frozenset(given["datasets"]),
                      given["endpoints"], dict(os.environ), given["max_input_size"],
                      given["timeout"], frozenset(given["only"]), given["partial"])
        outcome = lock_spec(run)
    except KfdataError as exc:
        session.add(exc.diagnostics)
        return EXIT_PROBLEMS
    target = outcome.path
    fix = fix_command(path, ctx)
    session.add(outcome.notes)
    # --partial: what could not be pinned, at each dataset (with --check too: a check that
    # could not ask every store has not passed)
    session.add(outcome.problems)
    status = EXIT_PROBLEMS if outcome.problems else EXIT_OK
    if check:
        if not outcome.changed:
            return status
        before = "/dev/null" if outcome.old is None else git_side("a", target)
        session.aside(unified_diff(outcome.old or "", outcome.new, before, git_side("b", target)))
        code, state = ("KF120", "missing") if outcome.old is None else ("KF121", "out of date")
        session.event(Diagnostic(code, f"{target} is {state}", Location(str(target)),
                                 f"run: {fix}", fix=fix), f"{target} is {state}; run {fix}")
        return EXIT_PROBLEMS
    counts = f"{len(outcome.resolved)} resolved, {len(outcome.kept)} kept"
    if outcome.problems:
        counts += f", {len(outcome.unpinned)} not pinned (--partial)"
    if not outcome.changed:  # nothing happened: a line for people, nothing in a report
        session.say(f"up to date: {target} ({counts})")
        return status
    write_atomic(target, outcome.new.encode("utf-8"))
    session.event(Diagnostic("KF122", f"wrote {target} ({counts})", Location(str(target)),
                             severity=Severity.INFO), f"wrote {target} ({counts})")
    return status


# The options a fix command repeats: everything that says what to lock and how to reach it
# (--check is what the fix is not; --error-format is how to report).
_ECHOED = ("upgrade", "datasets", "only", "partial", "endpoints", "timeout", "max_input_size")


def fix_command(path: Path, ctx: click.Context) -> str:
    """The command that writes what ``--check`` found missing: this run's, with every flag the
    user gave it (an ``--endpoint`` the stores need, ``--upgrade``...), shell-quoted.

    >>> fix_command(Path("p.kfdata.yaml"), ctx)   # lock --check --endpoint m=http://h:9 p...
    'kfdata-compile lock p.kfdata.yaml --endpoint m=http://h:9'
    """
    words = ["kfdata-compile", "lock", str(path)]
    for param in ctx.command.params:
        name = param.name
        if name not in _ECHOED or not isinstance(param, click.Option):
            continue
        source = ctx.get_parameter_source(name)
        if source is not click.core.ParameterSource.COMMANDLINE:
            continue
        flag, value = param.opts[0], ctx.params[name]
        if param.is_flag:
            words.append(flag)
        elif name == "endpoints":
            words += [w for store, url in value.items() for w in (flag, f"{store}={url}")]
        elif param.multiple:
            words += [w for item in value for w in (flag, str(item))]
        else:
            text = (infile.format_size(value, flag=True) if name == "max_input_size"
                    else f"{value:g}")
            if name == "timeout" and float(text) != value:
                text = repr(value)  # :g keeps 6 digits: 1234567 would come back as 1.23457e+06
            words += [flag, text]
    return shlex.join(words)

