"""Where a datum read lists and fetches: the dataset's full location, re-keyed.

    read images (s3://datasets/images on minio), as the driver built it:
        {name: kfdata-images, path: /kfdata/images, s3: {endpoint: ..., key: images, ...}, ...}
    listing(...)   ->  {name: images, s3: {endpoint: ..., key: images, ...}}
    per_item(...)  ->  {name: kfdata-images, s3: {endpoint: ..., key: "images/{{item}}", ...},
                        archive: {none: {}}}

Always the full location (endpoint, bucket, Secret references): a key-only artifact would be
relocated into Argo's artifact repository, with its bucket and credentials. The list's key
never ends in ``/``: S3's ``ListDirectory`` lists ``Clean(key)+"/"`` itself, and GCS's
``listByPrefix`` (``workflow/artifacts/gcs/gcs.go``, v3.7.0 and later) answers a prefix ending
in ``/`` with the folder marker alone when one exists (the list would be empty). GCS lists
``web`` by raw prefix, sibling prefixes (``web2/``) included: the list's first filter drops them.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from kfdata_compiler.drivers.need import NO_ARCHIVE
from kfdata_compiler.formats.argo.datums import names
from kfdata_compiler.plan import Access

LISTABLE = ("s3", "gcs")  # the locations Argo's data template lists (S3 gateways included)


class Source(NamedTuple):
    """A datum read's location: its kind (``s3``/``gcs``), fields, and the object key."""

    kind: str
    fields: dict[str, Any]
    key: str

    @property
    def gcs(self) -> bool:
        """Whether GCS lists it (raw prefixes: directory datums keep their ``/``)."""
        return self.kind == "gcs"

    @property
    def prefix(self) -> str:
        """The key without a final ``/``: what a datum is appended to."""
        return self.key.rstrip("/")

    def located(self, key: str) -> dict[str, Any]:
        """The same location with another key."""
        return {self.kind: {**self.fields, "key": key}}


def source(access: Access) -> Source | None:
    """The listable location of a read, or None (not an artifact of s3 or gcs with a key)."""
    if len(access.need.input_artifacts) != 1:
        return None
    artifact = access.need.input_artifacts[0]
    kinds = [k for k in LISTABLE if isinstance(artifact.get(k), dict)]
    if len(kinds) != 1 or not isinstance(artifact[kinds[0]].get("key"), str):
        return None
    fields = dict(artifact[kinds[0]])
    return Source(kinds[0], fields, str(fields["key"]))


def listing(where: Source, dataset: str) -> dict[str, Any]:
    """The ``artifactPaths`` of the list template: the dataset's whole prefix, without ``/``."""
    return {"name": dataset, **where.located(where.prefix)}


def per_item(where: Source, artifact: str) -> dict[str, Any]:
    """The caller's argument: the datum's full location, unarchived."""
    return {"name": artifact, **where.located(f"{where.prefix}/{names.ITEM}"),
            "archive": dict(NO_ARCHIVE)}


def keyed(artifact: dict[str, Any], suffix: str) -> dict[str, Any]:
    """An output artifact whose location's key gets ``/<suffix>`` (a write per datum).

    >>> keyed({"name": "o", "s3": {"key": "out/"}}, "{{x}}")["s3"]["key"]
    'out/{{x}}'
    """
    out = dict(artifact)
    for kind, fields in artifact.items():
        if isinstance(fields, dict) and isinstance(fields.get("key"), str):
            out[kind] = {**fields, "key": f"{fields['key'].rstrip('/')}/{suffix}"}
    return out
