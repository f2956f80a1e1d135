"""Packaged JSON Schemas (``kfdata_compiler/_schemas``; the top-level ``schemas/*.json`` link here).

``check(instance, name, locate)``: one diagnostic per cause at the offending value's JSON path,
line and column (``problems``: bare JSON paths). ``schemafast`` first says whether there is any.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from kfdata_compiler import schemafast
from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location, did_you_mean

if TYPE_CHECKING:  # loaded only to say why an instance is invalid (schemafast says whether)
    import jsonschema

Locate = Callable[[JsonPath], Location]


@functools.cache
def load_schema(name: str) -> dict[str, Any]:
    """Return a packaged schema by file name, e.g. ``databindings.schema.json``."""
    # The package's own loader reads it, from a directory or a zip (importlib.resources would
    # import tempfile, shutil and zipfile to do the same).
    loader: Any = __spec__.loader
    data = loader.get_data(os.path.join(os.path.dirname(__file__), "_schemas", name))
    schema: dict[str, Any] = json.loads(data.decode("utf-8"))
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
    import jsonschema  # only here: an instance schemafast found invalid
    return _strict_patterns(jsonschema.validators.validator_for(schema))(inlined)


_INLINED: dict[str, dict[str, Any]] = {}  # per schema: its $defs inlined, shared by validators


def _inline(node: Any, defs: Mapping[str, Any], done: dict[str, Any], stack: frozenset[str]) -> Any:
    """``node`` with each ``{"$ref": "#/$defs/X"}`` replaced by X itself, itself inlined.

    jsonschema resolves a ``$ref`` on every visit: inlined, checking 2,000 bindings takes less
    than half the time. A ``$ref`` with siblings becomes an ``allOf`` beside them; a recursive
    one stays a ``$ref`` (the ``$defs`` stay in the schema for it).
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
    import jsonschema
    plain = cls.VALIDATORS["pattern"]

    def pattern(validator: Any, patrn: str, instance: Any, schema: Any) -> Any:
        yield from plain(validator, patrn, instance, schema)
        if isinstance(instance, str) and instance.endswith("\n") and patrn.endswith("$"):
            if re.search(patrn, instance) and not re.search(patrn[:-1] + r"\Z", instance):
                yield jsonschema.ValidationError(f"{instance!r} does not match {patrn!r}")

    return jsonschema.validators.extend(cls, {"pattern": pattern})


def _schema(error: jsonschema.ValidationError) -> Mapping[str, Any]:
    return error.schema if isinstance(error.schema, Mapping) else {}


# Size keywords: (bound, what is counted); jsonschema's message would print the whole value.
_SIZES = {"maxItems": ("at most", "items"), "minItems": ("at least", "items"),
          "maxLength": ("at most", "characters"), "minLength": ("at least", "characters"),
          "maxProperties": ("at most", "fields"), "minProperties": ("at least", "fields")}
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
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        props = _properties(_schema(error))  # (``problems`` reports each unknown key apart)
        extra = [str(k) for k in error.instance if k not in props] or [""]
        return f"unknown field {', '.join(map(repr, extra))}", _unknown_hint(extra[0], props)
    if error.validator == "required":
        return error.message.replace("is a required property", "is required"), ""
    if error.validator == "type":
        wanted = error.validator_value
        kinds = " or ".join(_ARTICLES.get(str(k), f"a {k}")
                            for k in (wanted if isinstance(wanted, list) else [wanted]))
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
        # The errorMessage editors show says what is allowed; a raw regex helps nobody.
        if isinstance(allowed := _schema(error).get("errorMessage"), str):
            return f"{error.instance!r} does not match the allowed form", allowed
        return (
            f"{error.instance!r} does not match {error.validator_value}",
            _schema(error).get("description", ""),
        )
    if error.validator in ("oneOf", "anyOf") and error.context:
        import jsonschema
        best = jsonschema.exceptions.best_match(error.context)
        return _explain(best)
    return error.message, _schema(error).get("description", "")


_ARTICLES = {"object": "a mapping", "array": "a list", "integer": "an integer"}


class Problem(NamedTuple):
    """One schema problem: the JSON path of the offending value, a message and a hint."""

    path: JsonPath
    message: str
    hint: str = ""


def check(instance: Any, name: str, locate: Locate, code: str = "KF201",
          definition: str | None = None, docs: Callable[[str], str] = str) -> list[Diagnostic]:
    """Validate ``instance`` against the packaged schema ``name``; one diagnostic per cause.

    With ``definition``, against that one ``$defs`` entry of it (paths stay relative to
    ``instance``: ``locate`` adds any prefix); ``docs`` shortens hints taken from the schema.
    """
    return [Diagnostic(code, p.message, locate(p.path), p.hint)
            for p in problems(instance, name, definition, docs)]


