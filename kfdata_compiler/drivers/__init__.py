"""Dataset drivers, one per kind of dataset, and the registries that name them.

A driver turns a dataset use into a :class:`~kfdata_compiler.fragments.Fragment` (what to inject)
and says what it needs (a store of some kind, which modes it supports). ``MODULES`` names the
module of each driver built on Argo's artifacts and volumes, by dataset kind; ``SCHEMES`` maps a
URI scheme to its kind. :func:`registry` adds one init-container driver per dataset type::

    registry(spec.types).driver_for(Dataset("features", "dvc://github.com/org/reg/features"))
    ->  InitContainerDriver(type=DatasetType(name='dvc', ...))
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import NamedTuple, Protocol

from kfdata_compiler.datatypes import DatasetType
from kfdata_compiler.fragments import Fragment
from kfdata_compiler.spec import Dataset, Store


class Request(NamedTuple):
    """One use of a dataset on one template, as the driver sees it.

    ``name`` is the injected artifact/volume name (``kfdata-<dataset>``); with ``into`` set the
    driver returns only the location that feeds an existing input artifact.
    """

    dataset: Dataset
    store: Store | None
    mode: str
    path: str
    name: str
    into: bool = False


class Problem(NamedTuple):
    """Why a dataset cannot be used as asked.

    ``field`` is the dataset field to point at; ``at_use`` points at the binding instead.
    """

    code: str
    message: str
    hint: str = ""
    field: str = "uri"
    at_use: bool = False


class Driver(Protocol):
    """Builds what is injected for one kind of dataset."""

    @property
    def kind(self) -> str:
        """The dataset kind this driver handles (its key in ``MODULES``, or its type's name)."""

    @property
    def store_kind(self) -> str | None:
        """The store kind it reads credentials from, or None when it takes no store."""

    @property
    def store_required(self) -> bool:
        """Whether a dataset of this kind must name a store."""

    @property
    def modes(self) -> frozenset[str]:
        """What it supports: ``read``, ``write``, ``into``."""

    def check(self, dataset: Dataset) -> list[Problem]:
        """Problems with the dataset itself (its URI, its revision)."""

    def check_use(self, dataset: Dataset, store: Store | None, mode: str) -> list[Problem]:
        """Problems with one use: a mode this dataset cannot have, a store lacking credentials."""

    def version(self, dataset: Dataset) -> str | None:
        """The dataset's effective version (declared, or implied by an immutable ref)."""

    def build(self, request: Request) -> Fragment:
        """What to inject for ``request``; only called after the checks found nothing."""


def no_revision(dataset: Dataset, kind: str) -> list[Problem]:
    """The problem of a ``revision`` on a dataset whose kind has no use for one."""
    if dataset.revision is None:
        return []
    return [Problem("KF204", f"'revision' is not used by {kind} datasets",
                    "revision is for git, dvc and types whose args use {revision}; "
                    "use 'version' to label other datasets", "revision")]


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
