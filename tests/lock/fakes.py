"""Local stand-ins for every store ``kfdata-compile lock`` asks, all on 127.0.0.1 or on disk.

- ``Served``: a ThreadingHTTPServer serving bodies by path (and redirects), for http(s);
- ``LakeFS``: the two lakeFS API calls the lock makes, with basic auth;
- ``bare_repo``: a bare git repo, reached through ``url.<bare>.insteadOf`` in the env;
- ``fake_pachctl``: a ``pachctl`` on PATH that answers ``inspect commit`` from a JSON file.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class Served:
    """Bodies by path; ``redirects`` maps a path to another; ``status`` forces an answer."""

    def __init__(self) -> None:
        self.bodies: dict[str, bytes] = {}
        self.redirects: dict[str, str] = {}
        self.status: dict[str, int] = {}
        self.requests: list[str] = []
        self.url = ""


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler], state: Any) -> Iterator[str]:
    """Run ``handler`` on 127.0.0.1 (a free port) with ``state`` as ``server.state``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.state = state  # type: ignore[attr-defined]
    # A short poll: shutdown() waits for it, once per test.
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _Quiet(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass  # the test output stays readable


class HttpHandler(_Quiet):
    """GET a body, a redirect, or a forced status."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        state: Served = self.server.state  # type: ignore[attr-defined]
        state.requests.append(self.path)
        if self.path in state.status:
            self.send_error(state.status[self.path])
        elif self.path in state.redirects:
            self.send_response(302)
            self.send_header("Location", state.url + state.redirects[self.path])
            self.end_headers()
        elif self.path in state.bodies:
            body = state.bodies[self.path]
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_error(404)


class LakeFS:
    """Branches and tags by repository, and the one key pair it accepts."""

    def __init__(self, key: str = "AKIAIOSFODNN7EXAMPLE", secret: str = "lakefs-secret") -> None:
        self.branches: dict[tuple[str, str], str] = {}
        self.tags: dict[tuple[str, str], str] = {}
        self.auth = "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()
        self.requests: list[str] = []


class LakeFSHandler(_Quiet):
    """``GET /api/v1/repositories/{repo}/branches|tags/{ref}`` -> ``{"commit_id": ...}``."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        state: LakeFS = self.server.state  # type: ignore[attr-defined]
        state.requests.append(self.path)
        if self.headers.get("Authorization") != state.auth:
            self._json(401, {"message": "error authenticating request"})
            return
        parts = self.path.split("/")  # '', api, v1, repositories, repo, kind, ref
        if len(parts) != 7 or parts[1:4] != ["api", "v1", "repositories"]:
            self._json(404, {"message": "not found"})
            return
        table = state.branches if parts[5] == "branches" else state.tags
        commit = table.get((parts[4], parts[6]))
        if commit is None:
            self._json(404, {"message": f"{parts[5][:-1]} not found"})
        else:
            self._json(200, {"id": parts[6], "commit_id": commit})

    def _json(self, status: int, body: dict[str, str]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def git(cwd: Path, *args: str) -> str:
    """Run git with a fixed identity; its stdout."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


def bare_repo(root: Path) -> tuple[Path, Path]:
    """A work tree with one commit on ``main`` and its bare clone (its ``origin``)."""
    work, bare = root / "work", root / "eval.git"
    work.mkdir(parents=True)
    git(work, "init", "-q", "-b", "main")
    (work / "eval.py").write_text("print('v1')\n")
    git(work, "add", ".")
    git(work, "commit", "-q", "-m", "one")
    git(root, "clone", "-q", "--bare", str(work), str(bare))
    git(work, "remote", "add", "origin", str(bare))
    return work, bare


def insteadof(bare: Path, url: str) -> dict[str, str]:
    """The env that makes git read ``url`` from the local bare repo (no network)."""
    return {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": f"url.file://{bare}.insteadOf",
            "GIT_CONFIG_VALUE_0": url}


def fake_pachctl(bin_dir: Path, commits: Path) -> None:
    """A ``pachctl`` that answers ``inspect commit repo@branch --project p --raw`` from
    ``commits`` (JSON: {"project/repo@branch": id}), and logs its argv and PACHD_ADDRESS."""
    bin_dir.mkdir(exist_ok=True)
    script = bin_dir / "pachctl"
    script.write_text(f"#!{sys.executable}\n" + textwrap.dedent(f"""\
        import json, os, sys
        with open({str(commits)!r} + ".log", "a") as log:
            log.write(json.dumps([sys.argv[1:], os.environ.get("PACHD_ADDRESS")]) + "\\n")
        args = sys.argv[1:]
        table = json.load(open({str(commits)!r}))
        if table.get("error"):
            sys.stderr.write(table["error"] + "\\n"); sys.exit(1)
        project = args[args.index("--project") + 1]
        repo, _, branch = args[2].partition("@")
        commit = table.get(f"{{project}}/{{repo}}@{{branch}}")
        if commit is None:
            sys.stderr.write(f"branch {{branch!r}} not found in repo {{repo}}\\n"); sys.exit(1)
        print(json.dumps({{"commit": {{"branch": {{"name": branch}}, "id": commit}},
                          "origin": {{"kind": "USER"}}}}, indent=2))
        """))
    script.chmod(0o755)


class Fault:
    """How ``FaultyHandler`` answers every request: a status line and headers, then ``body``,
    of which it sends ``send`` bytes (None: all) before it closes, or resets (``reset``: an
    RST, SO_LINGER 0) the connection; ``delay`` seconds before each answer; ``length`` the
    Content-Length it announces (None: the body's; -1: none, the end is the close)."""

    def __init__(self, body: bytes = b"", send: int | None = None, reset: bool = False,
                 delay: float = 0.0, length: int | None = None, status: int = 200,
                 content_type: str = "application/octet-stream") -> None:
        self.body, self.send, self.reset, self.delay = body, send, reset, delay
        self.length, self.status, self.content_type = length, status, content_type
        self.requests: list[str] = []


class FaultyHandler(_Quiet):
    """Answers every GET or HEAD as ``server.state`` (a ``Fault``) says, faults included."""

    protocol_version = "HTTP/1.1"  # a Content-Length, and no close, frames the body

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        import socket
        import struct
        import time

        fault: Fault = self.server.state  # type: ignore[attr-defined]
        fault.requests.append(self.path)
        time.sleep(fault.delay)
        self.send_response(fault.status)
        self.send_header("Content-Type", fault.content_type)
        length = len(fault.body) if fault.length is None else fault.length
        if length >= 0:
            self.send_header("Content-Length", str(length))
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        body = fault.body if fault.send is None else fault.body[:fault.send]
        try:
            if self.command != "HEAD":
                self.wfile.write(body)
            self.wfile.flush()
        except OSError:
            return  # the client gave up first: nothing left to fault
        if fault.reset:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
        if fault.reset or fault.send is not None or length < 0:
            self.close_connection = True
            self.connection.close()

    do_HEAD = do_GET  # noqa: N815 - http.server's name
