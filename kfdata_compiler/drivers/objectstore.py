"""What the object-store drivers (s3, gcs) share: read as an input artifact, write as an output.

    read  -> inputs.artifacts  += {name, path, <location>, archive: {none: {}}}
    write -> outputs.artifacts += {name, path, <location>, archive: {none: {}}}
             plus an emptyDir mounted at the path, so the directory exists when the step starts
    into  -> the location alone, for the existing input artifact's arguments
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kfdata_compiler.drivers import Problem, Request
from kfdata_compiler.fragments import NO_ARCHIVE, Fragment, artifact, volume_mount
from kfdata_compiler.spec import Dataset


def split_bucket_key(uri: str) -> tuple[str, str]:
    """``s3://bucket/a/b/`` -> ``("bucket", "a/b/")``: the key keeps a trailing ``/``.

    GCS lists a "directory" by raw prefix, so ``a/b`` would also match ``a/bc``.
    """
    rest = uri.partition("://")[2]
    bucket, _, key = rest.partition("/")
    return bucket, key


@dataclass(frozen=True)
class ObjectStoreDriver:
    """A driver for a bucket/key store, given how to build its Argo location."""

    kind: str
    store_kind: str
    make_location: Callable[[Request], dict[str, Any]]
    check_uri: Callable[[str], list[Problem]]
    store_required: bool = True
    modes: frozenset[str] = field(default=frozenset({"read", "write", "into"}))

    def check(self, dataset: Dataset) -> list[Problem]:
        """Problems with the URI."""
        return self.check_uri(dataset.uri)

    def version(self, dataset: Dataset) -> str | None:
        """The declared version."""
        return dataset.version

    def build(self, request: Request) -> Fragment:
        """Artifacts (and, for writes, the emptyDir that makes the path exist)."""
        location = self.make_location(request)
        if request.into:
            return Fragment(location={**location, "archive": dict(NO_ARCHIVE)})
        art = artifact(request.name, request.path, location)
        if request.mode == "read":
            return Fragment(input_artifacts=(art,))
        return Fragment(
            output_artifacts=(art,),
            volumes=({"name": request.name, "emptyDir": {}},),
            mounts=(volume_mount(request.name, request.path, read_only=False),),
        )
