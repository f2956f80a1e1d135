"""lock, gs: the manifest of a prefix with md5Hash, against gcp-storage-emulator in-process."""

from __future__ import annotations

import base64
import hashlib
import itertools
from pathlib import Path
from typing import Any

import pytest

from kfdata_compiler.lock.lockfile import read_lock
from kfdata_compiler.lock.model import Entry
from tests.lock.conftest import write_spec

pytestmark = pytest.mark.usefixtures("no_cloud_config")
STORES = "gcp: {gcs: {credentials: {secret: gcp-sa, serviceAccountKey: key.json}}}"
_BUCKETS = itertools.count()


@pytest.fixture
def bucket(gcs_url: str) -> Any:
    """A new bucket in the module's emulator."""
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import storage

    client = storage.Client(project="test", credentials=AnonymousCredentials(),
                            client_options={"api_endpoint": gcs_url})
    return client.create_bucket(f"corpora-{next(_BUCKETS)}")


def _md5(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode()


def _lock(tmp_path: Path, cli: Any, uri: str, gcs_url: str, *args: str) -> Entry:
    spec = write_spec(tmp_path, f"d: {{uri: '{uri}', store: gcp}}", STORES)
    run = cli("lock", spec, "--endpoint", f"gcp={gcs_url}", *args)
    assert run.status == 0, run.err
    lock = tmp_path / "pipeline.kfdata.lock"
    return read_lock(lock.read_bytes(), str(lock), spec.name).entries["d"]


def test_manifest_of_a_prefix(tmp_path: Path, cli: Any, bucket: Any, gcs_url: str) -> None:
    for key, body in [("en/a.txt", b"alpha"), ("en/sub/b.txt", b"beta"), ("en/dir/", b""),
                      ("en2/other", b"not ours")]:
        bucket.blob(key).upload_from_string(body)
    entry = _lock(tmp_path, cli, f"gs://{bucket.name}/en/", gcs_url)
    manifest = f'["a.txt","{_md5(b"alpha")}",5]\n["sub/b.txt","{_md5(b"beta")}",4]\n'
    assert entry == Entry(f"gs://{bucket.name}/en/", "gs-manifest",
                          "sha256:" + hashlib.sha256(manifest.encode()).hexdigest(),
                          entry.input, None, 2, 9, manifest=2)


def test_changed_data_fails_check_upgrade(tmp_path: Path, cli: Any, bucket: Any,
                                          gcs_url: str) -> None:
    bucket.blob("en/a.txt").upload_from_string(b"alpha")
    _lock(tmp_path, cli, f"gs://{bucket.name}/en", gcs_url)
    spec, endpoint = tmp_path / "pipeline.kfdata.yaml", f"gcp={gcs_url}"
    assert cli("lock", spec, "--check", "--upgrade", "--endpoint", endpoint).status == 0
    bucket.blob("en/a.txt").upload_from_string(b"ALPHA")  # same size, new content
    moved = cli("lock", spec, "--check", "--upgrade", "--endpoint", endpoint)
    assert moved.status == 1 and "+    version: 'sha256:" in moved.out


def test_one_object(tmp_path: Path, cli: Any, bucket: Any, gcs_url: str) -> None:
    bucket.blob("vocab.txt").upload_from_string(b"words")
    entry = _lock(tmp_path, cli, f"gs://{bucket.name}/vocab.txt", gcs_url)
    line = f'["","{_md5(b"words")}",5]\n'
    assert entry.version == "sha256:" + hashlib.sha256(line.encode()).hexdigest()


@pytest.mark.parametrize(("uri", "message"), [
    ("gs://{bucket}/nothing/", "no objects under gs://{bucket}/nothing/"),
    ("gs://no-such-bucket/x", "has no bucket 'no-such-bucket'"),
], ids=["empty-prefix", "no-bucket"])
def test_not_found(tmp_path: Path, cli: Any, bucket: Any, gcs_url: str, uri: str,
                   message: str) -> None:
    spec = write_spec(tmp_path, f"d: {{uri: '{uri.format(bucket=bucket.name)}', store: gcp}}",
                      STORES)
    run = cli("lock", spec, "--endpoint", f"gcp={gcs_url}")
    assert run.status == 1
    assert "error[KF511]: dataset 'd':" in run.err
    assert message.format(bucket=bucket.name) in run.err
