"""The ``providers`` of the ``kfp-launcher`` ConfigMap that a bound pipeline's workspace
imports need (``kfdata-compile --kfp-launcher-config FILE``).

A workspace importer runs in a pod of its own and reads the bucket with the credentials the
namespace's ``kfp-launcher`` ConfigMap names for it (backend 2.15+,
``importer_launcher.go`` ``resolveBucketConfigForURI``); the step never sees them::

    vocab: {uri: s3://corp-datasets/vocab/v3/, store: corp}   (workspace)
    ->  s3:
          default: {credentials: {fromEnv: true}}
          overrides:
          - bucketName: corp-datasets
            keyPrefix: ''
            endpoint: s3.corp.example.com
            region: us-east-1
            disableSSL: false
            credentials: {fromEnv: false, secretRef: {secretName: corp-datasets-ro, ...}}

KFP requires a ``default`` once a scheme has overrides; an existing one is kept when merging.
Every S3 override names a region, ``us-east-1`` when the store has none: the override's region
replaces the default's only when set (``backend/src/v2/config/s3.go`` ``GetSessionInfo``), and
KFP's aws-sdk-go-v2 client has no region to sign with otherwise, custom endpoint or not
(``backend/src/v2/objectstore/object_store.go``: ``config.WithRegion(params.Region)`` at 2.15.0
and 2.16.0, ``awsconfig.WithRegion`` only when non-empty at 2.17.0).
"""

from __future__ import annotations

from typing import Any

from kfdata_compiler.formats.kfpv2 import ir, launcher
from kfdata_compiler.spec import DataBindings, Store
from kfdata_compiler.yamlio.kfpstyle import dump_kfp_documents, load_kfp_documents

HEADER = ("# kfp-launcher providers for the workspace imports of a pipeline bound by\n"
          "# kfdata-compile. Merge into data.providers of the kfp-launcher ConfigMap of each\n"
          "# namespace that runs it (keep an existing default; docs/kfp-v2.md).\n")
DEFAULT_REGION = "us-east-1"
REGION_NOTE = ("# Every s3 override names a region (us-east-1 when its store sets none): KFP's\n"
               "# S3 client needs one, even with a custom endpoint.\n")


def _credentials(store: Store) -> dict[str, Any]:
    creds = store.config.get("credentials")
    if not creds:
        return {"fromEnv": True}
    if store.kind == "gcs":
        ref = {"secretName": creds["secret"], "tokenKey": creds["serviceAccountKey"]}
    else:
        ref = {"secretName": creds["secret"], "accessKeyKey": creds["accessKey"],
               "secretKeyKey": creds["secretKey"]}
    return {"fromEnv": False, "secretRef": ref}


def _override(uri: str, store: Store) -> dict[str, Any]:
    entry: dict[str, Any] = {"bucketName": launcher.bucket(uri), "keyPrefix": ""}
    if store.kind == "s3":
        entry["endpoint"] = store.config.get("endpoint", "s3.amazonaws.com")
        entry["region"] = store.config.get("region") or DEFAULT_REGION
        entry["disableSSL"] = bool(store.config.get("insecure", False))
    entry["credentials"] = _credentials(store)
    return entry


def providers(output: str, spec: DataBindings) -> dict[str, Any]:
    """The providers every workspace importer of a bound IR file needs, by URI scheme."""
    docs = load_kfp_documents(output)
    out: dict[str, Any] = {}
    for executor in ir.executors(docs[0] if docs else {}).values():
        importer = ir.mapping(executor, "importer")
        uri = ir.mapping(importer, "artifactUri").get("constant")
        name = ir.mapping(importer, "metadata").get("kfdata.dev/dataset")
        dataset = spec.datasets.get(str(name))
        if not importer.get("downloadToWorkspace") or not isinstance(uri, str) or not dataset:
            continue
        store = spec.stores.get(dataset.store or "")
        root = store.kfp.get("pipelineRoot") if store is not None else None
        if store is None or store.kfp.get("ambient") is True or isinstance(root, str) and (
                launcher.bucket(root), launcher.scheme(root)) == (launcher.bucket(uri),
                                                                  launcher.scheme(uri)):
            continue  # the pods' identity, or the pipeline root's own session, reaches it
        scheme = launcher.scheme(uri)
        entry = out.setdefault(scheme, {"default": {"credentials": {"fromEnv": True}},
                                        "overrides": []})
        override = _override(uri, store)
        if override not in entry["overrides"]:
            entry["overrides"].append(override)
    return out


def snippet(output: str, spec: DataBindings) -> str:
    """:func:`providers` as YAML to merge, with a header saying where it goes."""
    found = providers(output, spec)
    header = HEADER + (REGION_NOTE if "s3" in found else "")
    return dump_kfp_documents([found], header) if found else header + "{}\n"

