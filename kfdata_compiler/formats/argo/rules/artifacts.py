"""Artifact rules: one location each, complete S3 locations, well-formed input artifacts.

    inputs: {artifacts: [{name: data, s3: {bucket: b, key: k}}]}
    ->  KF407 "s3 location of artifact 'data' has a bucket but no endpoint"
        at inputs.artifacts[0].s3
"""

from __future__ import annotations

from collections.abc import Iterator

from kfdata_compiler.diagnostics import JsonPath
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.argo.paths import Document
from kfdata_compiler.formats.argo.rules.findings import Context, Finding

S3_PARTS = ("endpoint", "bucket", "key")
# Templates whose input artifacts are placed into a container's filesystem: each needs a path.
PATH_TYPES = (*argo.LEAF_TYPES, "containerSet")
# Templates that only pass artifacts on to their steps or tasks: a path means nothing there.
NO_PATH_TYPES = ("dag", "steps")


def _s3(s3: Document, name: object, path: JsonPath) -> Iterator[Finding]:
    have = [k for k in S3_PARTS if s3.get(k)]
    if have in (list(S3_PARTS), ["key"]):
        return
    hint = ("give endpoint, bucket and key, or only key (the artifact repository supplies the "
            "endpoint and bucket)")
    if "bucket" in have and "endpoint" not in have:
        # Argo then treats the location as key-only and takes the repository's bucket.
        yield Finding("KF407", f"s3 location of artifact {name!r} has a bucket but no endpoint",
                      path, hint)
    else:
        missing = ", ".join(k for k in S3_PARTS if k not in have)
        yield Finding("KF407", f"s3 location of artifact {name!r} is incomplete (no {missing})",
                      path, hint)


def check_artifact(art: Document, path: JsonPath) -> Iterator[Finding]:
    """KF406: at most one location (and not both from and fromExpression); KF407: s3 complete."""
    name = art.get("name")
    kinds = [k for k in argo.LOCATION_KINDS if art.get(k) is not None]
    if len(kinds) > 1:
        yield Finding("KF406", f"artifact {name!r} has {len(kinds)} locations "
                      f"({', '.join(kinds)}); Argo allows one", (*path, kinds[1]))
    if art.get("from") and art.get("fromExpression"):
        yield Finding("KF406", f"artifact {name!r} has both 'from' and 'fromExpression'",
                      (*path, "fromExpression"))
    s3 = art.get("s3")
    if isinstance(s3, dict):
        yield from _s3(s3, name, (*path, "s3"))


def artifact_locations(template: Document, ctx: Context) -> Iterator[Finding]:
    """KF406/KF407 on every artifact of a template and of its steps' or tasks' arguments."""
    for where in argo.ARTIFACT_LISTS:
        for path, art in argo.located(template, where):
            yield from check_artifact(art, path)
    for call_path, call in ((p, c) for p, c, _ in argo.located_calls(template)):
        for path, art in argo.located(call, argo.ARGUMENT_LISTS[1]):
            yield from check_artifact(art, (*call_path, *path))
            if not (art.get("from") or art.get("fromExpression")
                    or any(art.get(k) is not None for k in argo.LOCATION_KINDS)):
                # Argo: "from, artifact location, or key is required" for a call's arguments.
                yield Finding("KF406", f"argument artifact {art.get('name')!r} has no location "
                              "and no from", (*call_path, *path),
                              "give it a location (s3, http, raw, ...) or from/fromExpression")
    archive = template.get("archiveLocation")
    if isinstance(archive, dict):
        kinds = [k for k in argo.LOCATION_KINDS if archive.get(k) is not None]
        if len(kinds) > 1:
            yield Finding("KF406", f"archiveLocation has {len(kinds)} locations "
                          f"({', '.join(kinds)}); Argo allows one", ("archiveLocation", kinds[1]))


def input_artifact_paths(template: Document, ctx: Context) -> Iterator[Finding]:
    """KF408: container input artifacts have a path; no input artifact has ``from``.

        {name: t, container: {...}, inputs: {artifacts: [{name: data}]}}
        ->  KF408 "input artifact 'data' of template 't' has no path"
    """
    kind = argo.template_type(template)
    label = template.get("name")
    for path, art in argo.located(template, argo.ARTIFACT_LISTS[0]):
        name = art.get("name")
        if kind in PATH_TYPES and not art.get("path"):
            yield Finding("KF408", f"input artifact {name!r} of template {label!r} has no path",
                          path, "say where the container reads it, e.g. path: /tmp/inputs/data")
        if kind in NO_PATH_TYPES and art.get("path"):
            yield Finding("KF408", f"input artifact {name!r} of {kind} template {label!r} has a "
                          "path; only container and script templates place artifacts",
                          (*path, "path"))
        for key in ("from", "fromExpression"):
            if art.get(key):
                yield Finding("KF408", f"input artifact {name!r} of template {label!r} uses "
                              f"{key!r}, which only arguments may", (*path, key),
                              "pass it from the calling step or task's arguments")


def workflow_artifacts(doc: Document) -> Iterator[Finding]:
    """KF406/KF407 on the workflow's own argument artifacts."""
    spec = argo.spec_path(doc)
    for path, art in argo.located(argo.workflow_spec(doc), argo.ARGUMENT_LISTS[1]):
        yield from check_artifact(art, (*spec, *path))
