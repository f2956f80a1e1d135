"""Generate the compiled validators of the packaged JSON Schemas (``kfdata_compiler/_validators``).

``import jsonschema`` costs about half of a small compile (its metaschema registry loads from
disk), to check a spec that is almost always valid. A validator compiled from the same schema
answers "valid or not" with plain Python; only a "not" loads jsonschema, which then says why
(:mod:`kfdata_compiler.schemas`), so the diagnostics stay exactly what they were. This module
writes those validators; it runs at development time, never during a compile::

    python -m kfdata_compiler.schemagen        # rewrites kfdata_compiler/_validators/*.py

``tests/test_schemagen.py`` regenerates them and fails when the checked-in code differs, and
checks that each one agrees with jsonschema. A keyword this generator does not implement is an
error here, never a keyword silently skipped (which would let invalid input pass).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kfdata_compiler.schemafast import MODULES

PACKAGE = Path(__file__).resolve().parent

# Keywords that only describe (annotations): they never make an instance invalid. `format` is
# one too: kfdata's validators are built without a format checker (jsonschema's default).
_ANNOTATIONS = frozenset({"description", "markdownDescription", "errorMessage", "title",
                          "$comment", "$schema", "$id", "$defs", "default", "examples",
                          "deprecated", "readOnly", "writeOnly", "format"})

_TYPES = {"object": "isinstance({v}, dict)", "array": "isinstance({v}, list)",
          "string": "isinstance({v}, str)", "integer": "is_integer({v})",
          "number": "is_number({v})", "boolean": "isinstance({v}, bool)", "null": "{v} is None"}


class _Gen:
    """The code of one module: a function per ``$defs`` entry and one for the root."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self.pointers: dict[str, str] = {}
        self.inline: list[tuple[str, Any]] = []  # subschemas that get a function of their own
        self.defs: dict[str, Any] = schema.get("$defs", {})
        self.patterns: dict[str, str] = {}
        self.consts: dict[str, str] = {}
        self.names = {d: f"_d{i}" for i, d in enumerate(self.defs)}
        self.counter = 0

    def var(self) -> str:
        self.counter += 1
        return f"v{self.counter}"

    def pattern(self, regex: str) -> str:
        # ECMA-262's `$` matches only at the end; Python's also before a final newline, so a
        # name with a trailing newline would pass (schemas._strict_patterns rejects it too).
        strict = regex[:-1] + r"\Z" if regex.endswith("$") and not regex.endswith(r"\$") else regex
        return self.patterns.setdefault(strict, f"_P{len(self.patterns)}")

    def const(self, value: Any) -> str:
        text = repr(value)
        return self.consts.setdefault(text, f"_C{len(self.consts)}")

    def keyset(self, keys: list[str]) -> str:
        """A frozenset for membership tests, spelled in a stable order (a set's repr is not)."""
        return self.const(sorted(keys)).join(("frozenset(", ")")) if keys else "()"

    def check(self, node: Any, v: str, pad: str) -> Iterator[str]:
        """Lines that ``return False`` when ``v`` does not satisfy ``node``."""
        if node is True or node == {}:
            return
        if node is False:
            yield f"{pad}return False"
            return
        if not isinstance(node, dict):
            raise ValueError(f"not a schema: {node!r}")
        unknown = set(node) - _ANNOTATIONS - set(_KEYWORDS)
        if unknown:
            raise ValueError(f"keyword(s) {sorted(unknown)} are not implemented by schemagen")
        for keyword in _KEYWORDS:
            if keyword in node:
                yield from _KEYWORDS[keyword](self, node, node[keyword], v, pad)

    def sub(self, node: Any, v: str, pad: str) -> str:
        """An expression: whether ``v`` satisfies ``node`` (a ``$ref`` is a call)."""
        if node is True or node == {}:
            return "True"
        if isinstance(node, dict) and set(node) - _ANNOTATIONS == {"$ref"}:
            return f"{self.ref(node['$ref'])}({v})"
        name = f"_s{len(self.inline)}"
        self.inline.append((name, node))
        return f"{name}({v})"

    def ref(self, ref: str) -> str:
        """The function of a ``$ref``: a definition's own, or one made for a deeper pointer."""
        if ref.startswith("#/$defs/") and ref[len("#/$defs/"):] in self.defs:
            return self.names[ref[len("#/$defs/"):]]
        if ref not in self.pointers:
            if not ref.startswith("#/"):
                raise ValueError(f"unsupported $ref {ref!r}: only local JSON pointers are")
            node: Any = self.schema
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                node = node[int(part)] if isinstance(node, list) else node[part]
            self.pointers[ref] = self.sub(node, "", "").split("(")[0]
        return self.pointers[ref]

    def function(self, name: str, node: Any) -> list[str]:
        self.counter = 0
        body = list(self.check(node, "x", "    "))
        return [f"def {name}(x):", *body, "    return True", ""]


