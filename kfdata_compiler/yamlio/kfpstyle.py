"""KFP v2 IR as kfp writes and reads it: PyYAML's own typing, ``yaml.dump(sort_keys=True)``.

kfp's compiler writes the IR with ``yaml.dump_all(documents, f, sort_keys=True)`` (pure-Python
emitter, 80 columns, non-ASCII escaped) after a block of ``#`` comments, and reads it with
``yaml.safe_load``. Reading and writing it the same way keeps every value the SDK wrote
exactly as it was (Go's typing would turn a plain ``y`` into ``true``)::

    load_kfp_documents("a: y\\n")                  ->  [{'a': 'y'}]
    dump_kfp_documents([{"b": 1, "a": "y"}], "# PIPELINE DEFINITION\\n")
    ->  "# PIPELINE DEFINITION\\na: y\\nb: 1\\n"

Private classes only, with their own copies of PyYAML's tables: importing ``hera.workflows``
adds representers to PyYAML's global classes, and the output must not depend on it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from yaml.constructor import SafeConstructor
from yaml.emitter import Emitter
from yaml.representer import SafeRepresenter
from yaml.resolver import Resolver
from yaml.serializer import Serializer

from kfdata_compiler.yamlio.libyaml import CParser, represent_all

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def _resolvers() -> dict[Any, list[tuple[str, Any]]]:
    return {k: list(v) for k, v in Resolver.yaml_implicit_resolvers.items()}


class _Loader(CParser, SafeConstructor, Resolver):
    """``yaml.CSafeLoader`` with private tables; a timestamp stays the text it was."""

    yaml_constructors = dict(SafeConstructor.yaml_constructors)
    yaml_implicit_resolvers = _resolvers()

    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)


_Loader.yaml_constructors[_TIMESTAMP] = SafeConstructor.construct_yaml_str


class _Dumper(Emitter, Serializer, SafeRepresenter, Resolver):
    """``yaml.Dumper`` as ``yaml.dump_all`` builds it, with private tables."""

    yaml_representers = dict(SafeRepresenter.yaml_representers)
    yaml_multi_representers = dict(SafeRepresenter.yaml_multi_representers)
    yaml_implicit_resolvers = _resolvers()

    def __init__(self, stream: Any) -> None:
        Emitter.__init__(self, stream)
        Serializer.__init__(self)
        SafeRepresenter.__init__(self, default_flow_style=False, sort_keys=True)
        Resolver.__init__(self)

    def ignore_aliases(self, data: Any) -> bool:
        # Added fragments may share objects; kfp's dicts never do, so it writes no anchors.
        return True


def load_kfp_documents(text: str) -> list[Any]:
    """Every document of ``text`` as ``yaml.safe_load_all`` reads it (timestamps as text).

    >>> load_kfp_documents("a: n\\n---\\nb: 1e3\\n")
    [{'a': 'n'}, {'b': '1e3'}]
    """
    loader = _Loader(text)
    try:
        out = []
        while loader.check_data():
            out.append(loader.get_data())
        return out
    finally:
        loader.dispose()


def header_comments(text: str) -> str:
    """The block of ``#`` lines at the top of ``text`` (kfp's ``# PIPELINE DEFINITION``)."""
    end = 0
    for line in text.splitlines(keepends=True):
        if not line.startswith("#"):
            break
        end += len(line)
    header = text[:end]
    return header if header.endswith("\n") or not header else header + "\n"


def dump_kfp_documents(docs: Sequence[Any], header: str = "") -> str:
    """``header`` then ``yaml.dump_all(docs, sort_keys=True)``, as kfp's compiler writes.

    >>> dump_kfp_documents([{"b": [1], "a": "x"}, {"c": None}])
    'a: x\\nb:\\n- 1\\n---\\nc: null\\n'
    """
    stream = io.StringIO()
    stream.write(header)
    represent_all(_Dumper(stream), docs)
    return stream.getvalue()


__all__ = ["dump_kfp_documents", "header_comments", "load_kfp_documents"]
