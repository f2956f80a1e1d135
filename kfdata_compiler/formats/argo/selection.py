"""Which templates a binding's ``step`` selects, indexed once per compile.

In each document, the first of these that selects anything: the template with exactly that
name; every template whose KFP v1 component or display name is exactly that; the templates
called by the steps or DAG tasks of that name (what ``argo get`` and the UI show); the template
names matching it as a glob::

    Templates(docs).select("Train model")  ->  [Step(doc=0, index=3, node={name: train-model, ...})]
    Templates(docs).select("consume")      ->  [Step(0, 2, {name: print-message, ...}, "step name")]
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

Entry = tuple[int, argo.Document, str]  # position in the template list, template, via


def step_names(doc: argo.Document) -> Iterator[str]:
    """The names a binding could use for ``doc``'s leaf templates (for "available steps")."""
    for template in argo.templates(doc):
        if is_leaf(template):
            yield str(template.get("name"))
            for alias in (kfpv1.kfp_component_name(template), kfpv1.kfp_display_name(template)):
                if alias:
                    yield alias


def is_leaf(template: argo.Document) -> bool:
    """Whether a template runs code of its own (``container``, ``script``)."""
    return argo.template_type(template) in argo.LEAF_TYPES


def local_calls(template: argo.Document) -> Iterator[tuple[str, str, str]]:
    """(call name, called template, via) for each step or DAG task calling a template of its
    own workflow; a ``templateRef`` or an inline template is not the workflow's to bind."""
    for path, call in argo.calls(template):
        name, target = call.get("name"), call.get("template")
        if isinstance(name, str) and isinstance(target, str) and not argo.calls_elsewhere(call):
            yield name, target, "DAG task name" if path[0] == "dag" else "step name"


class Templates:
    """Each workflow's templates by name, by KFP component/display name and by the names of the
    steps and tasks calling them, built once.

    Scanning every template for every binding made binding each of 2,000 steps by name
    quadratic; globs (the only patterns that need a scan) still scan.
    """

    def __init__(self, docs: list[Any]) -> None:
        self.docs: list[tuple[int, list[tuple[int, argo.Document]]]] = []
        self.workflows = [d for d in docs if argo.is_workflow(d)]
        self.by_name: dict[tuple[int, str], list[tuple[int, argo.Document]]] = {}
        self.kfp: dict[tuple[int, str], list[Entry]] = {}
        self.called: dict[tuple[int, str], list[tuple[str, str]]] = {}
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
                for name, target, via in local_calls(template):
                    self.called.setdefault((doc_index, name), []).append((target, via))

    def names(self) -> list[str]:
        """Every name a binding could use, sorted (for "did you mean")."""
        return sorted({*(n for d in self.workflows for n in step_names(d)),
                       *(name for name, _ in self.call_names())})

    def call_names(self) -> list[tuple[str, str]]:
        """(step or task name, leaf template it calls), sorted, for the names that are no
        template's own or KFP name (a KFP v1 task is usually named like its template)."""
        own = {n for d in self.workflows for n in step_names(d)}
        found = {(name, target)
                 for (doc_index, name), targets in self.called.items() if name not in own
                 for target, _ in targets
                 if any(is_leaf(t) for _, t in self.by_name.get((doc_index, target), ()))}
        return sorted(found)

    def select(self, pattern: str) -> Iterator[Step]:
        """Templates for a step pattern: exact name, else KFP component/display name, else
        the templates its steps or tasks call, else glob."""
        is_glob = any(c in pattern for c in "*?[")
        for doc_index, indexed in self.docs:
            named = self.by_name.get((doc_index, pattern), ())
            chosen = [(i, t, "template name") for i, t in named]
            chosen = chosen or self.kfp.get((doc_index, pattern), [])
            chosen = chosen or self._called_by(doc_index, pattern)
            if not chosen and is_glob:
                chosen = [(i, t, "glob") for i, t in indexed
                          if fnmatch.fnmatchcase(str(t.get("name")), pattern)]
            for index, template, via in chosen:
                yield Step(doc_index, index, template, via)

    def _called_by(self, doc_index: int, name: str) -> list[Entry]:
        """Each distinct template the steps or tasks named ``name`` call: the leaf ones, or, when
        none is a leaf, the others (so that KF303 says why they cannot be bound)."""
        found: dict[int, Entry] = {}
        for target, via in self.called.get((doc_index, name), ()):
            for index, template in self.by_name.get((doc_index, target), ()):
                found.setdefault(index, (index, template, via))
        entries = [found[i] for i in sorted(found)]
        return [e for e in entries if is_leaf(e[1])] or entries


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
