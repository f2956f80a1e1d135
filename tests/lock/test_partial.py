"""``kfdata-compile lock`` helps instead of blocking (issue 20 §4): ``--partial`` writes the
pins that could be made, ``--dataset NAME`` locks only NAME, KF516 says what a failed run could
have written, and a stale lock's fix command repeats the flags the user gave."""

from __future__ import annotations

import json
import os
import re
import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from kfdata_compiler.lock.lockfile import read_lock
from kfdata_compiler.lock.model import Entry
from tests.lock.conftest import write_spec
from tests.lock.fakes import Served

PACH = "pach: {pachyderm: {endpoint: pachd.pachyderm, credentials: {secret: s, token: t}}}"


def _mixed(tmp_path: Path, http_server: Served) -> Path:
    """A spec with an http dataset ``web`` and a Pachyderm dataset ``images``."""
    http_server.bodies["/web"] = b"web"
    return write_spec(tmp_path / "s", f"web: {{uri: '{http_server.url}/web'}}\n"
                                      "images: {uri: 'pach://vision/images@master:/train', "
                                      "store: pach}", PACH,
                      bindings="- {step: train, read: [web, images]}")


def _no_pachctl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # http needs no tool


def _where(spec: Path, name: str) -> str:
    """``spec:line:col`` of the dataset's key in the spec."""
    for number, line in enumerate(spec.read_text().splitlines(), 1):
        if line.lstrip().startswith(f"{name}:"):
            return f"{spec}:{number}:{len(line) - len(line.lstrip()) + 1}"
    raise AssertionError(name)


def _entries(spec: Path) -> Mapping[str, Entry]:
    lock = spec.with_suffix(".lock")
    return read_lock(lock.read_bytes(), str(lock), spec.name).entries


