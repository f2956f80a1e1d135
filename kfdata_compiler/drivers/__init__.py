"""Dataset drivers, one per kind of dataset, and the registries that name them.

A driver turns a dataset use into a :class:`~kfdata_compiler.fragments.Fragment` (what to inject)
and says what it needs (a store of some kind, which modes it supports). ``DRIVERS`` is keyed by
dataset kind; ``SCHEMES`` maps a URI scheme to its kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from kfdata_compiler.fragments import Fragment
from kfdata_compiler.spec import Dataset, Store


@dataclass(frozen=True)
class Request:
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


@dataclass(frozen=True)
class Problem:
    """Why a dataset cannot be used as asked; ``field`` is the dataset field to point at."""

    code: str
    message: str
    hint: str = ""
    field: str = "uri"


class Driver(Protocol):
    """Builds what is injected for one kind of dataset."""

    @property
    def kind(self) -> str:
        """The dataset kind this driver handles (its key in ``DRIVERS``)."""

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

    def version(self, dataset: Dataset) -> str | None:
        """The dataset's effective version (declared, or implied by an immutable ref)."""

    def build(self, request: Request) -> Fragment:
        """What to inject for ``request``; only called after ``check`` found nothing."""


def _registry() -> tuple[dict[str, Driver], dict[str, str]]:
    from kfdata_compiler.drivers import gcs, git, http, pvc, s3

    drivers: tuple[Driver, ...] = (s3.DRIVER, gcs.DRIVER, http.DRIVER, git.DRIVER, pvc.DRIVER)
    by_kind = {d.kind: d for d in drivers}
    schemes = {scheme: mod.DRIVER.kind for mod in (s3, gcs, http, git, pvc) for scheme in mod.SCHEMES}
    return by_kind, schemes


DRIVERS, SCHEMES = _registry()


def driver_for(dataset: Dataset) -> Driver | None:
    """The driver for a dataset's URI scheme, or None when the scheme is unsupported."""
    kind = SCHEMES.get(dataset.scheme)
    return DRIVERS[kind] if kind else None
