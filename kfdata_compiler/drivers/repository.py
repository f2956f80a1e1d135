"""Argo artifact repositories: ``artifact://<key>`` on an ``artifactRepository`` store.

    stores: {argo-minio: {artifactRepository: {configMap: artifact-repositories, key: minio}}}
    reviews: {uri: artifact://datasets/reviews/2024-06, store: argo-minio}
    ->  inputs.artifacts: [{name: kfdata-reviews, path: /kfdata/reviews,
                            s3: {key: datasets/reviews/2024-06}, archive: {none: {}}}]
        spec.artifactRepositoryRef: {configMap: artifact-repositories, key: minio}

A key-only artifact names no endpoint, bucket or Secret: Argo completes it from the repository
(whatever its kind; ``s3`` only carries the key). ``default: true`` uses the workflow's default
repository and adds no reference.
"""

from __future__ import annotations

from typing import Any

from kfdata_compiler.drivers.base import Problem, Request
from kfdata_compiler.drivers.need import Need
from kfdata_compiler.drivers.objectstore import ObjectStoreDriver
from kfdata_compiler.drivers.s3 import object_key
from kfdata_compiler.spec import Store

REF_FIELDS = ("configMap", "key")


def key_of(uri: str) -> str:
    """The key of ``artifact://<key>``: everything after ``://``."""
    return uri.partition("://")[2]


def reference(store: Store) -> dict[str, str]:
    """The workflow's ``artifactRepositoryRef`` for the store; empty for the default one."""
    return {f: str(store.config[f]) for f in REF_FIELDS if f in store.config}


def _check(uri: str) -> list[Problem]:
    key = key_of(uri)
    if not object_key(key) or key.startswith("/"):
        return [Problem("KF204", f"{uri!r} needs a key: artifact://<key>",
                        "the key is the object's path inside the repository's bucket")]
    return []


def _location(request: Request) -> dict[str, Any]:
    # Without a final '/': a repository on S3 (KFP's MinIO, the usual one) would fetch a folder
    # marker as an empty file (drivers.s3.object_key); GCS and Azure read it the same either way.
    return {"s3": {"key": object_key(key_of(request.dataset.uri))}}


class RepositoryDriver(ObjectStoreDriver):
    """An object-store driver whose artifacts resolve against an Argo artifact repository."""

    def build(self, request: Request) -> Need:
        """Key-only artifacts, plus the repository the workflow must reference."""
        need = super().build(request)
        assert request.store is not None  # resolve guarantees the store for store_required drivers
        return need._replace(artifact_repository=reference(request.store))


DRIVER = RepositoryDriver("artifact", "artifactRepository", _location, _check)
