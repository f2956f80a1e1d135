"""What a plan does to a document, as data: inject into a slot, add a node, rewire a field.

Passes produce actions; :mod:`kfdata_compiler.rewrite` applies them through the journal, so each
is recorded and can be undone. A slot is a name in the format's placement table (``env``,
``input_artifact``, ``dag_task``, ...); the format says where it is::

    Inject((0, "train"), "env", {"name": "KFDATA_X_PATH", "value": "/kfdata/x"})
    ->  container.env of template 'train' gains the entry (Argo: container or script)

    AddNode((0, None), "template", {"name": "kfdata-list-x", "data": {...}})
    Rewire((0, "main"), "call_field", "{{tasks.kfdata-list-t.outputs.result}}",
           key="withParam", at=("dag", "tasks", Named("t")))
"""

from __future__ import annotations

from typing import Any, NamedTuple

from kfdata_compiler.plan.paths import EditPath

Owner = tuple[int, str | None]  # (document index, node name; None for the document itself)


class Inject(NamedTuple):
    """Add ``value`` to a slot: a named entry to a list (an identical one already there is left
    alone), a key to a mapping, or a field that is absent (a field already set is left alone)."""

    owner: Owner
    slot: str
    value: Any
    key: str | None = None
    at: EditPath = ()


class AddNode(NamedTuple):
    """Add a whole node (a template, a DAG task, a steps group) of kfdata's own.

    For a steps group, ``before`` names a step whose group the new one goes in front of; in a
    map slot, ``key`` is the node's name (KFP v2 IR: a task, component or executor by its key).
    """

    owner: Owner
    slot: str
    value: Any
    at: EditPath = ()
    before: str | None = None
    key: str | None = None


class Rewire(NamedTuple):
    """Change a field of an existing node (or replace the named entry of a list), keeping the
    old value in the journal so that undo restores it."""

    owner: Owner
    slot: str
    value: Any
    key: str | None = None
    at: EditPath = ()


Action = Inject | AddNode | Rewire
