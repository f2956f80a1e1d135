"""S3-compatible object stores (AWS S3, MinIO, Ceph): ``s3://bucket/key``.

    reviews: {uri: s3://datasets/reviews/2024-06, store: minio}   read at /kfdata/reviews
    ->  inputs.artifacts: [{name: kfdata-reviews, path: /kfdata/reviews,
                            s3: {endpoint: minio..:9000, bucket: datasets, key: reviews/2024-06,
                                 insecure: true, accessKeySecret: {...}, secretKeySecret: {...}},
                            archive: {none: {}}}]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kfdata_compiler.drivers.base import Problem, Request
from kfdata_compiler.drivers.need import secret_ref
from kfdata_compiler.drivers.objectstore import (
    ObjectStoreDriver,
    bucket_problems,
    split_bucket_key,
)
from kfdata_compiler.spec import Store

SecretRef = dict[str, str]


def object_key(key: str) -> str:
    """The key Argo's S3 driver is given: without a final ``/``.

    ``loadS3Artifact`` (``workflow/artifacts/s3/s3.go``, v3.4.17 to v4.0.10) first fetches the
    key as a file: a folder marker ``x/`` (what the AWS console's "Create folder" makes, and
    lakeFS keeps from Hadoop writers) would be downloaded as an empty file and the directory
    never fetched. Without the ``/`` the file fetch finds nothing, and ``IsDirectory`` /
    ``GetDirectory`` list ``Clean(key) + "/"`` themselves: the directory's objects, no
    marker, no sibling prefix. Saving is the same either way (``PutDirectory`` joins with
    ``path.Join``).

    >>> object_key("reviews/2024-06/")
    'reviews/2024-06'
    """
    return key.rstrip("/")


def s3_location(config: Mapping[str, Any], endpoint: str, bucket: str, key: str,
                keys: tuple[SecretRef, SecretRef] | None) -> dict[str, Any]:
    """A complete Argo S3 location: never a partial one, which Argo would silently redirect to
    its default artifact repository. Without ``keys`` the executor uses its own identity; the
    key loses a final ``/`` (:func:`object_key`)."""
    s3: dict[str, Any] = {"endpoint": endpoint, "bucket": bucket, "key": object_key(key)}
    if "region" in config:
        s3["region"] = config["region"]
    if "insecure" in config:
        s3["insecure"] = config["insecure"]
    if keys:
        s3["accessKeySecret"], s3["secretKeySecret"] = keys
    else:
        # No Secret named: let the executor use its own identity (IRSA, instance profile).
        s3["useSDKCreds"] = True
    return {"s3": s3}


def plain_http_port(store: Store) -> list[Problem]:
    """KF212 (a warning) when the store's endpoint is on port 80 and ``insecure`` is unset.

    Argo's executor builds its S3 client with ``Secure: art.S3.Insecure == nil ||
    !*art.S3.Insecure`` (``workflow/artifacts/artifacts.go``, v3.5.14 and v4.0.10), which
    ``workflow/artifacts/s3/s3.go`` hands to minio-go as ``Secure``: without ``insecure`` it
    speaks TLS, and a plain-HTTP server on :80 (the Pachyderm S3 gateway's ``pachd-proxy``
    default) fails every read and write at run time. KFP v2's launcher, given
    ``disableSSL: false`` from the same field (``formats/kfpv2/providers.py``), does the same
    (``DisableHTTPS = params.DisableSSL``, ``backend/src/v2/objectstore/object_store.go``,
    2.17.0; ``config.DisableSSL`` in 2.14.0). An explicit ``insecure: false`` is the
    user's choice (TLS on :80) and is not questioned. ``field`` is the store's own field.
    """
    endpoint = store.config.get("endpoint")
    if not isinstance(endpoint, str) \
            or "insecure" in store.config or endpoint.rpartition(":")[2] != "80" \
            or ":" not in endpoint:
        return []
    return [Problem(
        "KF212", f"store {store.name!r}: endpoint {endpoint!r} is on port 80 but 'insecure' is "
        "not set, so Argo's executor (and KFP's launcher) speak HTTPS to it and every transfer "
        "fails",
        "set 'insecure: true' on the store when the server speaks plain HTTP on port 80 "
        "(Pachyderm's S3 gateway does), or 'insecure: false' if it really serves TLS there",
        "endpoint", warning=True)]


def location(store: Store, uri: str) -> dict[str, Any]:
    """The S3 location of ``s3://bucket/key`` on an s3 store."""
    bucket, key = split_bucket_key(uri)
    creds = store.config.get("credentials")
    keys = (secret_ref(creds["secret"], creds["accessKey"]),
            secret_ref(creds["secret"], creds["secretKey"])) if creds else None
    # Only an ambient KFP store may leave out its endpoint (the schema): that is AWS itself.
    endpoint = store.config.get("endpoint", "s3.amazonaws.com")
    return s3_location(store.config, endpoint, bucket, key, keys)


def _location(request: Request) -> dict[str, Any]:
    assert request.store is not None  # resolve guarantees the store for store_required drivers
    return location(request.store, request.dataset.uri)


def _check(uri: str) -> list[Problem]:
    bucket, key = split_bucket_key(uri)
    if not bucket or not object_key(key):
        return [Problem("KF204", f"{uri!r} needs a bucket and a key: s3://<bucket>/<key>",
                        "name the object or prefix inside the bucket")]
    return bucket_problems(uri, bucket)


DRIVER = ObjectStoreDriver("s3", "s3", _location, _check)
