"""KF313: the ``{{...}}`` tags a dataset brings into a template must resolve there.

    d: {uri: "https://h/{{inputs.parameters.day}}/x"} bound to a template without that input
    ->  KF313 "dataset 'd': {{inputs.parameters.day}} does not resolve in template 'main'
               (template 'main' has no input parameter 'day')"  at the dataset's uri
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.argo.rules import refs as rules_refs
from kfdata_compiler.plan import Access

Locate = Callable[[JsonPath], Location]


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        if "{{" in node:
            yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _strings(value)


def _field_of(access: Access, tag: str, stores: Mapping[str, Any]) -> JsonPath:
    """The spec field a tag came from: the dataset's, its store's, or its type's."""
    dataset = access.dataset
    for name in ("uri", "version", "revision"):
        value = getattr(dataset, name)
        if isinstance(value, str) and tag in value:
            return ("datasets", dataset.name, name)
    store = stores.get(dataset.store) if dataset.store else None
    if store is not None:
        for key, value in store.config.items():
            if tag in str(value):
                return ("stores", store.name, store.kind, key)
    if dataset.type is not None:
        return ("datasets", dataset.name, "type")
    return ("datasets", dataset.name, "uri")


def reference_conflicts(doc: argo.Document, template: argo.Document, accesses: Sequence[Access],
                        stores: Mapping[str, Any], in_spec: Locate) -> list[Diagnostic]:
    """``{{...}}`` tags that a dataset brings into a template must resolve there (KF313).

    A URI ``https://h/{{inputs.parameters.day}}/x`` ends up in the step's env and artifacts;
    in a template without input parameter ``day`` Argo would refuse the workflow::

        reference_conflicts(doc, 0, [access of d on 'main'], ...)
        ->  [Diagnostic("KF313", "dataset 'd': {{inputs.parameters.day}} does not resolve in
                        template 'main': it has no input parameters", ...)]

    An ``into`` location is placed in the arguments of each task or step calling the template,
    so there it must resolve in that call's scope instead.
    """
    tname = str(template.get("name"))
    added: dict[str, set[str]] = {"inputs.artifacts": set(), "outputs.artifacts": set()}
    for access in accesses:
        added["inputs.artifacts"].update(a["name"] for a in access.need.input_artifacts)
        added["outputs.artifacts"].update(a["name"] for a in access.need.output_artifacts)
    extra = {k: frozenset(v) for k, v in added.items()}
    out: list[Diagnostic] = []
    for access in accesses:
        need = access.need
        places: list[tuple[str, argo.Document, str | None]] = [
            (text, template, None) for text in _strings(need._replace(location=None))
        ]
        if need.location is not None:
            callers = list(argo.callers(doc, tname))
            for text in _strings(need.location):
                places.extend((text, caller, str(call.get("name"))) for caller, _, call in callers)
                if not callers:
                    places.append((text, template, None))
        seen: set[str] = set()
        for text, where, call in places:
            for finding in rules_refs.unresolved(text, where, call,
                                                 extra if call is None else None):
                tag, _, why = finding.message.partition(" does not resolve: ")
                kind = "task" if argo.template_type(where) == "dag" else "step"
                place = (f"{kind} {call!r} of template "
                         f"{where.get('name')!r}") if call else f"template {tname!r}"
                message = f"dataset {access.dataset.name!r}: {tag} does not resolve in {place}"
                if message in seen:
                    continue
                seen.add(message)
                out.append(Diagnostic(
                    "KF313", f"{message} ({why})",
                    in_spec(_field_of(access, tag, stores)),
                    f"template {where.get('name')!r} declares "
                    f"{rules_refs.declared_summary(where)}. A dataset's fields may use "
                    "{{workflow.*}} tags, or inputs that every template it is bound to declares"))
    return out
