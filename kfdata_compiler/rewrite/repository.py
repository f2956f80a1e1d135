"""set_artifact_repository: a workflow whose datasets are key-only artifacts names their repository.

    spec: {entrypoint: main, templates: [...]}
    ->  spec: {entrypoint: main, templates: [...],
               artifactRepositoryRef: {configMap: artifact-repositories, key: minio}}

A reference the workflow already has is left alone (resolve checked it names the same
repository); ``default: true`` stores add none.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kfdata_compiler.plan import Plan
from kfdata_compiler.plan.actions import Action, Inject


def set_artifact_repository(docs: list[Any], plan: Plan) -> Iterator[Action]:
    """The first repository each document's datasets need, to slot ``artifact_repository``."""
    done: set[int] = set()
    for target in plan.targets:
        for access in target.accesses:
            ref = access.need.artifact_repository
            if ref and target.doc not in done:
                done.add(target.doc)
                yield Inject((target.doc, None), "artifact_repository", dict(ref))
