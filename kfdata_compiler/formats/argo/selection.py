"""Which templates a binding's ``step`` selects, indexed once per compile.

In each document: the template with exactly that name; else every template whose KFP v1
component or display name is exactly that; else the template names matching it as a glob::

    Templates(docs).select("Train model")  ->  [Step(doc=0, index=3, node={name: train-model, ...})]
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from typing import Any

from kfdata_compiler.formats.argo import kfpv1
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.argo.rules.findings import Context, Finding
from kfdata_compiler.formats.argo.rules.names import call_names, workflow_names
from kfdata_compiler.formats.base import Step


def step_names(doc: argo.Document) -> Iterator[str]:
    """The names a binding could use for ``doc``'s leaf templates (for "available steps")."""
    for template in argo.templates(doc):
        if argo.template_type(template) in argo.LEAF_TYPES:
            yield str(template.get("name"))
            for alias in (kfpv1.kfp_component_name(template), kfpv1.kfp_display_name(template)):
                if alias:
                    yield alias


class Templates:
    """Each workflow's templates by name and by KFP component/display name, built once.

    Scanning every template for every binding made binding each of 2,000 steps by name
    quadratic; globs (the only patterns that need a scan) still scan.
    """

    def __init__(self, docs: list[Any]) -> None:
        self.docs: list[tuple[int, list[tuple[int, argo.Document]]]] = []
        self.workflows = [d for d in docs if argo.is_workflow(d)]
        self.by_name: dict[tuple[int, str], list[tuple[int, argo.Document]]] = {}
        self.kfp: dict[tuple[int, str], list[tuple[int, argo.Document, str]]] = {}
        for doc_index, doc in enumerate(docs):
            if not argo.is_workflow(doc):
                continue
            indexed = [(int(p[-1]), t) for p, t in argo.located_templates(doc)]
            self.docs.append((doc_index, indexed))
            for entry in indexed:
                template = entry[1]
                self.by_name.setdefault((doc_index, str(template.get("name"))), []).append(entry)
                aliases = {kfpv1.kfp_component_name(template): "KFP component name",
                           kfpv1.kfp_display_name(template): "KFP display name"}
                for alias, via in aliases.items():
                    if alias is not None:
                        self.kfp.setdefault((doc_index, alias), []).append((*entry, via))

    def names(self) -> list[str]:
        """Every name a binding could use, sorted (for "available steps")."""
        return sorted({n for d in self.workflows for n in step_names(d)})

    def select(self, pattern: str) -> Iterator[Step]:
        """Templates for a step pattern: exact name, else KFP component/display name, else glob."""
        is_glob = any(c in pattern for c in "*?[")
        for doc_index, indexed in self.docs:
            named = self.by_name.get((doc_index, pattern), ())
            chosen = [(i, t, "template name") for i, t in named]
            chosen = chosen or self.kfp.get((doc_index, pattern), [])
            if not chosen and is_glob:
                chosen = [(i, t, "glob") for i, t in indexed
                          if fnmatch.fnmatchcase(str(t.get("name")), pattern)]
            for index, template, via in chosen:
                yield Step(doc_index, index, template, via)


def ambiguities(doc: argo.Document) -> list[Finding]:
    """Names that appear twice where kfdata-compile finds things by name (KF402).

    Two templates named ``a`` leave a binding of ``a`` (and the edit journal, which addresses
    templates, steps and tasks by name) unable to tell them apart, so such an input is refused
    before anything is bound, as ``lint`` reports it::

        templates: [{name: a, container: ...}, {name: a, container: ...}]
        ->  [Finding("KF402", "template name 'a' appears twice", ("spec", "templates", 1, "name"))]
    """
    out = [f for f in workflow_names(doc) if f.code == "KF402"]
    for base, template in argo.located_templates(doc):
        out.extend(Finding(f.code, f.message, (*base, *f.path), f.hint)
                   for f in call_names(template, Context()) if f.code == "KF402")
    return out
