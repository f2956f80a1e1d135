"""lock, s3: the manifest of a prefix, against one moto server for the module.

Over 1,000 keys (two pages of list_objects_v2), a multipart ETag, folder markers, a sibling
prefix that must not count, a single object, an empty prefix, a missing bucket and credentials.
"""

from __future__ import annotations

import hashlib
import itertools
from pathlib import Path
from typing import Any

import pytest

from kfdata_compiler.lock.lockfile import read_lock
from kfdata_compiler.lock.model import Entry
from tests.lock.conftest import write_spec

pytestmark = pytest.mark.usefixtures("no_cloud_config")
STORES = "minio: {s3: {endpoint: minio-service.kubeflow:9000, insecure: true}}"
_BUCKETS = itertools.count()


@pytest.fixture
def s3(moto_url: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A client of the module's moto server, and the test's own credentials for it."""
    import boto3

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    return boto3.client("s3", endpoint_url=moto_url)


def _bucket(s3: Any) -> str:
    name = f"datasets-{next(_BUCKETS)}"
    s3.create_bucket(Bucket=name)
    return name


def _lock(tmp_path: Path, cli: Any, uri: str, moto_url: str, *args: str) -> Entry:
    spec = write_spec(tmp_path, f"d: {{uri: '{uri}', store: minio}}", STORES)
    run = cli("lock", spec, "--endpoint", f"minio={moto_url}", *args)
    assert run.status == 0, run.err
    lock = tmp_path / "pipeline.kfdata.lock"
    return read_lock(lock.read_bytes(), str(lock), spec.name).entries["d"]


def test_manifest_of_a_prefix(tmp_path: Path, cli: Any, s3: Any, moto_url: str) -> None:
    bucket = _bucket(s3)
    for key, body in [("images/cat/1.jpg", b"c1"), ("images/dog/1.jpg", b"d1"),
                      ("images/dir/", b""), ("images2/other", b"not ours")]:
        s3.put_object(Bucket=bucket, Key=key, Body=body)
    upload = s3.create_multipart_upload(Bucket=bucket, Key="images/big.bin")["UploadId"]
    parts = [{"PartNumber": n, "ETag": s3.upload_part(
        Bucket=bucket, Key="images/big.bin", PartNumber=n, UploadId=upload,
        Body=b"x" * (5 << 20 if n == 1 else 10))["ETag"]} for n in (1, 2)]
    s3.complete_multipart_upload(Bucket=bucket, Key="images/big.bin", UploadId=upload,
                                 MultipartUpload={"Parts": parts})
    entry = _lock(tmp_path, cli, f"s3://{bucket}/images", moto_url)
    etag = s3.head_object(Bucket=bucket, Key="images/big.bin")["ETag"].strip('"')
    assert etag.endswith("-2")  # multipart: kept as S3 gives it
    manifest = "".join(sorted([
        f'["big.bin","{etag}",{(5 << 20) + 10}]\n',
        f'["cat/1.jpg","{hashlib.md5(b"c1").hexdigest()}",2]\n',
        f'["dog/1.jpg","{hashlib.md5(b"d1").hexdigest()}",2]\n',
    ]))
    assert entry == Entry(f"s3://{bucket}/images", "s3-manifest",
                          "sha256:" + hashlib.sha256(manifest.encode()).hexdigest(),
                          entry.input, None, 3, (5 << 20) + 14, manifest=2)


def test_more_than_one_page(tmp_path: Path, cli: Any, s3: Any, moto_url: str) -> None:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.s3.models import s3_backends

    bucket = _bucket(s3)
    # 1,100 objects through the server's own backend: by HTTP they would take ten seconds.
    backend = s3_backends[DEFAULT_ACCOUNT_ID]["global"]
    for n in range(1100):
        backend.put_object(bucket, f"many/{n:05d}", b"z")
    entry = _lock(tmp_path, cli, f"s3://{bucket}/many/", moto_url)
    # A page holds at most 1,000 keys: the lock followed the continuation token.
    assert (entry.objects, entry.bytes) == (1100, 1100)


def test_changed_data_fails_check_upgrade(tmp_path: Path, cli: Any, s3: Any,
                                          moto_url: str) -> None:
    bucket = _bucket(s3)
    s3.put_object(Bucket=bucket, Key="images/a.jpg", Body=b"a")
    first = _lock(tmp_path, cli, f"s3://{bucket}/images", moto_url)
    spec = tmp_path / "pipeline.kfdata.yaml"
    endpoint = f"minio={moto_url}"
    assert cli("lock", spec, "--check", "--upgrade", "--endpoint", endpoint).status == 0
    s3.put_object(Bucket=bucket, Key="images/b.jpg", Body=b"b")  # a new object moves the pin
    moved = cli("lock", spec, "--check", "--upgrade", "--endpoint", endpoint)
    assert moved.status == 1 and "+    objects: 2" in moved.out
    assert read_lock((tmp_path / "pipeline.kfdata.lock").read_bytes(), "l", spec.name
                     ).entries["d"] == first  # --check wrote nothing
    s3.put_object(Bucket=bucket, Key="images/b.jpg", Body=b"B")  # same size, new content
    assert _lock(tmp_path, cli, f"s3://{bucket}/images", moto_url, "--upgrade").version \
        not in (first.version,)


def test_one_object(tmp_path: Path, cli: Any, s3: Any, moto_url: str) -> None:
    bucket = _bucket(s3)
    s3.put_object(Bucket=bucket, Key="vocab.txt", Body=b"words")
    entry = _lock(tmp_path, cli, f"s3://{bucket}/vocab.txt", moto_url)
    line = f'["","{hashlib.md5(b"words").hexdigest()}",5]\n'
    assert entry.version == "sha256:" + hashlib.sha256(line.encode()).hexdigest()
    assert (entry.objects, entry.bytes) == (1, 5)


@pytest.mark.parametrize(("uri", "message"), [
    ("s3://{bucket}/nothing", "no objects under s3://{bucket}/nothing/"),
    ("s3://no-such-bucket/x", "has no such bucket"),
], ids=["empty-prefix", "no-bucket"])
def test_not_found(tmp_path: Path, cli: Any, s3: Any, moto_url: str, uri: str,
                   message: str) -> None:
    bucket = _bucket(s3)
    s3.put_object(Bucket=bucket, Key="nothing-like-it", Body=b"x")  # a sibling, not under it
    spec = write_spec(tmp_path, f"d: {{uri: '{uri.format(bucket=bucket)}', store: minio}}",
                      STORES)
    run = cli("lock", spec, "--endpoint", f"minio={moto_url}")
    assert run.status == 1
    assert "error[KF511]: dataset 'd':" in run.err and message.format(bucket=bucket) in run.err
    assert not (tmp_path / "pipeline.kfdata.lock").exists()


def test_no_credentials_names_the_endpoint(tmp_path: Path, cli: Any, s3: Any, moto_url: str,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    spec = write_spec(tmp_path, "d: {uri: 's3://b/k', store: minio}", STORES)
    run = cli("lock", spec, "--endpoint", f"minio={moto_url}")
    assert run.status == 1
    assert f"error[KF512]: dataset 'd': no AWS credentials to sign requests to {moto_url}" \
        in run.err
    assert "never reads the spec's Secret" in run.err


def test_the_spec_endpoint_is_used_without_endpoint(tmp_path: Path, cli: Any, s3: Any,
                                                    moto_url: str) -> None:
    host = moto_url.removeprefix("http://")
    bucket = _bucket(s3)
    s3.put_object(Bucket=bucket, Key="k/a", Body=b"a")
    spec = write_spec(tmp_path, f"d: {{uri: 's3://{bucket}/k', store: minio}}",
                      f"minio: {{s3: {{endpoint: '{host}', insecure: true}}}}")
    assert cli("lock", spec).status == 0
