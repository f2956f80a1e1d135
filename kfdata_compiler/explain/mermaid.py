"""``explain --format mermaid``: the workflow as a flowchart, with datasets as their own nodes.

    flowchart TD
      subgraph g_sentiment ["sentiment · DAG"]
        s_preprocess["Preprocess"]
        s_train_model["Train model"]
      end
      d_reviews[("reviews · 2024-06-01")]
      s_preprocess --> s_train_model
      d_reviews -.-> s_preprocess
      s_train_model -.-> d_model

Conventions: a subgraph per DAG or steps template where it is called; leaf steps ``["…"]``
labelled with their KFP display (else component) name; a loop ``[["⟳ … · for each …"]]`` (a
looping group says so in its title); a ``when`` is a diamond ``{"if …"}`` in front of what it
guards; steps that run no code ``("…")``, templates held elsewhere ``(["↗ …"])``, a recursive
call ``(["↻ …"])``, a call that runs another document's template (``templateRef``) has a dotted
edge ``-.->|"templateRef"|`` to that template, drawn where its document is (a template
resource's entry point says ``· entrypoint``); datasets ``[("…")]`` with dotted edges,
dataset -.-> reader and writer -.-> dataset (labelled ``into …`` for an ``into``, ``per datum``
for the read a step runs once per datum of); bound steps in class ``bound``. Edges are written
after every node, so no node is pulled into another subgraph.
"""

from __future__ import annotations

from kfdata_compiler.explain.facts import Facts, Workflow
from kfdata_compiler.explain.names import Ids, quote
from kfdata_compiler.formats.graph import GROUPS, Node, Ref

CLASSES = (
    "  classDef bound fill:#ddf4ff,stroke:#0969da,stroke-width:2px,color:#1f2328",
    "  classDef dataset fill:#fff8c5,stroke:#9a6700,color:#1f2328",
)
_SHAPES = {"leaf": ("[", "]"), "loop": ("[[", "]]"), "other": ("(", ")"),
           "elsewhere": ("([", "])"), "recursion": ("([", "])")}
_MARKS = {"elsewhere": "↗ ", "recursion": "↻ "}


def _text(node: Node) -> str:
    kind = {"dag": " · DAG", "steps": " · steps"}.get(node.kind, "")
    note = f" · {node.note}" if node.note else ""
    text = f"{_MARKS.get(node.kind, '')}{node.label}{kind}{note}"
    return f"⟳ {text} · {node.loop}" if node.loop else text


class _Chart:
    def __init__(self) -> None:
        self.ids = Ids()
        self.lines = ["flowchart TD"]
        self.edges: list[str] = []
        self.own: dict[tuple[int, str], str] = {}  # (doc, node key) -> its id
        self.entry: dict[tuple[int, str], str] = {}  # where edges into it go: its condition
        self.runs: dict[tuple[int, str], list[str]] = {}  # (doc, template) -> leaf ids
        self.refs: list[tuple[str, Ref]] = []  # a call's id, the root of the document it runs

    def node(self, doc: int, node: Node, children: dict[str | None, list[Node]],
             pad: str) -> None:
        group = node.kind in GROUPS
        own = self.ids.new("g" if group else "s", node.name)
        self.own[(doc, node.key)] = self.entry[(doc, node.key)] = own
        if node.when is not None:
            check = self.ids.new("c", node.name)
            self.lines.append(f"{pad}{check}{{{quote('if ' + node.when)}}}")
            self.edges.append(f"  {check} --> {own}")
            self.entry[(doc, node.key)] = check
        if group:
            self.lines.append(f"{pad}subgraph {own} [{quote(_text(node))}]")
            self.inside(doc, node.key, children, pad + "  ")
            self.lines.append(f"{pad}end")
            return
        if node.ref is not None:
            self.refs.append((own, node.ref))
        left, right = _SHAPES["loop" if node.loop and node.kind == "leaf" else node.kind]
        self.lines.append(f"{pad}{own}{left}{quote(_text(node))}{right}")
        if node.kind == "leaf" and node.template is not None:
            self.runs.setdefault((doc, node.template), []).append(own)

    def inside(self, doc: int, parent: str | None, children: dict[str | None, list[Node]],
               pad: str) -> None:
        for child in children.get(parent, []):
            self.node(doc, child, children, pad)
        if parent not in children:  # an empty group or workflow: Mermaid wants a node in it
            self.lines.append(f"{pad}{self.ids.new('s', 'none')}[{quote('(no steps)')}]")

    def workflow(self, workflow: Workflow, wrap: bool) -> None:
        graph, doc = workflow.graph, workflow.doc
        children: dict[str | None, list[Node]] = {}
        for node in graph.nodes:
            children.setdefault(node.parent, []).append(node)
        pad = "  "
        if wrap:
            self.lines.append(f"  subgraph {self.ids.new('w', graph.name)} "
                              f"[{quote('workflow ' + graph.name)}]")
            pad = "    "
        self.inside(doc, None, children, pad)
        if wrap:
            self.lines.append("  end")
        for edge in graph.edges:
            arrow = f"-->|{quote(edge.label)}|" if edge.label else "-->"
            self.edges.append(f"  {self.own[(doc, edge.source)]} {arrow} "
                              f"{self.entry[(doc, edge.target)]}")

    def calls(self) -> None:
        """An edge from each call to the root of the other document it runs (templateRef)."""
        for own, ref in self.refs:
            target = self.own.get((ref.doc, ref.key))
            if target is not None:  # the document is drawn (the format claims it)
                self.edges.append(f"  {own} -.->|{quote(ref.via)}| {target}")

    def data(self, facts: Facts) -> list[str]:
        datasets: dict[str, str] = {}
        bound: list[str] = []
        for step in facts.steps:
            runs = self.runs.get((step.doc, step.template))
            if not runs:  # bound, but no call reaches it: drawn on its own
                runs = [self.ids.new("s", step.template)]
                self.lines.append(f"  {runs[0]}[{quote(step.label + ' (not called)')}]")
            bound.extend(runs)
            for use in step.uses:
                if use.dataset not in datasets:
                    datasets[use.dataset] = self.ids.new("d", use.dataset)
                    text = use.dataset + (f" · {use.version}" if use.version else "")
                    self.lines.append(f"  {datasets[use.dataset]}[({quote(text)})]")
                fans_out = use.mode == "read" and use.dataset == step.per_datum
                into = (f"|{quote('into ' + use.into)}|" if use.into else
                        f"|{quote('per datum')}|" if fans_out else "")
                for own in runs:
                    pair = (datasets[use.dataset], own) if use.mode == "read" else (
                        own, datasets[use.dataset])
                    self.edges.append(f"  {pair[0]} -.->{into} {pair[1]}")
        classes = [f"  class {','.join(dict.fromkeys(bound))} bound"] if bound else []
        if datasets:
            classes.append(f"  class {','.join(datasets.values())} dataset")
        return classes


def render_mermaid(facts: Facts) -> str:
    """The flowchart (see the module's docstring), one trailing newline."""
    chart = _Chart()
    for workflow in facts.workflows:
        chart.workflow(workflow, wrap=len(facts.workflows) > 1)
    chart.calls()
    classes = chart.data(facts)
    return "\n".join([*chart.lines, *dict.fromkeys(chart.edges), *CLASSES, *classes]) + "\n"
