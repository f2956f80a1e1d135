"""The KFP v2 passes on the pipeline document: clones, importers, inputs and the cache.

    train reads vocab (not reachable) through the workspace
    ->  AddNode((0, None), "dag_task", {...}, at=("root",), key="kfdata-import-vocab")
        Inject((0, None), "task_input_parameter", {"runtimeValue": {"constant":
               "{{$.workspace_path}}/.artifacts/s3/corp-datasets/vocab/v3"}},
               key="kfdata_vocab_path", at=("root", "dag", "tasks", "train"))
        Rewire((0, None), "caching", False, key="enableCache", at=(..., "train"))

Every pass reads the same :class:`~.layout.Layout`; the platform document's are in
:mod:`.platform`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from kfdata_compiler.formats.kfpv2 import ir
from kfdata_compiler.formats.kfpv2.channels import Owner, Threads, source
from kfdata_compiler.formats.kfpv2.delivery import input_name
from kfdata_compiler.formats.kfpv2.launcher import workspace_parameter
from kfdata_compiler.formats.kfpv2.layout import DATASET_TYPE, Importer, shared
from kfdata_compiler.plan import Plan
from kfdata_compiler.plan.actions import Action, AddNode, Inject, Rewire
from kfdata_compiler.plan.journal import ShapeError

STRING = {"parameterType": "STRING"}


def clone_nodes(docs: list[Any], plan: Plan) -> Iterator[Action]:
    """Shared components and executors cloned for their bound tasks, and the tasks retargeted."""
    found = shared(docs, plan)
    doc = docs[ir.PIPELINE]
    platform = docs[ir.PLATFORM]
    executor_of_component = {found.component_of[v["name"]]: found.executor_of[v["name"]]
                             for v in found.tasks.views if v["name"] in found.component_of}
    for kind, original, clone in found.clones:
        if kind == "component":
            body = copy.deepcopy(ir.components(doc)[original])
            body["executorLabel"] = executor_of_component[clone]
            yield AddNode(Owner, "component", body, key=clone)
            continue
        yield AddNode(Owner, "executor", copy.deepcopy(ir.executors(doc)[original]), key=clone)
        config = ir.mapping(platform, *ir.PLATFORM_EXECUTORS).get(original)
        if isinstance(config, dict):
            yield AddNode((ir.PLATFORM, None), "platform_executor", copy.deepcopy(config),
                          key=clone)
    relabelled: set[str] = set()
    for v in found.tasks.views:
        component = found.component_of.get(v["name"])
        if component is None:
            continue
        if component != v["component"]:
            yield Rewire(Owner, "component_ref", component, key="name", at=v["at"])
        elif found.executor_of[v["name"]] != v["executor"] and component not in relabelled:
            relabelled.add(component)
            yield Rewire(Owner, "component_field", found.executor_of[v["name"]],
                         key="executorLabel", at=("components", component))


def importer_nodes(importer: Importer) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The component, executor and root task of an importer, in the SDK's shape."""
    metadata = {"kfdata.dev/dataset": importer.dataset.name, "kfdata.dev/uri": importer.dataset.uri}
    if importer.version is not None:
        metadata["kfdata.dev/version"] = importer.version
    spec: dict[str, Any] = {"artifactUri": {"constant": importer.uri}, "metadata": metadata,
                            "typeSchema": dict(importer.type)}
    if importer.version is None:  # the artifact id changes only with the URI and the version
        spec["reimport"] = True
    if importer.workspace:
        spec["downloadToWorkspace"] = True
    component = {"executorLabel": f"exec-{importer.name}",
                 "inputDefinitions": {"parameters": {"uri": dict(STRING)}},
                 "outputDefinitions": {"artifacts": {"artifact": {
                     "artifactType": dict(importer.type)}}}}
    task = {"cachingOptions": {"enableCache": True},
            "componentRef": {"name": f"comp-{importer.name}"},
            "inputs": {"parameters": {"uri": {"runtimeValue": {"constant": importer.uri}}}},
            "taskInfo": {"name": importer.name}}
    return component, {"importer": spec}, task


