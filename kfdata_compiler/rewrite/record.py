"""record_edits: store each owner's edit journal in its annotations (always the last pass).

metadata: {annotations: {kfdata.dev/datasets: reviews}}
->  metadata: {annotations: {kfdata.dev/datasets: reviews,
                             kfdata.dev/edits: '[["add",["inputs"]],...]'}}
"""

from __future__ import annotations

from typing import Any

from kfdata_compiler.edits import Edits
from kfdata_compiler.resolve import Plan
from kfdata_compiler.rewrite.targets import by_name


def record_edits(docs: list[Any], plan: Plan, edits: Edits) -> list[Any]:
    """Write the journal of every template or document the earlier passes changed."""
    index = by_name(docs, {doc for doc, _ in edits.ops})
    for doc, name in sorted(edits.ops, key=lambda o: (o[0], o[1] or "")):
        root = docs[doc] if name is None else index.get((doc, name))
        if root is not None:
            edits.record((doc, name), root)
    return docs
