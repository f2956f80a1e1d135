"""Suite-wide guards: no test leaks PyYAML's global tables into another, and the order can shuffle.

PyYAML keeps its representers, constructors and resolvers in class attributes of its own
``Dumper``/``Loader`` classes; ``import hera.workflows`` adds a ``str`` representer to
``yaml.Dumper`` and ``yaml.SafeDumper`` (hera/_yaml.py, hera 7.1.0), and from then on every
``yaml.dump`` in the process (kfp's compiler among them) writes multi-line strings differently.
The compiler keeps private classes (kfdata_compiler/yamlio/) and is immune; the tests that run
third-party writers are not. So the tables are taken once, before any test module is imported,
and put back around every test.

``KFDATA_TEST_ORDER_SEED=<int>`` (or ``random``) shuffles the suite the way pytest-randomly does:
the modules in a random order, and the tests inside each module (classes kept together, so
module-scoped fixtures are set up once). The seed is printed in the header and the summary, so
a failing order is reproduced with the same value.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

_TABLES = ("yaml_representers", "yaml_multi_representers", "yaml_constructors",
           "yaml_multi_constructors", "yaml_implicit_resolvers", "yaml_path_resolvers")
_ROOTS = (yaml.representer.BaseRepresenter, yaml.constructor.BaseConstructor,
          yaml.resolver.BaseResolver)
ORDER_SEED_VARIABLE = "KFDATA_TEST_ORDER_SEED"

YamlState = dict[tuple[type, str], Any]


def _pyyaml_classes() -> list[type]:
    """PyYAML's own classes holding tables (a subclass defined elsewhere belongs to its module)."""
    seen: list[type] = []
    todo: list[type] = list(_ROOTS)
    while todo:
        cls = todo.pop()
        if cls in seen:
            continue
        seen.append(cls)
        todo.extend(cls.__subclasses__())
    return [cls for cls in seen if cls.__module__.split(".")[0] == "yaml"]


def _copy(table: Any) -> Any:
    # yaml_implicit_resolvers maps a first character to a list: copy the lists too.
    return {key: list(value) if isinstance(value, list) else value for key, value in table.items()}


def snapshot_yaml() -> YamlState:
    """Every table each PyYAML class owns (not inherits), copied."""
    return {(cls, name): _copy(cls.__dict__[name]) for cls in _pyyaml_classes()
            for name in _TABLES if name in cls.__dict__}


def restore_yaml(state: YamlState) -> None:
    """Put the tables of ``state`` back, and drop the ones a class gained since (add_* copies)."""
    for cls in _pyyaml_classes():
        for name in _TABLES:
            if (cls, name) in state:
                setattr(cls, name, _copy(state[(cls, name)]))
            elif name in cls.__dict__:
                delattr(cls, name)


# Taken when pytest loads this file: before it imports any test module (hera, kfp).
PRISTINE_YAML = snapshot_yaml()


@pytest.fixture(autouse=True)
def _pristine_pyyaml() -> Iterator[None]:
    """Each test starts and ends with PyYAML's tables as a fresh interpreter has them."""
    restore_yaml(PRISTINE_YAML)  # a module imported at collection may have changed them
    yield
    restore_yaml(PRISTINE_YAML)


def order_seed(config: pytest.Config) -> int | None:
    """The shuffle seed from the environment (``random`` picks one), fixed for the session."""
    if not hasattr(config, "_kfdata_order_seed"):
        raw = os.environ.get(ORDER_SEED_VARIABLE, "").strip()
        seed = None if not raw else random.SystemRandom().randrange(10**6) if raw == "random" \
            else int(raw)
        config._kfdata_order_seed = seed  # type: ignore[attr-defined]
    return config._kfdata_order_seed  # type: ignore[attr-defined,no-any-return]


def shuffled(items: list[Any], seed: int) -> list[Any]:
    """Modules in a random order, then the classes and tests inside each one, from ``seed``."""
    rng = random.Random(seed)

    def groups(members: list[Any], key: Any) -> list[list[Any]]:
        keyed: dict[Any, list[Any]] = {}
        for item in members:
            keyed.setdefault(key(item), []).append(item)
        out = list(keyed.values())
        rng.shuffle(out)
        return out

    result: list[Any] = []
    for module in groups(items, lambda item: str(item.path)):
        # A class's tests stay together (its fixtures may be class-scoped); others go alone.
        for group in groups(module, lambda item: getattr(item, "cls", None) or item.nodeid):
            rng.shuffle(group)
            result.extend(group)
    return result


def pytest_report_header(config: pytest.Config) -> str | None:
    seed = order_seed(config)
    return None if seed is None else f"test order: shuffled, {ORDER_SEED_VARIABLE}={seed}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    seed = order_seed(config)
    if seed is not None:
        items[:] = shuffled(items, seed)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    seed = order_seed(config)
    if seed is not None:
        terminalreporter.write_line(f"test order was shuffled: rerun it with "
                                    f"{ORDER_SEED_VARIABLE}={seed}")
