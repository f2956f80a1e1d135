"""A glob as the list template's expr-lang transformations, each with its Python twin.

Argo's ``data`` template lists every object key under the dataset's prefix; the
transformations turn that into the sorted datums. Each step is the expression Argo runs and the
same function in Python, built from one model, so tests run listings through both::

    steps(("*",), "images", gcs=False)  ->  expressions
        filter(data, # startsWith "images/" && !(# endsWith "/"))
        map(data, trimPrefix(#, "images/"))
        filter(data, none(split(#, "/"), {# in ["", ".", ".."]}) && !(# matches "[{][{]"))
        map(data, join(split(#, "/")[:1], "/"))
        sort(keys(groupBy(data, #)))
    run(that, ["images/cat/1.jpg", "images/dog/1.jpg", "images/readme.txt", "images/dir/"])
    ->  ["cat", "dog", "readme.txt"]

A transformation holds no ``{{``: Argo substitutes over the whole template's JSON, so the
``{{`` filter is written ``[{][{]``. Only expr-lang >= 1.15 builtins are used (no ``uniq``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

Listing = list[str]
_GLOB_CHARS = {"*": "[^/]*", "?": "[^/]", ".": "[.]"}
_NAMELESS = ("", ".", "..")
_TEMPLATE_TAG = "[{][{]"


class Step(NamedTuple):
    """One transformation: the expression Argo runs, and what it does in Python."""

    expression: str
    apply: Callable[[Listing], Listing]


def segment_regex(segments: tuple[str, ...]) -> str:
    """The anchored regex of a glob's segments (Go RE2 and Python read it alike).

    >>> segment_regex(("2026-*", "??"))
    '^2026-[^/]*/[^/][^/](/|$)'
    """
    body = "/".join("".join(_GLOB_CHARS.get(c, c) for c in segment) for segment in segments)
    return f"^{body}(/|$)"


def literal(text: str) -> str:
    """``text`` as an expr-lang string literal (its escapes are Go's)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _prefix_steps(prefix: str) -> list[Step]:
    """Keep the dataset's own keys, relative to it: no sibling prefix (``images2/``), no folder
    markers, no key with an empty, ``.`` or ``..`` segment or a ``{{``."""
    quoted = literal(prefix)

    def keep_own(data: Listing) -> Listing:
        return [k for k in data if k.startswith(prefix) and not k.endswith("/")]

    def relative(data: Listing) -> Listing:
        return [k[len(prefix):] if k.startswith(prefix) else k for k in data]

    def named(data: Listing) -> Listing:
        return [k for k in data if not any(s in _NAMELESS for s in k.split("/"))
                and not re.search(_TEMPLATE_TAG, k)]

    return [
        Step(f'filter(data, # startsWith {quoted} && !(# endsWith "/"))', keep_own),
        Step(f"map(data, trimPrefix(#, {quoted}))", relative),
        Step('filter(data, none(split(#, "/"), {# in ["", ".", ".."]}) && '
             f'!(# matches "{_TEMPLATE_TAG}"))', named),
    ]


def _cut_steps(segments: tuple[str, ...], gcs: bool) -> list[Step]:
    """Keep the keys the glob matches, cut to its depth, each datum once, sorted. A GCS
    directory keeps its ``/``: GCS fetches by raw prefix, so ``03`` would also fetch ``030/``."""
    n = len(segments)
    pattern = segment_regex(segments)

    def matching(data: Listing) -> Listing:
        return [k for k in data if re.search(pattern, k)]

    def cut(data: Listing) -> Listing:
        out = []
        for key in data:
            parts = key.split("/")
            if not gcs:
                out.append("/".join(parts[:n]))
            else:
                out.append("/".join(parts[:n]) + "/" if len(parts) > n else key)
        return out

    found: list[Step] = []
    if segments != ("*",):  # every key has a first segment: the filter would keep them all
        found.append(Step(f"filter(data, # matches {literal(pattern)})", matching))
    first = f'join(split(#, "/")[:{n}], "/")'
    found.append(Step(f'map(data, len(split(#, "/")) > {n} ? {first} + "/" : #)' if gcs
                      else f"map(data, {first})", cut))
    found.append(Step("sort(keys(groupBy(data, #)))", lambda data: sorted(set(data))))
    return found


def steps(segments: tuple[str, ...], key: str, gcs: bool) -> tuple[Step, ...]:
    """The transformations of a glob's ``segments`` (none: ``/**``, every object) over a
    listing of the dataset at object ``key`` (its prefix, with or without the final ``/``)."""
    prefix = key.rstrip("/") + "/"
    found = _prefix_steps(prefix)
    if segments:
        found += _cut_steps(segments, gcs)
    return tuple(found)


def run(transformations: tuple[Step, ...], listing: Listing) -> Listing:
    """The datums Argo's list gives for ``listing`` (the Python twin of the expressions)."""
    data = list(listing)
    for step in transformations:
        data = step.apply(data)
    return data
