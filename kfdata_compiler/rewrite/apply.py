"""Carry out a plan's actions on the documents, each through the journal.

    Inject((0, "train"), "env", {"name": "KFDATA_X_PATH", "value": "/kfdata/x"})
    ->  edits.append((0, "train"), <template train>, ("container", "env"), {...})

Slots are resolved by the format (its placement table); every owner that changed gets its
journal last, where the format keeps it.
"""

from __future__ import annotations

from typing import Any

from kfdata_compiler.formats.base import Format
from kfdata_compiler.plan.actions import Action, Inject, Owner, Rewire
from kfdata_compiler.plan.journal import Edits
from kfdata_compiler.plan.paths import walk

Docs = list[Any]


class _Named:
    """The entries of each list slot by name, so that "an identical entry is already there" is
    a lookup, not a scan (one step reading 3,200 datasets gets 12,800 env vars: the scan made
    the rewrite quadratic). Lists only grow here; a rewired list is forgotten and re-read."""

    def __init__(self) -> None:
        self._lists: dict[int, tuple[list[Any], int, dict[Any, list[Any]]]] = {}

    def holds(self, entries: list[Any], value: Any) -> bool:
        name = value.get("name") if isinstance(value, dict) else None
        if not isinstance(name, str):
            return value in entries  # an unnamed entry: compared with each, as before
        kept = self._lists.get(id(entries))
        if kept is None or kept[0] is not entries or kept[1] > len(entries):
            kept = (entries, 0, {})
        _, seen, index = kept
        for entry in entries[seen:]:  # what was appended since the last look
            key = entry.get("name") if isinstance(entry, dict) else None
            index.setdefault(key if isinstance(key, str) else None, []).append(entry)
        self._lists[id(entries)] = (entries, len(entries), index)
        return value in index.get(name, ())

    def forget(self, entries: Any) -> None:
        self._lists.pop(id(entries), None)


def _inject(edits: Edits, action: Inject, root: Any, path: tuple[Any, ...], shape: str,
            named: _Named) -> None:
    if shape == "list":
        present = walk(root, path)
        if isinstance(present, list) and named.holds(present, action.value):
            return  # an identical entry is already there (resolve reported any that differ)
        edits.append(action.owner, root, path, dict(action.value))
    elif shape == "map":
        edits.put(action.owner, root, path, str(action.key), action.value)
    elif walk(root, path) is None:  # a field: set it only where there is none
        edits.put(action.owner, root, path[:-1], str(path[-1]), action.value)


def _rewire(edits: Edits, action: Rewire, root: Any, path: tuple[Any, ...], shape: str,
            named: _Named) -> None:
    if shape == "list":
        named.forget(walk(root, path))  # an entry is replaced: the index would hold the old one
        edits.replace_named(action.owner, root, path, dict(action.value))
    elif shape == "map":
        edits.put(action.owner, root, path, str(action.key), action.value)
    else:
        edits.put(action.owner, root, path[:-1], str(path[-1]), action.value)


def apply(docs: Docs, actions: tuple[Action, ...], fmt: Format) -> Docs:
    """Apply ``actions`` in order and store each changed owner's journal where the format keeps
    it; raises ``journal.ShapeError`` on a node of the wrong type."""
    edits, roots = place(docs, actions, fmt)
    if fmt.keep_journals(docs, edits.ops):
        return docs  # kept in one place of the format's own (KFP v2 IR: the platform document)
    where, key = fmt.journal_key()
    for owner in sorted(edits.ops, key=lambda o: (o[0], o[1] or "")):
        root = roots.get(owner)
        if root is not None:
            edits.record(owner, root, where, key)
    return docs


def place(docs: Docs, actions: tuple[Action, ...],
          fmt: Format) -> tuple[Edits, dict[Owner, Any]]:
    """Apply ``actions`` in order (no journal stored yet): the edits made, and each owner's node."""
    edits = Edits()
    roots: dict[Owner, Any] = {}
    nodes: dict[int, dict[str, Any]] = {}  # an index per document: lookups stay linear
    named = _Named()
    for action in actions:
        doc, name = action.owner
        if action.owner not in roots:
            if name is None:
                roots[action.owner] = docs[doc]
            else:
                if doc not in nodes:
                    nodes[doc] = fmt.nodes(docs[doc])
                roots[action.owner] = nodes[doc].get(name)
        root = roots[action.owner]
        if root is None:
            continue
        slot = fmt.slots[action.slot]
        path = (*action.at, *fmt.slot_path(action.slot, root, docs[action.owner[0]]))
        if isinstance(action, Inject):
            _inject(edits, action, root, path, slot.shape, named)
        elif isinstance(action, Rewire):
            _rewire(edits, action, root, path, slot.shape, named)
        elif slot.shape == "groups":
            edits.insert_group(action.owner, root, path, list(action.value), str(action.before))
        elif slot.shape == "map":  # a node keyed by its name (KFP v2 IR)
            edits.put(action.owner, root, path, str(action.key), action.value)
        else:
            edits.append(action.owner, root, path, dict(action.value))
    return edits, roots
