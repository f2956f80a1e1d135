"""A workflow's call graph in format-neutral values: what ``explain`` draws.

A format turns one document into a :class:`Graph` (``Format.graph``); nothing here knows Argo::

    dag: {tasks: [{name: a, template: a}, {name: b, template: b, dependencies: [a]}]}
    ->  Graph(name="wf", nodes=(Node(key="main", kind="dag", ...),
                                Node(key="main/a", parent="main", kind="leaf", ...),
                                Node(key="main/b", parent="main", kind="leaf", ...)),
              edges=(Edge("main/a", "main/b"),))

A group (a DAG or a steps template) is a node whose children name it as ``parent``; an edge may
start or end at a group. ``when`` and ``loop`` are for people: placeholders are shortened.

A call that runs a template of another document of the same file (Argo: a ``templateRef`` to a
WorkflowTemplate the file holds) names it in ``ref``; that template is a root of its own
document's graph, so the two can be joined::

    Node(key="main/render", kind="elsewhere", ref=Ref(doc=0, key="render", via="templateRef"))
"""

from __future__ import annotations

from typing import NamedTuple

# Node kinds: runs code of its own; groups of calls; runs no code of its own (a resource, a
# suspend); runs a template the document does not hold; a call back into a group being drawn.
KINDS = ("leaf", "dag", "steps", "other", "elsewhere", "recursion")
GROUPS = ("dag", "steps")


class Ref(NamedTuple):
    """The root ``key`` of document ``doc``'s graph that a call runs, and how (``via``:
    ``templateRef``, ``workflowTemplateRef``)."""

    doc: int
    key: str
    via: str


class Node(NamedTuple):
    """One call of a template (or a root template), unique by ``key``, the path of calls."""

    key: str
    name: str
    template: str | None
    label: str
    kind: str
    parent: str | None = None
    when: str | None = None
    loop: str | None = None
    ref: Ref | None = None  # the root of another document of the file that this call runs
    note: str | None = None  # what a root is, for people: ``entrypoint`` (of a template resource)
    when_raw: str | None = None  # the condition as the pipeline writes it (``when``: for people)


class Edge(NamedTuple):
    """``source`` runs before ``target``; ``label`` says on what outcome (``Failed``), if any."""

    source: str
    target: str
    label: str = ""


class Graph(NamedTuple):
    """The calls of one workflow document, from its entry point (or its uncalled templates)."""

    name: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


__all__ = ["GROUPS", "KINDS", "Edge", "Graph", "Node", "Ref"]
