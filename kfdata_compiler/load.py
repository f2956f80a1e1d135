"""Read a pipeline or spec file into a :class:`Source`: its text, documents and positions.

    load_source("p.yaml", b"kind: Workflow\\n...")  ->  Source(path, text, docs=[{...}], positions)

Which format a source is, and which of its documents that format refuses, is for
:mod:`kfdata_compiler.formats` to say.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from kfdata_compiler.diagnostics import Diagnostic, Location
from kfdata_compiler.errors import LoadError
from kfdata_compiler.yamlio import Positions, load_documents


class Source(NamedTuple):
    """One loaded YAML file. ``docs`` is the compiler's own copy: later stages may mutate it."""

    path: str
    text: str
    docs: list[Any]
    positions: Positions


def decode(path: str, data: bytes) -> str:
    """Decode file bytes as UTF-8, or raise ``LoadError`` pointing at the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise LoadError(
            [
                Diagnostic(
                    "KF100",
                    f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded",
                    Location(path, line, col),
                    "save the file as UTF-8 (Kubernetes reads only UTF-8)",
                )
            ]
        ) from None


def load_source(path: str, data: bytes) -> Source:
    """Decode and parse a YAML stream; ``LoadError`` on bad bytes, bad YAML or no document."""
    text = decode(path, data)
    docs = load_documents(text, path)
    if not docs or all(doc is None for doc in docs):
        raise LoadError(
            [
                Diagnostic(
                    "KF107",
                    "the file holds no YAML document",
                    Location(path, 1, 1),
                    "pass the compiled pipeline (dsl-compile / hera output)",
                )
            ]
        )
    return Source(path, text, docs, Positions(text, path))
