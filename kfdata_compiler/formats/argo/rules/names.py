"""Name rules: templates, steps, DAG tasks, parameters and artifacts; one type per template.

    templates: [{name: my_step, container: {...}}]
    ->  KF401 "template name 'my_step' is not a valid Argo name" at $.spec.templates[0].name
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kfdata_compiler.diagnostics import JsonPath
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.argo.paths import Document
from kfdata_compiler.formats.argo.rules.findings import (
    PARAM_NAME,
    PARAM_NAME_HINT,
    Context,
    Finding,
    field_name,
)

SIDES = {"inputs": "input", "outputs": "output", "arguments": "argument"}


def template_name(template: Document, ctx: Context) -> Iterator[Finding]:
    """KF401: a template's name matches ``[a-zA-Z0-9][-a-zA-Z0-9]*`` and has ≤ 128 characters."""
    yield from field_name("template", template.get("name"), ("name",))


def call_names(template: Document, ctx: Context) -> Iterator[Finding]:
    """KF401/KF402: step and DAG task names are valid and unique within their template.

        dag: {tasks: [{name: a, ...}, {name: a, ...}]}  ->  KF402 at dag.tasks[1].name
    """
    seen: set[Any] = set()
    for path, call, _group in argo.located_calls(template):
        kind = "DAG task" if path[0] == "dag" else "step"
        name = call.get("name")
        yield from field_name(kind, name, (*path, "name"))
        if not isinstance(name, str):
            continue  # a wrongly typed name: KF401 (and the schema) said so
        if name in seen:
            yield Finding("KF402", f"{kind} name {name!r} appears twice in template "
                          f"{template.get('name')!r}", (*path, "name"))
        seen.add(name)


def named_entries(owner: Document, lists: tuple[JsonPath, ...]) -> Iterator[Finding]:
    """KF403/KF404: parameter and artifact names are valid and unique in each list."""
    for where in lists:
        seen: set[Any] = set()
        kind = f"{SIDES[str(where[0])]} {str(where[-1]).removesuffix('s')}"  # "input artifact"
        for path, entry in argo.located(owner, where):
            name = entry.get("name")
            if not isinstance(name, str) or not PARAM_NAME.fullmatch(name):
                yield Finding("KF403", f"{kind} name {name!r} is not valid", (*path, "name"),
                              PARAM_NAME_HINT)
            elif name in seen:
                yield Finding("KF404", f"{kind} {name!r} appears twice", (*path, "name"))
            else:
                seen.add(name)


def io_names(template: Document, ctx: Context) -> Iterator[Finding]:
    """KF403/KF404 on a template's inputs and outputs and on its steps' or tasks' arguments.

        inputs: {parameters: [{name: n}, {name: n}]}  ->  KF404 at inputs.parameters[1].name
    """
    yield from named_entries(template, (*argo.PARAMETER_LISTS, *argo.ARTIFACT_LISTS))
    for path, call, _group in argo.located_calls(template):
        for finding in named_entries(call, argo.ARGUMENT_LISTS):
            yield Finding(finding.code, finding.message, (*path, *finding.path), finding.hint)


def one_type(template: Document, ctx: Context) -> Iterator[Finding]:
    """KF405: a template has exactly one type (container, script, dag, steps, ...).

        {name: t, container: {...}, script: {...}}  ->  KF405 "has 2 types (container, script)"
    """
    types = [t for t in argo.TEMPLATE_TYPES if template.get(t) is not None]
    name = template.get("name")
    if not types:
        yield Finding("KF405", f"template {name!r} has no type", (),
                      f"give it one of: {', '.join(argo.TEMPLATE_TYPES)}")
    elif len(types) > 1:
        yield Finding("KF405", f"template {name!r} has {len(types)} types ({', '.join(types)}); "
                      "Argo allows one", (types[1],))


def workflow_names(doc: Document) -> Iterator[Finding]:
    """KF402: template names are unique; KF403/KF404 on the workflow's own arguments."""
    seen: set[Any] = set()
    for path, template in argo.located_templates(doc):
        name = template.get("name")
        if not isinstance(name, str):
            continue
        if name in seen:
            yield Finding("KF402", f"template name {name!r} appears twice", (*path, "name"))
        seen.add(name)
    for finding in named_entries(argo.workflow_spec(doc), argo.ARGUMENT_LISTS):
        yield Finding(finding.code, finding.message, (*argo.spec_path(doc), *finding.path),
                      finding.hint)
