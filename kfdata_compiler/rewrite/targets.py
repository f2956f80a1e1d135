"""Iterate the plan's bound templates as (owner, template, access) for the passes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kfdata_compiler import argo
from kfdata_compiler.edits import Owner
from kfdata_compiler.resolve import Access, Plan, Target


def by_name(docs: list[Any], indices: set[int]) -> dict[tuple[int, str], argo.Document]:
    """(document, template name) -> template, built once per pass: looking each bound template
    up by scanning the list made a 2,000-template compile quadratic."""
    found: dict[tuple[int, str], argo.Document] = {}
    for index in indices:
        for template in argo.templates(docs[index]):
            found.setdefault((index, str(template.get("name"))), template)
    return found


def bound_templates(docs: list[Any], plan: Plan) -> Iterator[tuple[Owner, argo.Document, Target]]:
    """Each bound template with its journal owner and its target."""
    index = by_name(docs, {target.doc for target in plan.targets})
    for target in plan.targets:
        template = index.get((target.doc, target.template))
        if template is not None:
            yield (target.doc, target.template), template, target


def accesses(docs: list[Any], plan: Plan) -> Iterator[tuple[Owner, argo.Document, Access]]:
    """Each (owner, template, access) of the plan, in plan order."""
    for owner, template, target in bound_templates(docs, plan):
        for access in target.accesses:
            yield owner, template, access
