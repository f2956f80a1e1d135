"""Plain-dict navigation of Argo documents: where Argo keeps templates, containers and calls.

The Argo format's modules ask here for "the templates", "the main container", "the callers of a
template"; where kfdata *puts* things is the placement table (:mod:`.slots`). Nothing here
mutates: the rewrite changes documents only through the journal::

    templates(doc)            ->  [{name: main, dag: ...}, {name: train, container: ...}]
    main_container_key(t)     ->  "script"   (for a script template)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kfdata_compiler.diagnostics import JsonPath
from kfdata_compiler.plan.paths import EditPath, Named

Document = dict[str, Any]

WORKFLOW_KINDS = frozenset(
    {"Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow"}
)
# Kinds whose templates run inside another Workflow (templateRef, workflowTemplateRef), with
# that Workflow's volumes.
CALLED_KINDS = frozenset({"WorkflowTemplate", "ClusterWorkflowTemplate"})
LEAF_TYPES = ("container", "script")
TEMPLATE_TYPES = (
    "container",
    "script",
    "dag",
    "steps",
    "resource",
    "suspend",
    "http",
    "containerSet",
    "data",
    "plugin",
)
# Argo's ArtifactLocation kinds (the CRD allows at most one per artifact), in Argo's order.
LOCATION_KINDS = (
    "s3", "git", "http", "artifactory", "hdfs", "raw", "oss", "gcs", "azure", "plugin",
)
# Keys of an artifact that say where its data comes from: a location, or another step's output.
ARTIFACT_SOURCES = (*LOCATION_KINDS, "from", "fromExpression")

ARTIFACT_REPOSITORY_REF = "artifactRepositoryRef"


def is_workflow(doc: Any) -> bool:
    """True for the document kinds kfdata-compile rewrites."""
    return isinstance(doc, dict) and doc.get("kind") in WORKFLOW_KINDS


def spec_path(doc: Document) -> JsonPath:
    """The path of the workflow spec: ``spec``, or ``spec.workflowSpec`` for a CronWorkflow."""
    return ("spec", "workflowSpec") if doc.get("kind") == "CronWorkflow" else ("spec",)


def workflow_spec(doc: Document) -> Document:
    """The workflow spec mapping (empty if missing)."""
    node: Any = doc
    for key in spec_path(doc):
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else {}


def templates(doc: Document) -> list[Document]:
    """The templates of a workflow document, as the list that holds them."""
    found = workflow_spec(doc).get("templates")
    return [t for t in found if isinstance(t, dict)] if isinstance(found, list) else []


def template_path(doc: Document, index: int) -> JsonPath:
    """The JSON path of template ``index``."""
    return (*spec_path(doc), "templates", index)


def template_type(template: Document) -> str | None:
    """Which kind of template this is (``container``, ``dag``, ...), or None."""
    return next((t for t in TEMPLATE_TYPES if template.get(t) is not None), None)


def main_container_key(template: Document) -> str | None:
    """``container`` or ``script``: the key of the step's own container."""
    return next((k for k in LEAF_TYPES if isinstance(template.get(k), dict)), None)


def main_container(template: Document) -> Document:
    """The step's own container (``container`` or ``script``); empty when there is none."""
    key = main_container_key(template)
    return template[key] if key else {}


def annotations_of(node: Document) -> dict[str, Any]:
    """``metadata.annotations`` of a document or template (empty when absent)."""
    meta = node.get("metadata")
    found = meta.get("annotations") if isinstance(meta, dict) else None
    return found if isinstance(found, dict) else {}


def named_list(node: Any, key: str) -> list[Document]:
    """The entries of a list of named mappings (``env``, ``volumes``, ...) under ``node[key]``."""
    found = node.get(key) if isinstance(node, dict) else None
    return [e for e in found if isinstance(e, dict)] if isinstance(found, list) else []


def input_artifacts(template: Document) -> list[Document]:
    """``inputs.artifacts`` of a template."""
    return named_list(template.get("inputs"), "artifacts")


def output_artifacts(template: Document) -> list[Document]:
    """``outputs.artifacts`` of a template."""
    return named_list(template.get("outputs"), "artifacts")


def template_volumes(template: Document) -> list[Document]:
    """``volumes`` declared on a template."""
    return named_list(template, "volumes")


def spec_volume_names(doc: Document) -> set[str]:
    """Names of workflow-level volumes and volume claim templates."""
    spec = workflow_spec(doc)
    names = [v.get("name") for v in named_list(spec, "volumes")]
    for claim in named_list(spec, "volumeClaimTemplates"):
        meta = claim.get("metadata")
        names.append(meta.get("name") if isinstance(meta, dict) else None)
    return {n for n in names if isinstance(n, str)}


def volume_mounts(container: Document) -> list[Document]:
    """``volumeMounts`` of a container."""
    return named_list(container, "volumeMounts")


def env_vars(container: Document) -> list[Document]:
    """``env`` of a container."""
    return named_list(container, "env")


def init_containers(template: Document) -> list[Document]:
    """``initContainers`` of a template."""
    return named_list(template, "initContainers")


def sidecars(template: Document) -> list[Document]:
    """``sidecars`` of a template."""
    return named_list(template, "sidecars")


def annotations_path() -> JsonPath:
    """Where annotations live, relative to a document or a template (pod annotations)."""
    return ("metadata", "annotations")