def add_importers(docs: list[Any], plan: Plan) -> Iterator[Action]:
    """One root task per dataset and mode (``kfdata-import-<name>``), with its component."""
    for importer in shared(docs, plan).importers.values():
        component, executor, task = importer_nodes(importer)
        yield AddNode(Owner, "component", component, key=f"comp-{importer.name}")
        yield AddNode(Owner, "executor", executor, key=f"exec-{importer.name}")
        yield AddNode(Owner, "dag_task", task, at=("root",), key=importer.name)


def _parameter(component: str, task: ir.At, name: str, value: str) -> Iterator[Action]:
    # Optional, with the value as its default: the component's interface stays what its
    # author wrote (a pipeline that loads it as a component need not pass it).
    definition = {**STRING, "defaultValue": value, "isOptional": True}
    yield Inject(Owner, "input_parameter_def", definition, key=name, at=("components", component))
    yield Inject(Owner, "task_input_parameter", {"runtimeValue": {"constant": value}}, key=name,
                 at=task)


def _replaceable(doc: Any, task: ir.At, name: str) -> None:
    """The task input ``into`` replaces is a mapping, or absent or null (nothing to keep): any
    other value would be lost to the output and could not be restored by undo (KF600)."""
    found = ir.mapping(doc, *task, "inputs", "artifacts").get(name)
    if found is not None and not isinstance(found, dict):
        raise ShapeError(Owner, (*task, "inputs", "artifacts", name), found, dict)


def feed_tasks(docs: list[Any], plan: Plan) -> Iterator[Action]:
    """Inputs, parameters and dependencies of the bound tasks; the cache where data floats."""
    found = shared(docs, plan)
    threads = Threads(docs[ir.PIPELINE])
    cache_off: list[ir.At] = []
    for use in found.uses:
        node, access, how = use.node, use.access, use.delivery
        task, holder = node["at"], node["parent"]
        component = found.component_of[node["name"]]
        name = access.dataset.name
        importer = found.importers.get((name, how.mode == "workspace"))
        if importer is not None:
            fed = how.into or how.input
            if how.input:
                yield Inject(Owner, "input_artifact_def",
                             {"artifactType": dict(DATASET_TYPE), "isOptional": True},
                             key=how.input, at=("components", component))
                yield Inject(Owner, "task_input_artifact", source(importer, holder), key=fed,
                             at=task)
            elif fed:
                _replaceable(docs[ir.PIPELINE], task, fed)
                yield Rewire(Owner, "task_input_artifact", source(importer, holder), key=fed,
                             at=task)
            if fed:
                yield from threads.feed(importer, holder, task)
            if how.mode == "workspace":
                threads.after(importer, holder, task)
                yield from _parameter(component, task, input_name(name, "_path"),
                                      workspace_parameter(importer.uri))
        if how.mode in ("workspace", "pvc"):
            yield from _parameter(component, task, input_name(name, "_uri"), access.dataset.uri)
            if access.version is not None:
                yield from _parameter(component, task, input_name(name, "_version"),
                                      access.version)
            elif task not in cache_off:  # a floating dataset the cache key cannot see
                cache_off.append(task)
                yield Rewire(Owner, "caching", False, key="enableCache", at=task)
    doc = docs[ir.PIPELINE]
    for at, names in threads.depends.items():
        before = ir.extended(ir.mapping(doc, *at), "dependentTasks", at)
        for index, name in enumerate(before):
            if not isinstance(name, str):  # a task name; never dropped in silence
                raise ShapeError(Owner, (*at, "dependentTasks", index), name, str)
        after = sorted({*before, *names})
        if after != before:
            yield Rewire(Owner, "task_field", after, key="dependentTasks", at=at)
