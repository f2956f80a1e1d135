"""The facts of a resolved compile: the plan's targets, why each was selected, what is left.

    build(source, spec, ARGO, plan)
    ->  Facts(steps=(BoundStep(template="preprocess", selected_by=(Selection(0, "preprocess",
              "template name"),), uses=(DatasetUse("reviews", "read", "artifact", ...),)), ...),
              unbound=(UnboundStep(0, "notify", "notify"), ...), unused_datasets=())

The plan does not say how a binding named its steps, so each binding's pattern is selected
again through the format's step index (the same index resolve used): compile outputs are
untouched by anything ``explain`` needs.
"""

from __future__ import annotations

from kfdata_compiler.drivers.need import Need
from kfdata_compiler.explain.facts import (
    BoundStep,
    DatasetUse,
    Facts,
    Selection,
    UnboundStep,
    Workflow,
)
from kfdata_compiler.formats.base import Format
from kfdata_compiler.formats.graph import Node
from kfdata_compiler.load import Source
from kfdata_compiler.plan import Access, Plan, Target
from kfdata_compiler.spec import DataBindings

Key = tuple[int, str]  # (document index, template name)


def delivery(need: Need, into: str | None) -> str:
    """How the data reaches the step, from what its driver said it needs.

    >>> delivery(Need(init_containers=({...},), volumes=({...},)), None)
    'init container'
    """
    if into is not None:
        return "input artifact"  # an input the step already has, fed from the dataset
    if need.init_containers:
        return "init container"
    if any(a.get("via") == "workspace" for a in need.input_artifacts):
        return "workspace"  # KFP v2: under the pipeline's workspace, as its lineage says
    if need.input_artifacts or need.output_artifacts:
        return "artifact"
    return "volume" if need.volumes else "env"


def dataset_use(access: Access) -> DatasetUse:
    """One access as the facts show it."""
    dataset = access.dataset
    return DatasetUse(dataset.name, access.mode, delivery(access.need, access.into), access.path,
                      access.into, tuple(e["name"] for e in access.need.env), access.version,
                      dataset.store, dataset.uri,
                      access.use.datum if access.mode == "read" else None)


def selections(spec: DataBindings, fmt: Format, source: Source) -> dict[Key, list[Selection]]:
    """Each selected step's bindings, in spec order, with how each named it."""
    steps = fmt.steps(source.docs)
    out: dict[Key, list[Selection]] = {}
    for index, binding in enumerate(spec.bindings):
        for step in steps.select(binding.step):
            found = out.setdefault((step.doc, str(step.node.get("name"))), [])
            if all(s.binding != index for s in found):
                found.append(Selection(index, binding.step, step.via))
    return out


def _bound(target: Target, label: str, chosen: list[Selection]) -> BoundStep:
    # The rule of rewrite/annotate.py: a read of a floating dataset switches the cache off.
    cache_off = any(a.mode == "read" and a.version is None for a in target.accesses)
    fanned = target.per_datum
    return BoundStep(target.doc, target.node, label, tuple(chosen), cache_off,
                     tuple(dataset_use(a) for a in target.accesses),
                     fanned.dataset.name if fanned is not None else None)


def guards(workflows: tuple[Workflow, ...]) -> dict[Key, tuple[str, ...]]:
    """Per leaf template, the conditions its calls run under (see ``BoundStep.runs_if``)."""
    found: dict[Key, list[str | None]] = {}
    for workflow in workflows:
        nodes = {n.key: n for n in workflow.graph.nodes}
        for node in workflow.graph.nodes:
            if node.kind != "leaf" or node.template is None:
                continue
            chain: list[str] = []
            at: Node | None = node
            while at is not None:
                if at.when is not None:
                    chain.insert(0, at.when if " " not in at.when else f"({at.when})")
                at = nodes.get(at.parent) if at.parent is not None else None
            # One condition needs no parentheses; several are joined as the runtime joins them.
            text = (chain[0][1:-1] if len(chain) == 1 and chain[0].startswith("(") else
                    " && ".join(chain)) if chain else None
            found.setdefault((workflow.doc, node.template), []).append(text)
    return {key: () if None in texts else tuple(dict.fromkeys(t for t in texts if t))
            for key, texts in found.items()}


def build(source: Source, spec: DataBindings, fmt: Format, plan: Plan) -> Facts:
    """The facts of one resolved pipeline (see the module's docstring)."""
    workflows = tuple(Workflow(i, fmt.graph(source.docs, i))
                      for i, doc in enumerate(source.docs) if fmt.claims(doc))
    seen: dict[Key, set[str]] = {}
    for workflow in workflows:
        for node in workflow.graph.nodes:
            if node.kind == "leaf" and node.template is not None:
                seen.setdefault((workflow.doc, node.template), set()).add(node.label)
    # A template called under several names (hera: count-en, count-de) goes by its own name.
    labels = {key: found.pop() for key, found in seen.items() if len(found) == 1}
    chosen = selections(spec, fmt, source)
    # The needs as the steps get them (a per-datum step's env names its datum), not as resolved.
    runs_if = guards(workflows)
    steps = tuple(_bound(t, labels.get((t.doc, t.node), t.node), chosen.get((t.doc, t.node), []))
                  ._replace(runs_if=runs_if.get((t.doc, t.node), ()))
                  for t in fmt.as_run(plan).targets)
    bound = {(t.doc, t.node) for t in plan.targets}
    unbound = tuple(
        UnboundStep(w.doc, name, labels.get((w.doc, name), name))
        for w in workflows
        for name, node in fmt.nodes(source.docs[w.doc]).items()
        if fmt.not_runnable(node) is None and (w.doc, name) not in bound
    )
    used = {use.dataset for binding in spec.bindings for use in binding.uses}
    unused = tuple(name for name in spec.datasets if name not in used)
    return Facts(source.path, spec.file, fmt.name, workflows, steps, unbound, unused)
