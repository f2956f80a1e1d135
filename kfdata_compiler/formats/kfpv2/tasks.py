"""Which tasks a binding's ``step`` selects in KFP v2 IR, indexed once per compile.

The first of these that selects anything: the task path (``for-loop-2/train``); every task
whose key, ``taskInfo.name``, component name (``comp-train-2`` -> ``train``) or Python function
(``--function_to_execute``) is the pattern; the task paths matching it as a glob::

    Tasks(docs).select("train")  ->  [Step(0, 4, {"name": "for-loop-2/train", ...}, "task key")]

A selected task is a *view*: a dict naming the task (``name`` is its path) with what it runs.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from typing import Any

from kfdata_compiler.formats.base import Step
from kfdata_compiler.formats.kfpv2 import ir


def view(doc: Any, ref: ir.TaskRef) -> dict[str, Any]:
    """A task as resolve and the passes see it: its path as ``name``, and what it runs.

    ``kind`` is ``container``, ``importer``, ``dag``, ``resolver`` or ``missing``.
    """
    component = ir.component_name(ref.task)
    body = ir.components(doc).get(component) if component else None
    executor = body.get("executorLabel") if isinstance(body, dict) else None
    spec = ir.executors(doc).get(executor) if isinstance(executor, str) else None
    if not isinstance(body, dict):
        kind = "missing"
    elif "dag" in body:
        kind = "dag"
    elif isinstance(spec, dict):
        kind = next((k for k in ("container", "importer", "resolver") if k in spec), "missing")
    else:
        kind = "missing"
    return {"name": ref.path, "key": ref.key, "at": ref.at, "parent": ref.parent,
            "top": ref.top, "task": ref.task, "component": component, "executor": executor,
            "kind": kind, "body": body if isinstance(body, dict) else {},
            "spec": spec if isinstance(spec, dict) else {}}


def aliases(node: dict[str, Any]) -> dict[str, str]:
    """The names other than its path a task goes by, with how (``Step.via``)."""
    out: dict[str, str] = {}
    display = ir.mapping(node["task"], "taskInfo").get("name")
    function = ir.function_name(node["spec"])
    for name, via in ((node["key"], "task key"), (display, "KFP display name"),
                      (ir.short_name(node["component"] or ""), "KFP component name"),
                      (function, "Python function")):
        if isinstance(name, str) and name:
            out.setdefault(name, via)
    return out


class Tasks:
    """The IR documents' tasks by path and by the names they go by."""

    def __init__(self, docs: list[Any]) -> None:
        doc = docs[ir.PIPELINE] if docs else {}
        self.views = [view(doc, ref) for ref in ir.walk(doc)]
        self.by_path = {v["name"]: (i, v) for i, v in enumerate(self.views)}
        self.by_alias: dict[str, list[tuple[int, dict[str, Any], str]]] = {}
        for index, node in enumerate(self.views):
            for alias, via in aliases(node).items():
                self.by_alias.setdefault(alias, []).append((index, node, via))

    def select(self, pattern: str) -> Iterator[Step]:
        """Tasks for a step pattern: path, else a name, else a glob over paths."""
        if pattern in self.by_path:
            index, node = self.by_path[pattern]
            yield Step(ir.PIPELINE, index, node, "task path")
            return
        found = self.by_alias.get(pattern, [])
        if not found and any(c in pattern for c in "*?["):
            found = [(i, v, "glob") for i, v in enumerate(self.views)
                     if fnmatch.fnmatchcase(v["name"], pattern)]
        for index, node, via in found:
            yield Step(ir.PIPELINE, index, node, via)

    def names(self) -> list[str]:
        """Every path and name of a task that runs code of its own, sorted."""
        leaves = [v for v in self.views if v["kind"] == "container"]
        return sorted({*(v["name"] for v in leaves), *(a for v in leaves for a in aliases(v))})

    def call_names(self) -> list[tuple[str, str]]:
        """None: a task's names are its own."""
        return []
