"""Argo's placement table: where each kind of injection goes. The passes, the conflict checks,
validation and undo all read it; nothing else says where kfdata puts things in an Argo workflow.

    SLOTS["env"]         ->  template.<container|script>.env    (a list of named entries)
    SLOTS["template"]    ->  <spec|spec.workflowSpec>.templates  (kfdata's own templates)
    SLOTS["call_field"]  ->  a DAG task or step itself           (withParam, dependencies, ...)

``MAIN`` and ``SPEC`` are placeholders: the step's own container (``container`` or ``script``)
and the workflow spec (``spec``, or ``spec.workflowSpec`` in a CronWorkflow).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.argo.kfpv1 import KFP_MAX_CACHE_STALENESS
from kfdata_compiler.formats.base import Slot
from kfdata_compiler.plan.paths import EditPath, Group, Named

MAIN = "<main>"
SPEC = "<spec>"
ARGO = "io.argoproj.workflow.v1alpha1."
CORE = "io.k8s.api.core.v1."
TEMPLATE_DEFINITION = ARGO + "Template"
# The strict schema every definition below is in, and the code of its diagnostics.
SCHEMA = "argo-workflows.strict.schema.json"
SCHEMA_CODE = "KF400"

SLOTS: dict[str, Slot] = {
    # On a bound template.
    "input_artifact": Slot("template", ("inputs", "artifacts"), "list", ARGO + "Artifact",
                           restores="replaced"),
    "output_artifact": Slot("template", ("outputs", "artifacts"), "list", ARGO + "Artifact"),
    "input_parameter": Slot("template", ("inputs", "parameters"), "list", ARGO + "Parameter"),
    "volume": Slot("template", ("volumes",), "list", CORE + "Volume"),
    "init_container": Slot("template", ("initContainers",), "list", ARGO + "UserContainer"),
    "env": Slot("template", (MAIN, "env"), "list", CORE + "EnvVar"),
    "volume_mount": Slot("template", (MAIN, "volumeMounts"), "list", CORE + "VolumeMount"),
    "pod_annotation": Slot("template", ("metadata", "annotations"), "map"),
    "cache_switch": Slot("template", ("metadata", "annotations", KFP_MAX_CACHE_STALENESS),
                         "field", restores="value"),
    "memoize": Slot("template", ("memoize",), "field", ARGO + "Memoize", restores="value"),
    "dag_task": Slot("template", ("dag", "tasks"), "list", ARGO + "DAGTask"),
    "steps_group": Slot("template", ("steps",), "groups", ARGO + "WorkflowStep"),
    # On a DAG task or step (``at`` is the call's path in its template).
    "argument_artifact": Slot("call", ("arguments", "artifacts"), "list", ARGO + "Artifact",
                              restores="replaced"),
    "argument_parameter": Slot("call", ("arguments", "parameters"), "list", ARGO + "Parameter"),
    "call_field": Slot("call", (), "map", restores="value"),
    # On the workflow document.
    "template": Slot("workflow", (SPEC, "templates"), "list", TEMPLATE_DEFINITION),
    "workflow_argument_artifact": Slot("workflow", (SPEC, "arguments", "artifacts"), "list",
                                       ARGO + "Artifact", restores="replaced"),
    "artifact_repository": Slot("workflow", (SPEC, argo.ARTIFACT_REPOSITORY_REF), "field",
                                ARGO + "ArtifactRepositoryRef"),
    "workflow_annotation": Slot("workflow", ("metadata", "annotations"), "map"),
}
# The fields of a task or step that a plan may rewire (``call_field`` keys).
CALL_FIELDS = frozenset({"withParam", "dependencies", "depends"})
# What the mappings kfdata creates on the way to a slot are, by their key (for validation).
PARENTS = {
    "inputs": ARGO + "Inputs",
    "outputs": ARGO + "Outputs",
    "metadata": ARGO + "Metadata",
    "arguments": ARGO + "Arguments",
}
# Where an owner keeps its edit journal: a key of its annotations.
JOURNAL_AT: tuple[str, ...] = ("metadata", "annotations")
JOURNAL_KEY = "kfdata.dev/edits"
_ANY = object()  # matches any named entry (a call's name)
_CALLS: tuple[tuple[Any, ...], ...] = (("dag", "tasks", _ANY), ("steps", _ANY))


def slot_path(slot: Slot, node: Any, doc: Any) -> tuple[str, ...]:
    """The concrete path of ``slot`` in ``node`` (a template, or the workflow ``doc``)."""
    out: list[str] = []
    for part in slot.path:
        if part == MAIN:
            out.append(argo.main_container_key(node) or "container")
        elif part == SPEC:
            out.extend(str(p) for p in argo.spec_path(doc))
        else:
            out.append(part)
    return tuple(out)


def _patterns(slot: Slot, root: Any) -> Iterator[tuple[Any, ...]]:
    """Each concrete form ``slot``'s path may take in a journal kept by ``root``."""
    if slot.node == "workflow":
        if argo.is_workflow(root):
            yield slot_path(slot, root, root)
        return
    if argo.is_workflow(root):
        return
    mains = ("container", "script") if MAIN in slot.path else ("",)
    for main in mains:
        path = tuple(main if p == MAIN else p for p in slot.path)
        if slot.node == "template":
            yield path
        else:
            yield from ((*call, *path) for call in _CALLS)


def _fits(pattern: tuple[Any, ...], path: EditPath) -> bool:
    return len(pattern) == len(path) and all(
        isinstance(s, Named) if p is _ANY else s == p for p, s in zip(pattern, path, strict=True))


def find(path: EditPath, root: Any) -> tuple[str, Slot, str] | None:
    """Which slot a journal path of ``root`` is in, and how: ``whole`` (the list, map or field
    itself) or ``entry`` (a named entry, group or key of it). None when it is in none."""
    # The answer depends on the path's shape, not on the names in it: ask the table once per
    # shape (a compile binding 2,000 templates reads ~14,000 journal entries of a dozen shapes).
    shape = tuple(type(s) if isinstance(s, (Named, Group)) else s for s in path)
    key = (argo.is_workflow(root), root.get("kind") == "CronWorkflow", shape)
    if key not in _FOUND:
        _FOUND[key] = _find(path, root)
    return _FOUND[key]


_FOUND: dict[tuple[Any, ...], tuple[str, Slot, str] | None] = {}


def _find(path: EditPath, root: Any) -> tuple[str, Slot, str] | None:
    entries = None
    for name, slot in SLOTS.items():
        for pattern in _patterns(slot, root):
            if _fits(pattern, path):
                return name, slot, "whole"
            if entries is None and _fits(pattern, path[:-1]):
                keyed = isinstance(path[-1], str)
                named = isinstance(path[-1], (Named, Group))
                if keyed == (slot.shape == "map") and (keyed or named):
                    entries = (name, slot, "entry")
    return entries