def _type(g: _Gen, node: Any, value: Any, v: str, pad: str) -> Iterator[str]:
    kinds = value if isinstance(value, list) else [value]
    yield f"{pad}if not ({' or '.join(_TYPES[k].format(v=v) for k in kinds)}):"
    yield f"{pad}    return False"


def _enum(g: _Gen, node: Any, value: Any, v: str, pad: str) -> Iterator[str]:
    yield f"{pad}if not any(json_equal({v}, e) for e in {g.const(list(value))}):"
    yield f"{pad}    return False"


def _const(g: _Gen, node: Any, value: Any, v: str, pad: str) -> Iterator[str]:
    return _enum(g, node, [value], v, pad)  # const: an enum of one


def _bound(kind: str, measure: str, op: str) -> Any:
    def keyword(g: _Gen, node: Any, value: Any, v: str, pad: str) -> Iterator[str]:
        yield f"{pad}if {_TYPES[kind].format(v=v)} and {measure.format(v=v)} {op} {value!r}:"
        yield f"{pad}    return False"
    return keyword


def _number_bound(op: str) -> Any:
    def keyword(g: _Gen, node: Any, value: Any, v: str, pad: str) -> Iterator[str]:
        yield f"{pad}if is_number({v}) and {v} {op} {value!r}:"
        yield f"{pad}    return False"
    return keyword


def _pattern(g: _Gen, node: Any, value: Any, v: str, pad: str) -> Iterator[str]:
    yield f"{pad}if isinstance({v}, str) and not {g.pattern(value)}.search({v}):"
    yield f"{pad}    return False"


def _required(g: _Gen, node: Any, value: Any, v: str, pad: str) -> Iterator[str]:
    if value:
        yield f"{pad}if isinstance({v}, dict) and not all(k in {v} for k in {g.const(value)}):"
        yield f"{pad}    return False"


def _properties(g: _Gen, node: Any, value: Any, v: str, pad: str) -> Iterator[str]:
    checks = [(k, s) for k, s in value.items() if not (s is True or s == {})]
    if not checks:
        return
    yield f"{pad}if isinstance({v}, dict):"
    for key, schema in checks:
        item = g.var()
        yield f"{pad}    {item} = {v}.get({key!r}, MISSING)"
        yield f"{pad}    if {item} is not MISSING and not {g.sub(schema, item, pad)}:"
        yield f"{pad}        return False"


def _additional(g: _Gen, node: Any, value: Any, v: str, pad: str) -> Iterator[str]:
    if value is True or value == {}:
        return
    known = g.keyset(list(node.get("properties", {})))
    key = g.var()
    yield f"{pad}if isinstance({v}, dict):"
    yield f"{pad}    for {key} in {v}:"
    if value is False:
        yield f"{pad}        if {key} not in {known}:"
    else:
        yield f"{pad}        if {key} not in {known} and not {g.sub(value, f'{v}[{key}]', pad)}:"
    yield f"{pad}            return False"


def _every(g: _Gen, kind: str, value: Any, v: str, pad: str) -> Iterator[str]:  # each key/item
    each = g.var()
    yield f"{pad}if isinstance({v}, {kind}):"
    yield f"{pad}    for {each} in {v}:"
    yield f"{pad}        if not {g.sub(value, each, pad)}:"
    yield f"{pad}            return False"


def _property_names(g: _Gen, node: Any, value: Any, v: str, pad: str) -> Iterator[str]:
    return _every(g, "dict", value, v, pad)


def _items(g: _Gen, node: Any, value: Any, v: str, pad: str) -> Iterator[str]:
    return _every(g, "list", value, v, pad)


def _ref(g: _Gen, node: Any, value: Any, v: str, pad: str) -> Iterator[str]:
    return _all_of(g, node, [{"$ref": value}], v, pad)


def _all_of(g: _Gen, node: Any, value: Any, v: str, pad: str) -> Iterator[str]:
    yield f"{pad}if not ({' and '.join(g.sub(part, v, pad) for part in value)}):"
    yield f"{pad}    return False"


