"""The store clients are the lock command's alone: a compile (with a lock or without) imports
none of them, nor any resolver; a missing client is an error naming the ``lock`` extra."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kfdata_compiler.lock.model import Pin
from tests.lock.conftest import write_spec
from tests.lock.test_compile import VOCAB, make_lock
from tests.paths import ROOT

CLIENTS = ("boto3", "botocore", "google", "moto")
RESOLVERS = tuple(f"kfdata_compiler.lock.{m}" for m in (
    "git", "http", "s3", "gcs", "pachyderm", "lakefs", "update", "transport", "manifest"))


def _loaded(cwd: Path, call: str) -> set[str]:
    script = (f"import sys\nfrom pathlib import Path\n{call}\n"
              "print(' '.join(sorted(sys.modules)))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script], cwd=cwd, env=env, check=True,
                          capture_output=True, text=True)
    return set(done.stdout.split())


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules
                  if m.split(".")[0] in CLIENTS or m in RESOLVERS)


def test_a_compile_with_a_lock_imports_no_store_client(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, "d: {uri: 'https://example.org/v.txt'}")
    make_lock(spec, {"d": Pin(VOCAB, bytes=1)})
    loaded = _loaded(tmp_path, "from kfdata_compiler.compiler import compile_file\n"
                     "assert 'KFDATA_D_VERSION' in compile_file(Path('pipeline.yaml')).output")
    assert "kfdata_compiler.lock.pinning" in loaded
    assert _heavy(loaded) == []


def test_a_compile_without_a_lock_loads_no_lock_module(tmp_path: Path) -> None:
    write_spec(tmp_path, "d: {uri: 'https://example.org/v.txt'}")
    loaded = _loaded(tmp_path, "from kfdata_compiler.compiler import compile_text\n"
                     "compile_text(Path('pipeline.yaml').read_bytes(), "
                     "Path('pipeline.kfdata.yaml').read_bytes())")
    assert not [m for m in loaded if m.startswith("kfdata_compiler.lock")]


def test_locking_http_imports_neither_boto3_nor_google(tmp_path: Path) -> None:
    write_spec(tmp_path, "d: {uri: 'http://127.0.0.1:9/v.txt'}")  # refused: that is fine here
    loaded = _loaded(tmp_path, "from kfdata_compiler.cli import main\n"
                     "main(['lock', 'pipeline.kfdata.yaml'])")
    assert "kfdata_compiler.lock.http" in loaded
    assert [m for m in _heavy(loaded) if m.split(".")[0] in CLIENTS] == []


@pytest.mark.parametrize(("module", "uri", "store"), [
    ("boto3", "s3://b/k", "m: {s3: {endpoint: 'minio:9000'}}"),
    ("google.cloud.storage", "gs://b/k/", "m: {gcs: {}}"),
])
def test_a_missing_client_names_the_extra(tmp_path: Path, cli: Any, module: str, uri: str,
                                          store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # as if the extra were not installed
    spec = write_spec(tmp_path, f"d: {{uri: '{uri}', store: m}}", store)
    run = cli("lock", spec)
    assert run.status == 1
    assert "error[KF513]: dataset 'd': locking it needs the Python package" in run.err
    assert "pip install 'kfdata-compiler[lock]'" in run.err
    assert not (tmp_path / "pipeline.kfdata.lock").exists()
