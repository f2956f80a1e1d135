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

Calls between the file's documents (Argo v3.7.18 ``workflow/templateresolution/context.go``:
``GetTemplateFromRef`` finds a ``templateRef`` in the namespace's WorkflowTemplate of that name,
or with ``clusterScope`` the ClusterWorkflowTemplate; ``WithTemplateHolder`` then resolves the
template's own ``template:`` calls inside that resource): a ``templateRef`` task or step whose
resource the file holds names its template in ``Node.ref``, and a template resource draws, as
roots, its entry point (``note="entrypoint"``), every template a ``templateRef`` of the file
runs, and every template nothing in it calls: each is something a caller can run. A Workflow
with a ``workflowTemplateRef`` (``argo submit --from``) and no templates of its own runs the
resource's entry point (``util.JoinWorkflowSpec``): its root is that call.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from kfdata_compiler import lazy
from kfdata_compiler.formats.argo import kfpv1
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.argo.refcalls import reference
from kfdata_compiler.formats.graph import Edge, Graph, Node, Ref

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


class _Resources:
    """The file's template resources, by how a ``templateRef`` names them."""

    def __init__(self, docs: list[Any]) -> None:
        self.docs = docs
        self.index: dict[tuple[str, bool], int] = {}
        for i, doc in enumerate(docs):
            found = reference(doc)
            if found is not None:
                self.index.setdefault(found, i)

    def find(self, ref: Any) -> int | None:
        """The document a ``templateRef`` (or ``workflowTemplateRef``) names, if in the file."""
        if not isinstance(ref, dict):
            return None
        return self.index.get((str(ref.get("name")), bool(ref.get("clusterScope"))))

    def call(self, call: argo.Document) -> Ref | None:
        """Where a task's or step's ``templateRef`` leads in the file (a template it holds)."""
        ref = call.get("templateRef")
        doc = self.find(ref)
        name = ref.get("template") if isinstance(ref, dict) else None
        if doc is None or not isinstance(name, str) or name not in _names(self.docs[doc]):
            return None
        return Ref(doc, name, "templateRef")

    def called(self, index: int) -> list[str]:
        """The templates of ``docs[index]`` that a ``templateRef`` of the file runs, in order."""
        found: list[str] = []
        for doc in self.docs:
            for template in argo.templates(doc) if argo.is_workflow(doc) else []:
                for _, call in argo.calls(template):
                    ref = self.call(call)
                    if ref is not None and ref.doc == index:
                        found.append(ref.key)
        return list(dict.fromkeys(found))


def _names(doc: argo.Document) -> list[str]:
    return [str(t.get("name")) for t in argo.templates(doc)]


class _Builder:
    def __init__(self, templates: dict[str, argo.Document], resources: _Resources) -> None:
        self.templates = templates
        self.resources = resources
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
        ref = self.resources.call(call) if template is None else None
        self.nodes.append(Node(key, name, template_name, label_of(template, name), kind, parent,
                               shorten(str(when)) if when is not None else None, loop_of(call),
                               ref, when_raw=str(when) if when is not None else None))
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


def _roots(docs: list[Any], index: int, resources: _Resources, names: list[str]) -> list[str]:
    doc = docs[index]
    spec = argo.workflow_spec(doc)
    entry, on_exit = spec.get("entrypoint"), spec.get("onExit")
    uncalled = [n for n in _uncalled(doc, names) if n != on_exit]
    if reference(doc) is None:  # a Workflow runs its entry point, nothing else
        return [entry] if isinstance(entry, str) else uncalled
    return list(dict.fromkeys([*([entry] if isinstance(entry, str) else []),
                               *resources.called(index), *uncalled]))


def _submitted(doc: argo.Document, resources: _Resources) -> Node | None:
    """The root of a Workflow that only names a template resource (``workflowTemplateRef``)."""
    spec = argo.workflow_spec(doc)
    ref = spec.get("workflowTemplateRef")
    if ref is None or argo.templates(doc):
        return None
    found = resources.find(ref)
    resource = resources.docs[found] if found is not None else {}
    entry = spec.get("entrypoint") or argo.workflow_spec(resource).get("entrypoint")
    name = str(entry or (ref.get("name") if isinstance(ref, dict) else None) or "?")
    link = (Ref(found, name, "workflowTemplateRef")
            if found is not None and name in _names(resource) else None)
    return Node(name, name, None, name, "elsewhere", ref=link)


def graph(docs: list[Any], index: int) -> Graph:
    """The call graph of ``docs[index]``, a workflow document (see the module's docstring)."""
    doc = docs[index]
    templates: dict[str, argo.Document] = {}
    for template in argo.templates(doc):
        templates.setdefault(str(template.get("name")), template)
    resources = _Resources(docs)
    builder = _Builder(templates, resources)
    submitted = _submitted(doc, resources)
    if submitted is not None:
        builder.nodes.append(submitted._replace(key=builder.unique(submitted.key)))
        keys = [builder.nodes[0].key]
    else:
        keys = [builder.call(root, root, None, {}, ())
                for root in _roots(docs, index, resources, list(templates))]
    entry = argo.workflow_spec(doc).get("entrypoint")
    if reference(doc) is not None and keys and keys[0] == entry:  # only callers run the rest
        builder.nodes[0] = builder.nodes[0]._replace(note="entrypoint")
    on_exit = argo.workflow_spec(doc).get("onExit")
    if isinstance(on_exit, str):
        handler = builder.call(f"on exit: {on_exit}", on_exit, None, {}, ())
        builder.edges.extend(Edge(k, handler, "on exit") for k in keys[:1])
    meta = doc.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    name = meta.get("name") or meta.get("generateName") or doc.get("kind") or "workflow"
    return Graph(str(name), tuple(builder.nodes), tuple(builder.edges))

