"""What ``explain`` knows about a compile, as plain values: every renderer reads these.

    bindings: [{step: "Train model", read: [reviews]}]
    ->  Facts(steps=(BoundStep(template="train-model", label="Train model",
                               selected_by=(Selection(0, "Train model", "KFP component name"),),
                               uses=(DatasetUse("reviews", "read", "artifact", ...),)),), ...)
"""

from __future__ import annotations

from typing import NamedTuple

from kfdata_compiler.formats.graph import Graph
from kfdata_compiler.spec.datum import Datum


class DatasetUse(NamedTuple):
    """One dataset on one step: how it gets there, and what the step's code sees."""

    dataset: str
    mode: str  # read | write
    delivery: str  # artifact | volume | init container | input artifact | workspace
    path: str
    into: str | None  # the input artifact an ``into`` feeds (its name in the pipeline)
    env: tuple[str, ...]
    version: str | None  # None: floating (whatever the URI holds when the step runs)
    store: str | None
    uri: str
    datum: Datum | None = None  # a read's ``datum`` (docs/datums.md), as the spec gives it


class Selection(NamedTuple):
    """Which binding (by index) selected a step, with its pattern and how the pattern matched."""

    binding: int
    pattern: str
    via: str


class BoundStep(NamedTuple):
    """A step that gets data: its template, how people know it, why, and what it gets."""

    doc: int
    template: str
    label: str
    selected_by: tuple[Selection, ...]
    cache_off: bool  # a read of a floating dataset switches the step's KFP cache off
    uses: tuple[DatasetUse, ...]
    per_datum: str | None = None  # the dataset the step runs once per datum of
    # What it runs under, for people (``flip-coin.Output == 'heads'``): one entry per call that
    # is guarded (its own condition and its groups', joined by ``&&``); empty when a call is not.
    runs_if: tuple[str, ...] = ()


class UnboundStep(NamedTuple):
    """A step that runs code and that no binding selects."""

    doc: int
    template: str
    label: str


class Workflow(NamedTuple):
    """One workflow document of the pipeline and its call graph."""

    doc: int
    graph: Graph


class Facts(NamedTuple):
    """Everything ``explain`` shows, for one pipeline and its spec."""

    pipeline: str
    spec: str
    format: str
    workflows: tuple[Workflow, ...]
    steps: tuple[BoundStep, ...]
    unbound: tuple[UnboundStep, ...]
    unused_datasets: tuple[str, ...]
