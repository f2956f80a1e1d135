"""feed_inputs: a dataset becomes the source of an existing input artifact (``into``).

Argo lets an argument artifact replace the template's input artifact, all but its ``path``,
``mode`` and ``recurseMode`` (``common.ProcessArgs``); so the location (and ``archive``) goes on
every task or step that calls the template, and the step reads the dataset where it always read
that input::

    dag: {tasks: [{name: train, template: train, arguments: {artifacts: [
        {name: tokenize-tokens, from: '{{tasks.tokenize.outputs.artifacts.tokenize-tokens}}'}]}}]}
    ->  dag: {tasks: [{name: train, template: train, arguments: {artifacts: [
        {name: tokenize-tokens, gcs: {bucket: corpora, key: en/}, archive: {none: {}}}]}}]}

A Workflow's template nobody calls is fed through the workflow's arguments when it is the
entrypoint, else through its own input artifact. A (Cluster)WorkflowTemplate's template is
also reached from other resources (:mod:`.refcalls`): a ``templateRef`` caller gets the template
alone, not the resource's ``spec.arguments``; so its own input artifact always carries the
location, and every argument the file's documents pass for it (which would replace it) is
pointed at the dataset too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.argo import refcalls
from kfdata_compiler.plan import Plan
from kfdata_compiler.plan.actions import Action, Rewire


def feed_inputs(docs: list[Any], plan: Plan) -> Iterator[Action]:
    """Point every caller's argument for the ``into`` artifact at the dataset."""
    for target in plan.targets:
        for access in target.accesses:
            if access.into is None or access.need.location is None:
                continue
            yield from _feed(docs, target.doc, target.node, access.into,
                             dict(access.need.location))


def _feed(docs: list[Any], doc_index: int, name: str, into: str,
          location: dict[str, Any]) -> Iterator[Action]:
    doc = docs[doc_index]
    entry = {"name": into, **location}
    callers = list(argo.callers(doc, name))
    for caller, call_path, _call in callers:
        yield Rewire((doc_index, str(caller["name"])), "argument_artifact", entry, at=call_path)
    entrypoint = argo.workflow_spec(doc).get("entrypoint") == name
    if doc.get("kind") in argo.CALLED_KINDS:
        yield _own_input(doc_index, doc, name, into, location)
        yield from _arguments_elsewhere(docs, doc_index, name, entry, entrypoint)
        return
    if callers:
        return
    if entrypoint:
        yield Rewire((doc_index, None), "workflow_argument_artifact", entry)
        return
    yield _own_input(doc_index, doc, name, into, location)


def _own_input(doc_index: int, doc: argo.Document, name: str, into: str,
               location: dict[str, Any]) -> Action:
    """The template's own input artifact: its location is replaced, its other fields (path,
    mode, ...) stay."""
    template = next(t for t in argo.templates(doc) if t.get("name") == name)
    original = next(a for a in argo.input_artifacts(template) if a.get("name") == into)
    kept = {k: v for k, v in original.items()
            if k not in argo.ARTIFACT_SOURCES and k != "archive"}
    return Rewire((doc_index, name), "input_artifact", {**kept, **location})


def _arguments_elsewhere(docs: list[Any], doc_index: int, name: str, entry: dict[str, Any],
                         entrypoint: bool) -> Iterator[Action]:
    """The arguments that would replace a template resource's own input artifact: its own
    ``spec.arguments`` (when the template is its entrypoint), the ``templateRef`` calls of the
    file, and the ``spec.arguments`` of the file's ``workflowTemplateRef`` Workflows that run it.
    Only those that already pass the artifact: one that passes none gets the template's own."""
    into = str(entry["name"])
    if entrypoint and refcalls.passes_artifact(argo.workflow_spec(docs[doc_index]), into):
        yield Rewire((doc_index, None), "workflow_argument_artifact", entry)
    for ref in refcalls.ref_callers(docs, doc_index, name):
        if refcalls.passes_artifact(ref.call, into):
            yield Rewire((ref.doc, ref.template), "argument_artifact", entry, at=ref.path)
    own = argo.workflow_spec(docs[doc_index]).get("entrypoint")
    for index, workflow in refcalls.ref_workflows(docs, doc_index):
        spec = argo.workflow_spec(workflow)
        if spec.get("entrypoint", own) == name and refcalls.passes_artifact(spec, into):
            yield Rewire((index, None), "workflow_argument_artifact", entry)
