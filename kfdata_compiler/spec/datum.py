"""A read's ``datum:``: run the step once per datum of the dataset (Pachyderm's glob datums).

    read: [{dataset: images, datum: {glob: "/*", incremental: true}}]
    ->  Use(dataset='images', ..., datum=Datum(glob='/*', incremental=True, max_age='',
                                               shards=16))

The glob grammar is the spec's language, so it is checked here, with the spec's other
problems; a binding with a bad ``datum`` is left out of resolution (KF320, KF321, KF323)::

    datum: {glob: "/a b"}   ->  KF320 "glob '/a b' is not a datum glob: ' ' is not allowed"
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

from kfdata_compiler import lazy
from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location

WHOLE = "/"  # the whole dataset as one datum: no fan-out
EVERY = "/**"  # every object is a datum
MAX_SEGMENTS = 8
SEGMENT = lazy.compile(r"[A-Za-z0-9._=*?-]+")
DEFAULT_SHARDS = 16
GRAMMAR = ("a datum glob is '/' (the whole dataset), '/**' (every object), or 1 to 8 segments "
           "'/<seg>' of letters, digits, '.', '_', '=', '-', '*' (any name) and '?' (one "
           "character), e.g. '/*' (each top-level entry) or '/2026-*/*'")
Locate = Callable[[JsonPath], Location]


class Datum(NamedTuple):
    """How a read fans out: its glob, whether re-runs skip datums already processed (and for how
    long an entry counts, Argo's ``maxAge``: '' is forever), and how many cache ConfigMaps."""

    glob: str
    incremental: bool = False
    max_age: str = ""
    shards: int = DEFAULT_SHARDS

    @property
    def fans_out(self) -> bool:
        """Whether each datum gets a pod of its own (every glob but ``/``)."""
        return self.glob != WHOLE

    @property
    def segments(self) -> tuple[str, ...]:
        """The glob's segments: ``/2026-*/*`` -> ``('2026-*', '*')``; none for ``/``, ``/**``.

        >>> Datum("/a/*").segments
        ('a', '*')
        """
        if self.glob in (WHOLE, EVERY):
            return ()
        return tuple(self.glob[1:].split("/"))


def parse(body: Mapping[str, Any]) -> Datum:
    """A schema-checked ``datum:`` mapping as a :class:`Datum`."""
    return Datum(str(body["glob"]), bool(body.get("incremental", False)),
                 str(body.get("maxAge", "")), int(body.get("shards", DEFAULT_SHARDS)))


def glob_problem(glob: str) -> str | None:
    """Why ``glob`` is outside the grammar, or None.

    >>> glob_problem("/a//b")
    'segment 2 is empty'
    """
    if glob in (WHOLE, EVERY):
        return None
    if not glob.startswith("/"):
        return "it does not start with '/'"
    segments = glob[1:].split("/")
    if len(segments) > MAX_SEGMENTS:
        return f"it has {len(segments)} segments; at most {MAX_SEGMENTS}"
    for number, segment in enumerate(segments, 1):
        if not segment:
            return f"segment {number} is empty" if number < len(segments) else "it ends in '/'"
        bad = next((c for c in segment if not SEGMENT.fullmatch(c)), None)
        if bad is not None:
            return f"{bad!r} is not allowed"
        if "**" in segment:
            return "'**' is only allowed as the whole glob '/**'"
        if segment in (".", ".."):
            return f"segment {number} is {segment!r}, which names no object"
    return None


def problems(doc: Mapping[str, Any], locate: Locate) -> list[tuple[JsonPath, Diagnostic]]:
    """KF320 (glob), KF321 (on a write, or with ``into``), KF323 (two in one binding)."""
    out = []
    for where, entry, mode in _entries(doc):
        datum, at = entry["datum"], (*where, "datum")
        if not isinstance(datum, dict):
            continue  # the schema reports it
        glob = datum.get("glob")
        why = glob_problem(glob) if isinstance(glob, str) else None
        if why:
            out.append(((*at, "glob"), Diagnostic(
                "KF320", f"glob {glob!r} is not a datum glob: {why}", locate((*at, "glob")),
                GRAMMAR)))
        if mode == "write" or "into" in entry:
            how = "a write" if mode == "write" else "a read with 'into'"
            out.append((at, Diagnostic(
                "KF321", f"'datum' cannot be used on {how}", locate(at),
                "datums split what a step reads; a step that reads per datum writes each "
                "datum's output under <write uri>/<datum> by itself" if mode == "write" else
                "read the dataset at its own path (drop 'into'): each datum lands at "
                "$KFDATA_<NAME>_PATH")))
    seen: dict[tuple[Any, ...], JsonPath] = {}
    for where, _entry, mode in _entries(doc):
        binding = where[:2]
        if mode != "read":
            continue
        if binding in seen:
            mode_, index = seen[binding][2:]
            out.append(((*where, "datum"), Diagnostic(
                "KF323", f"a second datum read in one binding (the first is {mode_}[{index}])",
                locate((*where, "datum")),
                "a step fans out over one dataset's datums: keep one 'datum', read the "
                "other dataset whole")))
        seen.setdefault(binding, where)
    return out


def _entries(doc: Mapping[str, Any]) -> Iterator[tuple[JsonPath, dict[str, Any], str]]:
    """Each read or write entry that has a ``datum`` key, with its path and mode."""
    bindings = doc.get("bindings")
    for i, binding in enumerate(bindings if isinstance(bindings, list) else []):
        if not isinstance(binding, dict):
            continue
        for mode in ("read", "write"):
            items = binding.get(mode)
            for j, item in enumerate(items if isinstance(items, list) else []):
                if isinstance(item, dict) and "datum" in item:
                    yield ("bindings", i, mode, j), item, mode
