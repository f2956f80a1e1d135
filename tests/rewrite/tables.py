"""The shape every pass's tests share: a table of before/after cases and a table of things the
pass must leave exactly as they were."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import yaml

from tests.helpers import run_pass, spec, workflow

Pick = Callable[[list[Any]], Any]


def after(rewrite_pass: Any, templates: str, datasets: str, bindings: str,
          name: str = "step") -> dict[str, Any]:
    """The template ``name`` after the pass ran on a workflow of ``templates``."""
    docs, _ = run_pass(rewrite_pass, workflow(templates), spec(datasets, bindings))
    found: dict[str, Any] = next(t for t in docs[0]["spec"]["templates"] if t["name"] == name)
    return found


def untouched(rewrite_pass: Any, pipeline: str, datasets: str, bindings: str, pick: Pick) -> None:
    """Assert the part ``pick`` selects is the same before and after the pass."""
    before = [d for d in yaml.safe_load_all(pipeline) if d is not None]
    expected = copy.deepcopy(pick(before))
    docs, _ = run_pass(rewrite_pass, pipeline, spec(datasets, bindings))
    assert pick(docs) == expected


def template(name: str, doc: int = 0) -> Pick:
    """Select template ``name`` of document ``doc``."""
    return lambda docs: next(t for t in docs[doc]["spec"]["templates"] if t["name"] == name)


def part(name: str, *keys: str | int) -> Pick:
    """Select ``keys`` inside template ``name``."""
    def pick(docs: list[Any]) -> Any:
        node: Any = template(name)(docs)
        for key in keys:
            node = node[key]
        return node
    return pick
