"""record_lineage: the workflow records which data it ran on, and which spec bound it.

    metadata: {name: sentiment}
    ->  metadata: {name: sentiment, annotations: {
            kfdata.dev/bindings: '{"reviews":{"read":["preprocess"],"uri":"s3://...","version":"2024-06-01"}}',
            kfdata.dev/spec-sha256: 3f1c...}}
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from kfdata_compiler.plan import Plan
from kfdata_compiler.plan.actions import Action, Inject

BINDINGS_ANNOTATION = "kfdata.dev/bindings"
SPEC_ANNOTATION = "kfdata.dev/spec-sha256"


def record_lineage(docs: list[Any], plan: Plan) -> Iterator[Action]:
    """The lineage of every document that has a bound step, to slot ``workflow_annotation``."""
    per_doc: dict[int, dict[str, dict[str, Any]]] = {}
    # A set beside the lists: a list's `in` made this quadratic in bound templates.
    listed: set[tuple[int, str, str, str]] = set()
    for target in plan.targets:
        lineage = per_doc.setdefault(target.doc, {})
        for access in target.accesses:
            entry = lineage.setdefault(access.dataset.name, {"uri": access.dataset.uri})
            if access.version is not None:
                entry["version"] = access.version
            if access.dataset.locked:  # the version is kfdata.lock's pin, not the spec's
                entry["locked"] = True
            datum = access.use.datum
            if datum is not None:  # read once per datum (docs/datums.md)
                entry.setdefault("datum", {"glob": datum.glob, "incremental": datum.incremental})
            key = (target.doc, access.dataset.name, access.mode, target.node)
            if key not in listed:
                listed.add(key)
                entry.setdefault(access.mode, []).append(target.node)
    for index, lineage in sorted(per_doc.items()):
        text = json.dumps(lineage, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        yield Inject((index, None), "workflow_annotation", text, key=BINDINGS_ANNOTATION)
        yield Inject((index, None), "workflow_annotation", plan.spec.sha256, key=SPEC_ANNOTATION)
