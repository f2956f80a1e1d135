"""Write an output file so that it holds its old content or the complete new one, never a part.

    write_atomic("out.yaml", b"apiVersion: ...")   # .out.yaml.1f2e3d4c.tmp, then renamed over

- **Atomic**: the bytes go to a temp file beside the target, are flushed to disk (a crash right
  after the rename must not leave an empty file) and renamed over the target.
- **Mode**: an existing file keeps its mode (and owner, where allowed). A new one is created
  with 0666 and the kernel takes the umask off (and applies the directory's default ACL), as
  for any file a shell creates. The umask is never read: reading it means setting it
  (``os.umask`` twice), which races with any other thread creating a file meanwhile.
- **Links**: a link to a file is written through: its final target is replaced, atomically,
  from a temp file in the target's directory, and the link stays a link. A link to a directory
  is refused like the directory itself. A dangling link is written through too, as a shell's
  ``>`` does, when the directory it points into exists.
- **FIFOs and devices** (``-o /dev/stdout``, ``-o >(gzip > x.gz)``) are written in place:
  there is nothing to rename over.
- **Signals**: SIGINT, SIGTERM or SIGHUP during the write remove the temp file and raise
  :class:`Interrupted`; the target is untouched (or already completely replaced).
- **Errors** are ``EmitError`` (KF100) naming the path the user gave, never the temp file.

Standard output is written by :func:`write_stdout`: a closed one is an ``OSError`` naming
``<stdout>``; a reader that went away (``| head``) is :class:`ReaderGone`, which ends the run
quietly.
"""

from __future__ import annotations

import errno
import functools
import os
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from types import FrameType
from typing import TYPE_CHECKING, Any

from kfdata_compiler.diagnostics import Diagnostic, Location
from kfdata_compiler.errors import EmitError

if TYPE_CHECKING:
    import signal

    _Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None


@functools.cache
def signals() -> tuple[int, ...]:
    """Ctrl-C, kill (a CI job cancelled, a pre-commit hook's timeout) and a closed terminal."""
    import signal  # only to write a file: its enums cost ~3 M instructions, stdout needs none

    return tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n))


class ReaderGone(Exception):
    """Whoever read stdout stopped (``| head -1``): the run ends quietly, as with any tool."""


def write_stdout(text: str) -> None:
    """Write ``text`` to stdout as UTF-8 (the bytes ``-o`` would write), all of it, at once.

    >>> write_stdout("kind: Workflow\\n")   # OSError naming <stdout>, or ReaderGone

    At once, so that a failure is this output's and reported as such; all of it, because with
    ``python -u`` (PYTHONUNBUFFERED) stdout's binary layer is raw and may take only a part.
    """
    out = sys.stdout
    if out is None:  # the process started with stdout closed: `kfdata-compile p.yaml >&-`
        raise OSError(errno.EBADF, "standard output is closed", "<stdout>")
    try:
        out.flush()  # what the text layer holds goes first
        binary = getattr(out, "buffer", None)
        if binary is None:  # a StringIO in its place (a caller capturing output)
            out.write(text)
            return
        view = memoryview(text.encode("utf-8"))
        while view:
            written = binary.write(view)
            if written is None:  # a non-blocking stdout that is full, as BufferedWriter says
                raise BlockingIOError(errno.EAGAIN, os.strerror(errno.EAGAIN))
            view = view[written:]
        binary.flush()
    except BrokenPipeError:
        raise ReaderGone from None
    except OSError as exc:  # e.g. `> /dev/full`
        raise OSError(exc.errno, exc.strerror, "<stdout>") from None


class Interrupted(BaseException):
    """A signal ended a write; its temp file is gone. Like KeyboardInterrupt, not an Exception."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_status(self) -> int:
        """128 + the signal's number, as a shell reports a process the signal ended (130, 143)."""
        return 128 + self.signum


