"""Read a pipeline or spec file into a :class:`Source`: its text, documents and positions.

    load_source("p.yaml", b"kind: Workflow\\n...")  ->  Source(path, text, docs=[{...}], positions)

``check_pipeline`` tells apart what kfdata-compile rewrites (Argo Workflow, WorkflowTemplate,
ClusterWorkflowTemplate, CronWorkflow), what it passes through (anything else with a ``kind``),
and what it refuses (a KFP v2 pipeline spec, which is not Argo YAML at all).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from kfdata_compiler.diagnostics import Diagnostic, Location
from kfdata_compiler.errors import LoadError
from kfdata_compiler.yamlio import Positions, load_documents


class Source(NamedTuple):
    """One loaded YAML file. ``docs`` is the compiler's own copy: later stages may mutate it."""

    path: str
    text: str
    docs: list[Any]
    positions: Positions


def decode(path: str, data: bytes) -> str:
    """Decode file bytes as UTF-8, or raise ``LoadError`` pointing at the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise LoadError(
            [
                Diagnostic(
                    "KF100",
                    f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded",
                    Location(path, line, col),
                    "save the file as UTF-8 (Kubernetes reads only UTF-8)",
                )
            ]
        ) from None


def load_source(path: str, data: bytes) -> Source:
    """Decode and parse a YAML stream; ``LoadError`` on bad bytes, bad YAML or no document."""
    text = decode(path, data)
    docs = load_documents(text, path)
    if not docs or all(doc is None for doc in docs):
        raise LoadError(
            [
                Diagnostic(
                    "KF107",
                    "the file holds no YAML document",
                    Location(path, 1, 1),
                    "pass the compiled pipeline (dsl-compile / hera output)",
                )
            ]
        )
    return Source(path, text, docs, Positions(text, path))


def is_kfp_v2_spec(doc: Any) -> bool:
    """True for a KFP v2 pipeline spec (IR YAML) or its platform spec: no kind, KFP's own keys."""
    return (
        isinstance(doc, dict)
        and "kind" not in doc
        and ("pipelineInfo" in doc or "deploymentSpec" in doc or "platforms" in doc)
    )


def check_pipeline(source: Source) -> Source:
    """Refuse documents that are not Kubernetes objects; pass the rest on."""
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
                    "KFP v2 pipeline spec is not supported yet",
                    source.positions.locate((), index),
                    "kfdata-compile rewrites Argo Workflow YAML: compile the pipeline with KFP v1 "
                    "(dsl-compile) or author it with hera/Argo",
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
    if problems:
        raise LoadError(problems)
    return source
