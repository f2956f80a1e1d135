"""Which documents of a file Argo takes: Workflows, (Cluster)WorkflowTemplates and
CronWorkflows are rewritten, other Kubernetes objects pass through, anything else is refused.

    [{kind: Workflow, ...}, {kind: ConfigMap, ...}]   ->  []
    [{kind: ConfigMap, ...}, {pipelineInfo: ..., root: ...}]  ->  [KF108 "a KFP v2 pipeline spec
                                                                  kfdata-compile cannot take ..."]

(A file whose first document is a whole KFP v2 pipeline spec is the KFP v2 format's, not this.)
"""

from __future__ import annotations

from typing import Any

from kfdata_compiler.diagnostics import Diagnostic
from kfdata_compiler.load import Source


def is_kfp_v2_spec(doc: Any) -> bool:
    """True for a KFP v2 pipeline spec (IR YAML) or its platform spec: no kind, KFP's own keys."""
    return (
        isinstance(doc, dict)
        and "kind" not in doc
        and ("pipelineInfo" in doc or "deploymentSpec" in doc or "platforms" in doc)
    )


def check(source: Source) -> list[Diagnostic]:
    """The documents Argo cannot take: not Kubernetes objects, or a KFP v2 pipeline spec."""
    problems: list[Diagnostic] = []
    for index, doc in enumerate(source.docs):
        if doc is None:
            continue
        if is_kfp_v2_spec(doc):
            if any(d.code == "KF108" for d in problems):
                continue  # the platform spec that follows a pipeline spec: one report is enough
            problems.append(
                Diagnostic(
                    "KF108",
                    "a KFP v2 pipeline spec kfdata-compile cannot take: its first document must "
                    "hold pipelineInfo, root and deploymentSpec, with no Kubernetes objects "
                    "beside it",
                    source.positions.locate((), index),
                    "pass the file kfp's compiler wrote (the pipeline spec, then optionally its "
                    "platform spec), on its own",
                )
            )
        elif not isinstance(doc, dict) or not isinstance(doc.get("kind"), str):
            problems.append(
                Diagnostic(
                    "KF109",
                    "not a Kubernetes object (no 'kind')",
                    source.positions.locate((), index),
                    "pass an Argo Workflow, (Cluster)WorkflowTemplate or CronWorkflow",
                )
            )
    return problems
