"""The rewrite: passes lower the plan to actions, and :func:`rewrite` applies them.

Each pass is a plain function ``(docs, plan) -> actions`` that decides *which slot* each part of
a dataset's need goes to; the format's placement table says where the slot is, and
:mod:`.apply` carries the actions out through the journal::

    add_env(docs, plan)  ->  [Inject((0, "train"), "env", {"name": "KFDATA_X_PATH", ...}), ...]

The passes shared by every format are here; a format lists them (and its own) in its
``passes`` tuple, in order.
"""

from __future__ import annotations

from typing import Any

from kfdata_compiler.formats.base import Format
from kfdata_compiler.plan import Plan
from kfdata_compiler.plan.actions import Action
from kfdata_compiler.rewrite.apply import apply

Docs = list[Any]


def lower(docs: Docs, plan: Plan, fmt: Format) -> tuple[Action, ...]:
    """Every action of the format's passes, in pass order (``docs`` are only read)."""
    return tuple(action for rewrite_pass in fmt.passes for action in rewrite_pass(docs, plan))


def rewrite(docs: Docs, plan: Plan, fmt: Format) -> Docs:
    """Apply the plan's actions to ``docs`` (the compiler's own copy: they are mutated) and
    record each owner's journal."""
    return apply(docs, plan.actions, fmt)


__all__ = ["lower", "rewrite"]
