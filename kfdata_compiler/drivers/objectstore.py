"""What the object-store drivers share (s3, gcs, and the S3 gateways of Pachyderm and lakeFS):
read as an input artifact, write as an output.

    read  -> inputs.artifacts  += {name, path, <location>, archive: {none: {}}}
    write -> outputs.artifacts += {name, path, <location>, archive: {none: {}}}
             plus an emptyDir mounted at the path, so the directory exists when the step starts
    into  -> the location alone, for the existing input artifact's arguments

A store whose URIs can pin a commit (``pinned``) gets that commit as the dataset's version,
and refuses writes to it: a commit is immutable, a write goes to a branch head.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from kfdata_compiler.drivers.base import Problem, Request, no_revision
from kfdata_compiler.drivers.need import NO_ARCHIVE, Need, artifact, volume_mount
from kfdata_compiler.spec import Dataset, Store


def _unpinned(uri: str) -> str | None:
    return None


def bucket_problems(uri: str, bucket: str) -> list[Problem]:
    """A character no bucket name can hold: ``s3://dаta/x`` (Cyrillic 'а') -> KF204, named.

    Bucket names are ASCII everywhere: S3 and MinIO allow lower-case letters, digits, '.' and
    '-', Ceph's relaxed mode adds upper case and '_', GCS allows '_'. A look-alike letter or a
    stray space names a bucket that cannot exist, and the run would fail far from here.
    """
    for char in bucket:
        if not (char.isascii() and (char.isalnum() or char in "._-")):
            import unicodedata  # only to name the offending character

            what = unicodedata.name(char, "a control character")
            return [Problem(
                "KF204", f"bucket {bucket!r} in {uri!r} holds {char!r} ({what})",
                "bucket names are ASCII letters, digits, '.', '-' and '_': retype the name "
                "(a look-alike letter is the usual cause)")]
    return []


def split_bucket_key(uri: str) -> tuple[str, str]:
    """``s3://bucket/a/b/`` -> ``("bucket", "a/b/")``: the key keeps a trailing ``/``.

    GCS lists a "directory" by raw prefix, so ``a/b`` would also match ``a/bc``.
    """
    rest = uri.partition("://")[2]
    bucket, _, key = rest.partition("/")
    return bucket, key


class ObjectStoreDriver(NamedTuple):
    """A driver for a bucket/key store, given how to build its Argo location.

    A NamedTuple, as the value records are: a frozen dataclass costs ~2.5 M instructions to
    create at import (its generated methods are compiled), and every compile loads this module.
    """

    kind: str
    store_kind: str
    make_location: Callable[[Request], dict[str, Any]]
    check_uri: Callable[[str], list[Problem]]
    store_required: bool = True
    modes: frozenset[str] = frozenset({"read", "write", "into"})
    pinned: Callable[[str], str | None] = _unpinned  # the commit a URI pins, if any
    unwritable: Callable[[str], str | None] = _unpinned  # a ref that is not a branch, if any
    needs_credentials: bool = False  # without them Argo's executor asks the cloud's metadata

    def check(self, dataset: Dataset) -> list[Problem]:
        """Problems with the URI (and a revision, which object stores do not use)."""
        return self.check_uri(dataset.uri) + no_revision(dataset, self.kind)

    def check_use(self, dataset: Dataset, store: Store | None, mode: str) -> list[Problem]:
        """A write to a pinned commit; a store without the credentials the driver needs."""
        out = []
        ref = self.unwritable(dataset.uri) or self.pinned(dataset.uri)
        if mode == "write" and ref is not None:
            out.append(Problem("KF308", f"dataset {dataset.name!r} names {ref!r}, which is not a "
                               "branch: it cannot be written", "write to a branch (name the "
                               "branch alone): the step's output lands on its head",
                               at_use=True))
        if self.needs_credentials and store is not None and not store.config.get("credentials"):
            out.append(Problem("KF210", f"store {store.name!r} has no credentials, which "
                               f"{self.kind} datasets need", "name the Secret under the store's "
                               "'credentials' (Argo's executor would otherwise ask the cloud's "
                               "instance metadata for keys)", "store"))
        return out

    def version(self, dataset: Dataset) -> str | None:
        """The declared version, else the commit the URI pins."""
        return dataset.version if dataset.version is not None else self.pinned(dataset.uri)

    def build(self, request: Request) -> Need:
        """Artifacts (and, for writes, the emptyDir that makes the path exist)."""
        location = self.make_location(request)
        if request.into:
            return Need(location={**location, "archive": dict(NO_ARCHIVE)})
        art = artifact(request.name, request.path, location)
        if request.mode == "read":
            return Need(input_artifacts=(art,))
        return Need(
            output_artifacts=(art,),
            volumes=({"name": request.name, "emptyDir": {}},),
            mounts=(volume_mount(request.name, request.path, read_only=False),),
        )
