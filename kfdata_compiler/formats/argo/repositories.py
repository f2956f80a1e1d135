"""KF312: a workflow's key-only artifacts resolve against one artifact repository, ours.

    datasets on stores {artifactRepository: {key: minio}} and {artifactRepository: {key: gcs}}
    ->  KF312 "datasets in one workflow use two artifact repositories (artifact-repositories/minio,
               artifact-repositories/gcs)"
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.plan import Access

Locate = Callable[[JsonPath], Location]
ARGO_DEFAULT_CONFIGMAP = "artifact-repositories"  # what Argo reads when a ref names no ConfigMap
DEFAULT = "the workflow's default repository"


def repository_conflicts(doc: argo.Document, accesses: Sequence[Access], in_spec: Locate,
                         in_pipeline: Locate) -> list[Diagnostic]:
    """A workflow references one artifact repository: ours, and no other one.

    ``default: true`` stores (an empty reference) mean "whatever the workflow uses", so they may
    not share a workflow with a store that sets one: their keys would move to that repository.
    """
    where, existing = argo.artifact_repository_ref(doc)
    wanted: dict[str, Access] = {}
    for access in accesses:
        ref = access.need.artifact_repository
        if ref is not None:
            wanted.setdefault(_describe(ref), access)
    out = []
    if len(wanted) > 1:
        refs, access = list(wanted), list(wanted.values())[1]
        out.append(Diagnostic(
            "KF312", f"datasets in one workflow use two artifact repositories ({refs[0]}, "
            f"{refs[1]})", in_spec(access.use.where),
            "Argo resolves every key-only artifact of a workflow against one repository"))
    elif wanted and isinstance(existing, dict) and _describe(existing) not in wanted:
        ours = next(iter(wanted))
        if ours == DEFAULT:
            return out  # the default repository is whatever the workflow references
        out.append(Diagnostic(
            "KF312", f"the workflow already references artifact repository {_describe(existing)}, "
            f"not {ours}", in_pipeline(where),
            "bind datasets of that repository, or remove the workflow's artifactRepositoryRef"))
    return out


def _describe(ref: dict[str, Any]) -> str:
    if not ref:
        return DEFAULT
    configmap = ref.get("configMap") or ARGO_DEFAULT_CONFIGMAP
    return f"{configmap}/{ref['key']}" if ref.get("key") else f"{configmap} (its default key)"
