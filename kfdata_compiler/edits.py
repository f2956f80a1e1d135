"""The edit journal: every change a pass makes is recorded, so a later compile can undo it.

Each owner (a template, or the workflow document itself) gets an annotation
``kfdata.dev/edits`` listing what was added and what was replaced::

    container: {image: python, env: [{name: A, value: '1'}]}
    -- Edits.append(..., ("container", "env"), {"name": "KFDATA_X_PATH", ...}) -->
    container: {image: python, env: [{name: A, value: '1'}, {name: KFDATA_X_PATH, ...}]}
    metadata: {annotations:
      {kfdata.dev/edits: '[["add",["container","env",{"name":"KFDATA_X_PATH"}]]]'}}

``undo_all`` reads those annotations and restores the document exactly, key order included;
that makes compiling our own output with a changed spec equal to compiling the original.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from kfdata_compiler import argo, kfpv1
from kfdata_compiler.argo import Document, EditPath, Named

EDITS_ANNOTATION = "kfdata.dev/edits"
Owner = tuple[int, str | None]  # (document index, template name or None for the document)
# What reading a journal may raise (json.loads, decode_path, undo); each caller turns it into a
# diagnostic, never a traceback.
JOURNAL_ERRORS = (ValueError, KeyError, IndexError, TypeError, RecursionError)


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


def _child(node: Any, segment: Any) -> Any:
    if isinstance(segment, Named):
        found = find_named(node, segment.name) if isinstance(node, list) else None
        return found[0][found[1]] if found else None
    if isinstance(segment, int):
        return node[segment] if isinstance(node, list) and 0 <= segment < len(node) else None
    return node.get(segment) if isinstance(node, dict) else None


def walk(root: Any, path: EditPath) -> Any:
    """The node at ``path`` (``Named`` segments pick list entries by name), or None."""
    node = root
    for segment in path:
        node = _child(node, segment)
        if node is None:
            return None
    return node


def _expected(path: EditPath, depth: int, make: Callable[[], Any]) -> type:
    if depth == len(path) - 1:
        return type(make())
    return list if isinstance(path[depth + 1], (Named, int)) else dict


class ShapeError(Exception):
    """A node kfdata must add to is not a mapping or list, as Argo has it (the input is invalid)."""

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

    def ensure(self, owner: Owner, root: Document, path: EditPath, make: Callable[[], Any]) -> Any:
        """Return the node at ``path``, creating missing mappings (and ``make()`` last).

        Raises :class:`ShapeError` when a node on the way is not a mapping or list as Argo has it.
        """
        node: Any = root
        for depth, segment in enumerate(path):
            here = path[: depth + 1]
            last = depth == len(path) - 1
            child = _child(node, segment)
            if child is None:
                if not isinstance(segment, str) or not isinstance(node, dict):
                    raise ShapeError(owner, here, node)
                child = make() if last else {}
                if segment in node:  # an explicit null: remember it, so undo restores it
                    self._log(owner, "set", here, None)
                else:
                    self._log(owner, "add", here)
                    self._created.setdefault(owner, []).append(here)
                node[segment] = child
            wanted = _expected(path, depth, make)
            if not isinstance(child, wanted):
                raise ShapeError(owner, here, child, wanted)
            node = child
        return node

    def append(self, owner: Owner, root: Document, path: EditPath, entry: dict[str, Any]) -> None:
        """Append a named ``entry`` to the list at ``path`` (creating the list)."""
        items = self.ensure(owner, root, path, list)
        items.append(entry)
        self._log(owner, "add", (*path, Named(entry["name"])))

    def put(self, owner: Owner, root: Document, path: EditPath, key: str, value: Any) -> None:
        """Set ``key`` of the mapping at ``path``, remembering any value it replaces."""
        mapping = self.ensure(owner, root, path, dict)
        if key in mapping:
            if mapping[key] == value:
                return
            self._log(owner, "set", (*path, key), mapping[key])
        else:
            self._log(owner, "add", (*path, key))
        mapping[key] = value

    def replace_named(
        self, owner: Owner, root: Document, path: EditPath, entry: dict[str, Any]
    ) -> None:
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

    def record(self, owner: Owner, root: Document) -> None:
        """Store this owner's journal in ``root``'s ``metadata.annotations``."""
        self.ensure(owner, root, argo.annotations_path(), dict)
        self._log(owner, "add", (*argo.annotations_path(), EDITS_ANNOTATION))
        ops = self.ops.get(owner, [])
        encoded = json.dumps(ops, separators=(",", ":"), ensure_ascii=False, default=_encode)
        argo.annotations_of(root)[EDITS_ANNOTATION] = encoded


def _encode(value: Any) -> Any:
    if isinstance(value, Named):
        return {"name": value.name}
    raise TypeError(f"cannot journal {type(value).__name__}")


def decode_path(raw: list[Any]) -> EditPath:
    """A journal path from its JSON form (``{"name": x}`` segments are ``Named(x)``)."""
    out: list[Any] = []
    for segment in raw:
        if isinstance(segment, dict):
            out.append(Named(str(segment["name"])))
        elif isinstance(segment, (str, int)):
            out.append(segment)
        else:
            raise ValueError(f"bad path segment {segment!r}")
    return tuple(out)


def _ours(name: Any) -> bool:
    return isinstance(name, str) and name.startswith(("kfdata-", "KFDATA_", "kfdata.dev/"))


def _is_fed_artifact(value: Any) -> bool:
    """An ``into`` argument: a name, one location and ``archive: {none: {}}``, nothing else."""
    if not isinstance(value, dict) or value.get("archive") != {"none": {}}:
        return False
    rest = set(value) - {"name", "archive"}
    return len(rest) == 1 and rest <= set(argo.ARTIFACT_SOURCES)


def _only_ours(node: Any) -> bool:
    """True when a node holds nothing but what kfdata adds (so removing it loses nothing)."""
    if isinstance(node, dict):
        if _is_fed_artifact(node) or _ours(node.get("name")):
            return True
        return all(
            _ours(k) or k == kfpv1.KFP_MAX_CACHE_STALENESS or _only_ours(v) for k, v in node.items()
        )
    if isinstance(node, list):
        return all(_only_ours(item) for item in node)
    return False


def _permitted(kind: str, path: EditPath, root: Document, old: Any) -> bool:
    """Whether a journal entry only removes or restores what kfdata-compile adds.

    The journal is data in a file people edit: a forged entry must not delete or replace user
    content (``[["add", ["spec"]]]`` would drop the whole spec).
    """
    last = path[-1]
    if kind == "add":
        if isinstance(last, Named):
            return _ours(last.name) or _is_fed_artifact(walk(root, path))
        if _ours(last) or last == kfpv1.KFP_MAX_CACHE_STALENESS:
            return True
        if last == argo.ARTIFACT_REPOSITORY_REF:
            return True  # added only when the workflow had none: removing it restores that
        return _only_ours(walk(root, path))
    if kind == "set":
        if last == kfpv1.KFP_MAX_CACHE_STALENESS:
            return old is None or isinstance(old, str)
        if isinstance(last, Named) and path[-2:-1] == ("artifacts",):
            # ``into`` replaced this artifact; the original comes back under the same name.
            return (
                isinstance(old, dict)
                and old.get("name") == last.name
                and (_is_fed_artifact(walk(root, path)) or "archive" in (walk(root, path) or {}))
            )
        return old is None and _only_ours(walk(root, path))
    return False


def undo(root: Document) -> bool:
    """Undo the journal stored in ``root``'s annotations; False when there is none.

    Raises ``ValueError`` when the journal cannot be read or asks for a change kfdata-compile
    never makes.
    """
    raw = argo.annotations_of(root).get(EDITS_ANNOTATION)
    if raw is None:
        return False
    ops = json.loads(raw) if isinstance(raw, str) else None
    if not isinstance(ops, list):
        raise ValueError("the journal is not a JSON list")
    for op in reversed(ops):
        if not isinstance(op, list) or len(op) not in (2, 3) or not isinstance(op[1], list):
            raise ValueError(f"bad journal entry {op!r}"[:200])
        kind, path = op[0], decode_path(op[1])
        old = op[2] if len(op) == 3 else None
        if not path or not _permitted(kind, path, root, old):
            raise ValueError(
                f"the journal asks to {kind} {list(map(str, path))}, which "
                "kfdata-compile never changes"
            )
        parent = walk(root, path[:-1])
        if kind == "add":
            _remove(parent, path[-1])
        else:
            _restore(parent, path[-1], old)
    # The journal's own entry is in it unless its parent was created, which removes it too.
    argo.annotations_of(root).pop(EDITS_ANNOTATION, None)
    return True


def _remove(parent: Any, last: Any) -> None:
    if isinstance(last, Named) and isinstance(parent, list):
        found = find_named(parent, last.name)
        if found:
            del found[0][found[1]]
    elif isinstance(parent, dict):
        parent.pop(last, None)


def _restore(parent: Any, last: Any, old: Any) -> None:
    if isinstance(last, Named) and isinstance(parent, list):
        found = find_named(parent, last.name)
        if found:
            found[0][found[1]] = old
    elif isinstance(parent, dict):
        parent[last] = old
