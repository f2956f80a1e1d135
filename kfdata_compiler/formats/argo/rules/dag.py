"""DAG and call rules: dependencies name tasks, no cycles, called templates exist.

    dag: {tasks: [{name: b, template: t, depends: "a && c.Succeeded"}, {name: a, template: t}]}
    ->  KF414 "DAG task 'b' depends on 'c', which is no task of template 'main'"
        at dag.tasks[0].depends
"""

from __future__ import annotations

from collections.abc import Iterator

from kfdata_compiler import lazy
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.argo.paths import Document
from kfdata_compiler.formats.argo.rules.findings import Context, Finding

# A task name in a ``depends`` expression, optionally with a result: "a", "b-2.Succeeded".
DEPENDS_NAME = lazy.compile(r"(?<![-\w.])([a-zA-Z0-9][-a-zA-Z0-9]*)(?:\.[A-Za-z]+)?")
CALL_FIELDS = ("template", "onExit")


def depends_names(expression: str) -> list[str]:
    """The task names a ``depends`` expression mentions.

    >>> depends_names("(a || b-2.Failed) && !c.Succeeded")
    ['a', 'b-2', 'c']
    """
    return [m.group(1) for m in DEPENDS_NAME.finditer(expression)]


def dependencies(task: Document) -> list[str]:
    """The names a DAG task waits for (``dependencies`` and ``depends`` alike)."""
    listed, depends = argo.dag_dependencies(task)
    return [name for _, name in listed] + (depends_names(depends) if depends else [])


def graph(template: Document) -> dict[str, list[str]]:
    """Task name -> the names it waits for, for a DAG template."""
    tasks = argo.located(template, ("dag", "tasks"))
    return {str(t.get("name")): dependencies(t) for _, t in tasks}


def is_ancestor(deps: dict[str, list[str]], task: str, other: str) -> bool:
    """True when ``task`` (transitively) waits for ``other``; a breadth-first search that
    stops as soon as it meets ``other``, so the usual case, a direct dependency, is O(1)."""
    seen: set[str] = set()
    todo = list(deps.get(task, ()))
    while todo:
        name = todo.pop()
        if name == other:
            return True
        if name not in seen:
            seen.add(name)
            todo.extend(deps.get(name, ()))
    return False


def _cycle(deps: dict[str, list[str]]) -> list[str] | None:
    """One dependency cycle (its names, the first repeated last), or None; iterative DFS."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    for root in deps:
        if root in state:
            continue
        path, stack = [root], [iter(deps[root])]
        state[root] = 1
        while stack:
            dep = next(stack[-1], None)
            if dep is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(dep) == 1:
                return [*path[path.index(dep):], dep]
            elif dep in deps and dep not in state:
                state[dep] = 1
                path.append(dep)
                stack.append(iter(deps[dep]))
    return None


def dependencies_exist(template: Document, ctx: Context) -> Iterator[Finding]:
    """KF414: ``dependencies`` and ``depends`` name tasks of the same DAG, without cycles."""
    deps = graph(template)
    label = template.get("name")
    for path, task in argo.located(template, ("dag", "tasks")):
        listed, depends = argo.dag_dependencies(task)
        missing = [(where, name) for where, name in listed if name not in deps]
        if depends:
            missing += [(("depends",), n) for n in depends_names(depends) if n not in deps]
        for where, name in missing:
            yield Finding("KF414", f"DAG task {task.get('name')!r} depends on {name!r}, which is "
                          f"no task of template {label!r}", (*path, *where))
    cycle = _cycle(deps)
    if cycle:
        first = next(p for p, t in argo.located(template, ("dag", "tasks"))
                     if t.get("name") == cycle[0])
        yield Finding("KF414", f"dependency cycle in template {label!r}: {' -> '.join(cycle)}",
                      (*first, "name"))


def called_templates(template: Document, ctx: Context) -> Iterator[Finding]:
    """KF417: every step and task calls a template that exists (or a templateRef/inline one)."""
    if ctx.template_names is None:
        return
    for path, call, _group in argo.located_calls(template):
        if argo.calls_elsewhere(call):
            continue
        refs = argo.named_templates(call, CALL_FIELDS)
        if not any(where == ("template",) for where, _ in refs):
            yield Finding("KF417", f"{call.get('name')!r} calls no template", path,
                          "set template, templateRef or inline")
        for where, name in refs:
            if not isinstance(name, str) or name not in ctx.template_names:
                yield Finding("KF417", f"template {name!r} does not exist", (*path, *where))


def workflow_templates(doc: Document) -> Iterator[Finding]:
    """KF417: the spec's entrypoint, onExit and hooks name templates of the workflow."""
    spec = argo.workflow_spec(doc)
    if spec.get("workflowTemplateRef") is not None:
        return  # the templates live in the referenced WorkflowTemplate
    names = {str(t.get("name")) for t in argo.templates(doc)}
    for where, name in argo.named_templates(spec, argo.SPEC_TEMPLATE_FIELDS):
        if not isinstance(name, str) or name not in names:
            yield Finding("KF417", f"template {name!r} does not exist",
                          (*argo.spec_path(doc), *where))
