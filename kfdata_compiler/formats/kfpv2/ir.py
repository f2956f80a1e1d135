"""Navigating KFP v2 IR (a ``PipelineSpec`` and its ``PlatformSpec``) as plain dicts.

A task is found by its *path*: the keys of the DAG tasks from the root down, so the ``train``
task of the ParallelFor ``for-loop-2`` is ``for-loop-2/train``::

    walk(doc)  ->  [TaskRef(path='for-loop-2', at=('root', 'dag', 'tasks', 'for-loop-2'), ...),
                    TaskRef(path='for-loop-2/train',
                            at=('components', 'comp-for-loop-2', 'dag', 'tasks', 'train'), ...)]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from kfdata_compiler import lazy
from kfdata_compiler.plan.journal import ShapeError

Doc = dict[str, Any]
At = tuple[str, ...]  # a JSON path of plain keys
PIPELINE, PLATFORM = 0, 1  # the document indices of an IR file
ROOT_TASKS: At = ("root", "dag", "tasks")
PLATFORM_EXECUTORS: At = ("platforms", "kubernetes", "deploymentSpec", "executors")
_KFP_PIN = lazy.compile(r"'kfp==([0-9]+)\.([0-9]+)(?:\.([0-9]+))?[^']*'")


def by_key(item: tuple[Any, Any]) -> str:
    """Sort (key, value) pairs by key; YAML keys may be numbers, which cannot sort with text."""
    return str(item[0])



def mapping(node: Any, *keys: str) -> dict[str, Any]:
    """The mapping at ``keys`` under ``node``, or ``{}`` when any step is missing or no mapping.

    >>> mapping({"a": {"b": {"c": 1}}}, "a", "b")
    {'c': 1}
    """
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else {}


def components(doc: Any) -> dict[str, Any]:
    """``components`` by name."""
    return mapping(doc, "components")


def executors(doc: Any) -> dict[str, Any]:
    """``deploymentSpec.executors`` by name."""
    return mapping(doc, "deploymentSpec", "executors")


def component_name(task: Any) -> str | None:
    """The component a task runs: ``componentRef.name``."""
    name = mapping(task, "componentRef").get("name")
    return name if isinstance(name, str) else None


def short_name(component: str) -> str:
    """A component's name as its author wrote it: no ``comp-``, no ``-N`` the SDK adds.

    >>> short_name("comp-train-2"), short_name("comp-for-loop-3")
    ('train', 'for-loop')
    """
    return re.sub(r"-[0-9]+$", "", component.removeprefix("comp-"))


def container(executor: Any) -> dict[str, Any]:
    """An executor's ``container`` (``{}`` for an importer or resolver)."""
    return mapping(executor, "container")


def strings(executor: Any, key: str) -> list[str]:
    """The strings of a container's ``command`` or ``args``."""
    found = container(executor).get(key)
    return [s for s in found if isinstance(s, str)] if isinstance(found, list) else []


def function_name(executor: Any) -> str | None:
    """The Python function of a lightweight component (``--function_to_execute f``)."""
    args = strings(executor, "args")
    for flag, value in zip(args, args[1:], strict=False):
        if flag == "--function_to_execute":
            return value
    return None


def is_python(executor: Any) -> bool:
    """Whether kfp's executor runs the step: it raises KeyError on an input artifact that is
    not in the function's signature (``kfp/dsl/executor.py``), so no new input may be added."""
    text = strings(executor, "command") + strings(executor, "args")
    return "--function_to_execute" in text or any("kfp.dsl.executor_main" in s for s in text)


def kfp_version(executor: Any) -> tuple[int, int, int] | None:
    """The kfp a Python component installs at run time (``pip install 'kfp==2.14.6'``), if any.

    >>> kfp_version({"container": {"command": ["sh", "-c", "pip install 'kfp==2.14.6' ..."]}})
    (2, 14, 6)
    """
    for text in strings(executor, "command"):
        found = _KFP_PIN.search(text)
        if found:
            return int(found[1]), int(found[2]), int(found[3] or 0)
    return None


class TaskRef(NamedTuple):
    """One task as reached from the root: its path, where it is, the DAG component holding it
    (None: the root), the root-level task it is under, and the task itself."""

    path: str
    key: str
    at: At
    parent: str | None
    top: str
    task: dict[str, Any]


def dag_of(doc: Any, component: str | None) -> dict[str, Any]:
    """The tasks of the root (``None``) or of a DAG component."""
    holder = mapping(doc, "root") if component is None else components(doc).get(component)
    return mapping(holder, "dag", "tasks")


def tasks_at(component: str | None) -> At:
    """The JSON path of a DAG's tasks."""
    return ROOT_TASKS if component is None else ("components", component, "dag", "tasks")


def walk(doc: Any) -> list[TaskRef]:
    """Every task reachable from the root, depth first in key order (a DAG component that calls
    itself, which KFP refuses, is not entered again)."""
    out: list[TaskRef] = []

    def visit(component: str | None, prefix: str, top: str | None, seen: frozenset[str]) -> None:
        for key, task in sorted(dag_of(doc, component).items(), key=by_key):
            if not isinstance(task, dict):
                continue
            path = f"{prefix}{key}"
            head = top or str(key)
            out.append(TaskRef(path, str(key), (*tasks_at(component), str(key)), component,
                               head, task))
            child = component_name(task)
            if child and child not in seen and "dag" in mapping(components(doc), child):
                visit(child, path + "/", head, seen | {child})

    visit(None, "", None, frozenset())
    return out


def callers(doc: Any, component: str) -> Iterator[tuple[str | None, str]]:
    """(holding DAG, task key) of every task anywhere that runs ``component``."""
    holders: list[str | None] = [None, *components(doc)]
    for holder in holders:
        for key, task in sorted(dag_of(doc, holder).items(), key=by_key):
            if component_name(task) == component:
                yield holder, str(key)


def extended(node: Any, key: str, at: At, doc: int = PIPELINE) -> list[Any]:
    """The list at ``node[key]`` a pass adds to (``dependentTasks``, ``pvcMount``): ``[]`` when
    absent or null; ``ShapeError`` (KF600 at its line) when it is of another type, rather than
    the user's value being replaced.

    >>> extended({"dependentTasks": "prepare"}, "dependentTasks", ("root", "dag", "tasks", "t"))
    ShapeError: root/dag/tasks/t/dependentTasks is a str
    """
    found = node.get(key) if isinstance(node, dict) else None
    if found is None:
        return []
    if not isinstance(found, list):
        raise ShapeError((doc, None), (*at, key), found, list)
    return list(found)


def input_defs(component: Any, kind: str) -> dict[str, Any]:
    """A component's ``inputDefinitions.artifacts`` or ``.parameters``."""
    return mapping(component, "inputDefinitions", kind)


def artifact_type(definition: Any) -> dict[str, Any]:
    """An input's ``artifactType`` (``{schemaTitle, schemaVersion}``)."""
    return mapping(definition, "artifactType")
