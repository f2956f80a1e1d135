"""s3 and gs manifests are unambiguous (issue 19 §2): a key may hold a TAB or a newline (S3 and
GCS allow both), and two different listings never digest alike. A lock of the old format
(tab-separated lines, no ``manifest`` field) is stale: ``lock`` re-pins it and says so,
``lock --check`` fails, the compile warns (``--locked``: fails) and the dataset floats."""

from __future__ import annotations

import hashlib
import itertools
import re
from pathlib import Path
from typing import Any

import pytest

from kfdata_compiler.compiler import compile_file
from kfdata_compiler.diagnostics import Severity
from kfdata_compiler.errors import KfdataError
from kfdata_compiler.lock.lockfile import read_lock
from tests.lock.conftest import write_spec

pytestmark = pytest.mark.usefixtures("no_cloud_config")
STORES = "minio: {s3: {endpoint: minio-service.kubeflow:9000, insecure: true}}"
_BUCKETS = itertools.count()
NO_CACHE = "pipelines.kubeflow.org/max_cache_staleness"


@pytest.fixture
def s3(moto_url: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    import boto3

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    return boto3.client("s3", endpoint_url=moto_url)


def _bucket(s3: Any, objects: dict[str, bytes]) -> str:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.s3.models import s3_backends

    name = f"manifests-{next(_BUCKETS)}"
    s3.create_bucket(Bucket=name)
    # Through the server's own backend: moto's HTTP routing refuses a key holding a newline,
    # which S3 stores (the listing that the lock reads is HTTP, url-encoded keys and all).
    backend = s3_backends[DEFAULT_ACCOUNT_ID]["global"]
    for key, body in objects.items():
        backend.put_object(name, key, body)
    return name


def _lock(directory: Path, cli: Any, uri: str, moto_url: str, *args: str) -> Any:
    spec = write_spec(directory, f"d: {{uri: '{uri}', store: minio}}", STORES)
    run = cli("lock", spec, "--endpoint", f"minio={moto_url}", *args)
    assert run.status == 0, run.err
    lock = spec.with_suffix(".lock")
    return read_lock(lock.read_bytes(), str(lock), spec.name).entries["d"]


def _md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def test_keys_with_a_tab_or_a_newline_never_digest_alike(tmp_path: Path, cli: Any, s3: Any,
                                                          moto_url: str) -> None:
    """Two objects (3 bytes) and one object (2 bytes) whose TAB-joined lines were the same."""
    two = _bucket(s3, {"p/a": b"x", "p/b": b"yz"})
    one = _bucket(s3, {f"p/a\t{_md5(b'x')}\t1\nb": b"yz"})
    first = _lock(tmp_path / "two", cli, f"s3://{two}/p", moto_url)
    second = _lock(tmp_path / "one", cli, f"s3://{one}/p", moto_url)
    assert (first.objects, first.bytes, second.objects, second.bytes) == (2, 3, 1, 2)
    assert first.version != second.version
    assert first.manifest == second.manifest == 2
    # The digest is of JSON lines: what the docs say, checked from the outside.
    line = f'["a\\t{_md5(b"x")}\\t1\\nb","{_md5(b"yz")}",2]\n'
    assert second.version == "sha256:" + hashlib.sha256(line.encode()).hexdigest()
    text = (tmp_path / "one" / "pipeline.kfdata.lock").read_text()
    assert "    manifest: 2\n" in text


@pytest.fixture
def old_lock(tmp_path: Path, cli: Any, s3: Any, moto_url: str) -> Path:
    """A fresh lock as the previous kfdata-compile wrote it: no ``manifest``, TAB lines."""
    bucket = _bucket(s3, {"p/a": b"x"})
    _lock(tmp_path, cli, f"s3://{bucket}/p", moto_url)
    lock = tmp_path / "pipeline.kfdata.lock"
    old = "sha256:" + hashlib.sha256(f"a\t{_md5(b'x')}\t1\n".encode()).hexdigest()
    text = re.sub(r"version: '[^']+'", f"version: '{old}'", lock.read_text())
    lock.write_text(text.replace("    manifest: 2\n", ""))
    return lock


def test_lock_check_reports_an_old_manifest_as_stale(old_lock: Path, cli: Any,
                                                     moto_url: str) -> None:
    spec, before = old_lock.with_name("pipeline.kfdata.yaml"), old_lock.read_text()
    run = cli("lock", "--check", spec, "--endpoint", f"minio={moto_url}")
    assert run.status == 1, run.err
    assert "warning[KF515]: dataset 'd' re-pinned: its version digests manifest format 1" \
        in run.err
    assert "TAB or a newline" in run.err and "is out of date" in run.err
    assert "+    manifest: 2" in run.out
    assert old_lock.read_text() == before  # --check writes nothing


def test_lock_re_pins_an_old_manifest_and_says_so(old_lock: Path, cli: Any,
                                                   moto_url: str) -> None:
    spec = old_lock.with_name("pipeline.kfdata.yaml")
    run = cli("lock", spec, "--endpoint", f"minio={moto_url}")
    assert run.status == 0, run.err
    assert "warning[KF515]" in run.err and "1 resolved, 0 kept" in run.err
    entry = read_lock(old_lock.read_bytes(), str(old_lock), spec.name).entries["d"]
    assert entry.manifest == 2
    again = cli("lock", spec, "--endpoint", f"minio={moto_url}")
    assert again.status == 0 and "KF515" not in again.err and "1 kept" in again.err


def test_the_compile_does_not_use_an_old_manifest(old_lock: Path) -> None:
    pipeline = old_lock.with_name("pipeline.yaml")
    result = compile_file(pipeline)
    (stale,) = [d for d in result.warnings if d.code == "KF515"]
    assert stale.severity is Severity.WARNING and stale.location.file == str(old_lock)
    assert stale.location.line > 0
    assert "the pin in pipeline.kfdata.lock is stale: its version digests manifest format 1" \
        in stale.message and "it floats" in stale.message
    assert "kfdata-compile lock" in stale.hint
    assert "KFDATA_D_VERSION" not in result.output and f"{NO_CACHE}: P0D" in result.output
    with pytest.raises(KfdataError) as failed:
        compile_file(pipeline, lock_mode="locked")
    assert [d.code for d in failed.value.diagnostics
            if d.severity is Severity.ERROR] == ["KF515"]


def test_a_manifest_field_on_another_kind_fails_the_schema(tmp_path: Path) -> None:
    text = ("lockVersion: 1\nspec: s.yaml\ndatasets:\n  d:\n    uri: https://h/v\n"
            "    kind: http-sha256\n    version: 'sha256:" + "a" * 64 + "'\n    manifest: 2\n"
            "    bytes: 1\n    input: 'sha256:" + "b" * 64 + "'\n")
    with pytest.raises(KfdataError) as failed:
        read_lock(text.encode(), "x.lock", "s.yaml")
    assert [d.code for d in failed.value.diagnostics] == ["KF501"]


def test_gs_keys_with_a_tab_or_a_newline_never_digest_alike(tmp_path: Path, cli: Any,
                                                             gcs_url: str) -> None:
    import base64

    from google.auth.credentials import AnonymousCredentials
    from google.cloud import storage

    client = storage.Client(project="test", credentials=AnonymousCredentials(),
                            client_options={"api_endpoint": gcs_url})
    md5 = base64.b64encode(hashlib.md5(b"x").digest()).decode()
    versions = []
    for n, objects in enumerate([{"p/a": b"x", "p/b": b"yz"}, {f"p/a\t{md5}\t1\nb": b"yz"}]):
        bucket = client.create_bucket(f"gs-manifests-{n}")
        for key, body in objects.items():
            bucket.blob(key).upload_from_string(body)
        spec = write_spec(tmp_path / str(n), f"d: {{uri: 'gs://{bucket.name}/p', store: gcp}}",
                          "gcp: {gcs: {}}")
        run = cli("lock", spec, "--endpoint", f"gcp={gcs_url}")
        assert run.status == 0, run.err
        lock = spec.with_suffix(".lock")
        versions.append(read_lock(lock.read_bytes(), str(lock), spec.name).entries["d"])
    assert [(v.objects, v.bytes) for v in versions] == [(2, 3), (1, 2)]
    assert versions[0].version != versions[1].version
