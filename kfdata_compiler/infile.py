"""Read a pipeline or spec once, and never more than a limit (KF112), whatever it is.

    read_file("p.yaml", "the pipeline")                  ->  b"apiVersion: argoproj.io/v1alpha1..."
    read_file("/dev/zero", "the pipeline", 1 << 20)     ->  LoadError: KF112, after 1 MiB + 1 byte
    read_stream(sys.stdin.buffer, "<stdin>", "the pipeline")

A FIFO, ``<(cat p.yaml)`` or stdin can be read only once, so callers keep the bytes they get.
The limit stops ``/dev/zero`` or a mistaken multi-gigabyte file before it exhausts memory.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from typing import BinaryIO

from kfdata_compiler import lazy
from kfdata_compiler.diagnostics import Diagnostic, Location
from kfdata_compiler.errors import LoadError

# The largest real pipelines (thousands of templates) are tens of MB: this is well above them.
DEFAULT_MAX_INPUT_SIZE = 64 << 20
_CHUNK = 1 << 20  # what a pipe or device is read in: /dev/zero stops within one chunk of the limit
_UNITS = {"": 0, "K": 10, "M": 20, "G": 30, "T": 40}
_SIZE = lazy.compile(r"(\d+)\s*([KMGT]?)(?:I?B)?", re.IGNORECASE)


def parse_size(text: str) -> int:
    """A byte count from ``--max-input-size``: plain bytes or K/M/G/T (binary: 1K = 1024).

    >>> parse_size("128M"), parse_size("1GiB"), parse_size("4096")
    (134217728, 1073741824, 4096)
    """
    match = _SIZE.fullmatch(text.strip())
    if not match or int(match[1]) == 0:
        raise ValueError(f"{text!r} is not a size: use bytes or a number with K, M or G (128M)")
    return int(match[1]) << _UNITS[match[2].upper()]


def format_size(size: int, flag: bool = False) -> str:
    """A byte count as people read it, or (``flag``) as ``--max-input-size`` takes it.

    >>> format_size(64 << 20), format_size(64 << 20, flag=True), format_size(1500)
    ('64 MiB', '64M', '1500 bytes')
    """
    for unit, shift in (("G", 30), ("M", 20), ("K", 10)):
        if size >= 1 << shift and size % (1 << shift) == 0:
            return f"{size >> shift}{unit}" if flag else f"{size >> shift} {unit}iB"
    return str(size) if flag else f"{size} bytes"


def _cannot_read(name: str, what: str, exc: OSError) -> LoadError:
    message = f"cannot read {what}: {exc.strerror or exc}"
    return LoadError([Diagnostic("KF100", message, Location(name))])


def _too_large(name: str, what: str, limit: int) -> LoadError:
    return LoadError(
        [
            Diagnostic(
                "KF112",
                f"{what} is larger than the input limit of {format_size(limit)}",
                Location(name),
                "real pipelines are far smaller; if this is the right file, raise the limit: "
                f"--max-input-size {format_size(limit * 2, flag=True)}",
            )
        ]
    )


def _regular_size(stream: BinaryIO) -> int | None:
    """The size of a regular file behind ``stream``; None for a pipe, device or memory stream."""
    try:
        info = os.fstat(stream.fileno())
    except (OSError, ValueError):  # io.BytesIO has no descriptor
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def read_stream(
    stream: BinaryIO | None, name: str, what: str, limit: int = DEFAULT_MAX_INPUT_SIZE
) -> bytes:
    """All of ``stream`` if it holds at most ``limit`` bytes; ``LoadError`` KF112 if more.

    >>> read_stream(io.BytesIO(b"kind: Workflow\\n"), "<stdin>", "the pipeline")
    b'kind: Workflow\\n'
    """
    if stream is None:  # the process started with this descriptor closed (`<&-`)
        raise _cannot_read(name, what, OSError(errno.EBADF, "the stream is closed"))
    size = _regular_size(stream)
    if size is not None and size > limit:
        raise _too_large(name, what, limit)  # refused before reading a byte
    # A regular file in one read (then the EOF), anything else in chunks: a pipe's reads are
    # short, and /dev/zero must stop one byte past the limit, which tells "too large" apart.
    want = _CHUNK if size is None else size + 1
    chunks: list[bytes] = []
    left = limit + 1
    try:
        while left > 0:
            chunk = stream.read(min(want, left))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
            want = _CHUNK
    except OSError as exc:
        raise _cannot_read(name, what, exc) from None
    if left <= 0:
        raise _too_large(name, what, limit)
    return b"".join(chunks)  # a single chunk (a regular file) is returned as is, not copied


def read_file(
    path: str | os.PathLike[str], what: str, limit: int = DEFAULT_MAX_INPUT_SIZE
) -> bytes:
    """Read a file, FIFO or device once; ``LoadError`` KF100 if unreadable, KF112 if too large.

    >>> read_file("pipeline.yaml", "the pipeline")
    b'apiVersion: argoproj.io/v1alpha1\\n...'
    """
    name = os.fspath(path)
    try:
        # Unbuffered: each read is one system call, so a pipe's short reads cost no copying.
        with open(name, "rb", buffering=0) as stream:
            return read_stream(stream, name, what, limit)
    except OSError as exc:
        raise _cannot_read(name, what, exc) from None
