"""Each entry of .pre-commit-hooks.yaml, run the way pre-commit runs it: entry + changed files."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.paths import FIXTURES, GOLDEN, ROOT

HOOKS = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}


def run_hook(hook_id: str, files: list[Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    hook = HOOKS[hook_id]
    entry = shlex.split(hook["entry"])
    assert entry[0] == "kfdata-compile"  # the console script pre-commit installs
    command = [sys.executable, "-m", "kfdata_compiler", *entry[1:], *map(str, files)]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=60)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A user's repository: two pipelines with specs and an unrelated YAML file."""
    shutil.copytree(FIXTURES / "kfp-v1-sentiment", tmp_path / "pipelines" / "sentiment")
    shutil.copytree(FIXTURES / "hera-dag", tmp_path / "pipelines" / "dag")
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "ci.yaml").write_text("on: push\njobs: {}\n")
    return tmp_path


def test_hooks_are_declared_as_pre_commit_expects() -> None:
    for hook in HOOKS.values():
        assert hook["language"] == "python"
        assert hook["types"] == ["yaml"]
        assert {"id", "name", "entry"} <= hook.keys()


def test_write_hook(repo: Path) -> None:
    files = [repo / "pipelines/sentiment/pipeline.yaml", repo / "pipelines/dag/pipeline.yaml",
             repo / ".github/ci.yaml"]
    first = run_hook("kfdata-compile", files, repo)
    assert first.returncode == 1, first.stderr  # outputs written: the commit is stopped
    assert (repo / "pipelines/sentiment/pipeline.bound.yaml").read_text() == (
        GOLDEN / "kfp-v1-sentiment.yaml").read_text()
    assert (repo / "pipelines/dag/pipeline.bound.yaml").read_text() == (GOLDEN / "hera-dag.yaml").read_text()
    assert not (repo / ".github/ci.bound.yaml").exists()  # no spec: not a pipeline to bind
    second = run_hook("kfdata-compile", [*files, repo / "pipelines/dag/pipeline.bound.yaml"], repo)
    assert second.returncode == 0, second.stderr


def test_check_hook(repo: Path) -> None:
    pipeline = repo / "pipelines/sentiment/pipeline.yaml"
    stale = run_hook("kfdata-compile-check", [pipeline, repo / ".github/ci.yaml"], repo)
    assert stale.returncode == 1
    assert "+    kfdata.dev/spec-sha256" in stale.stdout
    assert not (repo / "pipelines/sentiment/pipeline.bound.yaml").exists()
    shutil.copy(GOLDEN / "kfp-v1-sentiment.yaml", repo / "pipelines/sentiment/pipeline.bound.yaml")
    fresh = run_hook("kfdata-compile-check", [pipeline], repo)
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr


def test_hook_reports_spec_errors(repo: Path) -> None:
    spec = repo / "pipelines/sentiment/pipeline.kfdata.yaml"
    spec.write_text(spec.read_text().replace("read: [reviews, vocab]", "read: [reviews, vocabulary]"))
    result = run_hook("kfdata-compile", [spec], repo)
    assert result.returncode == 1
    assert "error[KF301]: unknown dataset 'vocabulary'" in result.stderr
    assert "Traceback" not in result.stderr
