"""The list template: Argo's ``data`` template that turns a dataset's listing into its datums.

    list_template(read images /*, Source(s3, ..., key="images"))
    ->  name: kfdata-list-images-766e0153
        data:
          source: {artifactPaths: {name: images, s3: {endpoint: ..., key: images, ...}}}
          transformation: [{expression: 'filter(data, # startsWith "images/" && ...)'}, ...]
        metadata: {annotations: {kfdata.dev/datum: '{"dataset": "images", "glob": "/*"}',
                                 pipelines.kubeflow.org/max_cache_staleness: P0D}}

It runs ``argoexec data`` (no user image); its result, a JSON list, is the callers'
``withParam``. KFP must never serve a cached listing: data written upstream is listed anew.
"""

from __future__ import annotations

import json
from typing import Any

from kfdata_compiler.formats.argo.datums import location, names, transform
from kfdata_compiler.formats.argo.datums.location import Source
from kfdata_compiler.formats.argo.kfpv1 import KFP_MAX_CACHE_STALENESS
from kfdata_compiler.plan import Access

DATUM_ANNOTATION = "kfdata.dev/datum"
NO_CACHE = "P0D"


def list_template(read: Access, where: Source) -> dict[str, Any]:
    """The ``data`` template listing ``read``'s datums (one per dataset and glob)."""
    datum = read.use.datum
    assert datum is not None  # only fanned reads are listed
    dataset = read.dataset.name
    steps = transform.steps(datum.segments, where.key, where.gcs)
    mark = json.dumps({"dataset": dataset, "glob": datum.glob}, ensure_ascii=False)
    return {
        "name": names.list_template(dataset, datum.glob),
        "data": {
            "source": {"artifactPaths": location.listing(where, dataset)},
            "transformation": [{"expression": step.expression} for step in steps],
        },
        "metadata": {"annotations": {DATUM_ANNOTATION: mark, KFP_MAX_CACHE_STALENESS: NO_CACHE}},
    }
