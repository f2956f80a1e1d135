"""Fixtures of the lock tests: a spec directory, the CLI, and one fake server per module.

moto's server takes a second or two to start, so each module shares one (``scope="module"``)
and each test makes its own buckets. A store whose dev dependency is missing skips its tests.
"""

from __future__ import annotations

import logging
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from kfdata_compiler.cli import main
from tests.lock.fakes import HttpHandler, Served, serving

PIPELINE = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: train
  templates:
  - {name: train, container: {image: python:3.12}}
"""


class Run(NamedTuple):
    """A CLI run: exit status, stdout, stderr."""

    status: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Any:
    """``cli("lock", ...)`` runs ``kfdata-compile`` in-process and returns ``Run``."""

    def run(*args: str) -> Run:
        capsys.readouterr()
        status = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(status, captured.out, captured.err)

    return run


def write_spec(directory: Path, datasets: str, stores: str = "",
               bindings: str = "- {step: train, read: [d]}") -> Path:
    """``pipeline.yaml`` and ``pipeline.kfdata.yaml`` in ``directory``; the spec's path."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "pipeline.yaml").write_text(PIPELINE)
    spec = directory / "pipeline.kfdata.yaml"
    text = "apiVersion: kfdata.dev/v1alpha1\nkind: DataBindings\n"
    if stores:
        text += "stores:\n" + textwrap.indent(textwrap.dedent(stores).strip(), "  ") + "\n"
    text += "datasets:\n" + textwrap.indent(textwrap.dedent(datasets).strip(), "  ") + "\n"
    text += "bindings:\n" + textwrap.indent(textwrap.dedent(bindings).strip(), "  ") + "\n"
    spec.write_text(text)
    return spec


@pytest.fixture
def http_server() -> Iterator[Served]:
    """An http server on 127.0.0.1 serving ``state.bodies``; ``state.url`` is its base URL."""
    state = Served()
    with serving(HttpHandler, state) as url:
        state.url = url
        yield state


@pytest.fixture
def no_cloud_config(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
                    ) -> None:
    """No credentials or config of this machine leak into a test (nor its metadata server)."""
    empty = tmp_path_factory.mktemp("home")
    for name in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                 "AWS_SESSION_TOKEN", "GOOGLE_APPLICATION_CREDENTIALS", "STORAGE_EMULATOR_HOST",
                 "LAKECTL_SERVER_ENDPOINT_URL", "PACHD_ADDRESS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(empty))


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    """One moto S3 server per test module (started in ~1 s); its endpoint URL."""
    server_module = pytest.importorskip("moto.server", reason="moto[server] is not installed")
    pytest.importorskip("boto3", reason="boto3 is not installed")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # it logs every request otherwise
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture(scope="module")
def gcs_url() -> Iterator[str]:
    """One in-process gcp-storage-emulator per test module; its API endpoint."""
    emulator = pytest.importorskip("gcp_storage_emulator.server",
                                   reason="gcp-storage-emulator is not installed")
    pytest.importorskip("google.cloud.storage", reason="google-cloud-storage is not installed")
    server = emulator.create_server("127.0.0.1", 0, in_memory=True)
    server.start()
    try:
        yield f"http://127.0.0.1:{server._api._httpd.server_address[1]}"
    finally:
        server.stop()  # its thread is not a daemon: a server left running hangs pytest
