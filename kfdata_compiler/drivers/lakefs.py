"""lakeFS through its S3 gateway: ``lakefs://repo/ref/path`` (bucket = repo, key = ref/path).

    reviews: {uri: lakefs://reviews/main/2024/06/, store: lake}   read at /kfdata/reviews
    ->  inputs.artifacts: [{name: kfdata-reviews, path: /kfdata/reviews,
                            s3: {endpoint: lakefs.lakefs:8000, bucket: reviews, key: main/2024/06/,
                                 accessKeySecret: {...}, secretKeySecret: {...}},
                            archive: {none: {}}}]

A ref that is a commit id (64 hex digits) pins the data and becomes the dataset's version; a
branch floats. Writes go to a branch, as uncommitted changes: commit them in a later step.
"""

from __future__ import annotations

from typing import Any

from kfdata_compiler import lazy
from kfdata_compiler.drivers.base import Problem, Request
from kfdata_compiler.drivers.need import secret_ref
from kfdata_compiler.drivers.objectstore import ObjectStoreDriver
from kfdata_compiler.drivers.s3 import s3_location

_URI = lazy.compile(r"lakefs://(?P<repo>[a-z0-9][a-z0-9-]{2,62})/(?P<ref>[^/\s]+)/(?P<path>\S+)")
_COMMIT = lazy.compile(r"[0-9a-f]{64}")
# lakeFS ref expressions (main~1, main^2, main@) name a commit relative to a branch.
_EXPRESSION = lazy.compile(r"[~^@]")


def split(uri: str) -> tuple[str, str, str] | None:
    """``(repo, ref, path)`` of a ``lakefs://`` URI, or None.

    >>> split("lakefs://reviews/main/2024/06/")
    ('reviews', 'main', '2024/06/')
    """
    m = _URI.fullmatch(uri)
    return (m["repo"], m["ref"], m["path"]) if m else None


def _check(uri: str) -> list[Problem]:
    if split(uri) is None:
        return [Problem("KF204", f"{uri!r} is not a lakeFS URI",
                        "write lakefs://<repository>/<branch, tag or commit>/<path>")]
    return []


def _location(request: Request) -> dict[str, Any]:
    assert request.store is not None  # resolve guarantees the store for store_required drivers
    parts = split(request.dataset.uri)
    assert parts is not None  # _check passed
    repo, ref, path = parts
    creds = request.store.config["credentials"]  # required by the schema
    keys = (secret_ref(creds["secret"], creds["accessKey"]),
            secret_ref(creds["secret"], creds["secretKey"]))
    return s3_location(request.store.config, str(request.store.config["endpoint"]), repo,
                       f"{ref}/{path}", keys)


def _commit(uri: str) -> str | None:
    parts = split(uri)
    return parts[1] if parts and _COMMIT.fullmatch(parts[1]) else None


def _not_a_branch(uri: str) -> str | None:
    ref = (split(uri) or ("", "", ""))[1]
    return ref if _COMMIT.fullmatch(ref) or _EXPRESSION.search(ref) else None


DRIVER = ObjectStoreDriver("lakefs", "lakefs", _location, _check, pinned=_commit,
                           unwritable=_not_a_branch)
