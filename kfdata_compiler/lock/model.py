"""The lock's values: one ``Entry`` per floating dataset, and the errors of locking.

    vocab: {uri: https://example.org/vocab.txt}
    ->  Entry(uri='https://example.org/vocab.txt', kind='http-sha256',
              version='sha256:92ca...', input='sha256:2a37...', bytes=11)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NamedTuple

from kfdata_compiler.diagnostics import JsonPath, Location
from kfdata_compiler.errors import KfdataError
from kfdata_compiler.spec import Dataset, Store

LOCK_VERSION = 1
# The format of the object manifests whose digest an s3 or gs entry's version is
# (lock/manifest.py): 2 is JSON lines; 1 (no ``manifest`` field) joined fields with TABs.
MANIFEST_VERSION = 2
MANIFEST_KINDS = frozenset({"s3-manifest", "gs-manifest"})
TIMEOUT = 60.0  # seconds without an answer before a store counts as unreachable
# The entry kind of each dataset kind that can be locked (drivers.MODULES names the kinds).
KINDS = {
    "git": "git-commit", "http": "http-sha256", "s3": "s3-manifest", "gcs": "gs-manifest",
    "pachyderm": "pachyderm-commit", "lakefs": "lakefs-commit",
}
# The fields of an entry in the order the file lists them (the note's example reads this way).
FIELDS = ("uri", "ref", "kind", "version", "manifest", "objects", "bytes", "input")


class Entry(NamedTuple):
    """What one floating dataset resolved to; ``input`` is the digest of what was resolved."""

    uri: str
    kind: str
    version: str
    input: str
    ref: str | None = None
    objects: int | None = None
    bytes: int | None = None
    manifest: int | None = None  # s3, gs: the manifest format (None: format 1)

    def as_dict(self) -> dict[str, str | int]:
        """The entry as the file holds it: fields in ``FIELDS`` order, absent ones left out.

        >>> Entry("s3://b/p", "s3-manifest", "sha256:aa..", "sha256:bb..", objects=2,
        ...       bytes=7).as_dict()
        {'uri': 's3://b/p', 'kind': 's3-manifest', 'version': 'sha256:aa..', 'objects': 2,
         'bytes': 7, 'input': 'sha256:bb..'}
        """
        values = self._asdict()
        return {f: values[f] for f in FIELDS if values[f] is not None}


class Lock(NamedTuple):
    """A lock file: the spec it belongs to (its file name) and an entry per locked dataset."""

    spec: str
    entries: Mapping[str, Entry]
    path: str = "<lock>"
    locate: Callable[[JsonPath], Location] | None = None

    def where(self, path: JsonPath) -> Location:
        """The file position of a JSON path in the lock (line 0 for a lock not read from text)."""
        return self.locate(path) if self.locate else Location(self.path)


def outdated(entry: Entry) -> str | None:
    """Why an entry's version cannot be trusted whatever its ``input`` says (its manifest
    format is not this kfdata-compile's), or None.

    >>> outdated(Entry("s3://b/p", "s3-manifest", "sha256:..", "sha256:..", objects=1, bytes=2))
    'its version digests manifest format 1, ...'
    """
    if entry.kind not in MANIFEST_KINDS or entry.manifest == MANIFEST_VERSION:
        return None
    found = entry.manifest or 1
    if found < MANIFEST_VERSION:
        return (f"its version digests manifest format {found}, in which keys holding a TAB or "
                "a newline can make two different listings digest alike; this kfdata-compile "
                f"digests format {MANIFEST_VERSION}")
    return (f"its version digests manifest format {found}, which this kfdata-compile does not "
            f"know (it digests format {MANIFEST_VERSION}): a newer one wrote it")


class LockError(KfdataError):
    """A lock file that cannot be used, or datasets that could not be locked."""


class Unresolved(Exception):
    """Why a resolver could not pin a dataset; ``update`` names the dataset and its position.

    ``code``: KF510 cannot be locked, KF511 not found (ref, prefix, object), KF512 network or
    authentication failure, KF513 a client or tool is not installed.
    """

    def __init__(self, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.code, self.message, self.hint = code, message, hint


class Pin(NamedTuple):
    """A resolver's answer: the version, and what the entry records beside it."""

    version: str
    ref: str | None = None
    objects: int | None = None
    bytes: int | None = None
    manifest: int | None = None


class Target(NamedTuple):
    """What a resolver is asked: the dataset, its store, the ``--endpoint`` given for that
    store (None: the spec's), the environment (credentials, ``PATH``, git's config), and how
    many seconds a store may take to answer (each request; retries stop there too)."""

    name: str
    dataset: Dataset
    store: Store | None
    endpoint: str | None
    env: Mapping[str, str]
    timeout: float = TIMEOUT
