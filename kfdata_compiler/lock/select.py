"""Which datasets a spec locks, and the digest that tells when an entry went stale.

A dataset is locked when a binding reads it, none writes it, and it has no version of its own
(declared, or implied by a commit in its URI or revision)::

    reviews: {uri: s3://d/reviews, store: minio, version: "2024-06"}   read   ->  not locked
    vocab:   {uri: https://example.org/vocab.txt}                      read   ->  locked
    model:   {uri: s3://models/m, store: minio}                 read, written ->  not locked
"""

from __future__ import annotations

import hashlib
import json
from typing import NamedTuple

from kfdata_compiler.drivers import registry
from kfdata_compiler.lock.model import KINDS
from kfdata_compiler.spec import DataBindings, Dataset, Store


class Floating(NamedTuple):
    """A read-only dataset without a version: ``why_not`` says why it cannot be locked."""

    name: str
    dataset: Dataset
    kind: str | None  # the dataset's kind (drivers.MODULES, or a type's name); None: unknown
    store: Store | None
    why_not: str | None = None

    @property
    def lockable(self) -> bool:
        """Whether ``kfdata-compile lock`` can resolve it."""
        return self.why_not is None


def read_only(spec: DataBindings) -> list[str]:
    """The datasets some binding reads (``read``, ``into``) and none writes, in spec order.

    >>> read_only(spec)        # bindings: [{step: a, read: [r, m]}, {step: b, write: [m]}]
    ['r']
    """
    read: set[str] = set()
    written: set[str] = set()
    for binding in spec.bindings:
        for use in binding.uses:
            (written if use.mode == "write" else read).add(use.dataset)
    return [name for name in spec.datasets if name in read and name not in written]


def floating(spec: DataBindings) -> list[Floating]:
    """The read-only datasets that no version pins, lockable or not, in spec order."""
    drivers = registry(spec.types)
    out = []
    for name in read_only(spec):
        dataset = spec.datasets[name]
        driver = drivers.driver_for(dataset)
        if driver is not None and driver.version(dataset) is not None:
            continue
        kind = drivers.kind_of(dataset)
        store = spec.stores.get(dataset.store) if dataset.store else None
        out.append(Floating(name, dataset, kind, store, _why_not(dataset, kind, driver is None)))
    return out


def _why_not(dataset: Dataset, kind: str | None, unknown: bool) -> str | None:
    if unknown or kind is None:
        return f"its URI scheme {dataset.scheme or dataset.uri!r} is not supported"
    if kind not in KINDS:
        return f"{kind} datasets cannot be locked: only {', '.join(sorted(KINDS))} can"
    if "{{" in dataset.uri or "{{" in (dataset.revision or ""):
        # An Argo tag is filled in when the workflow runs: there is nothing to resolve yet.
        return "its URI or revision holds a {{...}} tag, which only the running workflow fills in"
    return None


def input_digest(item: Floating) -> str:
    """The digest of what a lock resolves for a dataset: its kind, URI and revision, and its
    store's fields without the credentials (a rotated Secret does not move data).

    >>> input_digest(Floating("vocab", Dataset("vocab", "https://h/v"), "http", None))
    'sha256:5c0e...'
    """
    store = None
    if item.store is not None:
        fields = {k: v for k, v in item.store.config.items() if k != "credentials"}
        store = {"kind": item.store.kind, **fields}
    resolved = {"kind": item.kind, "uri": item.dataset.uri, "revision": item.dataset.revision,
                "store": store}
    text = json.dumps(resolved, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
