"""The graph rules of KFP v2 IR, in plain Python (no kfp): what ``kfdata-compile lint`` checks
on an IR file and what every compile checks of its own output (KF620-KF628).

    root.dag.tasks.train: {inputs: {artifacts: {data: {taskOutputArtifact:
        {producerTask: prepare, outputArtifactKey: raw}}}}}      (no dependentTasks)
    ->  [Finding("KF624", "task 'train' reads an output of 'prepare' but does not list it in
                 dependentTasks", ("root", "dag", "tasks", "train", "dependentTasks"))]

References resolve (components, executors, producers, output keys, platform executors), every
``componentInputArtifact``/``componentInputParameter`` is declared by the DAG that holds the
task, every input a task passes is declared by its component, producers are dependencies.

kfp's compiler itself passes two things the rules would otherwise refuse, and the backend runs
them: a resource field or image set from a pipeline channel (``set_cpu_limit(t.output)``)
becomes a task input named after the field, which no component declares, and the channel it
reads is left out of ``dependentTasks`` (``sdk/python/kfp/compiler/pipeline_spec_builder.py``
``_build_task_spec_for_task``, "Inject resource fields into inputs", the fields of
``dsl/structures.py`` ``ResourceSpec``, tags 2.14.0-2.17.0; the backend adds a producer to the
dependencies itself, ``argocompiler/dag.go`` ``addImplicitDependencies``). Exactly those are
accepted::

    sum-numbers: {inputs: {parameters: {cpu_limit: {runtimeValue: {constant:
        "{{$.inputs.parameters['pipelinechannel--cpu-limit-Output']}}"}},
        pipelinechannel--cpu-limit-Output: {taskOutputParameter: {producerTask: cpu-limit, ...}}}}}
    ->  []
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from kfdata_compiler.formats.kfpv2 import ir

# The task inputs kfp's compiler injects for a resource field or an image set from a channel.
SDK_INJECTED = ("cpu_request", "cpu_limit", "memory_request", "memory_limit", "accelerator_type",
                "accelerator_count", "base_image")
_CHANNEL = "{{$.inputs.parameters['pipelinechannel--"

CODES = {
    "KF620": "a task runs a component the pipeline does not define",
    "KF621": "a component names an executor the pipeline does not define",
    "KF622": "a task reads a DAG input its DAG does not declare",
    "KF623": "a task reads an output of a task its DAG does not hold",
    "KF624": "a task reads an output of a task it does not depend on",
    "KF625": "a task passes an input its component does not declare",
    "KF626": "a task reads an output its producer does not declare",
    "KF627": "dependentTasks names a task its DAG does not hold",
    "KF628": "the platform document configures an executor the pipeline does not define",
}


class Finding(NamedTuple):
    """One broken rule: its code, a message, the document and the JSON path there."""

    code: str
    message: str
    doc: int
    path: tuple[str | int, ...]


def _holders(doc: Any) -> Iterator[tuple[str | None, dict[str, Any]]]:
    yield None, ir.mapping(doc, "root")
    for name, component in sorted(ir.components(doc).items(), key=ir.by_key):
        if isinstance(component, dict) and "dag" in component:
            yield name, component


def _outputs(doc: Any, task: Any, kind: str) -> dict[str, Any] | None:
    component = ir.components(doc).get(ir.component_name(task) or "")
    if not isinstance(component, dict):
        return None
    return ir.mapping(component, "outputDefinitions", kind)


def _injected(task: dict[str, Any]) -> dict[str, str]:
    """The SDK-injected inputs of a task (see the module's docstring), by name, with the
    placeholder text that reads their channel."""
    out: dict[str, str] = {}
    for name in SDK_INJECTED:
        value = ir.mapping(task, "inputs", "parameters", name, "runtimeValue").get("constant")
        if isinstance(value, str) and _CHANNEL in value:
            out[name] = value
    return out


def _task(doc: Any, holder: str | None, holder_node: dict[str, Any], key: str,
          task: dict[str, Any]) -> Iterator[Finding]:
    at = (*ir.tasks_at(holder), key)
    tasks = ir.mapping(holder_node, "dag", "tasks")
    component = ir.components(doc).get(ir.component_name(task) or "")
    if not isinstance(component, dict):
        yield Finding("KF620", f"task {key!r} runs component {ir.component_name(task)!r}, which "
                      "is not defined", 0, (*at, "componentRef", "name"))
        component = None
    found = task.get("dependentTasks")
    depends: list[Any] = found if isinstance(found, list) else []
    for other in depends:
        if isinstance(other, str) and other not in tasks:
            yield Finding("KF627", f"task {key!r} depends on {other!r}, which its DAG does not "
                          "hold", 0, (*at, "dependentTasks"))
    injected = _injected(task)
    for kind in ("artifacts", "parameters"):
        declared = ir.input_defs(component, kind) if component is not None else None
        for name, spec in sorted(ir.mapping(task, "inputs", kind).items(), key=ir.by_key):
            where = (*at, "inputs", kind, name)
            # The SDK passes channels a placeholder interpolates without declaring them.
            if declared is not None and name not in declared and not name.startswith(
                    "pipelinechannel--") and not (kind == "parameters" and name in injected):
                yield Finding("KF625", f"task {key!r} passes input {name!r}, which its component "
                              "does not declare", 0, where)
            # A channel only an injected input reads: the SDK lists no dependency for it.
            unlisted = kind == "parameters" and any(
                f"{{{{$.inputs.parameters['{name}']}}}}" in v for v in injected.values())
            yield from _source(doc, holder_node, key, task, kind, spec, where, tasks,
                               [*depends, *_producer(spec)] if unlisted else depends)


def _producer(spec: Any) -> list[str]:
    """The producer task a task-output parameter input names (none for other inputs)."""
    found = ir.mapping(spec, "taskOutputParameter").get("producerTask")
    return [found] if isinstance(found, str) else []


def _source(doc: Any, holder_node: dict[str, Any], key: str, task: dict[str, Any], kind: str,
            spec: Any, where: tuple[str | int, ...], tasks: dict[str, Any],
            depends: list[Any]) -> Iterator[Finding]:
    if not isinstance(spec, dict):
        return
    fed = spec.get(f"componentInput{kind[:-1].capitalize()}")  # a string, in any valid IR
    if isinstance(fed, str) and fed not in ir.input_defs(holder_node, kind):
        loop_item = ir.mapping(task, "parameterIterator").get("itemInput") == fed
        if not loop_item:
            yield Finding("KF622", f"task {key!r} reads DAG input {fed!r}, which its DAG does "
                          "not declare", 0, where)
    output = ir.mapping(spec, f"taskOutput{kind[:-1].capitalize()}")
    producer = output.get("producerTask")
    if not isinstance(producer, str):
        return
    if producer not in tasks:
        yield Finding("KF623", f"task {key!r} reads an output of {producer!r}, which its DAG "
                      "does not hold", 0, where)
        return
    if producer not in depends:
        yield Finding("KF624", f"task {key!r} reads an output of {producer!r} but does not list "
                      "it in dependentTasks", 0, where)
    keys = _outputs(doc, tasks[producer], kind)
    wanted = output.get(f"output{kind[:-1].capitalize()}Key")
    if keys is not None and isinstance(wanted, str) and wanted not in keys:
        yield Finding("KF626", f"task {key!r} reads output {wanted!r} of {producer!r}, which "
                      "its component does not declare", 0, where)


def check(docs: list[Any]) -> list[Finding]:
    """Every broken graph rule of an IR file's documents (see the module's docstring)."""
    doc = docs[0] if docs else {}
    out: list[Finding] = []
    for holder, node in _holders(doc):
        for key, task in sorted(ir.mapping(node, "dag", "tasks").items(), key=ir.by_key):
            if isinstance(task, dict):
                out.extend(_task(doc, holder, node, str(key), task))
    executors = ir.executors(doc)
    for name, component in sorted(ir.components(doc).items(), key=ir.by_key):
        label = component.get("executorLabel") if isinstance(component, dict) else None
        if isinstance(label, str) and label not in executors:
            out.append(Finding("KF621", f"component {name!r} runs executor {label!r}, which is "
                               "not defined", 0, ("components", name, "executorLabel")))
    platform = docs[1] if len(docs) > 1 else None
    for name in sorted(ir.mapping(platform, *ir.PLATFORM_EXECUTORS), key=str):
        if name not in executors:
            out.append(Finding("KF628", f"platform executor {name!r} is not an executor of the "
                               "pipeline", 1, (*ir.PLATFORM_EXECUTORS, name)))
    return out
