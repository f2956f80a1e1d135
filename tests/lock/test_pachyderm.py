"""lock, Pachyderm: a fake ``pachctl`` on PATH answers ``inspect commit repo@branch --raw``."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from kfdata_compiler.lock.lockfile import read_lock
from tests.lock.conftest import write_spec
from tests.lock.fakes import fake_pachctl

STORES = ("pach: {pachyderm: {endpoint: pachd.pachyderm, "
          "credentials: {secret: pach-auth, token: auth-token}}}")
ONE, TWO = "a" * 32, "0123456789abcdef0123456789abcdef"


@pytest.fixture
def commits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fake pachctl's table (write JSON to it); pachctl is first on PATH."""
    table = tmp_path / "commits.json"
    table.write_text(json.dumps({"vision/images@master": ONE}))
    fake_pachctl(tmp_path / "bin", table)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    return table


def _spec(tmp_path: Path, uri: str = "pach://vision/images@master:/train") -> Path:
    return write_spec(tmp_path / "s", f"d: {{uri: '{uri}', store: pach}}", STORES)


def test_branch_to_head_commit(tmp_path: Path, cli: Any, commits: Path) -> None:
    spec = _spec(tmp_path)
    run = cli("lock", spec)
    assert run.status == 0, run.err
    lock = spec.with_suffix(".lock")
    entry = read_lock(lock.read_bytes(), str(lock), spec.name).entries["d"]
    assert (entry.kind, entry.version, entry.ref) == ("pachyderm-commit", ONE, "master")
    argv, address = json.loads(Path(f"{commits}.log").read_text().splitlines()[0])
    assert argv == ["inspect", "commit", "images@master", "--project", "vision", "--raw"]
    assert address == "grpc://pachd.pachyderm:30650"  # the store's pachd, by default


def test_endpoint_and_a_moved_branch(tmp_path: Path, cli: Any, commits: Path) -> None:
    spec = _spec(tmp_path)
    endpoint = "pach=grpc://127.0.0.1:30650"
    assert cli("lock", spec, "--endpoint", endpoint).status == 0
    assert cli("lock", spec, "--check", "--upgrade", "--endpoint", endpoint).status == 0
    commits.write_text(json.dumps({"vision/images@master": TWO}))
    moved = cli("lock", spec, "--check", "--upgrade", "--endpoint", endpoint)
    assert moved.status == 1 and f"+    version: '{TWO}'" in moved.out  # quoted: all digits
    address = json.loads(Path(f"{commits}.log").read_text().splitlines()[-1])[1]
    assert address == "grpc://127.0.0.1:30650"


def test_unknown_branch(tmp_path: Path, cli: Any, commits: Path) -> None:
    run = cli("lock", _spec(tmp_path, "pach://images@nope:/x"))
    assert run.status == 1
    assert "error[KF511]: dataset 'd': grpc://pachd.pachyderm:30650 has no branch 'nope'" \
        in run.err


def test_auth_failure(tmp_path: Path, cli: Any, commits: Path) -> None:
    commits.write_text(json.dumps({"error": "rpc error: code = Unauthenticated desc = auth "
                                            "token not found"}))
    run = cli("lock", _spec(tmp_path))
    assert run.status == 1
    assert "error[KF512]: dataset 'd': grpc://pachd.pachyderm:30650 refused pachctl's " \
        "credentials" in run.err


def test_pachctl_missing(tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    run = cli("lock", _spec(tmp_path))
    assert run.status == 1
    assert "error[KF513]: dataset 'd': pachctl is not installed" in run.err
