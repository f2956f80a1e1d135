"""Dataset drivers, one per kind of dataset, and the registries that name them.

A driver turns a dataset use into a :class:`~kfdata_compiler.drivers.need.Need` (what it needs)
and says what it requires (a store of some kind, which modes it supports). ``MODULES`` names the
module of each driver built on Argo's artifacts and volumes, by dataset kind; ``SCHEMES`` maps a
URI scheme to its kind. :func:`registry` adds one init-container driver per dataset type::

    registry(spec.types).driver_for(Dataset("features", "dvc://github.com/org/reg/features"))
    ->  InitContainerDriver(type=DatasetType(name='dvc', ...))
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import NamedTuple

from kfdata_compiler.drivers.base import Driver
from kfdata_compiler.spec import Dataset
from kfdata_compiler.spec.datatypes import DatasetType

# Each Argo-backed kind's module, and the kind of each URI scheme. A driver's module is imported
# the first time a dataset of its kind is resolved: a spec uses a kind or two, and the command
# runs on every commit (tests/drivers/test_registry.py checks this table against the modules).
MODULES = {
    "s3": "s3", "gcs": "gcs", "http": "http", "git": "git", "pvc": "pvc",
    "pachyderm": "pachyderm", "lakefs": "lakefs", "artifact": "repository",
}
SCHEMES = {
    "s3": "s3", "gs": "gcs", "http": "http", "https": "http", "git+https": "git",
    "git+http": "git", "git+ssh": "git", "pvc": "pvc", "pach": "pachyderm", "lakefs": "lakefs",
    "artifact": "artifact",
}
# The kinds whose datasets Argo's executor reaches through its S3 client (minio-go), where
# the store's ``insecure`` decides TLS (``drivers/s3.py``, ``plain_http_port``).
S3_CLIENT_KINDS = frozenset({"s3", "lakefs", "pachyderm"})


def argo_driver(kind: str) -> Driver:
    """The driver of an Argo-backed ``kind`` (a key of ``MODULES``), e.g. ``argo_driver("s3")``."""
    driver: Driver = importlib.import_module(f"kfdata_compiler.drivers.{MODULES[kind]}").DRIVER
    return driver


class Registry(NamedTuple):
    """Every driver of one compile: Argo's, plus one per dataset type (built-in or the spec's)."""

    types: Mapping[str, DatasetType]

    @property
    def kinds(self) -> list[str]:
        """Every kind a dataset may have here, sorted."""
        return sorted({*MODULES, *self.types})

    def kind_of(self, dataset: Dataset) -> str | None:
        """The dataset's kind: its ``type``, else its URI scheme's, else a type named like it."""
        if dataset.type is not None:
            return dataset.type
        kind = SCHEMES.get(dataset.scheme)
        if kind is None and dataset.scheme in self.types:
            kind = dataset.scheme
        return kind

    def driver_for(self, dataset: Dataset) -> Driver | None:
        """The dataset's driver, or None when its kind is unknown (a type wins over a kind)."""
        kind = self.kind_of(dataset)
        if kind is None:
            return None
        if kind in self.types:
            from kfdata_compiler.drivers.initcontainer import InitContainerDriver

            return InitContainerDriver(self.types[kind])
        return argo_driver(kind) if kind in MODULES else None


def registry(types: Mapping[str, DatasetType]) -> Registry:
    """The drivers for a spec's dataset types (built-in types included)."""
    return Registry(types)
