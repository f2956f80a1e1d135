"""set_artifact_repository: a workflow whose datasets are key-only artifacts names their repository.

    spec: {entrypoint: main, templates: [...]}
    ->  spec: {entrypoint: main, templates: [...],
               artifactRepositoryRef: {configMap: artifact-repositories, key: minio}}

A reference the workflow already has is left alone (resolve checked it names the same
repository); ``default: true`` stores add none.
"""

from __future__ import annotations

from typing import Any

from kfdata_compiler import argo
from kfdata_compiler.edits import Edits
from kfdata_compiler.resolve import Plan


def set_artifact_repository(docs: list[Any], plan: Plan, edits: Edits) -> list[Any]:
    """Add ``artifactRepositoryRef`` to each workflow whose datasets need one."""
    for target in plan.targets:
        doc = docs[target.doc]
        for access in target.accesses:
            ref = access.fragment.artifact_repository
            path, existing = argo.artifact_repository_ref(doc)
            if ref and existing is None:
                edits.put((target.doc, None), doc, path[:-1], str(path[-1]), dict(ref))
    return docs
