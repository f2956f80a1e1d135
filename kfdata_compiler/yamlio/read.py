"""Load YAML as Go reads it, with every position kept for diagnostics.

    load_documents("name: n\nx: 1e3\n", "f.yaml")  ->  [{'name': False, 'x': 1000.0}]
    Positions(text, "f.yaml").locate(("spec", "templates", 3))  ->  Location("f.yaml", 12, 5, ...)

libyaml parses; :mod:`.build` turns its events into values (bounded like Go: depth, aliases).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml import events
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location, render_path
from kfdata_compiler.errors import LoadError
from kfdata_compiler.yamlio import build as yamlbuild
from kfdata_compiler.yamlio.goresolve import TYPED_START, go_key
from kfdata_compiler.yamlio.libyaml import MAP, SEQ, STR, CParser, no_cyclic_gc

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


class _Parser(CParser):
    """libyaml's parser; the hooks below serve only its composer, which :class:`Positions` uses."""

    def descend_resolver(self, parent: Any, index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        return STR if kind is ScalarNode else SEQ if kind is SequenceNode else MAP


def _parse(text: str, use: Any) -> Any:
    parser = _Parser(text)
    try:
        return use(parser.get_event)
    finally:
        parser.dispose()


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