def test_without_partial_nothing_is_written_and_kf516_says_why(
        tmp_path: Path, cli: Any, http_server: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = _mixed(tmp_path, http_server)
    _no_pachctl(tmp_path, monkeypatch)
    run = cli("lock", spec)
    assert run.status == 1
    assert f"{_where(spec, 'images')}: error[KF513]: dataset 'images': pachctl is not " \
        "installed" in run.err
    assert "info[KF516]: 1 of the 2 datasets could be pinned; nothing was written" in run.err
    assert "--partial" in run.err
    assert not spec.with_suffix(".lock").exists()
    assert "/web" in http_server.requests  # the http pin was made, then not written


def test_partial_writes_the_http_pin_only(tmp_path: Path, cli: Any, http_server: Served,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    spec = _mixed(tmp_path, http_server)
    _no_pachctl(tmp_path, monkeypatch)
    run = cli("lock", spec, "--partial")
    assert run.status == 1
    assert f"{_where(spec, 'images')}: error[KF513]: dataset 'images': pachctl is not " \
        "installed" in run.err
    assert "KF516" not in run.err  # something was written
    assert "1 resolved, 0 kept, 1 not pinned (--partial)" in run.err
    entries = _entries(spec)
    assert set(entries) == {"web"} and entries["web"].kind == "http-sha256"
    text = spec.with_suffix(".lock").read_text()
    assert "images" not in text and "pach" not in text  # nothing about the unpinned dataset
    # Run again: web's pin is kept, images still reported; the file does not change.
    assert cli("lock", spec, "--partial").status == 1  # images still cannot be pinned
    assert spec.with_suffix(".lock").read_text() == text
    # A compile reads it as it is: web pinned, images floating (said so), --locked refuses.
    out = tmp_path / "out.yaml"
    compiled = cli(spec.parent / "pipeline.yaml", "-o", out)
    assert compiled.status == 0, compiled.err
    assert "warning[KF504]: dataset 'images' is not in pipeline.kfdata.lock: it floats" \
        in compiled.err
    assert entries["web"].version in out.read_text()
    locked = cli(spec.parent / "pipeline.yaml", "--locked", "-o", tmp_path / "out2.yaml")
    assert locked.status == 1 and "error[KF504]: dataset 'images'" in locked.err


def test_partial_keeps_an_old_pin_it_could_not_renew(
        tmp_path: Path, cli: Any, http_server: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry of the same spec fields stays when --upgrade cannot ask its store again: the
    old pin is still true; an entry whose spec fields changed is dropped (it would be false)."""
    http_server.bodies.update({"/a": b"a", "/b": b"b"})
    spec = write_spec(tmp_path / "s", f"a: {{uri: '{http_server.url}/a'}}\n"
                                      f"b: {{uri: '{http_server.url}/b'}}",
                      bindings="- {step: train, read: [a, b]}")
    assert cli("lock", spec).status == 0
    before = _entries(spec)
    http_server.status["/b"] = 500
    http_server.bodies["/a"] = b"A"
    run = cli("lock", spec, "--upgrade", "--partial")
    assert run.status == 1 and "dataset 'b'" in run.err
    after = _entries(spec)
    assert after["b"] == before["b"] and after["a"] != before["a"]
    spec.write_text(spec.read_text().replace("/b'", "/b2'"))
    http_server.status["/b2"] = 500
    assert cli("lock", spec, "--partial").status == 1
    assert set(_entries(spec)) == {"a"}  # b's old pin is of another URI


def test_dataset_locks_only_that_one(tmp_path: Path, cli: Any, http_server: Served,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    spec = _mixed(tmp_path, http_server)
    http_server.bodies["/other"] = b"o"
    spec.write_text(spec.read_text().replace(
        "datasets:\n", f"datasets:\n  other: {{uri: '{http_server.url}/other'}}\n").replace(
        "read: [web, images]", "read: [web, images, other]"))
    _no_pachctl(tmp_path, monkeypatch)
    assert cli("lock", spec, "--dataset", "other").status == 0
    assert set(_entries(spec)) == {"other"}
    assert cli("lock", spec, "--dataset", "web").status == 0
    lock = spec.with_suffix(".lock")
    before = lock.read_text()
    other_block = re.search(r"  other:\n(?:    .*\n)+", before)
    assert other_block is not None
    http_server.bodies.update({"/web": b"moved", "/other": b"moved too"})
    requests = len(http_server.requests)
    run = cli("lock", spec, "--dataset", "web", "--upgrade")
    assert run.status == 0, run.err  # images (no pachctl) was not asked
    after = lock.read_text()
    assert other_block.group(0) in after  # carried over byte for byte, not asked again
    assert http_server.requests[requests:] == ["/web"]
    assert set(_entries(spec)) == {"web", "other"}
    assert _entries(spec)["web"] != read_lock(before.encode(), str(lock), spec.name).entries["web"]
    # repeatable
    assert cli("lock", spec, "--dataset", "web", "--dataset", "other", "--upgrade").status == 0
    assert sorted(http_server.requests[-2:]) == ["/other", "/web"]
    missing = cli("lock", spec, "--dataset", "nope")
    assert missing.status == 1 and "error[KF514]: --dataset nope" in missing.err
    # An entry carried over although its spec fields changed: a compile says it is stale.
    http_server.bodies["/other2"] = b"o2"
    spec.write_text(spec.read_text().replace("/other'", "/other2'"))
    carried = re.search(r"  other:\n(?:    .*\n)+", lock.read_text())
    assert carried is not None
    assert cli("lock", spec, "--dataset", "web").status == 0
    assert carried.group(0) in lock.read_text()
    compiled = cli(spec.parent / "pipeline.yaml", "-o", tmp_path / "out.yaml")
    assert compiled.status == 0 and "warning[KF503]" in compiled.err and "'other'" in compiled.err


def test_the_fix_command_repeats_the_users_flags(tmp_path: Path, cli: Any,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    table = tmp_path / "commits.json"
    table.write_text(json.dumps({"vision/images@master": "a" * 32}))
    from tests.lock.fakes import fake_pachctl

    fake_pachctl(tmp_path / "bin", table)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    spec = write_spec(tmp_path / "s", "d: {uri: 'pach://vision/images@master:/train', "
                      "store: pach}", PACH)
    endpoint = "pach=grpc://127.0.0.1:30650/?x=1&y=2"  # & would end a shell command
    assert cli("lock", spec, "--endpoint", endpoint).status == 0
    table.write_text(json.dumps({"vision/images@master": "b" * 32}))
    run = cli("lock", "--check", "--upgrade", "--timeout", "12345.75", "--endpoint", endpoint,
              "--error-format", "json", spec)
    assert run.status == 1
    (event,) = json.loads(run.out)
    fix = event["fix"]
    assert f"--endpoint '{endpoint}'" in fix
    words = shlex.split(fix)
    assert words[:3] == ["kfdata-compile", "lock", str(spec)]
    assert "--check" not in words and "--error-format" not in words
    pairs = set(zip(words, words[1:], strict=False))
    assert pairs >= {("--endpoint", endpoint), ("--timeout", "12345.75")}
    assert "--upgrade" in words
    # and the fix, run, makes the check pass, through the endpoint given
    assert cli(*words[1:]).status == 0
    address = json.loads(Path(f"{table}.log").read_text().splitlines()[-1])[1]
    assert address == endpoint.partition("=")[2]
    assert cli("lock", "--check", "--upgrade", "--endpoint", endpoint, spec).status == 0


def test_partial_check_reports_what_it_could_not_ask(
        tmp_path: Path, cli: Any, http_server: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--check --partial`` on an up-to-date partial lock still fails: images is not pinned."""
    spec = _mixed(tmp_path, http_server)
    _no_pachctl(tmp_path, monkeypatch)
    assert cli("lock", spec, "--partial").status == 1
    run = cli("lock", spec, "--check", "--partial")
    assert run.status == 1 and "error[KF513]: dataset 'images'" in run.err


def test_partial_counts_datasets_not_problems(tmp_path: Path, cli: Any,
                                              http_server: Served) -> None:
    """A dataset with two problems (a bad URI, no store) is one dataset not pinned."""
    spec = _mixed(tmp_path, http_server)
    spec.write_text(spec.read_text().replace("@master:/train', store: pach}",
                                             "@master=zz:/train'}"))
    run = cli("lock", spec, "--partial")
    assert run.status == 1
    assert "error[KF204]: dataset 'images'" in run.err
    assert "error[KF205]: dataset 'images'" in run.err
    assert "1 resolved, 0 kept, 1 not pinned (--partial)" in run.err
    assert set(_entries(spec)) == {"web"}


def test_partial_with_nothing_to_pin_writes_nothing(tmp_path: Path, cli: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    spec = write_spec(tmp_path / "s", "images: {uri: 'pach://vision/images@master:/t', "
                      "store: pach}", PACH, bindings="- {step: train, read: [images]}")
    _no_pachctl(tmp_path, monkeypatch)
    run = cli("lock", spec, "--partial")
    assert run.status == 1 and "error[KF513]" in run.err and "KF516" not in run.err
    assert not spec.with_suffix(".lock").exists()
