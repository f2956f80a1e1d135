"""Every task and step of a document, indexed once by the template it runs.

The per-datum checks and the fan-out ask, for each bound template, which calls run it and
what runs it once (``onExit``, hooks). Walking the whole document for each bound template made
them quadratic (issue 19 §5: one workflow of 1,000 templates bound per datum took 10.7 s,
2,000 took 43 s); one walk per document answers every template::

    index = CallIndex(doc)
    index.sites("prep")    ->  [Site(base=("spec", "templates", 0), template=<main>,
                                     path=("dag", "tasks", 3), call=<task prep>, group=0)]
    index.callers("prep")  ->  [(<main>, ("dag", "tasks", Named("prep")), <task prep>)]

Each answer lists the calls in document order, exactly as a walk of the document would
(:func:`.paths.located_calls`, :func:`.paths.callers`). The index is read-only: build it from
the documents a stage reads and drop it before they change (the rewrite).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from kfdata_compiler.diagnostics import JsonPath
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.plan.paths import EditPath, Named

_LIFECYCLE = ("onExit",)  # with hooks: what a call runs once, beside its own template


class Site(NamedTuple):
    """A task or step that names a template, located in its document."""

    base: JsonPath  # the calling template, from the document's root
    template: argo.Document  # the calling template
    path: JsonPath  # the call, relative to the calling template (indices)
    call: argo.Document
    group: int  # the steps group's index (0 for a DAG task)


class Exit(NamedTuple):
    """A task's or step's ``onExit`` or hook naming a template (run once, not called)."""

    site: Site
    where: JsonPath  # the field, relative to the call: ("onExit",), ("hooks", "exit", ...)


class CallIndex:
    """The calls of one document by the template name in their ``template`` field (only
    string names: a template named ``123`` is not called by ``template: 123``, as before)."""

    def __init__(self, doc: argo.Document) -> None:
        self._sites: dict[str, list[Site]] = {}
        self._exits: dict[str, list[Exit]] = {}
        for base, template in argo.located_templates(doc):
            for path, call, group in argo.located_calls(template):
                site = Site(base, template, path, call, group)
                name = call.get("template")
                if isinstance(name, str):
                    self._sites.setdefault(name, []).append(site)
                for where, used in argo.named_templates(call, _LIFECYCLE):
                    if isinstance(used, str):
                        self._exits.setdefault(used, []).append(Exit(site, where))

    def sites(self, name: str) -> list[Site]:
        """The plain calls of template ``name``: no ``templateRef``, no inline template
        (:func:`.paths.calls_elsewhere`)."""
        return [s for s in self._sites.get(name, ()) if not argo.calls_elsewhere(s.call)]

    def callers(self, name: str) -> list[tuple[argo.Document, EditPath, argo.Document]]:
        """What :func:`.paths.callers` yields for ``name``: (calling template, the call's named
        path, the call) for each call without a ``templateRef``."""
        out = []
        for site in self._sites.get(name, ()):
            if site.call.get("templateRef"):
                continue
            label = Named(str(site.call.get("name")))
            path: EditPath = ("dag", "tasks", label) if site.path[0] == "dag" else ("steps", label)
            out.append((site.template, path, site.call))
        return out

    def exits(self, name: str) -> list[Exit]:
        """The ``onExit`` and hooks of any task or step that name template ``name``."""
        return list(self._exits.get(name, ()))


def indexes(docs: list[Any]) -> dict[int, CallIndex]:
    """A lazily filled map from document index to its :class:`CallIndex`."""
    return _Indexes(docs)


class _Indexes(dict[int, CallIndex]):
    def __init__(self, docs: list[Any]) -> None:
        super().__init__()
        self._docs = docs

    def __missing__(self, index: int) -> CallIndex:
        built = self[index] = CallIndex(self._docs[index])
        return built
