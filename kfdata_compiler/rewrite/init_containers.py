"""add_init_containers: containers that stage data before the step, run after the user's own.

    initContainers: [{name: warm-cache, ...}]
    ->  initContainers: [{name: warm-cache, ...}, {name: kfdata-features, image: ..., args: [...]}]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kfdata_compiler.plan import Plan
from kfdata_compiler.plan.actions import Action, Inject
from kfdata_compiler.rewrite.common import accesses


def add_init_containers(docs: list[Any], plan: Plan) -> Iterator[Action]:
    """Each access's init containers, to slot ``init_container``."""
    for owner, access in accesses(plan):
        for container in access.need.init_containers:
            yield Inject(owner, "init_container", container)
