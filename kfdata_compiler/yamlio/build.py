"""Plain values from a YAML event stream, decoded the way Go decodes them (no PyYAML import).

:mod:`kfdata_compiler.yamlio` feeds libyaml's events; :func:`build` turns them into dicts, lists
and Go-typed scalars, following ``goyaml.v2`` (``sigs.k8s.io/yaml``) ``decode.go``::

    a: &x {p: 1}          ->  {'a': {'p': 1}, 'b': {'p': 1, 'q': 2}, 'c': False}
    b: {<<: *x, q: 2}
    c: n

It loops instead of recursing, so no input can exhaust the stack; aliases expand to fresh copies,
counted against Go's excessive-aliasing ratio before anything is copied, and (beyond Go) against
a budget of characters, so that a few aliases of one long string cannot make a gigabyte either;
merge keys apply in order as in ``decode.go merge()``; a duplicate key is an error (Go would
silently keep the last).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kfdata_compiler.yamlio.goresolve import TYPED_START, go_key, go_scalar

SCALAR, ALIAS, MAPPING_START, MAPPING_END, SEQUENCE_START, SEQUENCE_END = range(6)
DOCUMENT_START, DOCUMENT_END, STREAM_START, STREAM_END = range(6, 10)
MAX_DEPTH = 200  # Go allows 10,000; recursive passes and jsonschema need far fewer
TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels"
TOO_DEEP_HINT = "no Kubernetes object nests this deep"
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_SCALAR_TAGS = frozenset(
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "timestamp", "binary")
)
_TAG_HINT = "kfdata-compile reads plain YAML only (Kubernetes does too): remove the tag"
_KEY_TYPED_START = TYPED_START | {"<"}
_NO_KEY: Any = object()  # a mapping waiting for its next key
_MERGE: Any = object()  # the pending key is a YAML merge key (``<<``)
_BUSY: Any = object()  # an anchor whose value is still being read


class BuildError(Exception):
    """A problem at an event's ``mark``; ``duplicate`` names (mapping ordinal, key) for KF102."""

    def __init__(self, code: str, message: str, mark: Any, hint: str = "",
                 duplicate: tuple[int, str] | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.mark, self.hint = code, message, mark, hint
        self.duplicate = duplicate


def allowed_alias_ratio(decoded: int) -> float:
    """``goyaml.v2 decode.go allowedAliasRatio``: the share of decodes aliases may account for.

    >>> [round(allowed_alias_ratio(n), 3) for n in (1_000, 2_200_000, 10**7)]
    [0.99, 0.545, 0.1]
    """
    if decoded <= 400_000:
        return 0.99
    if decoded >= 4_000_000:
        return 0.10
    return 0.99 - 0.89 * (decoded - 400_000) / 3_600_000


def scalar(event: Any, as_key: bool) -> Any:
    """The value, or the JSON object key, Go makes of a scalar event."""
    text, tag = event.value, event.tag
    try:
        if tag is None:
            if not event.implicit[0]:  # quoted
                return text
            if as_key:
                return _MERGE if text == "<<" else go_key(text)
            return go_scalar(text)
        if tag not in _SCALAR_TAGS:
            raise BuildError("KF103", f"unsupported YAML tag {tag!r}", event.start_mark, _TAG_HINT)
        return go_key(text, tag) if as_key else go_scalar(text, tag)
    except ValueError as exc:
        raise BuildError("KF106" if as_key and tag is None else "KF103", str(exc),
                         event.start_mark) from None


def _copy(value: Any, budget: int, mark: Any) -> Any:
    # Aliases expand to fresh copies: passes mutate documents, and Go expands aliases too.
    if budget <= 0:
        raise BuildError("KF105", f"{TOO_DEEP} (via an alias)", mark)
    if value.__class__ is dict:
        return {k: _copy(v, budget - 1, mark) if v.__class__ in (dict, list) else v
                for k, v in value.items()}
    return [_copy(v, budget - 1, mark) if v.__class__ in (dict, list) else v for v in value]


def _merge(target: dict[str, Any], value: Any, mark: Any, explicit: set[str]) -> None:
    # decode.go merge(): merged keys overwrite what the mapping holds so far (explicit keys
    # after the merge overwrite them in turn); in a list, earlier mappings take precedence.
    for source in value[::-1] if value.__class__ is list else [value]:
        if source.__class__ is not dict:
            raise BuildError("KF106", "a merge key (<<) needs a mapping or a list of mappings",
                             mark)
        for key, item in source.items():
            target[key] = item
            explicit.discard(key)


def _alias(event: Any, anchors: dict[str, Any]) -> tuple[Any, int, int]:
    """The anchored value an alias names, how many nodes Go decodes to expand it, and how many
    characters its scalars hold."""
    entry = anchors.get(event.anchor)
    if entry is None:
        raise BuildError("KF101", f"invalid YAML: found undefined alias {event.anchor!r}",
                         event.start_mark)
    if entry is _BUSY:  # decode.go alias()
        raise BuildError("KF104", f"anchor {event.anchor!r} value contains itself",
                         event.start_mark)
    value, count, size = entry
    return value, count, size


def _start(event: Any, is_map: bool, depth: int, cur: Any, key: Any) -> None:
    if event.tag is not None and event.tag != (_MAP if is_map else _SEQ):
        raise BuildError("KF103", f"unsupported YAML tag {event.tag!r}", event.start_mark,
                         _TAG_HINT)
    if depth >= MAX_DEPTH:
        raise BuildError("KF105", TOO_DEEP, event.start_mark, TOO_DEEP_HINT)
    if cur.__class__ is dict and key is _NO_KEY:
        raise BuildError("KF106", "mapping keys must be scalars", event.start_mark)


def build(get_event: Callable[[], Any], kinds: dict[type, int], alias_chars: int) -> list[Any]:
    """Every document of the stream ``get_event`` reads; ``kinds`` maps event classes to kinds.

    Aliases may expand to at most ``alias_chars`` characters of scalars in all.
    """
    docs: list[Any] = []
    anchors: dict[str, Any] = {}
    # One frame per open collection: its parent, the parent's pending key, the decode and
    # character counts and anchor at its start, its start mark, and the parent's mapping ordinal
    # and explicit keys.
    stack: list[tuple[Any, Any, int, int, str | None, Any, int, set[str] | None]] = []
    cur: Any = None  # the collection being filled; None at document level
    key: Any = _NO_KEY
    explicit: set[str] | None = None  # explicit keys of ``cur``, tracked once it merges
    root: Any = None
    decoded = aliased = maps = 0  # counted as decode.go counts them (keys too)
    chars = aliased_chars = 0  # characters of scalars decoded, and of those through aliases
    ordinal = -1  # which mapping ``cur`` is, in stream order (to find a duplicate's first key)
    while True:
        event = get_event()
        kind = kinds[event.__class__]
        if kind == SCALAR:
            decoded += 1
            raw = event.value
            chars += len(raw)
            if key is _NO_KEY and cur.__class__ is dict:
                if event.tag is None and (not event.implicit[0] or raw and raw[0] not in
                                          _KEY_TYPED_START):
                    key = raw
                else:
                    key = scalar(event, True)
                if key in cur and (explicit is None or key in explicit):
                    raise BuildError("KF102", f"duplicate key {key!r}", event.start_mark,
                                     "remove one of the two entries", (ordinal, key))
                if explicit is not None:
                    explicit.add(key)
                elif key is _MERGE:
                    explicit = set(cur)
                if event.anchor is not None:
                    anchors[event.anchor] = (key, 1, len(raw))
                continue
            if event.tag is None and (not event.implicit[0] or raw and raw[0] not in TYPED_START):
                value = raw
            else:
                value = scalar(event, False)
            if event.anchor is not None:
                anchors[event.anchor] = (value, 1, len(raw))
        elif kind == MAPPING_START or kind == SEQUENCE_START:
            decoded += 1
            _start(event, kind == MAPPING_START, len(stack), cur, key)
            if event.anchor is not None:
                anchors[event.anchor] = _BUSY
            stack.append((cur, key, decoded, chars, event.anchor, event.start_mark, ordinal,
                          explicit))
            key, explicit = _NO_KEY, None
            if kind == MAPPING_START:
                cur, ordinal, maps = {}, maps, maps + 1
            else:
                cur = []
            continue
        elif kind == MAPPING_END or kind == SEQUENCE_END:
            value = cur
            cur, key, start, start_chars, anchor, mark, ordinal, explicit = stack.pop()
            if anchor is not None:
                anchors[anchor] = (value, decoded - start + 1, chars - start_chars)
            if key is _MERGE:
                _merge(cur, value, mark, explicit or set())
                key = _NO_KEY
                continue
        elif kind == ALIAS:
            if cur.__class__ is dict and key is _NO_KEY:
                raise BuildError("KF106", "an alias cannot be a mapping key", event.start_mark)
            value, count, size = _alias(event, anchors)
            decoded += count + 1
            aliased += count
            chars += size
            aliased_chars += size
            # Checked once per alias: within one expansion Go's ratio only grows, so this
            # refuses the documents Go refuses, and before anything is copied.
            if aliased > 100 and decoded > 1000 and aliased / decoded > allowed_alias_ratio(
                    decoded) or aliased_chars > alias_chars:
                raise BuildError("KF104", "document contains excessive aliasing",
                                 event.start_mark,
                                 "anchors and aliases expand to too much data; write it out")
            if value.__class__ is dict or value.__class__ is list:
                value = _copy(value, MAX_DEPTH - len(stack), event.start_mark)
            if key is _MERGE:
                _merge(cur, value, event.start_mark, explicit or set())
                key = _NO_KEY
                continue
        elif kind == DOCUMENT_START:
            anchors, root = {}, None
            continue
        elif kind == DOCUMENT_END:
            docs.append(root)
            continue
        elif kind == STREAM_END:
            return docs
        else:
            continue
        # Place ``value`` into the collection being filled.
        if cur.__class__ is list:
            cur.append(value)
        elif cur is None:
            root = value
        elif key is _MERGE:
            raise BuildError("KF106", "a merge key (<<) needs a mapping or a list of mappings",
                             event.start_mark)
        else:
            cur[key] = value
            key = _NO_KEY


def first_key_mark(get_event: Callable[[], Any], kinds: dict[type, int], ordinal: int,
                   key: str) -> Any:
    """The mark of ``key``'s first entry in the ``ordinal``-th mapping of a stream."""
    seen = -1
    while seen < ordinal:
        if kinds[get_event().__class__] == MAPPING_START:
            seen += 1
    depth, want_key = 0, True
    while depth >= 0:
        event = get_event()
        kind = kinds[event.__class__]
        if depth == 0 and want_key and kind == SCALAR and scalar(event, True) == key:
            return event.start_mark
        if kind == MAPPING_START or kind == SEQUENCE_START:
            depth += 1
        elif kind == MAPPING_END or kind == SEQUENCE_END:
            depth -= 1
        if depth == 0:
            want_key = not want_key
    return None
