"""Paths that stay valid while lists change: list entries are found by name, not index.

A journal path ``("dag", "tasks", Named("train"), "withParam")`` still points at the right task
after kfdata inserts another one before it; ``Group("kfdata-list-x")`` is the parallel group of
a ``steps`` list that holds the step called so::

    walk({"dag": {"tasks": [{"name": "a"}, {"name": "train", "withParam": "x"}]}},
         ("dag", "tasks", Named("train"), "withParam"))   ->  "x"
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Named:
    """The entry called ``name`` in a list of named mappings (in a list of groups: any group's)."""

    name: str


@dataclass(frozen=True)
class Group:
    """The group (a list of parallel steps) that holds the step called ``name``."""

    name: str


Segment = str | int | Named | Group
EditPath = tuple[Segment, ...]


def find_named(items: list[Any], name: str) -> tuple[list[Any], int] | None:
    """The list holding the entry called ``name`` and its index (searching steps groups)."""
    for index, item in enumerate(items):
        if isinstance(item, list):  # a steps group
            found = find_named(item, name)
            if found:
                return found
        elif isinstance(item, dict) and item.get("name") == name:
            return items, index
    return None


def find_group(items: list[Any], name: str) -> int | None:
    """The index of the group that holds the step called ``name``, or None."""
    for index, item in enumerate(items):
        if isinstance(item, list) and find_named(item, name) is not None:
            return index
    return None


def child(node: Any, segment: Segment) -> Any:
    """One step along a path: a key, an index, a named entry or a group (None when absent)."""
    if isinstance(segment, Named):
        found = find_named(node, segment.name) if isinstance(node, list) else None
        return found[0][found[1]] if found else None
    if isinstance(segment, Group):
        index = find_group(node, segment.name) if isinstance(node, list) else None
        return node[index] if index is not None else None
    if isinstance(segment, int):
        return node[segment] if isinstance(node, list) and 0 <= segment < len(node) else None
    return node.get(segment) if isinstance(node, dict) else None


def walk(root: Any, path: EditPath) -> Any:
    """The node at ``path``, or None."""
    node = root
    for segment in path:
        node = child(node, segment)
        if node is None:
            return None
    return node


def encode_segment(segment: Segment) -> Any:
    """A path segment as JSON: ``Named(x)`` is ``{"name": x}``, ``Group(x)`` ``{"group": x}``."""
    if isinstance(segment, Named):
        return {"name": segment.name}
    if isinstance(segment, Group):
        return {"group": segment.name}
    return segment


def decode_path(raw: list[Any]) -> EditPath:
    """A path from its JSON form; ``ValueError`` on anything else."""
    out: list[Segment] = []
    for segment in raw:
        if isinstance(segment, dict) and set(segment) == {"name"}:
            out.append(Named(str(segment["name"])))
        elif isinstance(segment, dict) and set(segment) == {"group"}:
            out.append(Group(str(segment["group"])))
        elif isinstance(segment, (str, int)) and not isinstance(segment, bool):
            out.append(segment)
        else:
            raise ValueError(f"bad path segment {segment!r}"[:200])
    return tuple(out)
