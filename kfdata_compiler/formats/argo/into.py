"""feed_inputs: a dataset becomes the source of an existing input artifact (``into``).

Argo lets an argument artifact replace the template's input artifact, all but its ``path``,
``mode`` and ``recurseMode``; so the location (and ``archive``) goes on every task or step that
calls the template, and the step reads the dataset where it always read that input::

    dag: {tasks: [{name: train, template: train, arguments: {artifacts: [
        {name: tokenize-tokens, from: '{{tasks.tokenize.outputs.artifacts.tokenize-tokens}}'}]}}]}
    ->  dag: {tasks: [{name: train, template: train, arguments: {artifacts: [
        {name: tokenize-tokens, gcs: {bucket: corpora, key: en/}, archive: {none: {}}}]}}]}

A template nobody calls directly is fed through the workflow's arguments when it is the
entrypoint, else through its own input artifact.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.plan import Plan
from kfdata_compiler.plan.actions import Action, Rewire


def feed_inputs(docs: list[Any], plan: Plan) -> Iterator[Action]:
    """Point every caller's argument for the ``into`` artifact at the dataset."""
    for target in plan.targets:
        doc_index, name = target.doc, target.node
        doc = docs[doc_index]
        for access in target.accesses:
            if access.into is None or access.need.location is None:
                continue
            entry = {"name": access.into, **access.need.location}
            callers = list(argo.callers(doc, name))
            for caller, call_path, _call in callers:
                yield Rewire((doc_index, str(caller["name"])), "argument_artifact", entry,
                             at=call_path)
            if callers:
                continue
            if argo.workflow_spec(doc).get("entrypoint") == name:
                yield Rewire((doc_index, None), "workflow_argument_artifact", entry)
                continue
            template = next(t for t in argo.templates(doc) if t.get("name") == name)
            original = next(a for a in argo.input_artifacts(template)
                            if a.get("name") == access.into)
            # The template's own input artifact: its location is replaced, its other fields
            # (path, mode, ...) stay.
            kept = {k: v for k, v in original.items()
                    if k not in argo.ARTIFACT_SOURCES and k != "archive"}
            yield Rewire((doc_index, name), "input_artifact", {**kept, **access.need.location})
