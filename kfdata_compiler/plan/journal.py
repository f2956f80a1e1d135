"""The edit journal: every change a compile makes is recorded, so a later compile can undo it.

Each owner (a node such as an Argo template, or the document itself) keeps the list of what was
added and what was replaced; the format decides where that list is stored::

    container: {image: python, env: [{name: A, value: '1'}]}
    -- Edits.append(owner, template, ("container", "env"), {"name": "KFDATA_X_PATH", ...}) -->
    container: {image: python, env: [{name: A, value: '1'}, {name: KFDATA_X_PATH, ...}]}
    journal: [["add", ["container", "env", {"name": "KFDATA_X_PATH"}]]]

:func:`undo` replays a journal backwards and restores the node exactly, key order included;
that makes compiling our own output with a changed spec equal to compiling the original.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from kfdata_compiler.plan.actions import Owner
from kfdata_compiler.plan.paths import (
    EditPath,
    Group,
    Named,
    child,
    decode_path,
    encode_segment,
    find_group,
    find_named,
    walk,
)

# What reading a journal may raise (json.loads, decode_path, undo); each caller turns it into a
# diagnostic, never a traceback.
JOURNAL_ERRORS = (ValueError, KeyError, IndexError, TypeError, RecursionError)
# Whether a journal entry (kind, path, old value) only undoes what kfdata-compile does: the
# format's answer, from its placement table.
Owns = Callable[[str, EditPath, Any], bool]


def _expected(path: EditPath, depth: int, make: Callable[[], Any]) -> type:
    if depth == len(path) - 1:
        return type(make())
    return list if isinstance(path[depth + 1], (Named, Group, int)) else dict


class ShapeError(Exception):
    """A node kfdata must add to is not a mapping or list as the format has it (bad input)."""

    def __init__(self, owner: Owner, path: EditPath, found: Any, expected: type = dict) -> None:
        self.owner, self.path, self.found, self.expected = owner, path, found, expected
        super().__init__(f"{'/'.join(map(str, path))} is a {type(found).__name__}")


class Edits:
    """Collects the changes of one compile, per owner, and applies them to plain dicts."""

    def __init__(self) -> None:
        self.ops: dict[Owner, list[list[Any]]] = {}
        self._created: dict[Owner, list[EditPath]] = {}

    def _covered(self, owner: Owner, path: EditPath) -> bool:
        return any(path[: len(p)] == p for p in self._created.get(owner, ()))

    def _log(self, owner: Owner, op: str, path: EditPath, *old: Any) -> None:
        if op == "add" and self._covered(owner, path):
            return  # removing the created parent removes this too
        self.ops.setdefault(owner, []).append([op, list(path), *old])

    def ensure(self, owner: Owner, root: Any, path: EditPath, make: Callable[[], Any]) -> Any:
        """Return the node at ``path``, creating missing mappings (and ``make()`` last).

        Raises :class:`ShapeError` when a node on the way is not a mapping or list.
        """
        node: Any = root
        for depth, segment in enumerate(path):
            here = path[: depth + 1]
            last = depth == len(path) - 1
            found = child(node, segment)
            if found is None:
                if not isinstance(segment, str) or not isinstance(node, dict):
                    raise ShapeError(owner, here, node)
                found = make() if last else {}
                if segment in node:  # an explicit null: remember it, so undo restores it
                    self._log(owner, "set", here, None)
                else:
                    self._log(owner, "add", here)
                    self._created.setdefault(owner, []).append(here)
                node[segment] = found
            wanted = _expected(path, depth, make)
            if not isinstance(found, wanted):
                raise ShapeError(owner, here, found, wanted)
            node = found
        return node

    def append(self, owner: Owner, root: Any, path: EditPath, entry: dict[str, Any]) -> None:
        """Append a named ``entry`` to the list at ``path`` (creating the list)."""
        items = self.ensure(owner, root, path, list)
        items.append(entry)
        self._log(owner, "add", (*path, Named(entry["name"])))

    def insert_group(self, owner: Owner, root: Any, path: EditPath, group: list[dict[str, Any]],
                     before: str) -> None:
        """Insert a group of parallel steps just before the group holding step ``before``."""
        items = self.ensure(owner, root, path, list)
        index = find_group(items, before)
        items.insert(len(items) if index is None else index, group)
        self._log(owner, "add", (*path, Group(group[0]["name"])))

    def put(self, owner: Owner, root: Any, path: EditPath, key: str, value: Any) -> None:
        """Set ``key`` of the mapping at ``path``, remembering any value it replaces."""
        mapping = self.ensure(owner, root, path, dict)
        if key in mapping:
            if mapping[key] == value:
                return
            self._log(owner, "set", (*path, key), mapping[key])
        else:
            self._log(owner, "add", (*path, key))
        mapping[key] = value

    def replace_named(self, owner: Owner, root: Any, path: EditPath,
                      entry: dict[str, Any]) -> None:
        """Replace the list entry named like ``entry`` at ``path`` (append it when absent)."""
        items = self.ensure(owner, root, path, list)
        found = find_named(items, entry["name"])
        if found is None:
            self.append(owner, root, path, entry)
            return
        holder, index = found
        if holder[index] != entry:
            self._log(owner, "set", (*path, Named(entry["name"])), holder[index])
            holder[index] = entry

    def record(self, owner: Owner, root: Any, path: EditPath, key: str) -> None:
        """Store this owner's journal as the string ``root[path][key]`` (the format's choice)."""
        mapping = self.ensure(owner, root, path, dict)
        self._log(owner, "add", (*path, key))
        mapping[key] = encode(self.ops.get(owner, []))


def encode(ops: list[list[Any]]) -> str:
    """A journal as compact JSON (non-ASCII kept as it is)."""
    return json.dumps(ops, separators=(",", ":"), ensure_ascii=False, default=encode_segment)


def read(raw: Any) -> list[tuple[str, EditPath, Any]]:
    """The entries of a stored journal as (kind, path, old value); ``ValueError`` when it is not
    one this module wrote."""
    ops = json.loads(raw) if isinstance(raw, str) else None
    if not isinstance(ops, list):
        raise ValueError("the journal is not a JSON list")
    out = []
    for op in ops:
        if not isinstance(op, list) or len(op) not in (2, 3) or not isinstance(op[1], list):
            raise ValueError(f"bad journal entry {op!r}"[:200])
        out.append((op[0], decode_path(op[1]), op[2] if len(op) == 3 else None))
    return out


def undo(root: Any, raw: Any, owns: Owns) -> None:
    """Undo the stored journal ``raw`` on ``root``, newest change first.

    Raises ``ValueError`` when the journal cannot be read or asks for a change that ``owns``
    says kfdata-compile never makes (a journal is data in a file people edit: a forged entry
    must not delete or replace their content).
    """
    for kind, path, old in reversed(read(raw)):
        if not path or not owns(kind, path, old):
            raise ValueError(
                f"the journal asks to {kind} {list(map(str, path))}, which "
                "kfdata-compile never changes"
            )
        parent = walk(root, path[:-1])
        if kind == "add":
            _remove(parent, path[-1])
        else:
            _restore(parent, path[-1], old)


def _remove(parent: Any, last: Any) -> None:
    if isinstance(last, Named) and isinstance(parent, list):
        found = find_named(parent, last.name)
        if found:
            del found[0][found[1]]
    elif isinstance(last, Group) and isinstance(parent, list):
        index = find_group(parent, last.name)
        if index is not None:
            del parent[index]
    elif isinstance(parent, dict):
        parent.pop(last, None)


def _restore(parent: Any, last: Any, old: Any) -> None:
    if isinstance(last, Named) and isinstance(parent, list):
        found = find_named(parent, last.name)
        if found:
            found[0][found[1]] = old
    elif isinstance(parent, dict):
        parent[last] = old
