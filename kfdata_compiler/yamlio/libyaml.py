"""libyaml, required: its C parser and emitter, the tags they use, a pause of the cyclic GC,
and the document loop every writer of :mod:`kfdata_compiler.yamlio` runs its dumper through.

Private classes only (:mod:`.read`, :mod:`.dump`): importing ``hera.workflows`` adds
representers to PyYAML's global classes, and the output must not depend on what was imported.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

try:
    from yaml._yaml import CEmitter, CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    raise ImportError(
        "kfdata-compiler needs PyYAML built with libyaml (the C loader): "
        "pip install --force-reinstall --no-binary=:none: pyyaml, "
        "or install libyaml-dev and reinstall pyyaml"
    ) from None

STR = "tag:yaml.org,2002:str"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector (documents are acyclic: it would find nothing).

    It finds nothing in trees of dicts, lists and strings, but rescans them on every allocation
    burst while they are built, read or written (~0.2 s per 2,000 templates in a compile).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def represent_all(dumper: Any, docs: Sequence[Any]) -> None:
    """Write ``docs`` through a dumper made on a stream (``yaml.dump_all``'s loop, without its
    global classes), and free the dumper's emitter state even when a document fails."""
    try:
        dumper.open()
        for doc in docs:
            dumper.represent(doc)
        dumper.close()
    finally:
        dumper.dispose()


__all__ = ["MAP", "SEQ", "STR", "CEmitter", "CParser", "no_cyclic_gc", "represent_all"]
