"""Fuzzing ``kfdata-compile lock`` against faulty servers on 127.0.0.1 (issue 19 §1, §2).

Each example serves one answer, faulted: a close at a random byte of the body, a reset (RST) at
a random byte, a slow answer (under or over ``--timeout``), a ``Content-Length`` that is wrong
(too short: the body is what it says; too long, the connection left open: a wait that times
out), no length at all (the close is the end), or a body that is not the store's format. The
test keeps its own model of what each answer is worth and asserts, for http, lakeFS and s3:

- exit 0 only when the answer is whole and readable, with exactly the pin the model computes
  (the sha256 and size of the bytes the client was told the body is; the commit; the manifest);
- otherwise exit 1 and KF512 at the dataset (file:line:col), naming the endpoint;
- never exit 3 or a traceback, and never a lock file written on a failure.

Examples follow ``KFDATA_HYPOTHESIS_EXAMPLES`` (tests/strategies.py); timeouts are bounded
(``--timeout 0.4``) so that a slow example costs under a second (s3 retries: a few).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple
from unittest import mock

from hypothesis import given
from hypothesis import strategies as st

from kfdata_compiler.cli import main
from kfdata_compiler.lock.lockfile import read_lock
from tests.lock.conftest import write_spec
from tests.lock.fakes import Fault, FaultyHandler, serving
from tests.strategies import scaled

TIMEOUT = 0.4  # --timeout: a slow answer is one slower than this
SLOW, QUICK = 1.2, 0.02


class Case(NamedTuple):
    """A fault and what the model says it is worth: ``served`` (None: a failure) is the body
    the client must pin, as the server framed it."""

    fault: Fault
    served: bytes | None


@st.composite
def faulted(draw: Any, body: bytes, readable: bool = True) -> Case:
    """A fault on ``body``; ``readable``: whether the whole body is a valid answer."""
    size = len(body)
    shape = draw(st.sampled_from(["whole", "early", "reset", "slow", "quick", "short-length",
                                  "long-length", "no-length", "no-length-early"]))
    cut = draw(st.integers(0, max(0, size - 1)))
    whole = body if readable else None
    if shape == "whole":
        return Case(Fault(body), whole)
    if shape == "early":  # Content-Length: size, then `cut` bytes and a close
        return Case(Fault(body, send=cut), None)
    if shape == "reset":
        return Case(Fault(body, send=cut, reset=True), None)
    if shape == "slow":
        return Case(Fault(body, delay=SLOW), None)
    if shape == "quick":
        return Case(Fault(body, delay=QUICK), whole)
    if shape == "short-length":  # HTTP says the body is its first `cut` bytes
        return Case(Fault(body, length=cut), None)  # JSON or XML cut short: per kind
    if shape == "long-length":  # more announced than sent, the connection kept open
        return Case(Fault(body, length=size + 1 + cut), None)
    if shape == "no-length":
        return Case(Fault(body, length=-1), whole)
    return Case(Fault(body, length=-1, send=cut), None)  # no-length-early: decided per kind


def _run(spec: Path, *args: str) -> tuple[int, str]:
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        status = main(["lock", str(spec), "--timeout", str(TIMEOUT), *args])
    return status, stderr.getvalue()


def _at_dataset(spec: Path) -> str:
    lines = spec.read_text().splitlines()
    return f"{spec}:{lines.index('datasets:') + 2}:3"


def _judge(spec: Path, status: int, err: str, endpoint: str, pinned: bool) -> Any:
    """The entry when the model says pinned; else the failure as the issue wants it."""
    assert status in (0, 1), err
    assert "Traceback" not in err and "KF900" not in err and "KF901" not in err, err
    lock = spec.with_suffix(".lock")
    if pinned:
        assert status == 0, err
        return read_lock(lock.read_bytes(), str(lock), spec.name).entries["d"]
    assert status == 1, err
    assert f"{_at_dataset(spec)}: error[KF512]: dataset 'd': " in err, err
    assert endpoint in err, err
    assert not lock.exists()
    return None


# --- http ----------------------------------------------------------------------------------------

def _http_case(draw: Any) -> Case:
    body = draw(st.binary(min_size=1, max_size=3000))
    case = draw(faulted(body))
    fault = case.fault
    if fault.length == -1 and fault.send is not None:
        # No length: the close is the end, HTTP has nothing to tell it from a whole body.
        return Case(fault, body[:fault.send])
    if fault.length is not None and 0 <= fault.length < len(body):
        return Case(fault, body[:fault.length])
    return case


@given(st.data())
@scaled(0.5)
def test_http_pins_what_it_read_and_only_that(data: st.DataObject) -> None:
    case = _http_case(data.draw)
    with tempfile.TemporaryDirectory() as tmp, serving(FaultyHandler, case.fault) as base:
        url = f"{base}/vocab.txt"
        spec = write_spec(Path(tmp), f"d: {{uri: '{url}'}}")
        status, err = _run(spec)
        entry = _judge(spec, status, err, url, case.served is not None)
    if case.served is not None:
        assert entry.version == "sha256:" + hashlib.sha256(case.served).hexdigest()
        assert entry.bytes == len(case.served)


# --- lakeFS --------------------------------------------------------------------------------------

LAKE = ("lake: {lakefs: {endpoint: 'lakefs.lakefs:8000', insecure: true, "
        "credentials: {secret: lakefs-creds, accessKey: access, secretKey: secret}}}")


@given(st.data())
@scaled(0.3)
def test_lakefs_pins_only_a_whole_commit_answer(data: st.DataObject) -> None:
    commit = data.draw(st.text("0123456789abcdef", min_size=64, max_size=64))
    garbage = data.draw(st.booleans())
    body = (data.draw(st.binary(min_size=1, max_size=200)).replace(b"{", b"") if garbage
            else json.dumps({"id": "main", "commit_id": commit}).encode())
    case = data.draw(faulted(body, readable=not garbage))
    if case.fault.length == -1 and case.fault.send is not None:
        case = case._replace(served=None)  # a JSON object cut anywhere is not JSON
    with tempfile.TemporaryDirectory() as tmp, serving(FaultyHandler, case.fault) as base:
        spec = write_spec(Path(tmp), "d: {uri: 'lakefs://reviews/main/2024/', store: lake}",
                          LAKE)
        status, err = _run(spec, "--endpoint", f"lake={base}")
        entry = _judge(spec, status, err, base, case.served is not None)
    if case.served is not None:
        assert (entry.version, entry.ref) == (commit, "main")


# --- s3 ------------------------------------------------------------------------------------------

def _listing(objects: list[tuple[str, bytes]]) -> bytes:
    contents = "".join(
        f"<Contents><Key>p/{key}</Key><ETag>&quot;{hashlib.md5(body).hexdigest()}&quot;</ETag>"
        f"<Size>{len(body)}</Size><StorageClass>STANDARD</StorageClass></Contents>"
        for key, body in objects)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.'
            'amazonaws.com/doc/2006-03-01/"><Name>datasets</Name><Prefix>p/</Prefix>'
            f"<KeyCount>{len(objects)}</KeyCount><MaxKeys>1000</MaxKeys>"
            f"<IsTruncated>false</IsTruncated>{contents}</ListBucketResult>").encode()


@contextlib.contextmanager
def _aws(tmp: str) -> Iterator[None]:
    """boto3 signs with test keys; no profile, config or metadata server of this machine."""
    env = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
           "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
           "AWS_CONFIG_FILE": f"{tmp}/config", "AWS_SHARED_CREDENTIALS_FILE": f"{tmp}/creds"}
    with mock.patch.dict("os.environ", env):
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
            os.environ.pop(name, None)
        yield


@given(st.data())
@scaled(0.15)
def test_s3_pins_only_a_whole_listing(data: st.DataObject) -> None:
    keys = st.text("abcdefghij0123456789/._-", min_size=1, max_size=12).filter(
        lambda k: not k.endswith("/") and "//" not in k and not k.startswith("/"))
    objects = data.draw(st.lists(st.tuples(keys, st.binary(max_size=20)), min_size=1,
                                 max_size=5, unique_by=lambda o: o[0]))
    garbage = data.draw(st.booleans())
    body = (b"<ListBucketResult><Contents><Key>" + data.draw(st.binary(max_size=60))
            if garbage else _listing(objects))
    case = data.draw(faulted(body, readable=not garbage))
    if case.fault.length == -1 and case.fault.send is not None:
        case = case._replace(served=None)  # XML cut anywhere does not parse
    with tempfile.TemporaryDirectory() as tmp, serving(FaultyHandler, case.fault) as base, \
            _aws(tmp):
        spec = write_spec(Path(tmp), "d: {uri: 's3://datasets/p', store: minio}",
                          "minio: {s3: {endpoint: 'minio:9000', insecure: true}}")
        status, err = _run(spec, "--endpoint", f"minio={base}")
        entry = _judge(spec, status, err, base, case.served is not None)
    if case.served is not None:
        lines = sorted(json.dumps([k, hashlib.md5(b).hexdigest(), len(b)],
                                  separators=(",", ":")) + "\n" for k, b in objects)
        assert entry.version == "sha256:" + hashlib.sha256("".join(lines).encode()).hexdigest()
        assert (entry.objects, entry.bytes) == (len(objects), sum(len(b) for _, b in objects))

