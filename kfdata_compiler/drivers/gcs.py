"""Google Cloud Storage: ``gs://bucket/key`` (a ``/``-terminated key is a prefix).

    corpus: {uri: gs://corpora/en/, store: gcp}
    ->  gcs: {bucket: corpora, key: en/, serviceAccountKeySecret: {name: gcp-sa, key: key.json}}
"""

from __future__ import annotations

from typing import Any

from kfdata_compiler.drivers.base import Problem, Request
from kfdata_compiler.drivers.need import secret_ref
from kfdata_compiler.drivers.objectstore import (
    ObjectStoreDriver,
    bucket_problems,
    split_bucket_key,
)


def _location(request: Request) -> dict[str, Any]:
    assert request.store is not None
    bucket, key = split_bucket_key(request.dataset.uri)
    gcs: dict[str, Any] = {"bucket": bucket, "key": key}
    creds = request.store.config.get("credentials")
    if creds:
        gcs["serviceAccountKeySecret"] = secret_ref(creds["secret"], creds["serviceAccountKey"])
    return {"gcs": gcs}


def _check(uri: str) -> list[Problem]:
    bucket, key = split_bucket_key(uri)
    if not bucket or not key:
        return [Problem("KF204", f"{uri!r} needs a bucket and a key: gs://<bucket>/<key>",
                        "name the object, or a prefix ending in '/'")]
    return bucket_problems(uri, bucket)


DRIVER = ObjectStoreDriver("gcs", "gcs", _location, _check)
