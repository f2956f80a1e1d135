"""Which datasets a spec locks, and what makes an entry stale (its ``input`` digest)."""

from __future__ import annotations

import pytest

from kfdata_compiler.load import load_source
from kfdata_compiler.lock.select import floating, input_digest
from tests.helpers import spec

STORES = """
stores:
  minio:
    s3: {endpoint: minio:9000, insecure: true,
         credentials: {secret: minio-creds, accessKey: accesskey, secretKey: secretkey}}
"""
BASE = "d: {uri: s3://b/k, store: minio}"


def _digest(datasets: str, stores: str = STORES) -> str:
    from kfdata_compiler.spec import parse_spec

    text = spec(datasets, "- {step: s, read: [d]}", stores)
    (item,) = floating(parse_spec(load_source("s.yaml", text.encode())))
    return input_digest(item)


@pytest.mark.parametrize(("datasets", "stores"), [
    ("d: {uri: s3://b/k2, store: minio}", STORES),
    (BASE, STORES.replace("minio:9000", "minio:9001")),
    (BASE, STORES.replace("insecure: true", "insecure: false")),
], ids=["uri", "endpoint", "insecure"])
def test_what_it_resolves_changes_the_input(datasets: str, stores: str) -> None:
    assert _digest(datasets, stores) != _digest(BASE)


@pytest.mark.parametrize(("datasets", "stores"), [
    ("d: {uri: s3://b/k, store: minio, description: new words}", STORES),
    (BASE, STORES.replace("minio-creds", "rotated-creds")),
], ids=["description", "credentials"])
def test_what_it_does_not_resolve_leaves_it(datasets: str, stores: str) -> None:
    assert _digest(datasets, stores) == _digest(BASE)


def test_a_git_revision_is_part_of_it() -> None:
    assert _digest("d: {uri: 'git+https://h/o/r.git', revision: main}", "") != \
        _digest("d: {uri: 'git+https://h/o/r.git', revision: dev}", "")
