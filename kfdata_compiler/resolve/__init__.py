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

from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Severity, did_you_mean
from kfdata_compiler.drivers import registry
from kfdata_compiler.errors import ResolveError
from kfdata_compiler.formats.base import Format, Step, Steps
from kfdata_compiler.load import Source
from kfdata_compiler.plan import Access, Plan, Target
from kfdata_compiler.plan.journal import ShapeError
from kfdata_compiler.resolve.access import access, add, check_use, unknown
from kfdata_compiler.resolve.collector import Collector
from kfdata_compiler.resolve.collisions import node_collisions
from kfdata_compiler.resolve.datasets import check_datasets
from kfdata_compiler.resolve.datums import check_datums
from kfdata_compiler.resolve.foreign import foreign
from kfdata_compiler.rewrite import lower
from kfdata_compiler.spec import DataBindings


def resolve(source: Source, spec: DataBindings, fmt: Format) -> Plan:
    """Bind the spec to the pipeline's steps; ``ResolveError`` lists every problem found.

    Each part of the spec is checked on its own: a binding whose step matches nothing still
    has its datasets checked, and a binding left out for a problem of its own its step and
    sound uses (``spec.remnants``); what a part's own problem makes unknown is not reported.
    """
    out = Collector(source, spec)
    usable = check_datasets(spec, registry(spec.types), out)
    steps = fmt.steps(source.docs)
    chosen = [(binding, list(steps.select(binding.step))) for binding in spec.bindings]
    rests = [(r, list(steps.select(r.step)) if r.step is not None else [])
             for r in spec.remnants.bindings]
    ambiguous = set()
    for doc_index in sorted({s.doc for _, found in [*chosen, *rests] for s in found}):
        found_here = fmt.ambiguities(source, doc_index)
        out.problems.extend(found_here)
        if found_here:
            ambiguous.add(doc_index)
    named = [(b.step, (*b.where, "step"), found) for b, found in chosen] + [
        (r.step, (*r.where, "step"), found) for r, found in rests if r.step is not None]
    mismatch = foreign(fmt.name, spec, [(step, where) for step, where, found in named
                                        if not found], sum(1 for *_, f in named if f), steps)
    if mismatch is not None:
        out.problems.append(mismatch)
    # Per step, its accesses by (dataset, mode): a repeat is found without a scan (add).
    accesses: dict[tuple[int, int], dict[tuple[str, str], Access]] = {}
    nodes: dict[tuple[int, int], Step] = {}
    for binding, found in chosen:
        selected = _runnable(binding.step, (*binding.where, "step"), found, ambiguous,
                             mismatch is None, steps, fmt, out)
        if not selected:
            for use in binding.uses:
                check_use(use, usable, out)  # its datasets' problems are theirs (issue 18 §6)
        for step in selected:
            for use in binding.uses:
                found_access = access(use, usable, step.node, fmt, out)
                if found_access is not None:
                    key = (step.doc, step.position)
                    nodes[key] = step
                    add(accesses.setdefault(key, {}), found_access, fmt.label(step.node), out)
    for rest, found in rests:  # checked, never bound
        if rest.step is not None:
            _runnable(rest.step, (*rest.where, "step"), found, ambiguous, mismatch is None,
                      steps, fmt, out)
        for use in rest.uses:
            check_use(use, usable, out)
        for name, where in rest.names:
            unknown(name, where, out)
    targets = tuple(Target(doc, str(nodes[(doc, index)].node.get("name")), tuple(found.values()))
                    for (doc, index), found in sorted(accesses.items()))
    check_datums(((fmt.label(nodes[key].node), list(found.values()))
                  for key, found in sorted(accesses.items())),
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


def check_alone(spec: DataBindings) -> list[Diagnostic]:
    """What the spec's parts have on their own when there is no pipeline to bind them to (it
    cannot be loaded, claimed or undone): its datasets, and every use of each binding."""
    out = Collector(None, spec)
    usable = check_datasets(spec, registry(spec.types), out)
    for binding in spec.bindings:
        for use in binding.uses:
            check_use(use, usable, out)
    for rest in spec.remnants.bindings:
        for use in rest.uses:
            check_use(use, usable, out)
        for name, where in rest.names:
            unknown(name, where, out)
    return out.problems


def _runnable(pattern: str, where: JsonPath, found: list[Step], ambiguous: set[int],
              unmatched: bool, steps: Steps, fmt: Format, out: Collector) -> list[Step]:
    """The steps a binding's pattern selects that can be bound, after reporting why others
    cannot (KF302 unless ``unmatched`` is False: the spec is the other format's, KF355; KF303);
    a document whose names are ambiguous (KF402, reported once) selects nothing."""
    selected = [s for s in found if s.doc not in ambiguous]
    if not found and unmatched:
        out.in_spec("KF302", f"step {pattern!r} matches no template", where,
                    _no_match_hint(pattern, steps))
    runnable = []
    for step in selected:
        why = fmt.not_runnable(step.node)
        if why is None:
            runnable.append(step)
        else:
            out.in_spec("KF303", f"step {pattern!r} selects {why}", where,
                        "bind the step that reads the data, not its DAG")
    return runnable


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


__all__ = ["check_alone", "resolve"]
