"""What every driver shares: the request it answers, the problems it reports, its protocol.

    driver.check(Dataset("d", "s3://bucket"))  ->  [Problem("KF204", "'s3://bucket' needs a bucket
                                                         and a key: s3://<bucket>/<key>", ...)]
"""

from __future__ import annotations

from typing import NamedTuple, Protocol

from kfdata_compiler import lazy
from kfdata_compiler.drivers.need import Need
from kfdata_compiler.spec import Dataset, Store

# A git commit id, full or abbreviated: a revision that pins the data.
COMMIT_ID = lazy.compile(r"[0-9a-f]{7,40}")


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
    """Why a dataset cannot be used as asked, or (``warning``) what would go wrong at run time
    although Argo accepts it: a warning is reported and the use is still built.

    ``field`` is the dataset field to point at; ``at_use`` points at the binding instead.
    """

    code: str
    message: str
    hint: str = ""
    field: str = "uri"
    at_use: bool = False
    warning: bool = False


def refusals(problems: list[Problem]) -> list[Problem]:
    """The problems that refuse a dataset or a use (not the warnings)."""
    return [p for p in problems if not p.warning]


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

    def build(self, request: Request) -> Need:
        """What to inject for ``request``; only called after the checks found nothing."""


def no_revision(dataset: Dataset, kind: str) -> list[Problem]:
    """The problem of a ``revision`` on a dataset whose kind has no use for one."""
    if dataset.revision is None:
        return []
    return [Problem("KF204", f"'revision' is not used by {kind} datasets",
                    "revision is for git, dvc and types whose args use {revision}; "
                    "use 'version' to label other datasets", "revision")]


class Plain:
    """The answers of a driver with nothing to say about a use, and only a declared version."""

    def check_use(self, dataset: Dataset, store: Store | None, mode: str) -> list[Problem]:
        """Nothing beyond ``modes``."""
        return []

    def version(self, dataset: Dataset) -> str | None:
        """The declared version."""
        return dataset.version