@contextmanager
def removed_on_signal(paths: list[str]) -> Iterator[None]:
    """While inside, SIGINT/SIGTERM/SIGHUP remove every path in ``paths``, then raise Interrupted.

        pending: list[str] = []
        with removed_on_signal(pending):
            pending.append(tmp)      # from here on, a signal removes tmp
            ...
            pending.clear()          # renamed: nothing of ours left to remove

    A signal that is ignored (under ``nohup``, a background job's SIGINT) stays ignored.
    Outside the main thread, where Python cannot handle signals, nothing changes.
    """

    def handler(signum: int, frame: FrameType | None) -> None:
        # Python runs this between two bytecodes of the main thread, so a rename is either
        # complete (the temp name is gone) or not started: removing the temp file is always right.
        for path in paths:
            _remove(path)
        raise Interrupted(signum)

    import signal  # loaded by signals() already

    previous: dict[int, _Handler] = {}
    try:
        for signum in signals():
            if signal.getsignal(signum) != signal.SIG_IGN:
                previous[signum] = signal.signal(signum, handler)
    except ValueError:  # not the main thread: signals are not ours to handle
        pass
    try:
        yield
    finally:
        for signum, old in previous.items():
            # None: a handler installed by C code, which cannot be put back; the default is next.
            signal.signal(signum, signal.SIG_DFL if old is None else old)


def _remove(path: str) -> None:
    with suppress(OSError):
        os.unlink(path)


def _failure(name: str, exc: OSError, real: str) -> EmitError:
    """KF100 naming the user's path, with what to do about it."""
    directory = os.path.dirname(real) or "."
    if exc.errno == errno.EISDIR:
        hint = "name a file to write, not a directory"
    elif exc.errno == errno.ENOENT and real != name:
        hint = f"{name} is a link to {real}, in a directory that does not exist"
    elif exc.errno == errno.ENOENT:
        hint = f"the directory {directory} does not exist: create it first"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        hint = (f"the directory {directory} must be writable: the output is written "
                "beside the file, then renamed over it")
    else:
        hint = "nothing was written"
    message = f"cannot write output: {exc.strerror or exc}"
    return EmitError([Diagnostic("KF100", message, Location(name), hint)])


def _create(path: str, data: bytes, like: os.stat_result | None) -> None:
    # O_EXCL: never write into a file someone else made. An existing target's mode is set
    # while the temp file is still private (0600), so it is never more readable than either.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, 0o600 if like else 0o666)
    with open(fd, "wb") as out:
        if like:
            with suppress(OSError):  # its owner and group too, where allowed (root, a group)
                os.fchown(fd, like.st_uid, like.st_gid)
            os.fchmod(fd, stat.S_IMODE(like.st_mode))  # after chown, which drops setuid bits
        out.write(data)
        out.flush()
        os.fsync(fd)


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path``'s content with ``data`` atomically; ``EmitError`` naming ``path``.

    >>> write_atomic("out.yaml", b"kind: Workflow\\n")     # out.yaml keeps its mode and links
    """
    name = os.fspath(path)
    real = name
    try:
        try:
            info: os.stat_result | None = os.stat(name)  # through links: what a write would hit
        except FileNotFoundError:
            info = None  # a new file, or a dangling link
        if info is not None and stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), name)
        if info is not None and not stat.S_ISREG(info.st_mode):
            with open(name, "wb") as out:  # a FIFO or a device: write in place
                out.write(data)
            return
        if os.path.islink(name):
            real = os.path.realpath(name)
        directory, base = os.path.split(real)
        pending: list[str] = []
        with removed_on_signal(pending):
            tmp = os.path.join(directory, f".{base}.{os.urandom(8).hex()}.tmp")
            pending.append(tmp)  # before it exists: a signal right after creating it removes it
            try:
                _create(tmp, data, info)
                os.replace(tmp, real)
                pending.clear()
            except FileExistsError:  # 64 random bits taken: not ours to remove
                pending.clear()
                raise
            except BaseException:
                _remove(tmp)
                raise
    except OSError as exc:
        raise _failure(name, exc, real) from None
