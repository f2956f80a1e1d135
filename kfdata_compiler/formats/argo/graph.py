"""An Argo workflow's call graph, for ``explain``: the entry point down to the leaf steps.

    spec: {entrypoint: main, templates: [{name: main, dag: {tasks: [
        {name: a, template: a},
        {name: b, template: b, dependencies: [a], when: "{{tasks.a.outputs.result}} == yes"}]}},
        ...]}
    ->  Graph(name="wf-", nodes=(Node("main", kind="dag"), Node("main/a", parent="main", ...),
                                  Node("main/b", parent="main", when="a.result == yes", ...)),
              edges=(Edge("main/a", "main/b"),))

Each DAG or steps template a call reaches is expanded where it is called (KFP v1's conditions
and loops are sub-DAGs), so the same template called twice appears twice. A template with no
entry point (a WorkflowTemplate library) contributes its uncalled templates as roots.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kfdata_compiler import lazy
from kfdata_compiler.formats.argo import kfpv1
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.graph import Edge, Graph, Node

# Past this many nodes, groups are no longer expanded: a picture that large helps nobody, and
# a template calling itself through many paths must not blow up.
MAX_NODES = 2000
_KINDS = {"container": "leaf", "script": "leaf", "dag": "dag", "steps": "steps"}
_PLACEHOLDER = lazy.compile(r"\{\{\s*(.*?)\s*\}\}")
# Words of Argo's placeholder paths that tell a reader nothing: tasks.a.outputs.result -> a.result
_NOISE = frozenset({"tasks", "steps", "outputs", "inputs", "parameters", "artifacts", "workflow"})
_DEPENDS = lazy.compile(r"(!?)\s*([A-Za-z0-9_-]+)(?:\.([A-Za-z]+))?")


def shorten(text: str) -> str:
    """Argo placeholders as people read them.

    >>> shorten('"{{tasks.flip.outputs.parameters.side}}" == "heads"')
    '"flip.side" == "heads"'
    """

    def one(match: re.Match[str]) -> str:
        inner = match.group(1)
        if inner.startswith("="):  # an expression: keep it, without the braces
            return inner[1:].strip()
        words = [w for w in inner.split(".") if w not in _NOISE]
        return ".".join(words) or inner

    return _PLACEHOLDER.sub(one, text)


def loop_of(call: argo.Document) -> str | None:
    """How a task or step repeats, for people (``for each of 3 items``), or None."""
    items, param, sequence = (call.get(k) for k in ("withItems", "withParam", "withSequence"))
    if isinstance(items, list):
        return f"for each of {len(items)} items"
    if items is not None or param is not None:
        return f"for each in {shorten(str(param if items is None else items))}"
    if isinstance(sequence, dict):
        if "count" in sequence:
            return f"for each of {shorten(str(sequence['count']))}"
        start, end = sequence.get("start", 0), sequence.get("end", "?")
        return f"for {shorten(str(start))}..{shorten(str(end))}"
    return None


def label_of(template: argo.Document | None, fallback: str) -> str:
    """KFP's display name, else its component name, else ``fallback`` (the task's name)."""
    if template is None or argo.template_type(template) not in argo.LEAF_TYPES:
        return fallback
    return kfpv1.kfp_display_name(template) or kfpv1.kfp_component_name(template) or fallback


def depends_on(expression: str) -> Iterator[tuple[str, str]]:
    """The tasks a ``depends`` expression names, each with the outcome it waits for.

    >>> list(depends_on("a.Succeeded && (b.Failed || !c)"))
    [('a', ''), ('b', 'Failed'), ('c', 'not c')]
    """
    for negated, task, outcome in _DEPENDS.findall(expression):
        said = "" if outcome in ("", "Succeeded") else outcome
        yield task, (f"not {said or task}" if negated else said)


class _Builder:
    def __init__(self, templates: dict[str, argo.Document]) -> None:
        self.templates = templates
        self.nodes: list[Node] = []
        self.edges: list[Edge] = []
        self.keys: set[str] = set()

    def unique(self, key: str) -> str:
        # Names repeat only in a broken document (lint reports it); the picture still draws.
        found, n = key, 1
        while found in self.keys:
            n += 1
            found = f"{key}#{n}"
        self.keys.add(found)
        return found

    def call(self, name: str, template_name: str | None, parent: str | None,
             call: argo.Document, stack: tuple[str, ...]) -> str:
        key = self.unique(f"{parent}/{name}" if parent else name)
        template = self.templates.get(template_name) if template_name else None
        kind = "elsewhere" if template is None else _KINDS.get(
            str(argo.template_type(template)), "other")
        if kind in ("dag", "steps") and template_name in stack:
            kind = "recursion"
        when = call.get("when")
        self.nodes.append(Node(key, name, template_name, label_of(template, name), kind, parent,
                               shorten(str(when)) if when is not None else None, loop_of(call)))
        if template is not None and kind in ("dag", "steps") and len(self.nodes) < MAX_NODES:
            inner = (*stack, str(template_name))
            if kind == "dag":
                self.dag(key, template, inner)
            else:
                self.steps(key, template, inner)
        return key

    def target(self, call: argo.Document) -> str | None:
        if argo.calls_elsewhere(call):
            return None
        found = call.get("template")
        return found if isinstance(found, str) else None

    def dag(self, key: str, template: argo.Document, stack: tuple[str, ...]) -> None:
        tasks = argo.named_list(template.get("dag"), "tasks")
        keys = {str(t.get("name")): self.call(str(t.get("name")), self.target(t), key, t, stack)
                for t in tasks}
        for task in tasks:
            here = keys[str(task.get("name"))]
            listed, depends = argo.dag_dependencies(task)
            found = [(d, "") for _, d in listed] + list(depends_on(depends or ""))
            for other, outcome in dict.fromkeys(found):
                if other in keys:
                    self.edges.append(Edge(keys[other], here, outcome))

    def steps(self, key: str, template: argo.Document, stack: tuple[str, ...]) -> None:
        before: list[str] = []
        groups = template.get("steps")
        for group in groups if isinstance(groups, list) else []:
            # A group runs in parallel, after every step of the group before it.
            now = [self.call(str(s.get("name")), self.target(s), key, s, stack)
                   for s in (group if isinstance(group, list) else [group]) if isinstance(s, dict)]
            self.edges.extend(Edge(a, b) for a in before for b in now)
            before = now or before


def _uncalled(doc: argo.Document, names: list[str]) -> list[str]:
    called = {c.get("template") for t in argo.templates(doc) for _, c in argo.calls(t)}
    return [n for n in names if n not in called]


def graph(doc: argo.Document) -> Graph:
    """The call graph of one workflow document (see the module's docstring)."""
    templates: dict[str, argo.Document] = {}
    for template in argo.templates(doc):
        templates.setdefault(str(template.get("name")), template)
    spec = argo.workflow_spec(doc)
    entry, on_exit = spec.get("entrypoint"), spec.get("onExit")
    roots = [entry] if isinstance(entry, str) else [
        n for n in _uncalled(doc, list(templates)) if n != on_exit]
    builder = _Builder(templates)
    keys = [builder.call(root, root, None, {}, ()) for root in roots]
    if isinstance(on_exit, str):
        handler = builder.call(f"on exit: {on_exit}", on_exit, None, {}, ())
        builder.edges.extend(Edge(k, handler, "on exit") for k in keys[:1])
    meta = doc.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    name = meta.get("name") or meta.get("generateName") or doc.get("kind") or "workflow"
    return Graph(str(name), tuple(builder.nodes), tuple(builder.edges))

