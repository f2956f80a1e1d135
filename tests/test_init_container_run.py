"""Run a compiled init container's argv, as the kubelet would, and look where the step would.

A ``fetch`` type (``python3 -c <urllib download>``) reads from an HTTP server on 127.0.0.1
started here. The test plays the kubelet: the init container's volume mount becomes a temporary
directory, ``$(VAR)`` references are expanded like Kubernetes does, and the argv runs without a
shell. The data must then be where the main container's read-only mount (with its subPath) shows
it. Hostile placeholder values (quotes, ``$(...)``, ``;``, backticks) come out as literal argv
elements; newlines and option-like revisions never get that far.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from kfdata_compiler.compiler import compile_text
from kfdata_compiler.errors import KfdataError
from tests.paths import FIXTURES

PIPELINE = (FIXTURES / "kfp-v1-sentiment" / "pipeline.yaml").read_bytes()
DOWNLOAD = "import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])"
# Writes its arguments (all but the last) as JSON to the last one: shows what the tool received.
ECHO = "import json, sys; open(sys.argv[-1], 'w').write(json.dumps(sys.argv[1:-1]))"


def _spec(types: str, datasets: str) -> bytes:
    return (
        "apiVersion: kfdata.dev/v1alpha1\nkind: DataBindings\n"
        f"types:\n{types}\ndatasets:\n{datasets}\n"
        "bindings:\n  - {step: preprocess, read: [data]}\n"
    ).encode()


def _compile(spec: bytes) -> dict[str, Any]:
    out = compile_text(PIPELINE, spec, "pipeline.yaml", "spec.yaml").output
    doc = yaml.safe_load(out)
    return next(t for t in doc["spec"]["templates"] if t["name"] == "preprocess")


def kube_expand(text: str, env: dict[str, str]) -> str:
    """Kubernetes' expansion of command/args/env values: ``$$`` is ``$``, ``$(VAR)`` a variable
    (left as written when undefined), anything else stays."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "$" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt == "$":
                out.append("$")
                i += 2
                continue
            if nxt == "(":
                end = text.find(")", i + 2)
                if end != -1:
                    name = text[i + 2 : end]
                    out.append(env.get(name, text[i : end + 1]))
                    i = end + 1
                    continue
        out.append(text[i])
        i += 1
    return "".join(out)


def run_init_container(template: dict[str, Any], volume: Path, env: dict[str, str]) -> Path:
    """Run the template's kfdata init container with its volume at ``volume``; return where the
    main container's mount of that volume would point."""
    (init,) = template["initContainers"]
    (staging,) = init["volumeMounts"]
    for var in init.get("env") or []:
        if "value" in var:
            env[var["name"]] = kube_expand(var["value"], env)
    argv = [kube_expand(arg, env) for arg in init["command"]]
    argv = [arg.replace(staging["mountPath"], str(volume)) for arg in argv]
    assert argv[0] == "python3"
    subprocess.run([sys.executable, *argv[1:]], check=True, env={**env, "PYTHONSAFEPATH": "1"},
                   cwd=volume, timeout=60)
    (mount,) = [m for m in template["container"]["volumeMounts"] if m["name"] == staging["name"]]
    assert mount["readOnly"] is True and mount["mountPath"] == "/kfdata/data"
    return volume / mount["subPath"]


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "served"
    root.mkdir()
    (root / "reviews.csv").write_text("id,text\n1,great\n2,awful\n")
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass


def test_the_init_container_puts_the_data_where_the_step_reads_it(
    server: str, tmp_path: Path
) -> None:
    types = f"  fetch: {{image: python:3.11-slim, args: [python3, -c, {json.dumps(DOWNLOAD)}, " \
            '"{uri}", "{path}"]}'
    template = _compile(_spec(types, f"  data: {{uri: '{server}/reviews.csv', type: fetch}}"))
    volume = tmp_path / "emptydir"
    volume.mkdir()
    seen = run_init_container(template, volume, {})
    assert seen.read_text() == "id,text\n1,great\n2,awful\n"
    env = {e["name"]: e["value"] for e in template["container"]["env"]}
    assert env["KFDATA_DATA_PATH"] == "/kfdata/data"
    assert env["KFDATA_DATA_URI"] == f"{server}/reviews.csv"


HOSTILE = [
    pytest.param("https://h/a'b\"c;rm -rf /;`id`|cat>x&", "main", id="quotes-semicolon-backticks"),
    pytest.param("https://h/$(touch pwned)/x", "$(touch${IFS}pwned)", id="command-substitution"),
    pytest.param("https://h/$(SECRET)/x", "$(SECRET)", id="kubelet-variable-reference"),
    pytest.param("https://h/{path}/{{workflow.uid}}/%0A", "{revision}", id="placeholder-lookalikes"),
    pytest.param("https://h/ spaces  stay  one argument ", "a*b?[c]~", id="spaces-and-globs"),
]


@pytest.mark.parametrize(("uri", "revision"), HOSTILE)
def test_hostile_values_are_literal_argv_elements(uri: str, revision: str, tmp_path: Path) -> None:
    types = f"  echo: {{image: python:3.11-slim, args: [python3, -c, {json.dumps(ECHO)}, " \
            '"{uri}", "--rev={revision}", "{dataset}", "{path}"]}'
    datasets = f"  data: {{uri: {json.dumps(uri)}, revision: {json.dumps(revision)}, type: echo}}"
    template = _compile(_spec(types, datasets))
    volume = tmp_path / "emptydir"
    volume.mkdir()
    seen = run_init_container(template, volume, {"SECRET": "hunter2"})
    assert json.loads(seen.read_text()) == [uri, f"--rev={revision}", "data"]
    assert not (volume / "pwned").exists() and not (volume / "x").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        pytest.param("uri", "https://h/a\nb", "does not match", id="newline-in-uri"),
        pytest.param("uri", "https://h/a\rb", "does not match", id="carriage-return-in-uri"),
        pytest.param("revision", "main\nx", "does not match", id="newline-in-revision"),
        pytest.param("revision", "--upload-pack=touch pwned", "does not match", id="option"),
        pytest.param("uri", "dvc://h/o/r/-rf", "with '-'", id="value-starting-an-option"),
    ],
)
def test_values_that_could_change_the_command_are_refused(field: str, value: str,
                                                          message: str) -> None:
    body = {"uri": "dvc://github.com/org/reg/data", "revision": "main", field: value}
    spec = _spec("  {}", f"  data: {json.dumps(body)}").replace(b"types:\n  {}\n", b"")
    with pytest.raises(KfdataError) as caught:
        compile_text(PIPELINE, spec, "pipeline.yaml", "spec.yaml")
    assert any(message in d.message for d in caught.value.diagnostics), caught.value.diagnostics
    assert re.search(r"\bdata\b", caught.value.diagnostics[0].location.json_path)
