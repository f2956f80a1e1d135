"""lock, git: ``git ls-remote`` against a local bare repo, reached through ``insteadOf``."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from kfdata_compiler.lock.git import pick
from kfdata_compiler.lock.lockfile import read_lock
from tests.lock.conftest import write_spec
from tests.lock.fakes import bare_repo, git, insteadof

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
URL = "https://github.com/org/eval.git"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """(work tree, bare repo); git in this process's env reads URL from the bare repo."""
    work, bare = bare_repo(tmp_path / "repos")
    for key, value in insteadof(bare, URL).items():
        monkeypatch.setenv(key, value)
    return work, bare


def _push(work: Path, *args: str) -> str:
    git(work, *args)
    git(work, "push", "-q", "--force", "--tags", "origin", "main")
    return git(work, "rev-parse", "HEAD")


def _locked(tmp_path: Path, cli: Any, revision: str | None, *args: str) -> tuple[Any, Any]:
    field = f", revision: {revision}" if revision else ""
    spec = write_spec(tmp_path / "s", f"d: {{uri: 'git+{URL}'{field}}}")
    run = cli("lock", spec, *args)
    lock = spec.with_suffix(".lock")
    entry = read_lock(lock.read_bytes(), str(lock), spec.name).entries["d"] if lock.exists() \
        else None
    return run, entry


def test_branch_tag_and_head(tmp_path: Path, cli: Any, repo: tuple[Path, Path]) -> None:
    work, _ = repo
    one = git(work, "rev-parse", "HEAD")
    _push(work, "tag", "-a", "v1", "-m", "release one")  # annotated: peeled to the commit
    two = _push(work, "commit", "-q", "--allow-empty", "-m", "two")
    for revision, commit in [("main", two), ("v1", one), (None, two)]:
        run, entry = _locked(tmp_path, cli, revision, "--upgrade")
        assert run.status == 0, run.err
        assert (entry.kind, entry.version, entry.ref) == ("git-commit", commit,
                                                          revision or "HEAD")


def test_a_new_commit_fails_check_upgrade(tmp_path: Path, cli: Any,
                                          repo: tuple[Path, Path]) -> None:
    work, _ = repo
    run, first = _locked(tmp_path, cli, "main")
    assert run.status == 0, run.err
    spec = tmp_path / "s" / "pipeline.kfdata.yaml"
    assert cli("lock", spec, "--check", "--upgrade").status == 0
    head = _push(work, "commit", "-q", "--allow-empty", "-m", "moved")
    moved = cli("lock", spec, "--check", "--upgrade")
    assert moved.status == 1
    assert f"-    version: '{first.version}'" in moved.out
    assert f"+    version: '{head}'" in moved.out


def test_unknown_ref(tmp_path: Path, cli: Any, repo: tuple[Path, Path]) -> None:
    run, entry = _locked(tmp_path, cli, "no-such-branch")
    assert run.status == 1 and entry is None
    assert f"error[KF511]: dataset 'd': {URL} has no branch or tag 'no-such-branch'" in run.err


def test_unreachable_repository(tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
                                ) -> None:
    for key, value in insteadof(tmp_path / "missing.git", URL).items():
        monkeypatch.setenv(key, value)
    run, _ = _locked(tmp_path, cli, "main")
    assert run.status == 1
    assert f"error[KF512]: dataset 'd': git ls-remote {URL} failed:" in run.err
    assert "does not appear to be a git repository" in run.err


@pytest.mark.parametrize(("ref", "expected"), [
    ("v1", "c" * 40), ("main", "b" * 40), ("HEAD", "d" * 40), ("refs/heads/v1", "e" * 40),
    ("gone", None),
])
def test_pick_prefers_peeled_tags_then_tags_then_branches(ref: str, expected: str | None
                                                          ) -> None:
    listing = (f"{'d' * 40}\tHEAD\n{'a' * 40}\trefs/tags/v1\n{'c' * 40}\trefs/tags/v1^{{}}\n"
               f"{'e' * 40}\trefs/heads/v1\n{'b' * 40}\trefs/heads/main\n")
    assert pick(listing, ref) == expected
