"""Reference rules: every ``{{...}}`` tag of a template resolves where it is used.

    {name: t, container: {args: ["{{inputs.artifacts.dataa.path}}"]},
     inputs: {artifacts: [{name: data, path: /in}]}}
    ->  KF416 "{{inputs.artifacts.dataa.path}} does not resolve: template 't' has no input
        artifact 'dataa'" at container.args[0]

``inputs.*`` and ``outputs.*`` must name what the template declares; ``tasks.X`` must name an
ancestor of the task using it (KF415), ``steps.X`` a step of an earlier group. ``workflow.*``,
``item``, ``pod.name`` and the like are Argo's globals and are not checked, nor are
expression tags (``{{=...}}``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from kfdata_compiler import lazy
from kfdata_compiler.diagnostics import JsonPath
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.argo import slots
from kfdata_compiler.formats.argo.paths import Document
from kfdata_compiler.formats.argo.rules.dag import graph, is_ancestor
from kfdata_compiler.formats.argo.rules.findings import Context, Finding

TAG = lazy.compile(r"\{\{([^{}]*)\}\}")
# The lists a call holds, skipped when walking the rest of the template (checked per call).
CALL_LISTS: tuple[JsonPath, ...] = (("dag", "tasks"), ("steps",))


class _Scope(NamedTuple):
    """What a tag may name at one place of a template."""

    template: str
    kind: str | None
    declared: dict[str, frozenset[str]]  # "inputs.parameters" -> names, ...
    calls: frozenset[str]  # every task or step of the template
    visible: Callable[[str], bool]  # has this task or step run at this place?
    place: str  # "task 'b'", "step 'c'" or "outputs"


def _strings(node: Any, path: JsonPath,
             skip: tuple[JsonPath, ...] = ()) -> Iterator[tuple[JsonPath, str]]:
    if path in skip:
        return
    if isinstance(node, str):
        if "{{" in node:
            yield path, node
        return
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(
        node, list) else ()
    for key, value in items:
        # Scalars inline: one call and one path per leaf made this most of validate's time.
        if isinstance(value, str):
            if "{{" in value and (*path, key) not in skip:
                yield (*path, key), value
        elif isinstance(value, (dict, list)):
            yield from _strings(value, (*path, key), skip)


def _declared(template: Document) -> dict[str, frozenset[str]]:
    lists = (*argo.PARAMETER_LISTS, *argo.ARTIFACT_LISTS)
    return {".".join(map(str, where)): frozenset(str(e.get("name")) for _, e in argo.located(
        template, where)) for where in lists}


def _own(parts: list[str], scope: _Scope) -> str | None:
    """Why an ``inputs.*``/``outputs.*`` tag does not resolve (None when it does)."""
    side = parts[0]
    if len(parts) == 1 or parts[1] not in ("parameters", "artifacts"):
        # outputs.result, outputs.exitCode: Argo's own; inputs.<other> is nothing.
        return None if side == "outputs" else f"inputs have no {'.'.join(parts[1:])!r}"
    names = scope.declared[f"{side}.{parts[1]}"]
    what = f"{'input' if side == 'inputs' else 'output'} {parts[1][:-1]}"
    if len(parts) == 2:
        return None if names else f"template {scope.template!r} has no {what}s"
    if parts[2] not in names:
        return f"template {scope.template!r} has no {what} {parts[2]!r}"
    tail = parts[3:]
    if parts[1] == "parameters" and side == "inputs" and tail:
        return f"an input parameter has no {'.'.join(tail)!r}"
    if parts[1] == "artifacts" and side == "inputs" and tail not in ([], ["path"]):
        return f"an input artifact has no {'.'.join(tail)!r}"
    return None


def _call(parts: list[str], scope: _Scope) -> str | None:
    """Why a ``tasks.X``/``steps.X`` tag does not resolve (None when it does)."""
    root, kind = parts[0], "task" if parts[0] == "tasks" else "step"
    if parts[1:] == ["name"]:
        return None  # {{tasks.name}}, {{steps.name}}: the name of the current call
    if scope.kind != ("dag" if root == "tasks" else "steps"):
        return f"template {scope.template!r} has no {root}"
    if len(parts) < 2 or parts[1] not in scope.calls:
        return f"template {scope.template!r} has no {kind} {'.'.join(parts[1:2])!r}"
    if not scope.visible(parts[1]):
        run = "an ancestor of" if root == "tasks" else "a step of an earlier group than"
        return f"{kind} {parts[1]!r} is not {run} {scope.place}"
    return None


def _check(path: JsonPath, text: str, scope: _Scope) -> Iterator[Finding]:
    for match in TAG.finditer(text):
        tag = match.group(1).strip()
        if tag.startswith("="):
            continue  # an expression: not parsed here
        parts = tag.split(".")
        if parts[0] in ("inputs", "outputs"):
            problem, code = _own(parts, scope), "KF416"
        elif parts[0] in ("tasks", "steps"):
            problem, code = _call(parts, scope), "KF415"
        else:
            continue
        if problem:
            yield Finding(code, f"{{{{{tag}}}}} does not resolve: {problem}", path)


def _base_scope(template: Document, extra: dict[str, frozenset[str]] | None = None) -> _Scope:
    calls = argo.located_calls(template)
    declared = _declared(template)
    for key, names in (extra or {}).items():
        declared[key] = declared.get(key, frozenset()) | names
    return _Scope(str(template.get("name")), argo.template_type(template), declared,
                  frozenset(str(c.get("name")) for _, c, _ in calls), lambda _name: True,
                  "outputs")


def _call_scopes(template: Document,
                 base: _Scope) -> Iterator[tuple[JsonPath, Document, _Scope, _Scope]]:
    """Each call of a template with its scope, and the scope of its lifecycle hooks."""
    kind = base.kind
    calls = argo.located_calls(template)
    deps = graph(template) if kind == "dag" else {}
    groups = {str(c.get("name")): g for _, c, g in calls}
    for path, call, group in calls:
        name = str(call.get("name"))

        def ran(other: str, name: str = name, group: int = group) -> bool:
            if kind == "dag":
                return is_ancestor(deps, name, other)
            return groups.get(other, group) < group

        def ran_or_self(other: str, name: str = name, ran: Callable[[str], bool] = ran) -> bool:
            return other == name or ran(other)

        label = f"{'task' if kind == 'dag' else 'step'} {name!r}"
        scope = _Scope(base.template, kind, base.declared, base.calls, ran, label)
        hooked = _Scope(base.template, kind, base.declared, base.calls, ran_or_self, label)
        yield path, call, scope, hooked


def references(template: Document, ctx: Context) -> Iterator[Finding]:
    """KF415/KF416: ``{{inputs.*}}``, ``{{outputs.*}}``, ``{{tasks.X.*}}``, ``{{steps.X.*}}``."""
    base = _base_scope(template)
    # kfdata's own journal is data about the template, not part of it: Argo never reads the
    # old values it keeps, so their references are not the template's.
    journal = ((*slots.JOURNAL_AT, slots.JOURNAL_KEY),)
    for path, text in _strings(template, (), (*CALL_LISTS, *journal)):
        yield from _check(path, text, base)
    for path, call, scope, hooked in _call_scopes(template, base):
        for where, text in _strings(call, path):
            # A lifecycle hook runs after its own call: it may read that call's results.
            in_hook = len(where) > len(path) and where[len(path)] == "hooks"
            yield from _check(where, text, hooked if in_hook else scope)


def unresolved(text: str, template: Document, call: str | None = None,
               extra: dict[str, frozenset[str]] | None = None) -> list[Finding]:
    """The tags of ``text`` that would not resolve if it were placed in ``template`` (in the
    arguments of its task or step ``call`` when given); ``extra`` adds declared names, such as
    ``{"inputs.artifacts": {"kfdata-x"}}`` for what a compile is about to add.

        unresolved("s3://b/{{inputs.parameters.day}}", {name: main, container: {...}})
        ->  [Finding("KF416", "{{inputs.parameters.day}} does not resolve: template 'main' has
                     no input parameters")]
    """
    base = _base_scope(template, extra)
    if call is None:
        return list(_check((), text, base))
    for _path, found, scope, _hooked in _call_scopes(template, base):
        if found.get("name") == call:
            return list(_check((), text, scope))
    return []


def declared_summary(template: Document) -> str:
    """What a template declares that ``{{inputs.*}}``/``{{outputs.*}}`` may name, for hints.

        declared_summary({name: t, inputs: {parameters: [{name: day}]}, container: {...}})
        ->  "input parameters (day) and no input artifacts"
    """
    declared = _declared(template)
    parts = []
    for key in ("inputs.parameters", "inputs.artifacts"):
        what = key.replace("inputs.", "input ")
        names = ", ".join(sorted(declared[key]))
        parts.append(f"{what} ({names})" if names else f"no {what}")
    return " and ".join(parts)
