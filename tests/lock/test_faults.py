"""lock against servers on 127.0.0.1 that break off: every resolver's failure is KF512 at the
dataset, naming the endpoint and the cause, exit 1, and no lock written (issue 19 §1, §2).

A body cut short is never pinned: the bytes that came are not the dataset.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.lock.conftest import write_spec
from tests.lock.fakes import Fault, FaultyHandler, serving

BODY = bytes(range(256)) * 4  # 1,000 and some bytes: the server announces them all
EARLY = Fault(BODY, send=10)  # Content-Length: 1024, then 10 bytes and a close
RESET = Fault(BODY, send=10, reset=True)  # 10 bytes, then an RST


def at_dataset(spec: Path) -> str:
    """``file:line:col`` of dataset ``d`` in a spec ``write_spec`` wrote."""
    lines = spec.read_text().splitlines()
    return f"{spec}:{lines.index('datasets:') + 2}:3"


def _refused(run: Any, spec: Path, url: str, *causes: str) -> None:
    assert run.status == 1, run.err
    assert "Traceback" not in run.err and "KF900" not in run.err
    assert f"{at_dataset(spec)}: error[KF512]: dataset 'd': " in run.err, run.err
    assert url in run.err
    assert any(cause in run.err for cause in causes), run.err
    assert not spec.with_suffix(".lock").exists()


@pytest.mark.parametrize(("fault", "causes"), [
    (EARLY, ["closed the connection after 10 of the 1024 bytes it announced"]),
    (RESET, ["Connection reset by peer"]),
])
def test_http_body_broken_off_is_never_pinned(tmp_path: Path, cli: Any, fault: Fault,
                                              causes: list[str]) -> None:
    with serving(FaultyHandler, fault) as base:
        spec = write_spec(tmp_path, f"d: {{uri: '{base}/vocab.txt'}}")
        run = cli("lock", spec)
    _refused(run, spec, f"{base}/vocab.txt", *causes)
    assert "nothing was pinned" in run.err


def test_http_broken_off_leaves_the_old_lock(tmp_path: Path, cli: Any) -> None:
    whole = Fault(BODY)
    with serving(FaultyHandler, whole) as base:
        spec = write_spec(tmp_path, f"d: {{uri: '{base}/vocab.txt'}}")
        assert cli("lock", spec).status == 0
        old = spec.with_suffix(".lock").read_bytes()
        whole.send = 10
        run = cli("lock", "--upgrade", spec)
    assert run.status == 1 and "error[KF512]" in run.err
    assert spec.with_suffix(".lock").read_bytes() == old


def test_http_a_body_that_ends_at_the_close_is_whole(tmp_path: Path, cli: Any) -> None:
    """No Content-Length: the close is the end (HTTP/1.0 style), nothing to tell it from."""
    with serving(FaultyHandler, Fault(BODY, length=-1)) as base:
        spec = write_spec(tmp_path, f"d: {{uri: '{base}/vocab.txt'}}")
        run = cli("lock", spec)
    assert run.status == 0, run.err
    assert f"bytes: {len(BODY)}" in spec.with_suffix(".lock").read_text()


def test_http_slow_server_times_out(tmp_path: Path, cli: Any) -> None:
    with serving(FaultyHandler, Fault(BODY, delay=1.5)) as base:
        spec = write_spec(tmp_path, f"d: {{uri: '{base}/vocab.txt'}}")
        run = cli("lock", spec, "--timeout", "0.3")
    _refused(run, spec, f"{base}/vocab.txt", "timed out")


LAKE = ("lake: {lakefs: {endpoint: 'lakefs.lakefs:8000', insecure: true, "
        "credentials: {secret: lakefs-creds, accessKey: access, secretKey: secret}}}")


@pytest.mark.parametrize(("fault", "causes"), [
    (Fault(json.dumps({"commit_id": "1" * 64}).encode(), send=10),
     ["closed the connection after 10 of the"]),
    (Fault(b'{"commit_id": "' + b"1" * 64 + b'"}', send=5, reset=True),
     ["Connection reset by peer"]),
])
def test_lakefs_answer_broken_off(tmp_path: Path, cli: Any, fault: Fault,
                                  causes: list[str]) -> None:
    with serving(FaultyHandler, fault) as base:
        spec = write_spec(tmp_path, "d: {uri: 'lakefs://reviews/main/2024/', store: lake}",
                          LAKE)
        run = cli("lock", spec, "--endpoint", f"lake={base}")
    _refused(run, spec, f"{base}/api/v1/repositories/reviews/branches/main", *causes)


S3 = "minio: {s3: {endpoint: minio-service.kubeflow:9000, insecure: true}}"


@pytest.mark.usefixtures("no_cloud_config")
@pytest.mark.parametrize("fault", [
    Fault(b"<?xml version='1.0'?><ListBucketResult><Contents><Key>a</Key>" * 20, send=30),
    Fault(b"x" * 100, send=3, reset=True),
    Fault(b"<ListBucketResult><Contents><Key>", content_type="application/xml"),
])
def test_s3_listing_broken_off(tmp_path: Path, cli: Any, fault: Fault,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("boto3")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with serving(FaultyHandler, fault) as base:
        spec = write_spec(tmp_path, "d: {uri: 's3://datasets/images', store: minio}", S3)
        run = cli("lock", spec, "--endpoint", f"minio={base}", "--timeout", "2")
    _refused(run, spec, base, "answered 500", "cannot reach", "broke")


@pytest.mark.usefixtures("no_cloud_config")
@pytest.mark.parametrize("fault", [Fault(b'{"items": []}' * 10, send=10),
                                   Fault(b"x" * 100, send=3, reset=True),
                                   Fault(b"{not json", content_type="application/json")])
def test_gs_listing_broken_off(tmp_path: Path, cli: Any, fault: Fault) -> None:
    pytest.importorskip("google.cloud.storage")
    with serving(FaultyHandler, fault) as base:
        spec = write_spec(tmp_path, "d: {uri: 'gs://corpora/en/', store: gcp}",
                          "gcp: {gcs: {}}")
        run = cli("lock", spec, "--endpoint", f"gcp={base}", "--timeout", "1")
    _refused(run, spec, base, "IncompleteRead", "reset", "not JSON", "Timeout")


def test_git_remote_that_resets(tmp_path: Path, cli: Any) -> None:
    """git shells out: its failure is its exit status and stderr, whatever broke."""
    with serving(FaultyHandler, Fault(b"x" * 100, send=3, reset=True)) as base:
        spec = write_spec(tmp_path, f"d: {{uri: 'git+{base}/org/eval.git', revision: main}}")
        run = cli("lock", spec, "--timeout", "5")
    _refused(run, spec, f"{base}/org/eval.git", "git ls-remote")


PACH = "pach: {pachyderm: {endpoint: pachd.pachyderm}}"


@pytest.mark.parametrize(("script", "mode", "causes"), [
    ("#!/bin/sh\nexit 0\n", 0o644, ["pachctl cannot be run: Permission denied"]),
    ("not a program\n", 0o755, ["pachctl cannot be run"]),
    ("#!/bin/sh\nprintf '\\377\\376{'\nprintf 'broken \\377\\n' >&2\nexit 1\n", 0o755,
     ["broken \ufffd"]),
    ("#!/bin/sh\nprintf '\\377\\376{'\nexit 0\n", 0o755, ["answered without a commit id"]),
])
def test_pachctl_that_cannot_run_or_garbles(tmp_path: Path, cli: Any, script: str, mode: int,
                                            causes: list[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "pachctl").write_text(script)
    (bin_dir / "pachctl").chmod(mode)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    spec = write_spec(tmp_path / "s", "d: {uri: 'pach://vision/images@master:/train', "
                      "store: pach}", PACH)
    run = cli("lock", spec)
    assert run.status == 1, run.err
    assert "Traceback" not in run.err
    assert f"{at_dataset(spec)}: error[KF51" in run.err, run.err
    assert any(cause in run.err for cause in causes), run.err
    assert not spec.with_suffix(".lock").exists()
