"""annotate_pods: which datasets a pod uses, and KFP cache safety for unversioned reads.

    metadata: {annotations: {pipelines.kubeflow.org/component_spec: ...}}
    ->  metadata: {annotations: {pipelines.kubeflow.org/component_spec: ...,
                                 kfdata.dev/datasets: 'reviews,model',
                                 pipelines.kubeflow.org/max_cache_staleness: P0D}}

A read of a dataset with no version can change under the same URI; KFP would then serve a
stale cached result, so caching is switched off for that step. With a version, caching stays on:
``KFDATA_<NAME>_VERSION`` is part of the pod spec, hence of KFP's cache key.
"""

from __future__ import annotations

from typing import Any

from kfdata_compiler import argo, kfpv1
from kfdata_compiler.edits import Edits
from kfdata_compiler.resolve import Plan
from kfdata_compiler.rewrite.targets import bound_templates

DATASETS_ANNOTATION = "kfdata.dev/datasets"


def annotate_pods(docs: list[Any], plan: Plan, edits: Edits) -> list[Any]:
    """Annotate each bound template's pod metadata."""
    for owner, template, target in bound_templates(docs, plan):
        names = ",".join(dict.fromkeys(a.dataset.name for a in target.accesses))
        edits.put(owner, template, argo.annotations_path(), DATASETS_ANNOTATION, names)
        if any(a.mode == "read" and a.version is None for a in target.accesses):
            cache = kfpv1.KFP_MAX_CACHE_STALENESS
            edits.put(owner, template, argo.annotations_path(), cache, "P0D")
    return docs
