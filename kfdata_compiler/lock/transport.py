"""What the resolvers share: store clients imported on first use, tools run, URLs read, and
every failure turned into an ``Unresolved`` that names the endpoint and the cause.

    read_url(Request("https://h/v"), "https://h/v", 60)   ->  the body's chunks, every one, or
    Unresolved("KF512", "cannot reach https://h/v: [Errno 111] Connection refused", ...)
    Unresolved("KF512", "https://h/v closed the connection after 10 of the 1000 bytes it
                announced", ...)

A body is read whole or not at all: a connection that breaks (reset, closed before the announced
``Content-Length``, a truncated chunked body) is KF512, never a shorter body. Only a body whose
end is the connection's close (no length, no chunks) cannot be told from a truncated one: HTTP
gives the client nothing to check there.
"""

from __future__ import annotations

import importlib
import json
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from http.client import HTTPException, IncompleteRead
from types import ModuleType
from typing import IO, Any
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from kfdata_compiler.lock.model import TIMEOUT, Unresolved

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
             timeout: float = 2 * TIMEOUT) -> subprocess.CompletedProcess[str]:
    """Run ``git`` or ``pachctl`` without a terminal (a credential prompt would hang); KF513 when
    it is not installed or cannot be run, KF512 when it gets no answer in time. The caller
    reads its exit status (negative: the signal that killed it).

    >>> run_tool(["git", "ls-remote", "https://h/o/r.git", "HEAD"], env, "https://h/o/r.git")
    CompletedProcess(args=[...], returncode=0, stdout='0f3c...\\tHEAD\\n', stderr='')
    """
    try:
        # Its output is read as UTF-8 whatever it holds: a stray byte is replaced, not fatal.
        return subprocess.run(list(argv), env=dict(env), capture_output=True,
                              encoding="utf-8", errors="replace", timeout=timeout,
                              stdin=subprocess.DEVNULL, check=False)
    except FileNotFoundError:
        raise Unresolved("KF513", f"{argv[0]} is not installed (or not on PATH)",
                         f"install {argv[0]}: kfdata-compile lock runs it to resolve the ref"
                         ) from None
    except OSError as exc:  # not executable, not a program (ENOEXEC), a directory
        raise Unresolved("KF513", f"{argv[0]} cannot be run: {exc.strerror or exc}",
                         f"check the {argv[0]} found on PATH (kfdata-compile lock runs it to "
                         "resolve the ref)") from None
    except subprocess.TimeoutExpired:
        raise Unresolved("KF512", f"{argv[0]} got no answer from {endpoint} in {timeout:g} s",
                         "check the network, or point --endpoint at a reachable address"
                         ) from None


def open_url(request: Request, endpoint: str, timeout: float = TIMEOUT) -> IO[bytes]:
    """The response to ``request`` (redirects followed); every failure as ``Unresolved``:
    KF511 for 404, KF512 for refused credentials, other HTTP errors and network failures.
    Its body may still break: read it with ``read_url``."""
    try:
        response: IO[bytes] = urlopen(request, timeout=timeout)  # noqa: S310 - http(s) only
        return response
    except HTTPError as exc:
        exc.close()
        raise http_failure(exc.code, exc.reason, endpoint) from None
    except (URLError, OSError, HTTPException, ValueError) as exc:
        # refused, unknown host, TLS, timeout; a reset or a garbled status line (HTTPException);
        # a URL urllib cannot use (ValueError: InvalidURL, a port that is not a number)
        raise network_failure(endpoint, exc) from None


def read_url(request: Request, endpoint: str, timeout: float = TIMEOUT,
             chunk: int = 1 << 20) -> Iterator[bytes]:
    """The body of the answer to ``request``, in chunks, checked whole: KF512 when the
    connection breaks or closes before the ``Content-Length`` it announced.

    A consumer must read to the end (a generator's last step does the check).
    """
    with open_url(request, endpoint, timeout) as response:
        announced = _length(response)
        size = 0
        try:
            while data := response.read(chunk):
                size += len(data)
                yield data
        except (OSError, HTTPException) as exc:  # reset, timeout, a truncated chunked body
            raise network_failure(endpoint, exc, size) from None
        # http.client ends a body that closes early without a word (it cannot tell a close
        # from the end when it reads in chunks): the announced length can.
        if announced is not None and size < announced:
            raise network_failure(endpoint, IncompleteRead(b"", announced - size), size)


def read_all(request: Request, endpoint: str, timeout: float = TIMEOUT,
             limit: int = 1 << 24) -> bytes:
    """The whole body of an API answer (at most ``limit`` bytes), as ``read_url`` checks it."""
    body = bytearray()
    for data in read_url(request, endpoint, timeout):
        body += data
        if len(body) > limit:
            raise Unresolved("KF512", f"{endpoint} answered with more than {limit} bytes",
                             "is --endpoint the store's API?")
    return bytes(body)


def _length(response: Any) -> int | None:
    text = response.headers.get("Content-Length") if hasattr(response, "headers") else None
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None  # http.client ignores a length it cannot read, so do we


def network_failure(endpoint: str, exc: BaseException, received: int | None = None
                    ) -> Unresolved:
    """A failure to get an answer from ``endpoint``, as KF512 naming it and the cause: it
    could not be reached, or the connection broke (after ``received`` bytes of a body)."""
    hint = ("check the network and the URL, then try again; --endpoint STORE=URL points a "
            "store at another address")
    if isinstance(exc, IncompleteRead):
        got = exc.partial if received is None else received
        if isinstance(got, bytes):
            got = len(got)
        told = (f"{got} of the {got + exc.expected} bytes it announced" if exc.expected
                else f"{got} bytes")
        return Unresolved("KF512", f"{endpoint} closed the connection after {told}: the "
                          "answer is incomplete, nothing was pinned", hint)
    cause = exc.reason if isinstance(exc, URLError) else exc
    text = str(cause) or type(cause).__name__
    if isinstance(cause, json.JSONDecodeError):  # requests' is an OSError too
        return Unresolved("KF512", f"{endpoint} answered with something that is not JSON: "
                          f"{text}", "is --endpoint the store's API?")
    if received is not None or isinstance(cause, ConnectionResetError):
        after = f" after {received} bytes" if received else ""
        return Unresolved("KF512", f"the connection to {endpoint} broke{after}: {text}; "
                          "nothing was pinned", hint)
    return Unresolved("KF512", f"cannot reach {endpoint}: {text}", hint)


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
