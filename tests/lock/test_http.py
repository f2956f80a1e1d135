"""lock, http(s): the sha256 of the body (redirects followed), against a server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import socket
from pathlib import Path
from typing import Any

from kfdata_compiler.lock.lockfile import read_lock
from tests.lock.conftest import write_spec
from tests.lock.fakes import Served

BODY = b"the\nvocabulary\n"


def _spec(tmp_path: Path, url: str) -> Path:
    return write_spec(tmp_path, f"d: {{uri: '{url}'}}")


def test_lock_writes_the_body_digest(tmp_path: Path, http_server: Served, cli: Any) -> None:
    http_server.bodies["/vocab.txt"] = BODY
    spec = _spec(tmp_path, http_server.url + "/vocab.txt")
    run = cli("lock", spec)
    assert run.status == 0, run.err
    assert "wrote" in run.err and "1 resolved" in run.err
    lock = tmp_path / "pipeline.kfdata.lock"
    entry = read_lock(lock.read_bytes(), str(lock), spec.name).entries["d"]
    assert entry.kind == "http-sha256"
    assert entry.version == "sha256:" + hashlib.sha256(BODY).hexdigest()
    assert entry.bytes == len(BODY) and entry.objects is None and entry.ref is None


def test_redirects_are_followed(tmp_path: Path, http_server: Served, cli: Any) -> None:
    http_server.bodies["/v2/vocab.txt"] = BODY
    http_server.redirects["/latest/vocab.txt"] = "/v2/vocab.txt"
    spec = _spec(tmp_path, http_server.url + "/latest/vocab.txt")
    assert cli("lock", spec).status == 0
    text = (tmp_path / "pipeline.kfdata.lock").read_text()
    assert hashlib.sha256(BODY).hexdigest() in text
    assert http_server.requests == ["/latest/vocab.txt", "/v2/vocab.txt"]


def test_check_upgrade_says_when_the_body_moved(tmp_path: Path, http_server: Served,
                                                cli: Any) -> None:
    http_server.bodies["/vocab.txt"] = BODY
    spec = _spec(tmp_path, http_server.url + "/vocab.txt")
    assert cli("lock", spec).status == 0
    assert cli("lock", "--check", "--upgrade", spec).status == 0  # nothing moved
    http_server.bodies["/vocab.txt"] = BODY + b"new\n"
    assert cli("lock", "--check", spec).status == 0  # the spec did not change: no request
    moved = cli("lock", "--check", "--upgrade", spec)
    assert moved.status == 1
    assert "-    version: 'sha256:" in moved.out and "+    version: 'sha256:" in moved.out
    assert "is out of date" in moved.err and "--upgrade" in moved.err


def test_a_kept_entry_asks_nobody(tmp_path: Path, http_server: Served, cli: Any) -> None:
    http_server.bodies["/vocab.txt"] = BODY
    spec = _spec(tmp_path, http_server.url + "/vocab.txt")
    assert cli("lock", spec).status == 0
    before = list(http_server.requests)
    again = cli("lock", spec)
    assert again.status == 0 and "up to date" in again.err and "1 kept" in again.err
    assert http_server.requests == before


def test_not_found_names_the_dataset_and_url(tmp_path: Path, http_server: Served,
                                             cli: Any) -> None:
    spec = _spec(tmp_path, http_server.url + "/missing.txt")
    run = cli("lock", spec)
    assert run.status == 1
    assert "error[KF511]: dataset 'd':" in run.err and "/missing.txt answered 404" in run.err
    assert f"{spec}:4:3: " in run.err  # at the dataset in the spec
    assert not (tmp_path / "pipeline.kfdata.lock").exists()


def test_auth_failure(tmp_path: Path, http_server: Served, cli: Any) -> None:
    http_server.status["/private.txt"] = 401
    run = cli("lock", _spec(tmp_path, http_server.url + "/private.txt"))
    assert run.status == 1
    assert "error[KF512]: dataset 'd':" in run.err and "refused the credentials: 401" in run.err


def test_network_failure_leaves_the_old_lock(tmp_path: Path, http_server: Served,
                                             cli: Any) -> None:
    http_server.bodies["/vocab.txt"] = BODY
    spec = _spec(tmp_path, http_server.url + "/vocab.txt")
    assert cli("lock", spec).status == 0
    lock = tmp_path / "pipeline.kfdata.lock"
    old = lock.read_bytes()
    with socket.socket() as closed:  # a port nobody listens on: refused at once
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    url = f"http://127.0.0.1:{port}/vocab.txt"
    spec.write_text(spec.read_text().replace(http_server.url + "/vocab.txt", url))
    run = cli("lock", spec)
    assert run.status == 1
    assert f"error[KF512]: dataset 'd': cannot reach {url}:" in run.err
    assert "refused" in run.err.lower()
    assert lock.read_bytes() == old
    assert not list(tmp_path.glob(".*.tmp"))
