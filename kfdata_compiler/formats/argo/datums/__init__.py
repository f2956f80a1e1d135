"""Per-datum fan-out and incremental runs on Argo (docs/datums.md).

A read with ``datum: {glob: "/*"}`` runs its step once per datum of the dataset:

- :mod:`.transform`: the glob as the list's expr-lang transformations, each with a Python twin;
- :mod:`.location`, :mod:`.listing`: the dataset's location, the ``data`` template listing it;
- :mod:`.needs`: what the bound step needs instead (its datum comes per item from the caller);
- :mod:`.fanout`: the pass adding the list and rewiring every caller (``withParam``);
- :mod:`.memoize`: the pass making an incremental step skip datums already processed;
- :mod:`.checks` (with :mod:`.calls`, :mod:`.incremental`, :mod:`.limits`, :mod:`.scan`):
  what the workflow must allow, before anything changes;
- :mod:`.names`: the names all of them add.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from kfdata_compiler.diagnostics import Diagnostic
from kfdata_compiler.formats.base import Docs, Format, Pass
from kfdata_compiler.load import Source
from kfdata_compiler.plan import Plan, Target
from kfdata_compiler.plan.actions import Action
from kfdata_compiler.spec import DataBindings

# The modules above load only for a spec that reads per datum: every other compile (the
# pre-commit hook's, on every commit) skips their import cost. These entry points decide.


def in_use(targets: Sequence[Target]) -> bool:
    """Whether any bound step reads per datum (``datum:`` on a read)."""
    return any(a.use.datum is not None for t in targets for a in t.accesses)


def on_datums(rewrite_pass: Pass) -> Pass:
    """``rewrite_pass`` run on the plan's per-datum needs (:func:`.needs.on_datums`)."""

    def run(docs: Docs, plan: Plan) -> Iterator[Action]:
        if not in_use(plan.targets):
            return rewrite_pass(docs, plan)
        from kfdata_compiler.formats.argo.datums import needs

        return needs.on_datums(rewrite_pass)(docs, plan)

    run.__name__ = run.__qualname__ = rewrite_pass.__name__
    run.__doc__ = rewrite_pass.__doc__
    return run


def fan_out(docs: Docs, plan: Plan) -> Iterator[Action]:
    """The list templates and tasks, and every caller rewired (:func:`.fanout.fan_out`)."""
    if not in_use(plan.targets):
        return iter(())
    from kfdata_compiler.formats.argo.datums import fanout

    return fanout.fan_out(docs, plan)


def memoize_incremental(docs: Docs, plan: Plan, earlier: Callable[[], tuple[Action, ...]],
                        fmt: Format) -> Iterator[Action]:
    """``memoize`` on the templates read incrementally (:func:`.memoize.memoize_incremental`)."""
    if not in_use(plan.targets):
        return iter(())
    from kfdata_compiler.formats.argo.datums import memoize

    return memoize.memoize_incremental(docs, plan, earlier, fmt)


def datum_conflicts(source: Source, targets: Sequence[Target],
                    spec: DataBindings) -> list[Diagnostic]:
    """What the workflow must allow for its per-datum reads (:func:`.checks.datum_conflicts`)."""
    if not in_use(targets):
        return []
    from kfdata_compiler.formats.argo.datums import checks

    return checks.datum_conflicts(source, targets, spec)