def problems(instance: Any, name: str, definition: str | None = None,
             docs: Callable[[str], str] = str) -> list[Problem]:
    """The schema's problems with ``instance``, each at the JSON path of the value at fault;
    fields written beside the mapping they belong to (under-indented) are one problem, not also
    "unknown" fields, a "null" mapping and a parent with "too many fields"::

        {"s3": None, "endpoint": "x"}  ->  [Problem(("endpoint",), "'endpoint' belongs to 's3'
                                             but is not indented under it", "indent it ...")]
    """
    if schemafast.valid(instance, name, definition):
        return []  # the usual case, answered without loading jsonschema
    errors = sorted(_validator(name, definition).iter_errors(instance),
                    key=lambda e: list(map(str, e.path)))
    moved = {tuple(e.absolute_path): _misplaced(e) for e in errors
             if e.validator == "additionalProperties" and isinstance(e.instance, dict)}
    groups = {path: hosts for path, hosts in moved.items() if hosts}
    out = []
    for error in errors:
        path = tuple(error.absolute_path)
        if _follows(error, path, groups):
            continue
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            out.extend(_unknown_fields(error, path, moved[path]))
            continue
        message, hint = _describe(error)
        hint = docs(hint)
        if "propertyNames" in error.absolute_schema_path and isinstance(error.instance, str):
            # A bad key: point at the key itself, not at the mapping holding it.
            path = path + (error.instance,)
        out.append(Problem(path, message, hint))
    return out


def _properties(schema: Any) -> Mapping[str, Any]:
    """The properties a schema declares (an inlined ``$ref`` with siblings is an ``allOf``)."""
    found = schema if isinstance(schema, Mapping) else {}
    out = dict(found.get("properties", {}))
    for part in found.get("allOf", []):
        out.update(_properties(part))
    return out


def _misplaced(error: jsonschema.ValidationError) -> dict[Any, list[Any]]:
    """Unknown keys of a mapping that are fields of a sibling whose value is empty or lacks
    them, by sibling: ``s3:`` followed by ``endpoint:`` at the same indentation."""
    props = _properties(_schema(error))
    mapping: dict[Any, Any] = error.instance  # type: ignore[assignment]  # a dict: the caller
    extra = [k for k in mapping if k not in props]
    out: dict[Any, list[Any]] = {}
    for host, value in mapping.items():
        if host in extra or not (value is None or isinstance(value, dict)):
            continue
        fields = _properties(props[host])
        taken = {k for keys in out.values() for k in keys}
        found = [k for k in extra if k in fields and k not in taken
                 and not (isinstance(value, dict) and k in value)]
        if found:
            out[host] = found
    return out


def _follows(error: jsonschema.ValidationError, path: JsonPath,
             groups: Mapping[JsonPath, Mapping[Any, list[Any]]]) -> bool:
    """Whether ``error`` only follows from fields reported as unknown or not indented."""
    if error.validator == "maxProperties" and isinstance(error.instance, dict):
        if _schema(error).get("additionalProperties") is not False:
            return False  # every field counts: none is reported otherwise
        props = _properties(_schema(error))
        return sum(k in props for k in error.instance) <= int(str(error.validator_value))
    hosts = groups.get(path[:-1]) if path else None
    if hosts is None or path[-1] not in hosts:
        return False
    if error.instance is None:
        return True  # ``s3:`` is empty because its fields were not indented under it
    return error.validator == "required" and any(
        error.message == f"{k!r} is a required property" for k in hosts[path[-1]])


def _unknown_fields(error: jsonschema.ValidationError, path: JsonPath,
                    hosts: Mapping[Any, list[Any]]) -> list[Problem]:
    """One problem per unknown key, at the key, and one per group of misplaced keys."""
    props = _properties(_schema(error))
    first = {keys[0]: host for host, keys in hosts.items()}
    moved = {k for keys in hosts.values() for k in keys}
    out = []
    for key in error.instance if isinstance(error.instance, dict) else ():
        if key in first:
            out.append(_indentation((*path, key), first[key], hosts[first[key]]))
        elif key not in props and key not in moved:
            out.append(Problem((*path, key), f"unknown field {key!r}",
                               _unknown_hint(str(key), props)))
    return out


def _unknown_hint(key: str, props: Mapping[str, Any]) -> str:
    """Did you mean a known field; which fields hold this one; the fields allowed here."""
    owners = [repr(p) for p in sorted(props) if key in _properties(props[p])]
    lines = [
        did_you_mean(key, sorted(props)),
        f"{key!r} is a field of {_and(owners)}: write it under "
        f"{'one of them' if len(owners) > 1 else 'it'}" if owners else "",
        f"allowed fields here: {', '.join(sorted(props))}" if props else "",
    ]
    return "\n".join(line for line in lines if line)


def _indentation(path: JsonPath, host: Any, keys: list[Any]) -> Problem:
    one, example = len(keys) == 1, "\n".join([f"  {host}:", *(f"    {k}: ..." for k in keys)])
    return Problem(path, f"{_and([repr(k) for k in keys])} {'belongs' if one else 'belong'} to "
                   f"{host!r} but {'is' if one else 'are'} not indented under it",
                   f"indent {'it' if one else 'them'} under {host!r} (YAML nests a mapping by "
                   f"indentation), e.g.\n{example}")


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
