"""lock, lakeFS: a fake API on 127.0.0.1 answers branches, then tags, with basic auth."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kfdata_compiler.lock.lockfile import read_lock
from tests.lock.conftest import write_spec
from tests.lock.fakes import LakeFS, LakeFSHandler, serving

STORES = ("lake: {lakefs: {endpoint: 'lakefs.lakefs:8000', insecure: true, "
          "credentials: {secret: lakefs-creds, accessKey: access, secretKey: secret}}}")
ONE, TWO, TAGGED = "1" * 64, "2" * 64, "3" * 64


@pytest.fixture
def lakefs(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[LakeFS, str]]:
    """The fake server and its URL; lakectl's credentials in this environment."""
    state = LakeFS()
    state.branches[("reviews", "main")] = ONE
    state.tags[("reviews", "v1")] = TAGGED
    monkeypatch.delenv("LAKECTL_SERVER_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("LAKECTL_CREDENTIALS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("LAKECTL_CREDENTIALS_SECRET_ACCESS_KEY", "lakefs-secret")
    with serving(LakeFSHandler, state) as url:
        yield state, url


def _lock(tmp_path: Path, cli: Any, ref: str, *args: str) -> Any:
    spec = write_spec(tmp_path / "s", f"d: {{uri: 'lakefs://reviews/{ref}/2024/06/', "
                      "store: lake}", STORES)
    run = cli("lock", spec, *args)
    lock = spec.with_suffix(".lock")
    if run.status:
        return run
    return read_lock(lock.read_bytes(), str(lock), spec.name).entries["d"]


def test_branch_then_tag(tmp_path: Path, cli: Any, lakefs: tuple[LakeFS, str]) -> None:
    state, url = lakefs
    entry = _lock(tmp_path, cli, "main", "--endpoint", f"lake={url}")
    assert (entry.kind, entry.version, entry.ref) == ("lakefs-commit", ONE, "main")
    entry = _lock(tmp_path, cli, "v1", "--endpoint", f"lake={url}")
    assert entry.version == TAGGED
    assert state.requests[-2:] == ["/api/v1/repositories/reviews/branches/v1",
                                   "/api/v1/repositories/reviews/tags/v1"]


def test_lakectl_endpoint_and_a_moved_branch(tmp_path: Path, cli: Any,
                                             lakefs: tuple[LakeFS, str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    state, url = lakefs
    monkeypatch.setenv("LAKECTL_SERVER_ENDPOINT_URL", url + "/api/v1")
    assert _lock(tmp_path, cli, "main").version == ONE
    spec = tmp_path / "s" / "pipeline.kfdata.yaml"
    assert cli("lock", spec, "--check", "--upgrade").status == 0
    state.branches[("reviews", "main")] = TWO
    moved = cli("lock", spec, "--check", "--upgrade")
    assert moved.status == 1 and f"+    version: '{TWO}'" in moved.out


def test_unknown_ref(tmp_path: Path, cli: Any, lakefs: tuple[LakeFS, str]) -> None:
    run = _lock(tmp_path, cli, "nope", "--endpoint", f"lake={lakefs[1]}")
    assert run.status == 1
    assert "error[KF511]: dataset 'd': lakeFS at " in run.err
    assert "has no branch or tag 'nope' in repository 'reviews'" in run.err


def test_wrong_credentials(tmp_path: Path, cli: Any, lakefs: tuple[LakeFS, str],
                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LAKECTL_CREDENTIALS_SECRET_ACCESS_KEY")
    run = _lock(tmp_path, cli, "main", "--endpoint", f"lake={lakefs[1]}")
    assert run.status == 1
    assert "error[KF512]: dataset 'd':" in run.err and "refused the credentials: 401" in run.err
    assert "LAKECTL_CREDENTIALS_ACCESS_KEY_ID" in run.err  # the hint says what to set
