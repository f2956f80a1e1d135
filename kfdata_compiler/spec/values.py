"""The spec's values: stores, datasets, their uses and the bindings that hold them.

    Dataset("reviews", "s3://datasets/reviews", store="minio").scheme  ->  's3'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from kfdata_compiler.diagnostics import JsonPath
from kfdata_compiler.spec.datum import Datum


class Store(NamedTuple):
    """A named way to reach storage: ``kind`` is ``s3``, ``gcs``, ``git``, ``http``, ``pachyderm``,
    ``lakefs`` or ``artifactRepository``."""

    name: str
    kind: str
    config: Mapping[str, Any]
    kfp: Mapping[str, Any] = {}  # KFP v2 only: pipelineRoot or ambient (docs/kfp-v2.md)


class Dataset(NamedTuple):
    """A named dataset: where it is, which store reaches it, its declared version and type."""

    name: str
    uri: str
    store: str | None = None
    version: str | None = None
    revision: str | None = None
    type: str | None = None  # default: the kind its URI scheme names
    locked: bool = False  # its version (and, for git/pachyderm/lakeFS, its ref) is kfdata.lock's
    immutable_datums: bool = False  # append-only: a datum's content never changes (docs/datums.md)

    @property
    def scheme(self) -> str:
        """The URI scheme, lower-cased (``s3``, ``gs``, ``https``, ``git+https``, ``pvc``)."""
        head, sep, _ = self.uri.partition("://")
        return head.lower() if sep else ""


class Use(NamedTuple):
    """One dataset in a binding's ``read`` or ``write`` list."""

    dataset: str
    mode: str
    where: JsonPath
    path: str | None = None
    env: str | None = None
    into: str | None = None
    datum: Datum | None = None  # run the step once per datum (docs/datums.md)


class Binding(NamedTuple):
    """A step pattern and the datasets it reads and writes."""

    step: str
    uses: tuple[Use, ...]
    where: JsonPath
