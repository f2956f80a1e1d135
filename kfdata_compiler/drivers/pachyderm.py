"""Pachyderm 2.x through its S3 gateway: ``pach://[project/]repo@branch[=commit]:/path``.

    images: {uri: "pach://images@master=0123...cdef:/train", store: pach}   read at /kfdata/images
    ->  inputs.artifacts: [{name: kfdata-images, path: /kfdata/images,
                            s3: {endpoint: pachd.pachyderm:30600,
                                 bucket: 0123...cdef.master.images.default, key: train,
                                 accessKeySecret: {name: pach-auth, key: auth-token},
                                 secretKeySecret: {name: pach-auth, key: auth-token}},
                            archive: {none: {}}}]

The gateway names a branch ``branch.repo.project`` and a commit ``commit.branch.repo.project``.
A pinned commit is the dataset's version; a write goes to the branch head (each upload is a
new commit). The gateway takes an auth token as both keys. The ``pachctl`` type reads the same
URIs through pachd's API instead (``builtin_types.yaml``).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from kfdata_compiler import lazy
from kfdata_compiler.drivers.base import Problem, Request
from kfdata_compiler.drivers.need import secret_ref
from kfdata_compiler.drivers.objectstore import ObjectStoreDriver
from kfdata_compiler.drivers.s3 import s3_location
from kfdata_compiler.spec import Store

GATEWAY_PORT = 30600
PACHD_PORT = 30650
DEFAULT_PROJECT = "default"
_NAME = r"[A-Za-z0-9_][A-Za-z0-9_-]*"
_URI = lazy.compile(
    rf"pach://(?:(?P<project>{_NAME})/)?(?P<repo>{_NAME})@(?P<branch>{_NAME})"
    r"(?:=(?P<commit>[0-9a-f]{32}))?:(?P<path>/\S*)"
)
_MAX_BUCKET = 63  # S3 clients (minio-go, in Argo's executor) refuse longer bucket names


class PachRef(NamedTuple):
    """The parts of a ``pach://`` URI."""

    project: str
    repo: str
    branch: str
    commit: str | None
    path: str  # absolute, as Pachyderm writes it

    @property
    def ref(self) -> str:
        """``branch=commit`` when a commit is pinned, else the branch (pachctl's syntax)."""
        return f"{self.branch}={self.commit}" if self.commit else self.branch

    @property
    def bucket(self) -> str:
        """The S3 gateway's bucket: ``[commit.]branch.repo.project``."""
        return ".".join(p for p in (self.commit, self.branch, self.repo, self.project) if p)


def parse(uri: str) -> PachRef | None:
    """The parts of a ``pach://`` URI, or None when it is not one.

    >>> parse("pach://vision/images@master:/train/").bucket
    'master.images.vision'
    """
    m = _URI.fullmatch(uri)
    if m is None:
        return None
    return PachRef(m["project"] or DEFAULT_PROJECT, m["repo"], m["branch"], m["commit"], m["path"])


def endpoint(store: Store) -> str:
    """The S3 gateway's host:port (port 30600 unless the store names one)."""
    host = str(store.config["endpoint"])
    return host if ":" in host else f"{host}:{GATEWAY_PORT}"


def pachd_address(store: Store) -> str:
    """pachd's gRPC host:port: the store's ``pachd``, else the gateway's host on port 30650."""
    pachd = store.config.get("pachd")
    host = str(store.config["endpoint"]).partition(":")[0]
    return str(pachd) if pachd else f"{host}:{PACHD_PORT}"


def _check(uri: str) -> list[Problem]:
    ref = parse(uri)
    if ref is None:
        return [Problem("KF204", f"{uri!r} is not a Pachyderm URI",
                        "write pach://[project/]repo@branch[=commit]:/path (a commit is 32 hex "
                        "digits)")]
    if ref.path.strip("/") == "":
        return [Problem("KF204", f"{uri!r} names the whole repository",
                        "name a file or directory inside it (:/path); the S3 gateway cannot "
                        "fetch a bucket's root as one artifact")]
    if len(ref.bucket) > _MAX_BUCKET:
        return [Problem("KF204", f"the S3 gateway bucket {ref.bucket!r} is {len(ref.bucket)} "
                        f"characters; S3 clients refuse more than {_MAX_BUCKET}",
                        "use shorter names, or read it with type: pachctl")]
    return []


def _location(request: Request) -> dict[str, Any]:
    assert request.store is not None  # resolve guarantees the store for store_required drivers
    ref = parse(request.dataset.uri)
    assert ref is not None  # _check passed
    creds = request.store.config.get("credentials")
    assert creds  # check_use passed: needs_credentials
    token = secret_ref(creds["secret"], creds["token"])
    return s3_location(request.store.config, endpoint(request.store), ref.bucket,
                       ref.path.lstrip("/"), (token, dict(token)))


def _commit(uri: str) -> str | None:
    ref = parse(uri)
    return ref.commit if ref else None


DRIVER = ObjectStoreDriver("pachyderm", "pachyderm", _location, _check, pinned=_commit,
                           needs_credentials=True)
