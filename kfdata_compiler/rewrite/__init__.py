"""The rewrite passes, in order. Each is a plain function ``(docs, plan, edits) -> docs``.

Passes place what the drivers built (``Access.fragment``) into the bound templates through
:class:`~kfdata_compiler.edits.Edits`, which records every change. ``record_edits`` comes last:
it stores that record in each changed template, so a later compile can undo it.
"""

from __future__ import annotations

from typing import Any, Protocol

from kfdata_compiler.edits import Edits
from kfdata_compiler.resolve import Plan
from kfdata_compiler.rewrite.annotate import annotate_pods
from kfdata_compiler.rewrite.artifacts import add_artifacts
from kfdata_compiler.rewrite.env import add_env
from kfdata_compiler.rewrite.init_containers import add_init_containers
from kfdata_compiler.rewrite.into import feed_inputs
from kfdata_compiler.rewrite.lineage import record_lineage
from kfdata_compiler.rewrite.record import record_edits
from kfdata_compiler.rewrite.repository import set_artifact_repository
from kfdata_compiler.rewrite.volumes import add_volumes

Docs = list[Any]


class Pass(Protocol):
    """A rewrite pass: mutates bound templates through ``edits`` and returns the documents."""

    def __call__(self, docs: Docs, plan: Plan, edits: Edits) -> Docs:
        """Rewrite ``docs`` for ``plan``, recording every change in ``edits``."""


PASSES: tuple[Pass, ...] = (
    add_artifacts,
    feed_inputs,
    add_volumes,
    add_init_containers,
    add_env,
    set_artifact_repository,
    annotate_pods,
    record_lineage,
    record_edits,
)


def run_passes(docs: Docs, plan: Plan) -> Docs:
    """Apply every pass in order (the documents are the compiler's own copy: they are mutated)."""
    edits = Edits()
    for rewrite in PASSES:
        docs = rewrite(docs, plan, edits)
    return docs
