"""Resolve the spec's bindings against the pipeline: which step gets what, and why not.

    bindings: [{step: "Train model", read: [reviews]}]  +  templates: [{name: train-model, ...}]
    ->  Plan(targets=(Target(doc=0, node='train-model', accesses=(Access(reviews, ...),)),),
             actions=(Inject((0, 'train-model'), 'input_artifact', {...}), ...))

Every problem is collected (unknown datasets, steps matching nothing, steps that run no code,
paths or names that collide with what the step already has, kfdata's own node names taken) and
raised together as one ``ResolveError``; the plan that comes back is what the rewrite applies,
and it never meets a conflict. The format answers every question about the pipeline.
"""

from __future__ import annotations

from dataclasses import replace

from kfdata_compiler.diagnostics import Severity, did_you_mean
from kfdata_compiler.drivers import registry
from kfdata_compiler.errors import ResolveError
from kfdata_compiler.formats.base import Format, Step, Steps
from kfdata_compiler.load import Source
from kfdata_compiler.plan import Access, Plan, Target
from kfdata_compiler.plan.journal import ShapeError
from kfdata_compiler.resolve.access import access, add
from kfdata_compiler.resolve.collector import Collector
from kfdata_compiler.resolve.collisions import node_collisions
from kfdata_compiler.resolve.datasets import check_datasets
from kfdata_compiler.resolve.datums import check_datums
from kfdata_compiler.rewrite import lower
from kfdata_compiler.spec import DataBindings


def resolve(source: Source, spec: DataBindings, fmt: Format) -> Plan:
    """Bind the spec to the pipeline's steps; ``ResolveError`` lists every problem found."""
    out = Collector(source, spec)
    usable = check_datasets(spec, registry(spec.types), out)
    steps = fmt.steps(source.docs)
    chosen = [(binding, list(steps.select(binding.step))) for binding in spec.bindings]
    ambiguous = set()
    for doc_index in sorted({s.doc for _, found in chosen for s in found}):
        found_here = fmt.ambiguities(source, doc_index)
        out.problems.extend(found_here)
        if found_here:
            ambiguous.add(doc_index)
    accesses: dict[tuple[int, int], list[Access]] = {}
    nodes: dict[tuple[int, int], Step] = {}
    for binding, found in chosen:
        selected = [s for s in found if s.doc not in ambiguous]
        if not selected:
            if found:
                continue  # the document's duplicate names were reported instead
            out.in_spec("KF302", f"step {binding.step!r} matches no template",
                        (*binding.where, "step"), _no_match_hint(binding.step, steps))
            continue
        for step in selected:
            why = fmt.not_runnable(step.node)
            if why is not None:
                out.in_spec("KF303", f"step {binding.step!r} selects {why}",
                            (*binding.where, "step"),
                            "bind the step that reads the data, not its DAG")
                continue
            for use in binding.uses:
                found_access = access(use, usable, step.node, fmt, out)
                if found_access is not None:
                    key = (step.doc, step.position)
                    nodes[key] = step
                    add(accesses.setdefault(key, []), found_access, fmt.label(step.node), out)
    targets = tuple(Target(doc, str(nodes[(doc, index)].node.get("name")), tuple(found))
                    for (doc, index), found in sorted(accesses.items()))
    check_datums(((fmt.label(nodes[key].node), found) for key, found in sorted(accesses.items())),
                 usable, out, fmt.name)
    out.problems.extend(fmt.conflicts(source, targets, spec))
    plan = Plan(spec, targets)
    try:
        actions = lower(source.docs, plan, fmt)
    except ShapeError as exc:  # a pass must add to a field of the wrong type: KF311, KF600
        out.problems.append(fmt.shape_problem(exc, source))
        actions = ()
    out.problems.extend(node_collisions(source, actions, fmt))
    if any(d.severity is Severity.ERROR for d in out.problems):
        raise ResolveError(out.problems)
    if out.problems:  # only warnings (a format's, e.g. KF615): they travel with the spec's
        spec = replace(spec, warnings=(*spec.warnings, *out.problems))
    return plan._replace(spec=spec, actions=actions)


def _no_match_hint(pattern: str, steps: Steps) -> str:
    """Did you mean; the steps' own names; the calls' names, each with what it calls.

        did you mean 'consume-artifact'?
        available steps: print-message-from-file, whalesay
        steps and tasks: consume-artifact (calls print-message-from-file), ...
    """
    calls: dict[str, list[str]] = {}
    for name, target in steps.call_names():
        calls.setdefault(name, []).append(target)
    names = steps.names()
    own = [n for n in names if n not in calls]
    lines = [did_you_mean(pattern, names), f"available steps: {', '.join(own) or 'none'}"]
    if calls:
        lines.append("steps and tasks: " + ", ".join(
            f"{name} (calls {', '.join(targets)})" for name, targets in calls.items()))
    return "\n".join(line for line in lines if line)


__all__ = ["resolve"]
