"""The plan: which step gets which dataset, what each needs, and the actions that place it.

    bindings: [{step: "Train model", read: [reviews]}]  +  templates: [{name: train-model, ...}]
    ->  Plan(targets=(Target(doc=0, node='train-model', accesses=(Access(reviews, ...),)),),
             actions=(Inject((0, 'train-model'), 'input_artifact', {...}), ...))

:mod:`kfdata_compiler.resolve` builds it (and checks it: a plan never holds a conflict), the
rewrite applies its actions. Everything here is format-neutral.
"""

from __future__ import annotations

from typing import NamedTuple

from kfdata_compiler.drivers.need import Need
from kfdata_compiler.plan.actions import Action
from kfdata_compiler.spec import DataBindings, Dataset, Use


class Access(NamedTuple):
    """One dataset used by one step: where it appears and what the driver says it needs."""

    dataset: Dataset
    mode: str
    path: str
    stem: str
    version: str | None
    into: str | None
    need: Need
    use: Use


class Target(NamedTuple):
    """A bound step (by document index and node name) and its dataset accesses."""

    doc: int
    node: str
    accesses: tuple[Access, ...]

    @property
    def per_datum(self) -> Access | None:
        """The read the step runs once per datum of (docs/datums.md): one whose ``datum`` glob
        fans out (not ``/``) and that no ``into`` feeds; None when the step runs once."""
        return next((a for a in self.accesses if a.mode == "read" and a.use.datum is not None
                     and a.use.datum.fans_out and not a.into), None)


class Plan(NamedTuple):
    """Everything the rewrite needs, checked: the spec, the bound steps and the actions."""

    spec: DataBindings
    targets: tuple[Target, ...]
    actions: tuple[Action, ...] = ()

    @property
    def bound(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Each bound step's node name with the datasets it uses, in order: what it binds.

        >>> plan.bound
        (('preprocess', ('reviews', 'vocab')), ('train-model', ('reviews', 'corpus', 'model')))
        """
        return tuple((t.node, tuple(dict.fromkeys(a.dataset.name for a in t.accesses)))
                     for t in self.targets)


def injected_name(dataset: str) -> str:
    """The name of what a dataset injects (artifact, volume, container): ``kfdata-<name>``."""
    return f"kfdata-{dataset}"


__all__ = ["Access", "Plan", "Target", "injected_name"]
