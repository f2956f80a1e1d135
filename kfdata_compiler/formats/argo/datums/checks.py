"""The Argo side of per-datum bindings: what the workflow must allow before anything changes.

    read images per datum on template 'prep' (target Argo 3.3)
    ->  KF324 "per-datum bindings need Argo 3.4.17 or later; the target is Argo 3.3.0"

Besides the version (KF324): every run of the template is a call that can fan out (KF325,
KF326), nothing reads the fanned step's outputs (KF327), an incremental step depends on
nothing its key does not know (KF329), the names kfdata adds are free (KF305, KF307) and
the workflow stays within Argo 4's CRD limits (KF330). Read-only; the format's ``conflicts``
calls it with its other checks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.argo import refcalls, versions
from kfdata_compiler.formats.argo.callindex import CallIndex, indexes
from kfdata_compiler.formats.argo.datums import names, scan
from kfdata_compiler.formats.argo.datums.calls import (
    call_problems,
    consumer_problems,
    ref_problems,
)
from kfdata_compiler.formats.argo.datums.incremental import incremental_problems
from kfdata_compiler.formats.argo.datums.install import rbac_warning, target_warning
from kfdata_compiler.formats.argo.datums.limits import limit_problems
from kfdata_compiler.formats.argo.datums.memoize import incremental
from kfdata_compiler.formats.argo.datums.needs import fanned
from kfdata_compiler.load import Source
from kfdata_compiler.plan import Access, Target
from kfdata_compiler.spec import DataBindings

Locate = Callable[[JsonPath], Location]


def _version(read: Access, target: versions.ArgoVersion, in_spec: Locate) -> list[Diagnostic]:
    if target >= versions.DATUMS:
        return []
    return [Diagnostic(
        "KF324", f"per-datum bindings need Argo {versions.DATUMS} or later; the target is "
        f"Argo {target}", in_spec((*read.use.where, "datum")),
        "the list step runs expr-lang's split, join, trimPrefix, groupBy and sort, which older "
        f"Argo lacks (as bundled by {versions.kfp_releases(versions.DATUMS)}): target a newer "
        "Argo (--argo-version, argoVersion:), or read the dataset whole (glob: /)")]


def _taken(index: CallIndex, template: argo.Document, tpath: JsonPath, params: tuple[str, ...],
           artifacts: tuple[str, ...], env: str | None, in_pipeline: Locate) -> list[Diagnostic]:
    """KF307/KF305: the parameters, arguments and env var kfdata adds must be free."""
    out = []
    for path, entry in argo.located(template, ("inputs", "parameters")):
        if entry.get("name") in params:
            out.append(Diagnostic("KF307", f"template {template.get('name')!r} already has an "
                                  f"input parameter named {entry.get('name')!r}",
                                  in_pipeline((*tpath, *path)), "rename it; kfdata-* is ours"))
    key = argo.main_container_key(template) or "container"
    for path, entry in argo.located(template, (key, "env")):
        if env is not None and entry.get("name") == env:
            out.append(Diagnostic("KF305", f"env var {env!r} already exists in template "
                                  f"{template.get('name')!r}", in_pipeline((*tpath, *path)),
                                  "remove it, or set 'env' on the binding to use another name"))
    name = template.get("name")
    calls = index.sites(name) if isinstance(name, str) else []
    for path, call in (((*s.base, *s.path), s.call) for s in calls):
        for lists, wanted in ((("arguments", "parameters"), params),
                              (("arguments", "artifacts"), artifacts)):
            for where, entry in argo.located(call, lists):
                if entry.get("name") in wanted:
                    out.append(Diagnostic(
                        "KF307", f"{call.get('name')!r} already passes an argument named "
                        f"{entry.get('name')!r}", in_pipeline((*path, *where)),
                        "rename it; kfdata-* is ours"))
    return out


def datum_conflicts(source: Source, targets: Sequence[Target],
                    spec: DataBindings) -> list[Diagnostic]:
    """Every Argo problem of the plan's per-datum reads, in target order, then the limits."""
    out: list[Diagnostic] = []
    target = versions.target(spec.argo_version)
    places: dict[int, dict[str, JsonPath]] = {}
    warned: set[int] = set()  # KF346 once per document
    calls = indexes(source.docs)  # each document's calls, walked once (issue 19 §5)
    refs = refcalls.RefIndex(source.docs)
    reads = scan.OutputReads()
    for bound in targets:
        doc = source.docs[bound.doc]
        if bound.doc not in places:
            places[bound.doc] = {str(t.get("name")): p
                                 for p, t in reversed(argo.located_templates(doc))}
        tpath = places[bound.doc][bound.node]
        template = argo.template_list(doc)[int(tpath[-1])]
        in_pipeline = partial(source.positions.locate, doc=bound.doc)
        for access in bound.accesses:
            datum = access.use.datum
            if access.mode == "read" and datum is not None and datum.fans_out:
                out += _version(access, target, spec.locate)
        found = fanned(bound)
        if found is not None:
            name = bound.node
            out += call_problems(doc, name, tpath, in_pipeline, calls[bound.doc])
            out += ref_problems(source.docs, bound.doc, name, found[0].dataset.name,
                                lambda index, where: source.positions.locate(where, doc=index),
                                refs)
            out += consumer_problems(name, template, tpath, in_pipeline, calls[bound.doc],
                                     reads)
            each = found[0]
            out += _taken(calls[bound.doc], template, tpath, (names.parameter(each.dataset.name),),
                          (str(each.need.input_artifacts[0]["name"]),),
                          names.datum_env(each.stem), in_pipeline)
        read = incremental(bound)
        if read is not None:
            out += incremental_problems(calls[bound.doc], template, tpath, in_pipeline)
            out += _taken(calls[bound.doc], template, tpath, (names.NAMESPACE,), (), None,
                          in_pipeline)
            out.append(rbac_warning(read, spec.locate))
        if found is not None and bound.doc not in warned:
            warned.add(bound.doc)
            said = target_warning(doc, found[0], spec.argo_version, in_pipeline)
            out += [said] if said is not None else []
    out += limit_problems(source, targets, calls)
    return out
