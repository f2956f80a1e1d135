"""Who reaches a WorkflowTemplate's template from another resource, among the file's documents.

A (Cluster)WorkflowTemplate's template is reached three ways, and each passes it different
arguments (Argo v3.5.14, v3.7.18, v4.0.10):

- a ``templateRef`` task or step: ``templateresolution.Context.GetTemplateFromRef`` returns the
  template alone (with the resource's ``podMetadata``), never the resource's
  ``spec.arguments``; the call's own ``arguments`` are all the template gets;
- a Workflow with ``workflowTemplateRef`` (what ``argo submit --from workflowtemplate/X``
  creates: ``common.NewWorkflowFromWorkflowTemplate``): the controller joins the Workflow's spec
  over the template resource's (``util.JoinWorkflowSpec``, a strategic merge by ``name``) and runs
  the entrypoint with the joined ``spec.arguments`` (``operator.go``, ``executeTemplate``);
- a plain ``template:`` call inside the resource itself (:func:`.paths.callers`).

Only the callers the compile can see are found here: the documents of the same file::

    ref_callers(docs, 0, "train")  ->  [RefCall(doc=1, template="main",
                                                 path=("dag", "tasks", Named("fit")), ...)]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from kfdata_compiler.diagnostics import JsonPath
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.plan.paths import EditPath, Named


class RefCall(NamedTuple):
    """A task or step of any document of the file that calls a template through templateRef."""

    doc: int
    template: str  # the name of the template that holds the call
    path: EditPath  # the call, relative to that template (named, for the rewrite)
    where: JsonPath  # the call, from the document's root (for diagnostics)
    call: argo.Document


def reference(doc: Any) -> tuple[str, bool] | None:
    """How a templateRef names ``doc``: (its name, clusterScope); None for other kinds."""
    if not isinstance(doc, dict) or doc.get("kind") not in argo.CALLED_KINDS:
        return None
    meta = doc.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    if not isinstance(name, str):
        return None
    return name, doc.get("kind") == "ClusterWorkflowTemplate"


def ref_callers(docs: list[Any], doc_index: int, name: str) -> Iterator[RefCall]:
    """Every task or step in the file whose ``templateRef`` names template ``name`` of the
    template resource ``docs[doc_index]`` (none when that is not a template resource)."""
    yield from RefIndex(docs).callers(doc_index, name)


def ref_workflows(docs: list[Any], doc_index: int) -> Iterator[tuple[int, argo.Document]]:
    """Each document of the file whose ``workflowTemplateRef`` names ``docs[doc_index]``."""
    yield from RefIndex(docs).workflows(doc_index)


class RefIndex:
    """The file's ``templateRef`` calls and ``workflowTemplateRef`` Workflows, found in one walk
    of its documents and indexed by what they name: asking for each bound template of a
    template resource walks the file once, not once per template (issue 19 §5)."""

    def __init__(self, docs: list[Any]) -> None:
        self._docs = docs
        self._calls: dict[tuple[str, bool, str], list[RefCall]] = {}
        self._workflows: dict[tuple[str, bool], list[tuple[int, argo.Document]]] = {}
        for index, doc in enumerate(docs):
            if not argo.is_workflow(doc):
                continue
            named = _target(argo.workflow_spec(doc).get("workflowTemplateRef"))
            if named is not None:
                self._workflows.setdefault(named, []).append((index, doc))
            for base, template in argo.located_templates(doc):
                for path, call, _group in argo.located_calls(template):
                    ref = call.get("templateRef")
                    found = _target(ref)
                    if found is None or not isinstance(ref, dict):
                        continue
                    called = ref.get("template")
                    if not isinstance(called, str):
                        continue
                    where: EditPath = ((*path[:2], Named(str(call.get("name"))))
                                       if path[0] == "dag"
                                       else ("steps", Named(str(call.get("name")))))
                    self._calls.setdefault((*found, called), []).append(
                        RefCall(index, str(template.get("name")), where, (*base, *path), call))

    def callers(self, doc_index: int, name: str) -> list[RefCall]:
        """What :func:`ref_callers` yields, in document order."""
        target = reference(self._docs[doc_index])
        return [] if target is None else list(self._calls.get((*target, name), ()))

    def workflows(self, doc_index: int) -> list[tuple[int, argo.Document]]:
        """What :func:`ref_workflows` yields, in document order."""
        target = reference(self._docs[doc_index])
        return [] if target is None else list(self._workflows.get(target, ()))


def _target(ref: Any) -> tuple[str, bool] | None:
    """The (name, clusterScope) a ``templateRef`` or ``workflowTemplateRef`` names, as
    :func:`reference` gives a resource's; None when it cannot name one."""
    if not isinstance(ref, dict) or not isinstance(ref.get("name"), str):
        return None
    return ref["name"], bool(ref.get("clusterScope"))


def passes_artifact(node: argo.Document, name: str) -> bool:
    """Whether a call (or a workflow spec) passes an argument artifact called ``name``."""
    arguments = node.get("arguments")
    return any(a.get("name") == name for a in argo.named_list(arguments, "artifacts"))
