"""What the resolvers share: store clients imported on first use, tools run, URLs opened, and
every failure turned into an ``Unresolved`` that names the endpoint and the cause.

    open_url(Request("https://h/v"), "https://h/v")   ->  the response, or
    Unresolved("KF512", "cannot reach https://h/v: [Errno 111] Connection refused", ...)
"""

from __future__ import annotations

import importlib
import subprocess
from collections.abc import Mapping, Sequence
from types import ModuleType
from typing import IO, Any
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from kfdata_compiler.lock.model import Unresolved

TIMEOUT = 60  # seconds without an answer before a store counts as unreachable
EXTRA = "pip install 'kfdata-compiler[lock]'"


def client(module: str, package: str) -> ModuleType:
    """A store client, imported when a dataset needs it; KF513 naming the extra when missing.

    >>> client("boto3", "boto3")      # or Unresolved("KF513", "... needs boto3 ...", EXTRA)
    <module 'boto3' ...>
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        raise Unresolved("KF513", f"locking it needs the Python package {package}, which is not "
                         "installed", f"{EXTRA} (the store clients of kfdata-compile lock)"
                         ) from None


def run_tool(argv: Sequence[str], env: Mapping[str, str], endpoint: str,
             timeout: int = 2 * TIMEOUT) -> subprocess.CompletedProcess[str]:
    """Run ``git`` or ``pachctl`` without a terminal (a credential prompt would hang); KF513 when
    it is not installed, KF512 when it gets no answer in time. The caller reads its exit status.

    >>> run_tool(["git", "ls-remote", "https://h/o/r.git", "HEAD"], env, "https://h/o/r.git")
    CompletedProcess(args=[...], returncode=0, stdout='0f3c...\\tHEAD\\n', stderr='')
    """
    try:
        return subprocess.run(list(argv), env=dict(env), capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL, check=False)
    except FileNotFoundError:
        raise Unresolved("KF513", f"{argv[0]} is not installed (or not on PATH)",
                         f"install {argv[0]}: kfdata-compile lock runs it to resolve the ref"
                         ) from None
    except subprocess.TimeoutExpired:
        raise Unresolved("KF512", f"{argv[0]} got no answer from {endpoint} in {timeout} s",
                         "check the network, or point --endpoint at a reachable address"
                         ) from None


def open_url(request: Request, endpoint: str) -> IO[bytes]:
    """The response to ``request`` (redirects followed); every failure as ``Unresolved``:
    KF511 for 404, KF512 for refused credentials, other HTTP errors and network failures."""
    try:
        response: IO[bytes] = urlopen(request, timeout=TIMEOUT)  # noqa: S310 - http(s) only
        return response
    except HTTPError as exc:
        exc.close()
        raise http_failure(exc.code, exc.reason, endpoint) from None
    except (URLError, OSError) as exc:  # refused, unknown host, TLS, timeout
        cause = exc.reason if isinstance(exc, URLError) else exc
        raise Unresolved("KF512", f"cannot reach {endpoint}: {cause}",
                         "check the network and the URL; --endpoint STORE=URL points a store "
                         "at another address") from None


def http_failure(status: int, reason: Any, endpoint: str) -> Unresolved:
    """An HTTP error status as ``Unresolved`` naming the endpoint and the status."""
    if status == 404:
        return Unresolved("KF511", f"{endpoint} answered 404 {reason}: not found",
                          "check the URI (and the ref) in the spec")
    if status in (401, 403):
        return Unresolved("KF512", f"{endpoint} refused the credentials: {status} {reason}",
                          "kfdata-compile lock uses this machine's credentials, never the "
                          "spec's Secrets: see docs/lock.md for each store's")
    return Unresolved("KF512", f"{endpoint} answered {status} {reason}",
                      "the server failed: try again later")
