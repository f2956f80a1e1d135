"""Iterate the plan's bound templates as (owner, template, access) for the passes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kfdata_compiler import argo
from kfdata_compiler.edits import Owner
from kfdata_compiler.resolve import Access, Plan, Target


def bound_templates(docs: list[Any], plan: Plan) -> Iterator[tuple[Owner, argo.Document, Target]]:
    """Each bound template with its journal owner and its target."""
    for target in plan.targets:
        template = argo.find_template(docs[target.doc], target.template)
        if template is not None:
            yield (target.doc, target.template), template, target


def accesses(docs: list[Any], plan: Plan) -> Iterator[tuple[Owner, argo.Document, Access]]:
    """Each (owner, template, access) of the plan, in plan order."""
    for owner, template, target in bound_templates(docs, plan):
        for access in target.accesses:
            yield owner, template, access
