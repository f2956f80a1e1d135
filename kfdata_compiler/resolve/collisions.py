"""Names kfdata adds as whole nodes (``kfdata-*`` templates, tasks, steps) must be free.

    AddNode((0, None), "template", {"name": "kfdata-list-images-766e0153", ...})
    + a template of that name already in the workflow
    ->  KF307 "template name 'kfdata-list-images-766e0153' is already used in the workflow"

Checked on the plan's actions, during resolve, so nothing is changed when one collides. Two
identical additions (one list template shared by two steps) are one node, not a collision.
"""

from __future__ import annotations

from collections.abc import Sequence

from kfdata_compiler.diagnostics import Diagnostic
from kfdata_compiler.formats.base import Format
from kfdata_compiler.load import Source
from kfdata_compiler.plan.actions import Action, AddNode


def _name(action: AddNode) -> str:
    if action.key is not None:
        return action.key
    value = action.value
    entry = value[0] if isinstance(value, list) and value else value
    return str(entry.get("name")) if isinstance(entry, dict) else ""


def node_collisions(source: Source, actions: Sequence[Action], fmt: Format) -> list[Diagnostic]:
    """KF307 for each added node whose name is already taken where it goes."""
    out: list[Diagnostic] = []
    added: dict[tuple[object, ...], object] = {}
    # What is taken where nodes go, asked once per place: many nodes go to one place (a
    # template per bound step, a list task per call in one DAG), and asking per node walked
    # the list each time (issue 19 §5). The documents do not change during resolve.
    taken: dict[tuple[object, ...], set[str]] = {}
    for action in actions:
        if not isinstance(action, AddNode):
            continue
        name = _name(action)
        where = (action.owner, action.slot, action.at)
        doc = source.docs[action.owner[0]]
        previous = added.setdefault((*where, name), action.value)
        if where not in taken:
            taken[where] = fmt.taken(doc, action)
        clash = previous != action.value or name in taken[where]
        if clash:
            name_of_owner = action.owner[1]
            place = ("the workflow" if name_of_owner is None
                     else fmt.label(fmt.nodes(doc).get(name_of_owner) or {"name": name_of_owner}))
            out.append(Diagnostic(
                "KF307", f"{action.slot.replace('_', ' ')} name {name!r} is already used in "
                f"{place}", source.positions.locate(fmt.owner_path(doc, action.owner[1]),
                                                    action.owner[0]),
                "rename it; kfdata-* is ours"))
    return out
