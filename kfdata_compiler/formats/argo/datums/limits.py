"""KF330: the list templates and tasks a fan-out adds must fit Argo 4's CRD limits.

Argo 4's full CRDs cap ``spec.templates`` and a DAG's ``tasks`` at 200 items (``maxItems``,
to bound the cost of their CEL rules); the API server refuses a workflow past them::

    199 templates + 2 list templates  ->  KF330 "... would have 201 templates ..."
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kfdata_compiler.diagnostics import Diagnostic
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.argo.callindex import CallIndex
from kfdata_compiler.formats.argo.datums import names
from kfdata_compiler.formats.argo.datums.needs import fanned
from kfdata_compiler.load import Source
from kfdata_compiler.plan import Target

MAX_ITEMS = 200  # Argo 4.x full CRDs: WorkflowSpec.templates and DAGTemplate.tasks
_HINT = ("Argo 4's CRDs allow at most 200 (maxItems); bind fewer steps per datum or split the "
         "workflow (a WorkflowTemplate per stage)")


def limit_problems(source: Source, targets: Sequence[Target],
                   calls: Mapping[int, CallIndex]) -> list[Diagnostic]:
    """The documents and DAGs the fan-out would take past 200 templates or tasks (``calls``:
    each document's calls, by index)."""
    lists: dict[int, set[str]] = {}
    tasks: dict[tuple[int, str], set[str]] = {}
    for target in targets:
        found = fanned(target)
        datum = found[0].use.datum if found else None
        if found is None or datum is None:
            continue
        lists.setdefault(target.doc, set()).add(names.list_template(found[0].dataset.name,
                                                                     datum.glob))
        for caller, path, call in calls[target.doc].callers(target.node):
            if path[0] == "dag":
                tasks.setdefault((target.doc, str(caller.get("name"))), set()).add(
                    names.list_call(str(call.get("name"))))
    out = []
    for index, added in sorted(lists.items()):
        doc = source.docs[index]
        have = {str(t.get("name")) for t in argo.templates(doc)}
        total = len(argo.template_list(doc)) + len(added - have)
        if total > MAX_ITEMS:
            out.append(Diagnostic(
                "KF330", f"the per-datum lists would give the workflow {total} templates",
                source.positions.locate((*argo.spec_path(doc), "templates"), index), _HINT))
    placed: dict[int, dict[str, argo.Located]] = {}  # each document's templates by name, once
    for (index, name), added in sorted(tasks.items()):
        if index not in placed:
            placed[index] = {}
            for path, template in argo.located_templates(source.docs[index]):
                if isinstance(template.get("name"), str):  # as ``==`` against the caller's
                    placed[index].setdefault(template["name"], (path, template))
        if name not in placed[index]:
            continue
        path, template = placed[index][name]
        total = len(argo.located(template, ("dag", "tasks"))) + len(added)
        if total > MAX_ITEMS:
            out.append(Diagnostic(
                "KF330", f"the per-datum lists would give DAG {name!r} {total} tasks",
                source.positions.locate((*path, "dag", "tasks"), index), _HINT))
    return out
