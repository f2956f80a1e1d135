"""The one module that imports PyYAML: load with Go's meaning, dump so Go reads it back the same.

Argo's controller, KFP's API server and kubectl read YAML with Go (``sigs.k8s.io/yaml``, YAML 1.1
rules), and PyYAML's resolver disagrees with Go on some plain scalars (``n`` is a string to PyYAML
and ``false`` to Go; ``1e3`` a string to PyYAML and a float to Go). So plain scalars are typed
with Go's rules (:mod:`kfdata_compiler.goresolve`), and a string is written plain only when both
Go and PyYAML read that plain text back as the same string::

    load_documents("name: n\nx: 1e3\n", "f.yaml")  ->  [{'name': False, 'x': 1000.0}]
    dump_documents([{"name": "n", "x": "1e3"}])     ->  "name: 'n'\nx: '1e3'\n"

libyaml parses; :mod:`kfdata_compiler.yamlbuild` turns its events into values (bounded like Go:
depth, aliases) and :mod:`kfdata_compiler.yamlwrite` writes libyaml's block style directly, with
libyaml itself as the fallback. Private classes only: importing ``hera.workflows`` adds
representers to PyYAML's global classes, and the output must not depend on what was imported.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import yaml
from yaml import events
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location, render_path
from kfdata_compiler.errors import LoadError
from kfdata_compiler.yamlio import build as yamlbuild
from kfdata_compiler.yamlio import write as yamlwrite
from kfdata_compiler.yamlio.goresolve import TYPED_START, go_key, go_reads_as_string

try:
    from yaml._yaml import CEmitter as _CEmitter
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    raise ImportError(
        "kfdata-compiler needs PyYAML built with libyaml (the C loader): "
        "pip install --force-reinstall --no-binary=:none: pyyaml, "
        "or install libyaml-dev and reinstall pyyaml"
    ) from None

Document = dict[str, Any]

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
MAX_DEPTH = yamlbuild.MAX_DEPTH
# Aliases may add this many characters, or ten times the text's length if that is more: Go
# shares expanded strings but writes them all out again (4 MB of text became 1 GB of JSON).
_ALIAS_CHARS, _ALIAS_CHARS_RATIO = 4 << 20, 10
_KINDS: dict[type, int] = {
    events.ScalarEvent: yamlbuild.SCALAR,
    events.AliasEvent: yamlbuild.ALIAS,
    events.MappingStartEvent: yamlbuild.MAPPING_START,
    events.MappingEndEvent: yamlbuild.MAPPING_END,
    events.SequenceStartEvent: yamlbuild.SEQUENCE_START,
    events.SequenceEndEvent: yamlbuild.SEQUENCE_END,
    events.DocumentStartEvent: yamlbuild.DOCUMENT_START,
    events.DocumentEndEvent: yamlbuild.DOCUMENT_END,
    events.StreamStartEvent: yamlbuild.STREAM_START,
    events.StreamEndEvent: yamlbuild.STREAM_END,
}


class _Parser(_CParser):
    """libyaml's parser; the hooks below serve only its composer, which :class:`Positions` uses."""

    def descend_resolver(self, parent: Any, index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        return _STR if kind is ScalarNode else _SEQ if kind is SequenceNode else _MAP


def _parse(text: str, use: Any) -> Any:
    parser = _Parser(text)
    try:
        return use(parser.get_event)
    finally:
        parser.dispose()


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


def load_documents(text: str, file: str) -> list[Any]:
    """Parse every document of a YAML stream into plain Python values, with Go's typing.

    >>> load_documents("a: n\\n---\\nb: 1e3\\n", "x.yaml")
    [{'a': False}, {'b': 1000.0}]
    """
    try:
        with no_cyclic_gc():
            budget = max(_ALIAS_CHARS, _ALIAS_CHARS_RATIO * len(text))
            docs: list[Any] = _parse(text, lambda get: yamlbuild.build(get, _KINDS, budget))
            return docs
    except yamlbuild.BuildError as exc:
        message = exc.message
        if exc.duplicate:
            ordinal, key = exc.duplicate
            first = _parse(text, lambda get: yamlbuild.first_key_mark(get, _KINDS, ordinal, key))
            message += f" (first defined at line {first.line + 1}, column {first.column + 1})"
        loc = Location(file, exc.mark.line + 1, exc.mark.column + 1)
        raise LoadError([Diagnostic(exc.code, message, loc, exc.hint)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if _unclosed(exc):
            mark = exc.context_mark  # where the quote opened, not the end of the file
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        if "maximum nesting depth" in str(exc.problem):
            # libyaml >= 0.2.6 stops at 1,000 levels, sometimes before our own cap sees them.
            raise LoadError([Diagnostic("KF105", yamlbuild.TOO_DEEP, Location(file, line, col),
                                        yamlbuild.TOO_DEEP_HINT)]) from None
        message = " ".join(p for p in (exc.context, exc.problem) if p) or "malformed YAML"
        if mark and _char_at(text, mark.line, mark.column) == "\t":
            # libyaml's message does not name the character; a tab is the usual culprit.
            message = "a tab character cannot start a token here (tabs are not indentation)"
        raise LoadError([Diagnostic("KF101", f"invalid YAML: {message}", Location(file, line, col),
                                    _yaml_hint(exc))]) from None
    except yaml.reader.ReaderError as exc:
        # libyaml reports a byte offset into the UTF-8 text.
        before = text.encode()[: exc.position]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1:].decode(errors="ignore")) + 1
        raise LoadError([Diagnostic(
            "KF101", f"invalid YAML: {exc.reason}", Location(file, line, col),
            "remove control characters; Kubernetes rejects them too",
        )]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml reports positions for all others
        raise LoadError([Diagnostic("KF101", f"invalid YAML: {exc}", Location(file))]) from None


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    return lines[line][column : column + 1] if line < len(lines) else ""


def _unclosed(exc: yaml.MarkedYAMLError) -> bool:
    return bool(exc.context_mark and "quoted scalar" in (exc.context or "")
                and "end of stream" in (exc.problem or ""))


def _yaml_hint(exc: yaml.MarkedYAMLError) -> str:
    if "tab" in (exc.problem or ""):
        return "YAML indentation must use spaces, not tabs"
    if _unclosed(exc):
        return "a quoted string is not closed"
    return "fix the YAML syntax at this position"


class Positions:
    """Maps (document index, JSON path) to a line and column, composing the text only on demand.

    The happy path never needs positions, so nothing is paid for them until a diagnostic asks.
    """

    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self._roots: list[Node] | None = None

    def _documents(self) -> list[Node]:
        if self._roots is None:
            # libyaml's composer recurses in C, but the text was loaded first, so its depth is
            # bounded by MAX_DEPTH.
            loader = _Parser(self.text)
            roots: list[Node] = []
            try:
                while loader.check_node():
                    node = loader.get_node()
                    if node is not None:
                        roots.append(node)
            except yaml.YAMLError:  # pragma: no cover - the text was already loaded once
                pass
            finally:
                loader.dispose()
            self._roots = roots
        return self._roots

    def locate(self, path: JsonPath, doc: int = 0) -> Location:
        """Return the location of the deepest node along ``path`` (a key's own position)."""
        roots = self._documents()
        json_path = render_path(path)
        if doc >= len(roots):
            return Location(self.file, 0, 0, json_path)
        node: Node = roots[doc]
        mark = node.start_mark
        for part in path:
            child: Node | None = None
            if isinstance(node, MappingNode) and isinstance(part, str):
                for key_node, value_node in node.value:
                    if isinstance(key_node, ScalarNode) and _json_key(key_node) == part:
                        mark, child = key_node.start_mark, value_node
                        break
            elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(
                    node.value):
                child = node.value[part]
                mark = child.start_mark
            if child is None:
                break
            node = child
        return Location(self.file, mark.line + 1, mark.column + 1, json_path)


def _json_key(node: ScalarNode) -> str | None:
    # Paths name keys as Go does: the plain key ``n`` is "false".
    if node.style or node.value[:1] not in TYPED_START:
        return node.value
    try:
        return go_key(node.value)
    except ValueError:
        return None


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
            and _PYYAML_RESOLVER.resolve(ScalarNode, text, (True, False)) == _STR)


class _Dumper(_CEmitter, yaml.representer.SafeRepresenter):
    """libyaml's emitter with private representers: the reference :func:`_write` reproduces."""

    yaml_representers = dict(yaml.representer.SafeRepresenter.yaml_representers)
    yaml_multi_representers = dict(yaml.representer.SafeRepresenter.yaml_multi_representers)

    def __init__(self, stream: Any, explicit_start: bool = False) -> None:
        _CEmitter.__init__(self, stream, canonical=False, indent=2, width=-1, allow_unicode=True,
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
            return _SEQ if kind is SequenceNode else _MAP
        if not implicit[0]:
            return _STR
        if plain_is_string(value):
            return _STR
        tag: str = _PYYAML_RESOLVER.resolve(ScalarNode, value, implicit)
        return "kfdata:go-typed" if tag == _STR else tag  # not str: the emitter then quotes it


def _represent_str(dumper: _Dumper, data: str) -> ScalarNode:
    return dumper.represent_scalar(_STR, data, style="|" if "\n" in data else None)


_Dumper.add_representer(str, _represent_str)


def _dump_libyaml(docs: Sequence[Any]) -> str:
    stream = io.StringIO()
    dumper = _Dumper(stream, explicit_start=len(docs) > 1)
    try:
        dumper.open()
        for doc in docs:
            dumper.represent(doc)
        dumper.close()
    finally:
        dumper.dispose()
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


def dump_documents(docs: Sequence[Any]) -> str:
    """Serialise documents deterministically: input key order, block style, ``|`` for multi-line.

    >>> dump_documents([{"name": "n", "n": 1}])
    "name: 'n'\\n'n': 1\\n"
    """
    with no_cyclic_gc():
        try:
            return yamlwrite.write(docs, _one_line)
        except yamlwrite.Unsupported:
            return _dump_libyaml(docs)