def _any_of(g: _Gen, node: Any, value: Any, v: str, pad: str) -> Iterator[str]:
    yield f"{pad}if not ({' or '.join(g.sub(part, v, pad) for part in value)}):"
    yield f"{pad}    return False"


def _one_of(g: _Gen, node: Any, value: Any, v: str, pad: str) -> Iterator[str]:
    yield f"{pad}if [{', '.join(g.sub(part, v, pad) for part in value)}].count(True) != 1:"
    yield f"{pad}    return False"


def _not(g: _Gen, node: Any, value: Any, v: str, pad: str) -> Iterator[str]:
    yield f"{pad}if {g.sub(value, v, pad)}:"
    yield f"{pad}    return False"


def _if(g: _Gen, node: Any, value: Any, v: str, pad: str) -> Iterator[str]:
    then, other = node.get("then", True), node.get("else", True)
    yield f"{pad}if {g.sub(value, v, pad)}:"
    yield f"{pad}    if not {g.sub(then, v, pad)}:"
    yield f"{pad}        return False"
    yield f"{pad}elif not {g.sub(other, v, pad)}:"
    yield f"{pad}    return False"


def _handled_by_if(g: _Gen, node: Any, value: Any, v: str, pad: str) -> Iterator[str]:
    return iter(())  # `then` and `else` are read by `if` (alone, they mean nothing)


# In the order they are checked: cheap type tests first, then what walks the instance.
_KEYWORDS = {
    "type": _type, "const": _const, "enum": _enum,
    "minLength": _bound("string", "len({v})", "<"),
    "maxLength": _bound("string", "len({v})", ">"),
    "minimum": _number_bound("<"), "maximum": _number_bound(">"),
    "minItems": _bound("array", "len({v})", "<"), "maxItems": _bound("array", "len({v})", ">"),
    "minProperties": _bound("object", "len({v})", "<"),
    "maxProperties": _bound("object", "len({v})", ">"),
    "pattern": _pattern, "required": _required, "propertyNames": _property_names,
    "properties": _properties, "additionalProperties": _additional, "items": _items,
    "$ref": _ref, "allOf": _all_of, "anyOf": _any_of, "oneOf": _one_of, "not": _not,
    "if": _if, "then": _handled_by_if, "else": _handled_by_if,
}


def generate(schema_text: str, source: str) -> str:
    """The Python source of the validator module for one schema's text.

    ``root(x)`` says whether ``x`` is valid against the schema; ``DEFS[name](x)`` against one
    of its ``$defs``::

        {"type": "string", "minLength": 1}  ->  def root(x): ... return True
    """
    schema = json.loads(schema_text)
    g = _Gen(schema)
    functions = [g.function("root", schema)]
    for name, node in g.defs.items():
        functions.append(g.function(g.names[name], node))
    done = 0
    while done < len(g.inline):  # inline subschemas may hold further ones
        name, node = g.inline[done]
        functions.append(g.function(name, node))
        done += 1
    digest = hashlib.sha256(schema_text.encode()).hexdigest()
    lines = [f"# Generated by kfdata_compiler.schemagen from _schemas/{source}; do not edit.",
             f"# Schema sha256: {digest}", "# ruff: noqa", "from kfdata_compiler import lazy",
             "from kfdata_compiler.schemafast import MISSING, is_integer, is_number, json_equal",
             ""]
    lines += [f"{name} = lazy.compile({regex!r})" for regex, name in g.patterns.items()]  # on use
    lines += [f"{name} = {text}" for text, name in g.consts.items()]
    lines.append("")
    lines += [line for function in functions for line in function]
    lines.append("DEFS = {" + ", ".join(f"{d!r}: {n}" for d, n in g.names.items()) + "}")
    return "\n".join(lines) + "\n"


def expected() -> dict[Path, str]:
    """Each validator module's path and the source it must hold."""
    return {PACKAGE / "_validators" / f"{module}.py": generate(
        (PACKAGE / "_schemas" / source).read_text("utf-8"), source)
        for source, module in MODULES.items()}


def main() -> int:
    """Rewrite every validator module; print the ones that changed."""
    for path, text in expected().items():
        if not path.exists() or path.read_text("utf-8") != text:
            path.write_text(text, "utf-8")
            print(f"wrote {path.relative_to(PACKAGE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