def calls(template: Document) -> Iterator[tuple[EditPath, Document]]:
    """Each DAG task or step of a template, with its path relative to the template.

    Steps are addressed by name (``{"name": ...}``) so the path stays valid when lists change.
    """
    dag = template.get("dag")
    if isinstance(dag, dict):
        for task in named_list(dag, "tasks"):
            yield ("dag", "tasks", Named(str(task.get("name")))), task
    steps = template.get("steps")
    if isinstance(steps, list):
        for group in steps:
            # A group is a list of parallel steps (hera may also emit a bare step).
            for step in group if isinstance(group, list) else [group]:
                if isinstance(step, dict):
                    yield ("steps", Named(str(step.get("name")))), step


def callers(doc: Document, name: str) -> Iterator[tuple[Document, EditPath, Document]]:
    """Every (template, path of the call, task/step) that calls template ``name`` directly."""
    for template in templates(doc):
        for path, call in calls(template):
            if call.get("template") == name and not call.get("templateRef"):
                yield template, path, call


def argument_artifacts_key() -> JsonPath:
    """Where a task, step or workflow passes artifacts, relative to it."""
    return ("arguments", "artifacts")


# Located accessors: nodes together with their JSON path, for rules that report where.

Located = tuple[JsonPath, Document]
# Where a template declares named parameters and artifacts, relative to the template.
PARAMETER_LISTS: tuple[JsonPath, ...] = (("inputs", "parameters"), ("outputs", "parameters"))
ARTIFACT_LISTS: tuple[JsonPath, ...] = (("inputs", "artifacts"), ("outputs", "artifacts"))
# Where a task, a step or the workflow spec passes arguments, relative to it.
ARGUMENT_LISTS: tuple[JsonPath, ...] = (("arguments", "parameters"), ("arguments", "artifacts"))
# Spec fields that name a template of the workflow.
SPEC_TEMPLATE_FIELDS = ("entrypoint", "onExit")


def located(node: Any, path: JsonPath) -> list[Located]:
    """The mappings in the list at ``path`` under ``node``, each with its path from ``node``."""
    found: Any = node
    for key in path:
        found = found.get(key) if isinstance(found, dict) else None
    if not isinstance(found, list):
        return []
    return [((*path, i), entry) for i, entry in enumerate(found) if isinstance(entry, dict)]


def located_containers(template: Document) -> list[tuple[JsonPath, Document, str]]:
    """Every container of a template with its path and role: main, init, sidecar or set."""
    key = main_container_key(template)
    out: list[tuple[JsonPath, Document, str]] = [((key,), template[key], "main")] if key else []
    for role, path in (("init", ("initContainers",)), ("sidecar", ("sidecars",)),
                       ("set", ("containerSet", "containers"))):
        out.extend((where, container, role) for where, container in located(template, path))
    return out


def located_calls(template: Document) -> list[tuple[JsonPath, Document, int]]:
    """Each DAG task (group 0) or step (its parallel group's index) with its path."""
    out = [(path, task, 0) for path, task in located(template, ("dag", "tasks"))]
    steps = template.get("steps")
    for group, entry in enumerate(steps if isinstance(steps, list) else []):
        if isinstance(entry, dict):  # hera may emit a bare step instead of a one-step group
            out.append((("steps", group), entry, group))
        elif isinstance(entry, list):
            out.extend((("steps", group, i), step, group)
                       for i, step in enumerate(entry) if isinstance(step, dict))
    return out


def dag_dependencies(task: Document) -> tuple[list[tuple[JsonPath, str]], str | None]:
    """A DAG task's ``dependencies`` (each with its path) and its ``depends`` expression."""
    deps = task.get("dependencies")
    listed: list[tuple[JsonPath, str]] = [
        (("dependencies", i), d) for i, d in enumerate(deps if isinstance(deps, list) else [])
        if isinstance(d, str)
    ]
    depends = task.get("depends")
    return listed, depends if isinstance(depends, str) else None


def spec_volumes_path(doc: Document) -> JsonPath:
    """Where the workflow-level volumes live."""
    return (*spec_path(doc), "volumes")


def with_templates(doc: Document, new: list[Document]) -> Document:
    """A copy of ``doc`` whose template list is ``new``; everything else is shared, not copied."""
    out = dict(doc)
    node = out
    for key in map(str, spec_path(doc)):
        child = node.get(key)
        node[key] = dict(child) if isinstance(child, dict) else {}
        node = node[key]
    node["templates"] = new
    return out


def named_templates(node: Document, fields: tuple[str, ...]) -> list[tuple[JsonPath, Any]]:
    """The template names a call (``template``, ``onExit``) or a spec (``entrypoint``, ...) uses.

    Lifecycle hooks count too, unless they use a ``templateRef`` or an inline template.
    """
    out: list[tuple[JsonPath, Any]] = [((f,), node[f]) for f in fields if f in node]
    hooks = node.get("hooks")
    for key, hook in (hooks.items() if isinstance(hooks, dict) else ()):
        if isinstance(hook, dict) and "template" in hook:
            out.append((("hooks", key, "template"), hook["template"]))
    return out


def calls_elsewhere(call: Document) -> bool:
    """True when a task or step runs a template of another resource or an inline one."""
    return call.get("templateRef") is not None or call.get("inline") is not None


def artifact_repository_ref(doc: Document) -> tuple[JsonPath, Any]:
    """Where the workflow's ``artifactRepositoryRef`` is, and its value (None: the default one)."""
    key = ARTIFACT_REPOSITORY_REF
    return (*spec_path(doc), key), workflow_spec(doc).get(key)


def template_list(doc: Document) -> list[Any]:
    """The spec's template list as written, non-mappings included (so indices are true)."""
    found = workflow_spec(doc).get("templates")
    return found if isinstance(found, list) else []


def located_templates(doc: Document) -> list[Located]:
    """Each template with its JSON path; unlike ``templates()``, indices count every entry."""
    return located(doc, (*spec_path(doc), "templates"))
