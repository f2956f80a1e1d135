"""What an incremental step may not depend on: anything its cache key does not know (KF329).

The key is made of the dataset's version, the step as written and its input parameters; a
step whose result also depends on something else would be skipped on a re-run while that
something changed::

    container: {args: ["--run", "{{workflow.uid}}"]}  +  incremental
    ->  KF329 "template 'prep' reads {{workflow.uid}} directly, which an incremental step's
               cache key does not include"

(A read of another unversioned dataset and a write URI with ``{{`` are resolve's, in
``resolve/datums.py``: they are the spec's, not Argo's.)
"""

from __future__ import annotations

from collections.abc import Callable

from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.argo.callindex import CallIndex
from kfdata_compiler.formats.argo.datums import scan

Locate = Callable[[JsonPath], Location]
_NOT_RUN = frozenset({"metadata"})  # labels and annotations do not change what a step computes


def incremental_problems(index: CallIndex, template: argo.Document, tpath: JsonPath,
                         in_pipeline: Locate) -> list[Diagnostic]:
    """KF329: an existing ``memoize``; an input artifact ``from`` another step; a direct
    ``{{workflow.*}}`` or ``{{pod.*}}`` (``index``: the calls of the template's document)."""
    name = str(template.get("name"))
    out = []
    if template.get("memoize") is not None:
        out.append(Diagnostic(
            "KF329", f"template {name!r} already has memoize: 'incremental' would replace it",
            in_pipeline((*tpath, "memoize")), "remove its memoize, or drop 'incremental'"))
    for base, _caller, path, call, _group in index.sites(name):
        for where, artifact in argo.located(call, ("arguments", "artifacts")):
            source = next((k for k in ("from", "fromExpression") if k in artifact), None)
            if source:
                out.append(Diagnostic(
                    "KF329", f"input artifact {artifact.get('name')!r} of template {name!r} "
                    f"comes from another step ({source}): an incremental step's cache key "
                    "cannot know its content", in_pipeline((*base, *path, *where, source)),
                    "pass a dataset instead (written by that step, read with a version), "
                    "or drop 'incremental'"))
    for where, text in scan.strings(template, skip=_NOT_RUN):
        for tag in scan.globals_read(text):
            out.append(Diagnostic(
                "KF329", f"template {name!r} reads {tag} directly, which an incremental "
                "step's cache key does not include", in_pipeline((*tpath, *where)),
                "pass it as an input parameter (the key includes them), or drop 'incremental'"))
    return out
