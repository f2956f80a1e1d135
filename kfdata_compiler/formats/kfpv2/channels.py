"""An importer's output, threaded down to a task at any depth the way the SDK threads it.

A task of the root DAG reads the importer's output directly and depends on it; a task inside a
loop, condition, exit handler or sub-pipeline reads its DAG's input
``pipelinechannel--kfdata-import-<name>-artifact``, which each caller of that DAG passes on::

    for-loop-2/train reads kfdata-import-reviews
    ->  comp-for-loop-2.inputDefinitions.artifacts.pipelinechannel--kfdata-import-reviews-artifact
        root task for-loop-2: inputs.artifacts.<that> = {taskOutputArtifact: {producerTask:
            kfdata-import-reviews, outputArtifactKey: artifact}}, dependentTasks += importer
        train: {componentInputArtifact: pipelinechannel--kfdata-import-reviews-artifact}

One importer serves the whole run, never one per ParallelFor iteration.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kfdata_compiler.formats.kfpv2 import ir
from kfdata_compiler.formats.kfpv2.layout import Importer
from kfdata_compiler.plan.actions import Action, Inject

Owner = (ir.PIPELINE, None)


def channel(importer: Importer) -> str:
    """The name of the input that carries an importer's output into a DAG."""
    return f"pipelinechannel--{importer.name}-artifact"


def source(importer: Importer, holder: str | None) -> dict[str, Any]:
    """What a task in ``holder`` (None: the root DAG) reads the importer's output from."""
    if holder is None:
        return {"taskOutputArtifact": {"outputArtifactKey": "artifact",
                                       "producerTask": importer.name}}
    return {"componentInputArtifact": channel(importer)}


class Threads:
    """Collects the channel actions and the root-level dependencies of one lowering."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.done: set[tuple[str, str]] = set()
        self.depends: dict[ir.At, set[str]] = {}

    def feed(self, importer: Importer, holder: str | None, task_at: ir.At) -> Iterator[Action]:
        """Make the output readable in ``holder``; a root task at ``task_at`` depends on it."""
        if holder is None:
            self.depends.setdefault(task_at, set()).add(importer.name)
            return
        if (holder, importer.name) in self.done:
            return
        self.done.add((holder, importer.name))
        yield Inject(Owner, "input_artifact_def", {"artifactType": dict(importer.type)},
                     key=channel(importer), at=("components", holder))
        for parent, key in ir.callers(self.doc, holder):
            at = (*ir.tasks_at(parent), key)
            yield Inject(Owner, "task_input_artifact", source(importer, parent),
                         key=channel(importer), at=at)
            yield from self.feed(importer, parent, at)

    def after(self, importer: Importer, holder: str | None, task_at: ir.At) -> None:
        """The root-level tasks above ``task_at`` run after the importer (workspace copies)."""
        if holder is None:
            self.depends.setdefault(task_at, set()).add(importer.name)
            return
        for parent, key in ir.callers(self.doc, holder):
            self.after(importer, parent, (*ir.tasks_at(parent), key))
