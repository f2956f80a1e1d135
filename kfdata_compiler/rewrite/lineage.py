"""record_lineage: the workflow records which data it ran on, and which spec bound it.

    metadata: {name: sentiment}
    ->  metadata: {name: sentiment, annotations: {
            kfdata.dev/bindings: '{"reviews":{"read":["preprocess"],"uri":"s3://...","version":"2024-06-01"}}',
            kfdata.dev/spec-sha256: 3f1c...}}
"""

from __future__ import annotations

import json
from typing import Any

from kfdata_compiler import argo
from kfdata_compiler.edits import Edits
from kfdata_compiler.resolve import Plan

BINDINGS_ANNOTATION = "kfdata.dev/bindings"
SPEC_ANNOTATION = "kfdata.dev/spec-sha256"


def record_lineage(docs: list[Any], plan: Plan, edits: Edits) -> list[Any]:
    """Add the lineage annotations to every document that has a bound template."""
    per_doc: dict[int, dict[str, dict[str, Any]]] = {}
    # A set beside the lists: a list's `in` made this quadratic in bound templates.
    listed: set[tuple[int, str, str, str]] = set()
    for target in plan.targets:
        lineage = per_doc.setdefault(target.doc, {})
        for access in target.accesses:
            entry = lineage.setdefault(access.dataset.name, {"uri": access.dataset.uri})
            if access.version is not None:
                entry["version"] = access.version
            key = (target.doc, access.dataset.name, access.mode, target.template)
            if key not in listed:
                listed.add(key)
                entry.setdefault(access.mode, []).append(target.template)
    for index, lineage in sorted(per_doc.items()):
        owner = (index, None)
        text = json.dumps(lineage, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        edits.put(owner, docs[index], argo.annotations_path(), BINDINGS_ANNOTATION, text)
        edits.put(owner, docs[index], argo.annotations_path(), SPEC_ANNOTATION, plan.spec.sha256)
    return docs
