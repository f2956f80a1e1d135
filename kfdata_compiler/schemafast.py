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
