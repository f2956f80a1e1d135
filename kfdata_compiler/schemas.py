"""Packaged JSON Schemas (``kfdata_compiler/_schemas``, a copy of the top-level ``schemas/``).

``check(instance, name, positions)`` returns one diagnostic per schema error, each with the
JSON path of the offending value and its line and column.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from importlib import resources
from typing import Any

import jsonschema

from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location

Locate = Callable[[JsonPath], Location]


@functools.cache
def load_schema(name: str) -> dict[str, Any]:
    """Return a packaged schema by file name, e.g. ``databindings.schema.json``."""
    text = resources.files("kfdata_compiler").joinpath("_schemas").joinpath(name).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@functools.cache
def _validator(name: str, definition: str | None = None) -> Any:
    schema = load_schema(name)
    root = {"$ref": f"#/$defs/{definition}"} if definition is not None else schema
    # One definition on its own (e.g. a single Argo template) is far cheaper than the document.
    defs = schema.get("$defs", {})
    inlined = _inline(root, defs, _INLINED.setdefault(name, {}), frozenset())
    # A copy (the inlined definitions are shared); recursive "$ref"s still need the "$defs".
    inlined = {**inlined, "$schema": schema["$schema"], "$defs": defs}
    return _strict_patterns(jsonschema.validators.validator_for(schema))(inlined)


# Per schema name: its definitions with their references inlined, shared between validators.
_INLINED: dict[str, dict[str, Any]] = {}


def _inline(node: Any, defs: Mapping[str, Any], done: dict[str, Any], stack: frozenset[str]) -> Any:
    """``node`` with each ``{"$ref": "#/$defs/X"}`` replaced by X itself, itself inlined.

    jsonschema resolves a ``$ref`` on every visit (a pointer walk and a new resource each time):
    inlined, checking 2,000 bindings takes less than half the time. A ``$ref`` with sibling
    keywords becomes an ``allOf`` beside them (both apply, as before); a recursive one stays a
    ``$ref`` (the ``$defs`` stay in the schema for it).
    """
    if isinstance(node, list):
        return [_inline(item, defs, done, stack) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: _inline(v, defs, done, stack) for k, v in node.items() if k not in ("$ref", "$defs")}
    ref = node.get("$ref")
    target = ref[len("#/$defs/"):] if isinstance(ref, str) and ref.startswith("#/$defs/") else None
    if target is None or target in stack or target not in defs:
        if ref is not None:
            out["$ref"] = ref
        return out
    if target not in done:
        done[target] = _inline(defs[target], defs, done, stack | {target})
    if not out:
        return done[target]
    out["allOf"] = [*out.get("allOf", []), done[target]]
    return out


@functools.cache
def _strict_patterns(cls: Any) -> Any:
    """The validator class with ECMA-262's ``$``: Python's ``re.search`` lets ``^a$`` match
    "a\\n", so a name with a trailing newline would pass every pattern."""
    plain = cls.VALIDATORS["pattern"]

    def pattern(validator: Any, patrn: str, instance: Any, schema: Any) -> Any:
        yield from plain(validator, patrn, instance, schema)
        if isinstance(instance, str) and instance.endswith("\n") and patrn.endswith("$"):
            if re.search(patrn, instance) and not re.search(patrn[:-1] + r"\Z", instance):
                yield jsonschema.ValidationError(f"{instance!r} does not match {patrn!r}")

    return jsonschema.validators.extend(cls, {"pattern": pattern})


def _schema(error: jsonschema.ValidationError) -> Mapping[str, Any]:
    return error.schema if isinstance(error.schema, Mapping) else {}


# Size keywords: (bound, what is counted). jsonschema's own message would print the whole value
# ("[... 2,001 DAG tasks ...] is too long").
_SIZES = {
    "maxItems": ("at most", "items"),
    "minItems": ("at least", "items"),
    "maxLength": ("at most", "characters"),
    "minLength": ("at least", "characters"),
    "maxProperties": ("at most", "fields"),
    "minProperties": ("at least", "fields"),
}
_LONGEST_VALUE = 80  # characters of a value a message may quote


def _describe(error: jsonschema.ValidationError) -> tuple[str, str]:
    """A message and a hint a person can act on, from one jsonschema error."""
    message, hint = _explain(error)
    if isinstance(error.instance, (dict, list)) and repr(error.instance) in message:
        # A whole mapping or list may hold anything, secrets included: name it, never print it.
        shape = "this mapping" if isinstance(error.instance, dict) else "this list"
        message = message.replace(repr(error.instance), shape)
    shown = repr(error.instance)
    if len(shown) > _LONGEST_VALUE and shown in message:
        message = message.replace(shown, f"{shown[: _LONGEST_VALUE - 5]}...{shown[-1]}")
    return message, hint


def _explain(error: jsonschema.ValidationError) -> tuple[str, str]:
    where = error.path[-1] if error.path else None
    if error.validator in _SIZES and hasattr(error.instance, "__len__"):
        bound, unit = _SIZES[str(error.validator)]
        return (
            f"{where!r} has {len(error.instance)} {unit}; {bound} {error.validator_value} allowed",
            _schema(error).get("description", ""),
        )
    if error.validator == "additionalProperties":
        allowed = sorted(_schema(error).get("properties", {}))
        extra = (
            sorted(set(error.instance) - set(allowed)) if isinstance(error.instance, dict) else []
        )
        hint = f"allowed fields here: {', '.join(allowed)}" if allowed else ""
        return f"unknown field {', '.join(map(repr, extra))}", hint
    if error.validator == "required":
        return error.message.replace("is a required property", "is required"), ""
    if error.validator == "type":
        wanted = error.validator_value
        kinds = " or ".join(map(_article, wanted if isinstance(wanted, list) else [wanted]))
        label = (f"item {where}" if isinstance(where, int) else repr(where) if where is not None
                 else "the value")
        if isinstance(error.instance, (dict, list)):
            # Never print a whole mapping or list: it may hold anything, secrets included.
            shape = "a mapping" if isinstance(error.instance, dict) else "a list"
            return f"{label} must be {kinds}, not {shape}", ""
        # repr for text, so that _describe can shorten a long value; YAML's spelling otherwise.
        shown = repr(error.instance) if isinstance(error.instance, str) else json.dumps(
            error.instance)
        if wanted == "string":
            return f"{label} must be a string, not {shown}", 'quote the value, e.g. "1"'
        return f"{label} must be {kinds}, not {shown}", _schema(error).get("description", "")
    if error.validator == "pattern":
        return (
            f"{error.instance!r} does not match {error.validator_value}",
            _schema(error).get("description", ""),
        )
    if error.validator in ("oneOf", "anyOf") and error.context:
        best = jsonschema.exceptions.best_match(error.context)
        return _explain(best)
    return error.message, _schema(error).get("description", "")


def _article(kind: str) -> str:
    names = {"object": "a mapping", "array": "a list", "integer": "an integer"}
    return names.get(kind, f"a {kind}")


def check(
    instance: Any, name: str, locate: Locate, code: str = "KF201", definition: str | None = None
) -> list[Diagnostic]:
    """Validate ``instance`` against the packaged schema ``name``; one diagnostic per error.

    With ``definition``, against that one ``$defs`` entry of it (paths stay relative to
    ``instance``: ``locate`` adds any prefix).
    """
    out = []
    validator = _validator(name, definition)
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.path)))
    for error in errors:
        message, hint = _describe(error)
        path = tuple(error.absolute_path)
        if "propertyNames" in error.absolute_schema_path and isinstance(error.instance, str):
            # A bad key: point at the key itself, not at the mapping holding it.
            path = path + (error.instance,)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            # Point at the unknown key itself, not at the mapping holding it.
            extra = [k for k in error.instance if k not in _schema(error).get("properties", {})]
            if extra:
                path = path + (extra[0],)
        out.append(Diagnostic(code, message, locate(path), hint))
    return out
