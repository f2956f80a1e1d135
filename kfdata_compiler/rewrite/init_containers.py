"""add_init_containers: containers that stage data before the step, run before the user's own.

    initContainers: [{name: warm-cache, ...}]
    ->  initContainers: [{name: warm-cache, ...}, {name: kfdata-features, image: ..., args: [...]}]
"""

from __future__ import annotations

from typing import Any

from kfdata_compiler.edits import Edits
from kfdata_compiler.resolve import Plan
from kfdata_compiler.rewrite.targets import accesses


def add_init_containers(docs: list[Any], plan: Plan, edits: Edits) -> list[Any]:
    """Append each access's init containers to its template."""
    for owner, template, access in accesses(docs, plan):
        for container in access.fragment.init_containers:
            edits.append(owner, template, ("initContainers",), dict(container))
    return docs
