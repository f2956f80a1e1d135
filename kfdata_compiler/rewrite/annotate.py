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

from collections.abc import Iterator
from typing import Any

from kfdata_compiler.plan import Plan
from kfdata_compiler.plan.actions import Action, Inject, Rewire
from kfdata_compiler.rewrite.common import targets

DATASETS_ANNOTATION = "kfdata.dev/datasets"
NO_CACHE = "P0D"


def annotate_pods(docs: list[Any], plan: Plan) -> Iterator[Action]:
    """The dataset names (slot ``pod_annotation``); the cache switched off (``cache_switch``)."""
    for owner, target in targets(plan):
        names = ",".join(dict.fromkeys(a.dataset.name for a in target.accesses))
        yield Inject(owner, "pod_annotation", names, key=DATASETS_ANNOTATION)
        if any(a.mode == "read" and a.version is None for a in target.accesses):
            yield Rewire(owner, "cache_switch", NO_CACHE)
