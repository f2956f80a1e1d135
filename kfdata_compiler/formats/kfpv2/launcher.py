"""Where KFP's launcher puts an artifact it downloads, and which URIs it can download.

The launcher (``backend/src/v2/component/launcher_v2.go`` ``LocalPathForURI``, backend 2.17.0)
maps an input artifact's URI to a path in the step's container; a workspace importer copies it to
the same path under ``/kfp-workspace/.artifacts``, cleaned by Go's ``filepath.Join``::

    local_path("gs://b/k/")        ->  "/gcs/b/k/"
    workspace_path("s3://b/k/")    ->  "/kfp-workspace/.artifacts/s3/b/k"

Only gs, s3 and minio URIs are downloaded (``dsl.importer`` fails on any other: the backend's
``ParseProviderFromPath``), so only those datasets are imported.
"""

from __future__ import annotations

import posixpath

# URI scheme -> the launcher's directory for it (LocalPathForURI).
LOCAL_ROOTS = {"gs": "/gcs/", "minio": "/minio/", "s3": "/s3/"}
WORKSPACE = "/kfp-workspace"
WORKSPACE_PLACEHOLDER = "{{$.workspace_path}}"  # the driver resolves it in a task's constants


def scheme(uri: str) -> str:
    """``s3`` of ``s3://b/k``."""
    return uri.partition("://")[0].lower()


def local_path(uri: str) -> str:
    """The path a step finds an imported artifact at (its trailing ``/`` kept, as Go does).

    >>> local_path("minio://mlpipeline/datasets/reviews")
    '/minio/mlpipeline/datasets/reviews'
    """
    return LOCAL_ROOTS[scheme(uri)] + uri.partition("://")[2]


def workspace_relative(uri: str) -> str:
    """The path of a workspace copy below the workspace root: ``.artifacts/<dir>/<bucket>/<key>``.

    >>> workspace_relative("s3://corp-datasets/vocab/v3/")
    '.artifacts/s3/corp-datasets/vocab/v3'
    """
    return posixpath.normpath(".artifacts" + local_path(uri))


def workspace_path(uri: str) -> str:
    """Where a step finds a workspace copy (``/kfp-workspace/.artifacts/...``)."""
    return f"{WORKSPACE}/{workspace_relative(uri)}"


def workspace_parameter(uri: str) -> str:
    """The task parameter naming the copy: the driver replaces the placeholder, and a parameter
    holding it is what makes KFP mount the workspace into the step."""
    return f"{WORKSPACE_PLACEHOLDER}/{workspace_relative(uri)}"


def with_scheme(uri: str, new: str) -> str:
    """``s3://mlpipeline/x`` with the scheme ``minio``: ``minio://mlpipeline/x``."""
    return f"{new}://{uri.partition('://')[2]}"


def bucket(uri: str) -> str:
    """The bucket of ``s3://bucket/key``."""
    return uri.partition("://")[2].partition("/")[0]
