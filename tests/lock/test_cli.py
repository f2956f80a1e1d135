"""``kfdata-compile lock``: which spec, which datasets, the options' problems, and that a failed
run leaves the lock file as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.lock.conftest import write_spec
from tests.lock.fakes import Served


def _two(tmp_path: Path, http_server: Served) -> Path:
    http_server.bodies.update({"/a": b"a", "/b": b"b"})
    return write_spec(tmp_path, f"a: {{uri: '{http_server.url}/a'}}\n"
                                f"b: {{uri: '{http_server.url}/b'}}",
                      bindings="- {step: train, read: [a, b]}")


def test_upgrade_dataset_moves_only_that_pin(tmp_path: Path, cli: Any,
                                            http_server: Served) -> None:
    spec = _two(tmp_path, http_server)
    assert cli("lock", spec).status == 0
    http_server.bodies.update({"/a": b"A", "/b": b"B"})
    run = cli("lock", spec, "--upgrade-dataset", "a")
    assert run.status == 0 and "1 resolved, 1 kept" in run.err
    assert cli("lock", "--check", "--upgrade-dataset", "a", spec).status == 0
    assert cli("lock", "--check", "--upgrade-dataset", "b", spec).status == 1


def test_a_changed_uri_is_resolved_again_without_upgrade(tmp_path: Path, cli: Any,
                                                         http_server: Served) -> None:
    spec = _two(tmp_path, http_server)
    assert cli("lock", spec).status == 0
    http_server.bodies["/a2"] = b"a2"
    spec.write_text(spec.read_text().replace("/a'", "/a2'"))
    stale = cli("lock", "--check", spec)
    assert stale.status == 1 and "+    uri: http://127.0.0.1:" in stale.out
    assert "1 resolved, 1 kept" in cli("lock", spec).err


def test_the_spec_in_this_directory_or_the_pipelines(tmp_path: Path, cli: Any,
                                                     http_server: Served,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    spec = _two(tmp_path, http_server)
    monkeypatch.chdir(tmp_path)
    assert cli("lock").status == 0 and spec.with_suffix(".lock").is_file()
    assert cli("lock", "--check", "pipeline.yaml").status == 0  # a pipeline: its spec
    (tmp_path / "other.kfdata.yaml").write_text(spec.read_text())
    run = cli("lock")
    assert run.status == 2 and "name the spec to lock" in run.err
    spec.rename(tmp_path / "kfdata.yaml")
    (tmp_path / "other.kfdata.yaml").unlink()
    assert cli("lock").status == 0 and (tmp_path / "kfdata.lock").is_file()
    assert "spec: kfdata.yaml" in (tmp_path / "kfdata.lock").read_text()


@pytest.mark.parametrize(("args", "message"), [
    (["--endpoint", "nope=http://127.0.0.1:1"], "--endpoint names store 'nope'"),
    (["--endpoint", "github=http://127.0.0.1:1"], "a git store has no endpoint to replace"),
    (["--endpoint", "minio=127.0.0.1:9000"], "not an http(s) URL"),
    (["--upgrade-dataset", "zzz"], "--upgrade-dataset zzz: the spec does not lock 'zzz'"),
])
def test_option_problems(tmp_path: Path, cli: Any, args: list[str], message: str) -> None:
    spec = write_spec(tmp_path, "d: {uri: 'https://example.org/v'}",
                      "github: {git: {}}\nminio: {s3: {endpoint: 'minio:9000'}}")
    run = cli("lock", spec, *args)
    assert run.status == 1 and "error[KF514]" in run.err and message in run.err


@pytest.mark.parametrize("args", [["--endpoint", "minio"], ["--upgrade", "--upgrade-dataset",
                                                               "d"]])
def test_usage_errors(tmp_path: Path, cli: Any, args: list[str]) -> None:
    spec = write_spec(tmp_path, "d: {uri: 'https://example.org/v'}")
    assert cli("lock", spec, *args).status == 2


@pytest.mark.parametrize(("dataset", "why"), [
    ("d: {uri: 'pvc://claim/sets'}", "pvc datasets cannot be locked"),
    ("d: {uri: 'https://example.org/{{workflow.parameters.day}}.csv'}", "holds a {{...}} tag"),
    ("d: {uri: 'dvc://github.com/org/registry/features', revision: main}",
     "dvc datasets cannot be locked"),
])
def test_what_cannot_be_locked(tmp_path: Path, cli: Any, dataset: str, why: str) -> None:
    run = cli("lock", write_spec(tmp_path, dataset))
    assert run.status == 1 and "error[KF510]: dataset 'd' cannot be locked: " in run.err
    assert why in run.err and "declare its version" in run.err


def test_what_is_not_locked(tmp_path: Path, cli: Any) -> None:
    spec = write_spec(tmp_path, """\
        versioned: {uri: 'pvc://claim/a', version: '3'}
        commit: {uri: 'git+https://h/o/r.git', revision: 0abc123}
        written: {uri: 's3://b/out', store: minio}
        unused: {uri: 'https://example.org/u'}""", "minio: {s3: {endpoint: 'minio:9000'}}",
                      "- {step: train, read: [versioned, commit, written], write: [written]}")
    run = cli("lock", spec)
    assert run.status == 0, run.err
    assert spec.with_suffix(".lock").read_text().endswith("datasets: {}\n")


def test_check_without_a_lock_file(tmp_path: Path, cli: Any, http_server: Served) -> None:
    spec = _two(tmp_path, http_server)
    run = cli("lock", "--check", spec)
    assert run.status == 1 and "+lockVersion: 1" in run.out
    assert not spec.with_suffix(".lock").exists()


def test_a_pipeline_without_a_spec(tmp_path: Path, cli: Any) -> None:
    (tmp_path / "lonely.yaml").write_text("kind: Workflow\n")
    run = cli("lock", tmp_path / "lonely.yaml")
    assert run.status == 1 and "error[KF110]: no kfdata spec found" in run.err


def test_a_spec_problem_is_reported_like_a_compile(tmp_path: Path, cli: Any) -> None:
    spec = write_spec(tmp_path, "d: {uri: 'https://example.org/v', bogus: 1}")
    run = cli("lock", spec)
    assert run.status == 1 and "error[KF201]: unknown field 'bogus'" in run.err


def test_check_reports_like_a_compile_check(tmp_path: Path, cli: Any,
                                            http_server: Served) -> None:
    """The same outcome codes, git-style diff labels and json document as ``compile --check``."""
    import json

    spec = _two(tmp_path, http_server)
    lock = spec.with_suffix(".lock")
    missing = cli("lock", "--check", "--error-format", "json", spec)
    assert missing.status == 1 and "--- /dev/null" in missing.err
    assert [e["code"] for e in json.loads(missing.out)] == ["KF120"]
    assert cli("lock", spec).status == 0
    http_server.bodies["/a"] = b"moved"
    moved = cli("lock", "--check", "--upgrade", spec)
    assert moved.status == 1
    assert f"--- a/{lock.as_posix().lstrip('/')}" in moved.out
    assert f"is out of date; run kfdata-compile lock {spec} --upgrade" in moved.err
    clean = cli("lock", "--error-format", "json", spec)
    assert clean.status == 0 and json.loads(clean.out) == []
