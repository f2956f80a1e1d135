"""Dump YAML so that Go reads it back exactly as we mean it, in libyaml's block style.

    dump_documents([{"name": "n", "x": "1e3"}])  ->  "name: 'n'\nx: '1e3'\n"

A string is written plain only when both Go and PyYAML read that plain text back as the same
string. :mod:`.write` writes the block style directly, with libyaml itself as the fallback.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

import yaml
from yaml.nodes import ScalarNode, SequenceNode

from kfdata_compiler.yamlio import write as yamlwrite
from kfdata_compiler.yamlio.goresolve import go_reads_as_string
from kfdata_compiler.yamlio.libyaml import (
    MAP,
    SEQ,
    STR,
    CEmitter,
    no_cyclic_gc,
    represent_all,
)

_PYYAML_RESOLVER = yaml.resolver.Resolver()
# PyYAML's implicit resolvers only fire on text starting with one of these characters.
_PYYAML_TYPED_START = frozenset("-+0123456789.yYnNtTfFoO~<=")


def plain_is_string(text: str) -> bool:
    """True when ``text`` written as a plain scalar reads back as that string in Go and PyYAML.

    >>> [plain_is_string(t) for t in ("train", "n", "12:30", "")]
    [True, False, False, False]
    """
    if text and text[0] not in _PYYAML_TYPED_START:
        return True
    return (bool(text) and go_reads_as_string(text)
            and _PYYAML_RESOLVER.resolve(ScalarNode, text, (True, False)) == STR)


class _Dumper(CEmitter, yaml.representer.SafeRepresenter):
    """libyaml's emitter with private representers: the reference :func:`_write` reproduces."""

    yaml_representers = dict(yaml.representer.SafeRepresenter.yaml_representers)
    yaml_multi_representers = dict(yaml.representer.SafeRepresenter.yaml_multi_representers)

    def __init__(self, stream: Any, explicit_start: bool = False) -> None:
        CEmitter.__init__(self, stream, canonical=False, indent=2, width=-1, allow_unicode=True,
                           line_break="\n", explicit_start=explicit_start)
        yaml.representer.SafeRepresenter.__init__(self, default_flow_style=False, sort_keys=False)

    def ignore_aliases(self, data: Any) -> bool:
        # Injected fragments may share objects between templates; never emit anchors for them.
        return True

    def descend_resolver(self, parent: Any, index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is not ScalarNode:
            return SEQ if kind is SequenceNode else MAP
        if not implicit[0]:
            return STR
        if plain_is_string(value):
            return STR
        tag: str = _PYYAML_RESOLVER.resolve(ScalarNode, value, implicit)
        return "kfdata:go-typed" if tag == STR else tag  # not str: the emitter then quotes it


def _represent_str(dumper: _Dumper, data: str) -> ScalarNode:
    return dumper.represent_scalar(STR, data, style="|" if "\n" in data else None)


_Dumper.add_representer(str, _represent_str)


def _dump_libyaml(docs: Sequence[Any]) -> str:
    stream = io.StringIO()
    represent_all(_Dumper(stream, explicit_start=len(docs) > 1), docs)
    return stream.getvalue()


def _libyaml_line(text: str) -> str:
    # libyaml's own choice for a string yamlwrite leaves to it; its double-quoted style escapes
    # line breaks, so the text is one line unless it chose a block (then libyaml writes it all).
    out = _dump_libyaml([[text]])
    if not out.startswith("- ") or yamlwrite.BREAKS.search(out, 0, len(out) - 1):
        raise yamlwrite.Unsupported(text)
    return out[2:-1]


def _one_line(text: str) -> str:
    return yamlwrite.line(text, plain_is_string, _libyaml_line)


def dump_documents(docs: Sequence[Any], quote: Callable[[str], bool] | None = None) -> str:
    """Serialise documents deterministically: input key order, block style, ``|`` for multi-line.

    >>> dump_documents([{"name": "n", "n": 1}])
    "name: 'n'\\n'n': 1\\n"
    >>> dump_documents([{"v": "1234e5678"}], quote=lambda s: s[:1].isdigit())
    "v: '1234e5678'\\n"

    ``quote`` names strings to quote even where plain text reads back the same in Go: a digest
    or commit id that YAML 1.2 reads as a number (``1234e5678``). Documents with ``quote`` must
    be ones the fast writer takes (string keys of one line); others raise ``ValueError``.
    """
    with no_cyclic_gc():
        if quote is not None:
            def plain(text: str) -> bool:
                return not quote(text) and plain_is_string(text)

            try:
                return yamlwrite.write(docs, lambda t: yamlwrite.line(t, plain, _libyaml_line))
            except yamlwrite.Unsupported as exc:  # libyaml's writer knows nothing of ``quote``
                raise ValueError(f"cannot write {exc} with quoting") from None
        try:
            return yamlwrite.write(docs, _one_line)
        except yamlwrite.Unsupported:
            return _dump_libyaml(docs)
