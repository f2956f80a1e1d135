"""Walking a plan's targets the way every pass does: (journal owner, target, access)."""

from __future__ import annotations

from collections.abc import Iterator

from kfdata_compiler.plan import Access, Plan, Target
from kfdata_compiler.plan.actions import Owner


def targets(plan: Plan) -> Iterator[tuple[Owner, Target]]:
    """Each bound step with its journal owner, in plan order."""
    for target in plan.targets:
        yield (target.doc, target.node), target


def accesses(plan: Plan) -> Iterator[tuple[Owner, Access]]:
    """Each (owner, access) of the plan, in plan order."""
    for owner, target in targets(plan):
        for access in target.accesses:
            yield owner, access
