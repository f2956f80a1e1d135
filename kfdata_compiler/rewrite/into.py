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

from typing import Any

from kfdata_compiler import argo
from kfdata_compiler.edits import Edits
from kfdata_compiler.resolve import Plan
from kfdata_compiler.rewrite.targets import accesses


def feed_inputs(docs: list[Any], plan: Plan, edits: Edits) -> list[Any]:
    """Point every caller's argument for the ``into`` artifact at the dataset."""
    for (doc_index, name), template, access in accesses(docs, plan):
        if access.into is None or access.fragment.location is None:
            continue
        doc = docs[doc_index]
        entry = {"name": access.into, **access.fragment.location}
        callers = list(argo.callers(doc, str(name)))
        for caller, call_path, _call in callers:
            owner = (doc_index, str(caller["name"]))
            edits.replace_named(owner, caller, (*call_path, *argo.argument_artifacts_key()), entry)
        if callers:
            continue
        if argo.workflow_spec(doc).get("entrypoint") == name:
            path = (*argo.spec_path(doc), *argo.argument_artifacts_key())
            edits.replace_named((doc_index, None), doc, path, entry)
            continue
        original = next(a for a in argo.input_artifacts(template) if a.get("name") == access.into)
        kept = {k: v for k, v in original.items()
                if k not in argo.ARTIFACT_SOURCES and k != "archive"}
        edits.replace_named((doc_index, name), template, ("inputs", "artifacts"),
                            {**kept, **access.fragment.location})
    return docs
