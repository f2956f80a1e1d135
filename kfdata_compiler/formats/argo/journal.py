"""Argo's side of the edit journal: where it lives, and which entries only undo kfdata's work.

Each changed template keeps its journal in its own ``metadata.annotations["kfdata.dev/edits"]``,
the workflow keeps the journal of its document-level changes the same way. A journal entry is
honoured only when the placement table (:mod:`.slots`) says kfdata puts such things there::

    [["add", ["container", "env", {"name": "KFDATA_X_PATH"}]]]   ->  removes the env var
    [["add", ["spec"]]]                                          ->  refused (KF111): not ours
"""

from __future__ import annotations

from typing import Any

from kfdata_compiler.diagnostics import Diagnostic, JsonPath
from kfdata_compiler.errors import LoadError
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.argo import slots
from kfdata_compiler.formats.argo.kfpv1 import KFP_MAX_CACHE_STALENESS
from kfdata_compiler.load import Source
from kfdata_compiler.plan import journal
from kfdata_compiler.plan.paths import EditPath, Group, Named, walk

OURS = ("kfdata-", "KFDATA_", "kfdata.dev/")


def ours(name: Any) -> bool:
    """Whether a name or key is one kfdata-compile adds (``kfdata-*``, ``KFDATA_*``, ...)."""
    return isinstance(name, str) and name.startswith(OURS)


def fed_artifact(value: Any) -> bool:
    """An ``into`` argument: a name, one location and ``archive: {none: {}}``, nothing else."""
    if not isinstance(value, dict) or value.get("archive") != {"none": {}}:
        return False
    rest = set(value) - {"name", "archive"}
    return len(rest) == 1 and rest <= set(argo.ARTIFACT_SOURCES)


def only_ours(node: Any) -> bool:
    """True when a node holds nothing but what kfdata adds (so removing it loses nothing)."""
    if isinstance(node, dict):
        if fed_artifact(node) or ours(node.get("name")):
            return True
        return all(ours(k) or k == KFP_MAX_CACHE_STALENESS or only_ours(v)
                   for k, v in node.items())
    if isinstance(node, list):
        return all(only_ours(item) for item in node)
    return False


def owns(root: Any, kind: str, path: EditPath, old: Any) -> bool:
    """Whether a journal entry of ``root`` only removes or restores what kfdata-compile adds.

    A named entry or key is ours by its name; a replaced entry (``into``) comes back under the
    same name; a field kfdata sets (a KFP cache annotation, a task's ``withParam``) gets its
    old value back; a mapping kfdata created on the way is removed only if nothing else is in it.
    """
    found = slots.find(path, root)
    now = walk(root, path)
    if found is not None:
        name, slot, how = found
        last = path[-1]
        if how == "whole" and slot.shape == "field":
            if kind == "add":
                return True  # set only where there was none: removing it restores that
            annotation = "annotations" in slot.path
            return slot.restores == "value" and (
                not annotation or old is None or isinstance(old, str))
        if how == "entry" and isinstance(last, (Named, Group)):
            if kind == "add":
                return ours(last.name) or (slot.restores == "replaced" and fed_artifact(now))
            return (slot.restores == "replaced" and isinstance(old, dict)
                    and old.get("name") == last.name
                    and (fed_artifact(now) or "archive" in (now or {})))
        if how == "entry" and name == "call_field" and last in slots.CALL_FIELDS:
            return True
        if how == "entry" and slot.shape == "map" and ours(last):
            return kind == "add" or old is None or isinstance(old, str)
    if kind == "add":
        return only_ours(now)
    return kind == "set" and old is None and only_ours(now)


def owners(doc: argo.Document) -> list[tuple[argo.Document, JsonPath]]:
    """Every template of a workflow and the workflow itself, with their JSON paths."""
    found = [
        (t, argo.template_path(doc, i))
        for i, t in enumerate(argo.template_list(doc))
        if isinstance(t, dict)
    ]
    return [*found, (doc, ())]


def undo_one(root: Any) -> bool:
    """Undo the journal kept by one template or workflow; False when it has none.

    Raises ``ValueError`` (or another of ``journal.JOURNAL_ERRORS``) when it cannot be used.
    """
    raw = argo.annotations_of(root).get(slots.JOURNAL_KEY)
    if raw is None:
        return False
    journal.undo(root, raw, lambda kind, path, old: owns(root, kind, path, old))
    # The journal's own entry is in it unless its parent was created, which removes it too.
    argo.annotations_of(root).pop(slots.JOURNAL_KEY, None)
    return True


def undo(source: Source) -> bool:
    """Restore the documents an earlier compile changed; True if any was (KF111 when a journal
    cannot be used)."""
    undone = False
    for index, doc in enumerate(source.docs):
        if not argo.is_workflow(doc):
            continue
        for owner, where in owners(doc):
            try:
                undone |= undo_one(owner)
            except journal.JOURNAL_ERRORS as exc:
                path = (*where, *slots.JOURNAL_AT, slots.JOURNAL_KEY)
                reason = str(exc) if not isinstance(exc, RecursionError) else "nested too deeply"
                raise LoadError([Diagnostic(
                    "KF111", f"the kfdata.dev/edits annotation cannot be used ({reason})",
                    source.positions.locate(path, index),
                    "it was edited by hand: compile the original pipeline instead",
                )]) from None
    return undone
