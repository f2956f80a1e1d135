"""Imports point one way: each layer may import only the layers listed for it, and no module
imports itself back through others. Every import counts: at the top, inside a function, and
under ``TYPE_CHECKING`` (a cycle hidden there still ties the modules together)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.paths import ROOT

PACKAGE = ROOT / "kfdata_compiler"

# Layer of a module: the longest prefix of its dotted name listed here.
LAYERS = {
    "diagnostics": "core",
    "lazy": "core",
    "errors": "core",
    "conventions": "conventions",
    "yamlio": "yaml",
    "schemas": "schemas",
    "schemafast": "schemas",
    "schemagen": "schemas",
    "_validators": "schemas",
    "load": "load",
    "spec": "spec",
    "drivers": "drivers",
    "plan": "plan",
    "formats.base": "format-protocol",
    "formats.graph": "format-protocol",
    "rewrite": "rewrite",
    "formats": "formats",
    "resolve": "resolve",
    "lock": "lock",
    "compiler": "compiler",
    "explain": "explain",
    "api": "library",
    "infile": "files",
    "outfile": "files",
    "cli": "cli",
    "__main__": "process",
    "__init__": "api",
}
# Which layers each layer may import (besides its own). Read top-down: every arrow points to a
# layer listed earlier, so no two layers can import each other.
ALLOWED = {
    "core": set(),
    "conventions": set(),
    "yaml": {"core"},
    "schemas": {"core"},
    "load": {"core", "yaml"},
    "spec": {"core", "load", "schemas"},
    "drivers": {"core", "spec"},
    "plan": {"core", "spec", "drivers"},
    "format-protocol": {"core", "load", "spec", "plan"},
    "rewrite": {"core", "plan", "format-protocol"},
    "formats": {"core", "yaml", "schemas", "load", "spec", "drivers", "plan", "format-protocol",
                "rewrite"},
    "resolve": {"core", "load", "spec", "drivers", "plan", "format-protocol", "rewrite"},
    "files": {"core"},
    # kfdata.lock: the file, the pins, and the resolvers that alone import store clients.
    "lock": {"core", "conventions", "yaml", "load", "schemas", "spec", "drivers", "files"},
    "compiler": {"core", "conventions", "yaml", "load", "spec", "plan", "format-protocol",
                 "formats", "resolve", "rewrite", "files", "lock"},
    # explain sees the pipeline only through the format protocol: it cannot import a format.
    "explain": {"core", "load", "spec", "drivers", "plan", "format-protocol"},
    "library": {"core", "yaml", "files", "compiler", "explain"},
    "cli": {"core", "conventions", "compiler", "files", "explain", "lock"},
    "process": {"cli"},
    "api": {"core", "compiler", "library"},
}


def _name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


MODULES = {_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _layer(module: str) -> str:
    for prefix in sorted(LAYERS, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return LAYERS[prefix]
    raise AssertionError(f"{module} is in no layer: add it to LAYERS")


def _edges(module: str) -> set[str]:
    """The package modules ``module`` imports (``from pkg import sub`` counts as ``pkg.sub``)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if not node.module.startswith("kfdata_compiler"):
                continue
            base = node.module.removeprefix("kfdata_compiler").lstrip(".")
            for alias in node.names:
                sub = f"{base}.{alias.name}" if base else alias.name
                out.add(sub if sub in MODULES else base or "__init__")
        elif isinstance(node, ast.Import):
            out.update(a.name.removeprefix("kfdata_compiler.") for a in node.names
                       if a.name.startswith("kfdata_compiler."))
    return out - {module}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_follow_the_layers(module: str) -> None:
    layer = _layer(module)
    for imported in sorted(_edges(module)):
        other = _layer(imported)
        assert other == layer or other in ALLOWED[layer], (
            f"{module} ({layer}) imports {imported} ({other})")


def test_the_layers_form_no_cycle() -> None:
    for layer, allowed in ALLOWED.items():
        for other in allowed:
            assert layer not in ALLOWED[other], f"{layer} <-> {other}"


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of ``graph`` (its nodes, first one repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for other in sorted(graph[node]):
            if state.get(other) == 1:
                return stack[stack.index(other):] + [other]
            if other not in state and (found := visit(other)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_cycle_finder_finds_cycles() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycles() -> None:
    graph = {m: _edges(m) & MODULES.keys() for m in MODULES}
    assert find_cycle(graph) is None


def test_every_module_has_a_layer() -> None:
    assert all(_layer(m) in ALLOWED for m in MODULES)
