"""Whether an instance is valid against a packaged schema, answered without jsonschema.

The validators in ``_validators/`` are compiled from the same schemas by
:mod:`kfdata_compiler.schemagen` (a test keeps them equal to a fresh generation and in
agreement with jsonschema). They say only *whether*: :mod:`kfdata_compiler.schemas` asks them
first and loads jsonschema to say *why* only when the answer is no, which on the pre-commit path
(a valid spec, a valid output) is never::

    valid({"apiVersion": "kfdata.dev/v1alpha1"}, "databindings.schema.json")  ->  False
"""

from __future__ import annotations

import functools
import importlib
from types import ModuleType
from typing import Any

# Each packaged schema and the module compiled from it.
MODULES = {"databindings.schema.json": "databindings",
           "kfdata-lock.schema.json": "kfdata_lock",
           "argo-workflows.strict.schema.json": "argo_workflows"}


@functools.cache
def _module(name: str) -> ModuleType:
    return importlib.import_module(f"kfdata_compiler._validators.{MODULES[name]}")


def valid(instance: Any, name: str, definition: str | None = None) -> bool:
    """Whether ``instance`` is valid against schema ``name`` (or its ``$defs`` ``definition``)."""
    module = _module(name)
    check = module.root if definition is None else module.DEFS[definition]
    return bool(check(instance))


# What the compiled validators call: JSON Schema's types and equality as jsonschema (4.x, draft
# 2020-12) defines them (its `_types.py` and `_utils.equal`).
MISSING = object()  # a property the instance does not have


def is_integer(x: Any) -> bool:
    """JSON Schema's integer: an int or an integral float, never a bool (``1.0`` is one)."""
    return (isinstance(x, int) and not isinstance(x, bool)) or (
        isinstance(x, float) and x.is_integer())


def is_number(x: Any) -> bool:
    """JSON Schema's number: any number but a bool."""
    if isinstance(x, (int, float)):  # all YAML and JSON give: no need to load numbers
        return not isinstance(x, bool)
    import numbers  # a Decimal or Fraction from an API caller

    return isinstance(x, numbers.Number)


def json_equal(a: Any, b: Any) -> bool:
    """Equality as ``enum``/``const`` mean it: ``True`` is not ``1``, ``1`` is ``1.0``."""
    if isinstance(a, str) or isinstance(b, str):
        return bool(a == b)
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    return bool(a == b)
