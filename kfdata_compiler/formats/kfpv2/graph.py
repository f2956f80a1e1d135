"""A KFP v2 pipeline's task graph, for ``explain``: the root DAG down to the leaf tasks.

    root: {dag: {tasks: {prepare: ..., for-loop-2: {componentRef: comp-for-loop-2,
                                                  dependentTasks: [prepare], ...}}}}
    ->  Graph(name="reviews", nodes=(Node("for-loop-2", kind="dag", loop="for each item"),
                                     Node("for-loop-2/train", parent="for-loop-2", ...),
                                     Node("prepare", kind="leaf")),
              edges=(Edge("prepare", "for-loop-2"),))

A node's ``template`` is the task path, the name a bound step has in a plan; its ``when`` is the
task's ``triggerPolicy.condition`` as people read it (:mod:`.conditions`: ``flip-coin.Output ==
'heads'``), ``when_raw`` the CEL as written.
"""

from __future__ import annotations

from typing import Any

from kfdata_compiler.formats.graph import Edge, Graph, Node
from kfdata_compiler.formats.kfpv2 import ir
from kfdata_compiler.formats.kfpv2.conditions import readable
from kfdata_compiler.formats.kfpv2.tasks import view

_KINDS = {"container": "leaf", "dag": "dag"}


def _loop(task: Any) -> str | None:
    if "parameterIterator" in task or "artifactIterator" in task:
        raw = ir.mapping(task, "parameterIterator", "items").get("raw")
        return f"for each of {raw}" if isinstance(raw, str) else "for each item"
    return None


def graph(doc: Any) -> Graph:
    """The tasks of an IR document as explain's graph (see the module's docstring)."""
    nodes: list[Node] = []
    edges: list[Edge] = []
    refs = {ref.path: ref for ref in ir.walk(doc)}
    for ref in refs.values():
        found = view(doc, ref)
        parent = ref.path.rpartition("/")[0] or None
        label = ir.mapping(ref.task, "taskInfo").get("name")
        when = ir.mapping(ref.task, "triggerPolicy").get("condition")
        raw = when if isinstance(when, str) else None
        nodes.append(Node(ref.path, ref.key, ref.path, str(label or ref.key),
                          _KINDS.get(found["kind"], "other"), parent,
                          None if raw is None else readable(refs, ref.path, raw),
                          _loop(ref.task), when_raw=raw))
        depends = ref.task.get("dependentTasks")
        prefix = f"{parent}/" if parent else ""
        for other in depends if isinstance(depends, list) else []:
            edges.append(Edge(f"{prefix}{other}", ref.path))
    name = ir.mapping(doc, "pipelineInfo").get("name")
    return Graph(str(name or "pipeline"), tuple(nodes), tuple(edges))
