"""What of a left-out dataset or binding can still be checked on its own (issues 18 §6, 20 §2).

A dataset or binding with a problem of its own is left out of resolution, but its other fields
still have problems of their own to report in the same run::

    datasets: {r: {uri: ftp://h/r, version: 3}}     ->  r's remnant: Dataset(uri='ftp://h/r')
                                                        (KF201 on version, KF204 on the uri)
    bindings: [{step: trian, read: [r], mode: x}]   ->  Remnant(step='trian', uses=(Use(r),))
                                                        (KF201 on mode, KF302 on the step)

A remnant keeps only the fields no problem is at (or under); resolve checks them and never binds
them, so nothing is reported twice and nothing follows from a field that was dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from kfdata_compiler.diagnostics import JsonPath
from kfdata_compiler.spec import datum as datums
from kfdata_compiler.spec.values import Dataset, Use


class Remnant(NamedTuple):
    """A left-out binding's sound parts: its step (None when it has a problem), its uses that
    have none, and the datasets its other uses name (``(name, where)``: checked as names only)."""

    step: str | None
    uses: tuple[Use, ...]
    names: tuple[tuple[str, JsonPath], ...]
    where: JsonPath


class Remnants(NamedTuple):
    """The left-out datasets (sound fields only) and bindings that resolve still checks, and
    the fields each such dataset had that were dropped (what follows from them is not known)."""

    datasets: Mapping[str, Dataset] = {}
    bindings: tuple[Remnant, ...] = ()
    dropped: Mapping[str, frozenset[str]] = {}


def _under(path: JsonPath, flawed: frozenset[JsonPath]) -> bool:
    """Whether a problem is at ``path`` or under it (not above it)."""
    return any(p[:len(path)] == path for p in flawed)


def uses(binding: Mapping[str, Any], index: int, flawed: frozenset[JsonPath] = frozenset(),
         ) -> tuple[tuple[Use, ...], tuple[tuple[str, JsonPath], ...]]:
    """A binding's uses that have no problem, and the dataset names of those that have one
    (where the name itself is sound)."""
    sound: list[Use] = []
    named: list[tuple[str, JsonPath]] = []
    for mode in ("read", "write"):
        items = binding.get(mode, [])
        if not isinstance(items, list) or ("bindings", index, mode) in flawed:
            continue
        for j, item in enumerate(items):
            where: JsonPath = ("bindings", index, mode, j)
            if not _under(where, flawed):
                sound.append(_use(item, mode, where))
            elif isinstance(item, dict) and isinstance(item.get("dataset"), str) \
                    and (*where, "dataset") not in flawed and where not in flawed:
                named.append((item["dataset"], (*where, "dataset")))
    return tuple(sound), tuple(named)


def _use(item: Any, mode: str, where: JsonPath) -> Use:
    if isinstance(item, str):
        return Use(item, mode, where)
    datum = datums.parse(item["datum"]) if "datum" in item else None
    return Use(item["dataset"], mode, where, item.get("path"), item.get("env"), item.get("into"),
               datum)


def remnants(doc: Mapping[str, Any], left_out: frozenset[JsonPath],
             flawed: frozenset[JsonPath]) -> Remnants:
    """The sound parts of the datasets and bindings ``left_out`` holds (problems at ``flawed``)."""
    datasets = dict(_datasets(doc, left_out, flawed))
    dropped = {name: frozenset(k for k in doc["datasets"][name] if k not in _KEPT
                               or _under(("datasets", name, k), flawed)) for name in datasets}
    return Remnants(datasets, tuple(_bindings(doc, left_out, flawed)), dropped)


def _entries(doc: Mapping[str, Any], section: str, left_out: frozenset[JsonPath],
             flawed: frozenset[JsonPath]) -> Iterable[tuple[Any, dict[str, Any]]]:
    """(key, body) of each left-out entry of a sound section whose body is a mapping (a
    problem at the entry itself, such as a missing field, leaves its other fields sound)."""
    body = doc.get(section)
    if (section,) in flawed or not isinstance(body, (dict, list)):
        return
    for key, value in body.items() if isinstance(body, dict) else enumerate(body):
        if (section, key) in left_out and isinstance(value, dict):
            yield key, value


_KEPT = ("uri", "store", "version", "revision", "type")  # the fields a remnant dataset keeps


def _datasets(doc: Mapping[str, Any], left_out: frozenset[JsonPath],
              flawed: frozenset[JsonPath]) -> Iterable[tuple[str, Dataset]]:
    for name, body in _entries(doc, "datasets", left_out, flawed):
        at: JsonPath = ("datasets", name)

        def sound(key: str, at: JsonPath = at, body: dict[str, Any] = body) -> Any:
            value = body.get(key)
            return value if isinstance(value, str) and not _under((*at, key), flawed) else None

        uri = sound("uri")
        if isinstance(name, str) and uri is not None and \
                ("type" not in body or sound("type") is not None):
            yield name, Dataset(name, uri, sound("store"), sound("version"), sound("revision"),
                                sound("type"))


def _bindings(doc: Mapping[str, Any], left_out: frozenset[JsonPath],
              flawed: frozenset[JsonPath]) -> Iterable[Remnant]:
    for index, body in _entries(doc, "bindings", left_out, flawed):
        step = body.get("step")
        sound = isinstance(step, str) and not _under(("bindings", index, "step"), flawed)
        found, named = uses(body, index, flawed)
        yield Remnant(step if sound else None, found, named, ("bindings", index))
