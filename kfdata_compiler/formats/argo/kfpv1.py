"""KFP v1's conventions inside the Argo YAML it compiles to (dsl-compile, kfp 1.8).

    metadata: {annotations: {pipelines.kubeflow.org/component_spec: '{"name": "Train model", ...}'}}
    ->  kfp_component_name(template) == "Train model"

Component and display names live in template annotations; an input artifact ``tokens`` is
placed at ``/tmp/inputs/tokens/data`` and named after its producer, not after the input.
"""

from __future__ import annotations

import json

from kfdata_compiler.formats.argo.paths import Document, annotations_of

KFP_COMPONENT_SPEC = "pipelines.kubeflow.org/component_spec"
KFP_DISPLAY_NAME = "pipelines.kubeflow.org/task_display_name"
KFP_MAX_CACHE_STALENESS = "pipelines.kubeflow.org/max_cache_staleness"


def kfp_input_path(name: str) -> str:
    """Where KFP v1 places input artifact ``name`` inside the container."""
    return f"/tmp/inputs/{name}/data"


def kfp_component_name(template: Document) -> str | None:
    """The KFP v1 component name (``name`` in the ``component_spec`` annotation's JSON)."""
    raw = annotations_of(template).get(KFP_COMPONENT_SPEC)
    if not isinstance(raw, str):
        return None
    try:
        spec = json.loads(raw)
    except ValueError:
        return None
    name = spec.get("name") if isinstance(spec, dict) else None
    return name if isinstance(name, str) else None


def kfp_display_name(template: Document) -> str | None:
    """The KFP v1 display name (``task_display_name`` annotation), if set."""
    name = annotations_of(template).get(KFP_DISPLAY_NAME)
    return name if isinstance(name, str) else None
