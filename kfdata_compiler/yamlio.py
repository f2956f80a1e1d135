"""The one module that imports PyYAML: load with Go's meaning, dump so Go reads it back the same.

Argo's controller, KFP's API server and kubectl read YAML with Go (``sigs.k8s.io/yaml`` on
``gopkg.in/yaml.v2``, YAML 1.1 rules). PyYAML's own resolver disagrees with Go on some plain
scalars (``n`` is a string to PyYAML and ``false`` to Go; ``1e3`` is a string to PyYAML and a float
to Go; ``12:30`` is an int to PyYAML and a string to Go). So plain scalars are resolved here with
Go's rules (:mod:`kfdata_compiler.goresolve`), and on output a string is written plain only when both
Go and PyYAML read that plain text back as the same string.

Private ``Loader``/``Dumper`` subclasses carry their own resolver and representers: importing
``hera.workflows`` adds representers to PyYAML's global classes, and the output must not depend
on what else was imported.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location, render_path
from kfdata_compiler.errors import LoadError
from kfdata_compiler.goresolve import go_key, go_reads_as_string, go_scalar

try:
    from yaml.cyaml import CEmitter as _CEmitter
    from yaml.cyaml import CParser as _CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    raise ImportError(
        "kfdata-compiler needs PyYAML built with libyaml (the C loader): "
        "pip install --force-reinstall --no-binary=:none: pyyaml, "
        "or install libyaml-dev and reinstall pyyaml"
    ) from None

Document = dict[str, Any]

_PLAIN = "kfdata:plain"  # our marker for an implicitly-typed plain scalar: Go decides its type
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_SAFE_TAGS = frozenset({
    _STR, _SEQ, _MAP,
    "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary",
})

# Go's yaml.v2 refuses documents whose alias expansions dominate what is decoded ("document
# contains excessive aliasing", decode.go allowedAliasRatio); we apply the same ratio, so a
# "billion laughs" document is refused after a bounded amount of work.
_ALIAS_MIN_DECODES = 400_000
_MAX_DEPTH = 1_000


class _Loader(_CParser):  # type: ignore[misc]
    """libyaml parser with a resolver that only marks plain scalars; Go's rules type them later."""

    def descend_resolver(self, parent: Any, index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            return _PLAIN if implicit[0] else _STR
        return _SEQ if kind is SequenceNode else _MAP


class _Constructor:
    """Builds plain dicts/lists/scalars from a node graph, expanding aliases as fresh copies."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.decoded = 0
        self.alias_decoded = 0
        self.seen: set[int] = set()

    def _fail(self, code: str, message: str, node: Node, hint: str = "") -> LoadError:
        mark = node.start_mark
        loc = Location(self.file, mark.line + 1, mark.column + 1)
        return LoadError([Diagnostic(code, message, loc, hint)])

    def build(self, node: Node, depth: int = 0, in_alias: bool = False) -> Any:
        self.decoded += 1
        # A node object met twice is an alias: build a fresh copy (passes mutate documents, and
        # Go expands aliases too) and count the work, as Go does.
        key = id(node)
        if key in self.seen:
            in_alias = True
        if in_alias:
            self.alias_decoded += 1
            if self.alias_decoded > _ALIAS_MIN_DECODES and self.alias_decoded > 0.5 * self.decoded:
                raise self._fail("KF104", "document contains excessive aliasing", node,
                                 "anchors and aliases expand to too much data; write it out")
        else:
            self.seen.add(key)
        if depth > _MAX_DEPTH:
            raise self._fail("KF105", f"nesting deeper than {_MAX_DEPTH} levels", node)
        tag = node.tag
        if isinstance(node, ScalarNode):
            if tag == _PLAIN:
                return go_scalar(node.value)
            if tag == _STR:
                return node.value
            if tag in _SAFE_TAGS:
                return go_scalar(node.value, tag)
            raise self._unsupported_tag(node)
        if isinstance(node, SequenceNode):
            if tag != _SEQ:
                raise self._unsupported_tag(node)
            return [self.build(item, depth + 1, in_alias) for item in node.value]
        if tag != _MAP:
            raise self._unsupported_tag(node)
        return self._mapping(node, depth, in_alias)

    def _unsupported_tag(self, node: Node) -> LoadError:
        return self._fail(
            "KF103", f"unsupported YAML tag {node.tag!r}", node,
            "kfdata-compile reads plain YAML only (Kubernetes does too): remove the tag",
        )

    def _mapping(self, node: MappingNode, depth: int, in_alias: bool) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        where: dict[Any, Node] = {}
        merged: list[Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _PLAIN and key_node.value == "<<":
                merged.append(value_node)
                continue
            if not isinstance(key_node, ScalarNode):
                raise self._fail("KF106", "mapping keys must be scalars", key_node)
            try:
                key = go_key(key_node.value) if key_node.tag == _PLAIN else key_node.value
            except ValueError:
                raise self._fail("KF106", "a null mapping key cannot be read by Kubernetes",
                                 key_node, "give the key a name") from None
            if key in where:
                first = where[key].start_mark
                raise self._fail(
                    "KF102", f"duplicate key {key!r} (first defined at line {first.line + 1}, "
                    f"column {first.column + 1})", key_node, "remove one of the two entries",
                )
            where[key] = key_node
            out[key] = self.build(value_node, depth + 1, in_alias)
        for merge in merged:
            # YAML merge keys (``<<: *base``): explicit keys win, as in Go and PyYAML.
            sources = merge.value if isinstance(merge, SequenceNode) else [merge]
            for source in sources:
                value = self.build(source, depth + 1, True)
                if not isinstance(value, dict):
                    raise self._fail("KF106", "a merge key (<<) needs a mapping", source)
                for k, v in value.items():
                    out.setdefault(k, v)
        return out


@contextmanager
def _no_gc() -> Iterator[None]:
    # Parsed documents are acyclic trees of dicts, lists and strings: the cyclic garbage collector
    # finds nothing in them but rescans them on every allocation burst, which makes load and dump
    # superlinear. Switch it off around them.
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
    constructor = _Constructor(file)
    loader = _Loader(text)
    docs: list[Any] = []
    try:
        with _no_gc():
            while loader.check_node():
                docs.append(constructor.build(loader.get_node()))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        message = " ".join(p for p in (exc.context, exc.problem) if p) or "malformed YAML"
        if mark and _char_at(text, mark.line, mark.column) == "\t":
            # libyaml's message does not name the character; a tab is the usual culprit.
            message = "a tab character cannot start a token here (tabs are not indentation)"
        raise LoadError([Diagnostic("KF101", f"invalid YAML: {message}", Location(file, line, col),
                                    _yaml_hint(exc))]) from None
    except yaml.YAMLError as exc:
        raise LoadError([Diagnostic("KF101", f"invalid YAML: {exc}", Location(file))]) from None
    except RecursionError:
        raise LoadError([Diagnostic("KF105", "YAML nested too deeply", Location(file))]) from None
    finally:
        loader.dispose()
    return docs


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    return lines[line][column : column + 1] if line < len(lines) else ""


def _yaml_hint(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    if "tab" in problem:
        return "YAML indentation must use spaces, not tabs"
    if "found unexpected end of stream" in problem or "quoted scalar" in (exc.context or ""):
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
            loader = _Loader(self.text)
            roots = []
            try:
                while loader.check_node():
                    roots.append(loader.get_node())
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
                    if isinstance(key_node, ScalarNode) and key_node.value == part:
                        mark, child = key_node.start_mark, value_node
                        break
            elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
                child = node.value[part]
                mark = child.start_mark
            if child is None:
                break
            node = child
        return Location(self.file, mark.line + 1, mark.column + 1, json_path)


_PYYAML_RESOLVER = yaml.resolver.Resolver()
# PyYAML's implicit resolvers only fire on text starting with one of these characters.
_PYYAML_TYPED_START = frozenset("-+0123456789.yYnNtTfFoO~<=")


class _Dumper(_CEmitter, yaml.representer.SafeRepresenter, yaml.resolver.BaseResolver):  # type: ignore[misc]
    """libyaml emitter with private representers and a Go-aware plain-scalar check."""

    yaml_representers = dict(yaml.representer.SafeRepresenter.yaml_representers)
    yaml_multi_representers = dict(yaml.representer.SafeRepresenter.yaml_multi_representers)

    def __init__(self, stream: Any, **kwds: Any) -> None:
        _CEmitter.__init__(
            self, stream, canonical=False, indent=2, width=-1, allow_unicode=True,
            line_break="\n", explicit_start=kwds.get("explicit_start", False),
        )
        yaml.representer.SafeRepresenter.__init__(self, default_flow_style=False, sort_keys=False)
        yaml.resolver.BaseResolver.__init__(self)

    def ignore_aliases(self, data: Any) -> bool:
        # Injected fragments may share objects between templates; never emit anchors for them.
        return True

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is not ScalarNode:
            return _SEQ if kind is SequenceNode else _MAP
        if not implicit[0]:
            return _STR
        if value and value[0] not in _PYYAML_TYPED_START:
            return _STR
        tag: str = _PYYAML_RESOLVER.resolve(ScalarNode, value, implicit)
        if tag == _STR and not go_reads_as_string(value):
            return "kfdata:go-typed"  # not str: the emitter then quotes the string
        return tag


def _represent_str(dumper: _Dumper, data: str) -> ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar(_STR, data, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_documents(docs: Sequence[Any]) -> str:
    """Serialise documents deterministically: input key order, block style, ``|`` for multi-line.

    >>> dump_documents([{"name": "n", "n": 1}])
    "name: 'n'\\n'n': 1\\n"
    """
    import io

    stream = io.StringIO()
    dumper = _Dumper(stream, explicit_start=len(docs) > 1)
    try:
        with _no_gc():
            dumper.open()
            for doc in docs:
                dumper.represent(doc)
            dumper.close()
    finally:
        dumper.dispose()
    return stream.getvalue()
