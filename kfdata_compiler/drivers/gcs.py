"""Google Cloud Storage: ``gs://bucket/key`` (a ``/``-terminated key is a prefix).

    corpus: {uri: gs://corpora/en/, store: gcp}
    ->  gcs: {bucket: corpora, key: en/, serviceAccountKeySecret: {name: gcp-sa, key: key.json}}

A read of a prefix is not exact: Argo's GCS ``Load`` (``workflow/artifacts/gcs/gcs.go``,
v3.3.10 and v3.4.4 to v4.0.10) cleans the key (``filepath.Clean``: ``en/`` -> ``en``) and
downloads every object whose name starts with it, so siblings (``en2/x``, ``en.txt``) land in
the directory too (as ``2/x``, ``.txt``), and from v3.7.0 an object named exactly ``en`` is
read alone (``listByPrefix``). No key avoids that: the key stays as written (``en/`` is exact
on the releases that do not clean it, v3.3.8 and v3.4.0 to v3.4.3). Folder markers are skipped
from v3.4.5 (and break the read, loudly, before). Writes are exact (``uploadObjects``:
``Clean(key) + "/" + relPath``). A sibling the spec itself names is KF340 (:func:`siblings`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kfdata_compiler.drivers.base import Problem, Request
from kfdata_compiler.drivers.need import secret_ref
from kfdata_compiler.drivers.objectstore import (
    ObjectStoreDriver,
    bucket_problems,
    split_bucket_key,
)
from kfdata_compiler.spec import Dataset


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


def siblings(dataset: Dataset, others: Iterable[Dataset]) -> list[Problem]:
    """KF340 when another ``gs://`` dataset of the spec is a sibling Argo would read with this
    prefix (``gs://b/en/`` and ``gs://b/en2/``, or ``gs://b/en``): then the run is known to be
    wrong. Siblings the spec does not name cannot be seen here (docs/spec.md says so).
    """
    bucket, key = split_bucket_key(dataset.uri)
    if not key.endswith("/"):
        return []
    stem = key.rstrip("/")
    for other in others:
        their_bucket, their_key = split_bucket_key(other.uri)
        if (other.name == dataset.name or other.scheme != "gs" or their_bucket != bucket
                or not their_key.startswith(stem) or their_key.startswith(key)):
            continue
        shadow = their_key.rstrip("/") == stem  # an object named exactly like the prefix
        return [Problem(
            "KF340", f"dataset {dataset.name!r}: reading {dataset.uri!r} also reads dataset "
            f"{other.name!r} ({other.uri!r}): Argo's GCS driver fetches every object whose "
            f"name starts with {stem!r} (gcs.go Load cleans the key)"
            + (f", and from Argo 3.7 an object named exactly {stem!r} is read alone"
               if shadow else f", so the objects of {other.name!r} land in the step's directory"),
            f"rename one prefix so that neither name starts the other (e.g. {stem}/ and "
            f"{stem}-x/ still clash; {stem}/ and x-{stem.rpartition('/')[2]}/ do not)",
            warning=True)]
    return []


DRIVER = ObjectStoreDriver("gcs", "gcs", _location, _check)
