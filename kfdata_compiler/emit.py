"""Turn the rewritten documents into the output text (deterministic, via :mod:`yamlio`).

[{"kind": "Workflow", "metadata": {"name": "n"}}]  ->  "kind: Workflow\\nmetadata:\\n  name: 'n'\\n"
"""

from __future__ import annotations

from typing import Any

from kfdata_compiler.yamlio import dump_documents


def emit(docs: list[Any]) -> str:
    """The YAML text of ``docs``: input key order, block style, ``|`` blocks, ``---`` between."""
    return dump_documents(docs)
