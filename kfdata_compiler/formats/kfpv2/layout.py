"""The decisions every KFP v2 pass shares, made once per plan: each bound task's deliveries,
the importers, and which components and executors are cloned.

The SDK never shares a component or an executor between tasks, but hand-written IR may; a
bound task's component or executor that something bound differently (or not at all) also uses
is cloned to ``comp-<x>-kfdata`` / ``exec-<x>-kfdata``, so that its inputs and env stay its own::

    train-a, train-b -> comp-train (exec-train); train-a bound
    ->  Layout(component_of={"train-a": "comp-train-kfdata", "train-b": "comp-train"},
               clones=[("component", "comp-train", "comp-train-kfdata"),
                       ("executor", "exec-train", "exec-train-kfdata")], ...)
"""

from __future__ import annotations

from typing import Any, NamedTuple

from kfdata_compiler.formats.kfpv2 import ir
from kfdata_compiler.formats.kfpv2.delivery import Delivery, decide
from kfdata_compiler.formats.kfpv2.tasks import Tasks
from kfdata_compiler.plan import Access, Plan
from kfdata_compiler.spec import Dataset

DATASET_TYPE = {"schemaTitle": "system.Dataset", "schemaVersion": "0.0.1"}
CLONE = "-kfdata"


class Use(NamedTuple):
    """One dataset on one bound task, with how it gets there."""

    node: dict[str, Any]
    access: Access
    delivery: Delivery


class Importer(NamedTuple):
    """A root task ``kfdata-import-<name>`` that imports one dataset for one mode."""

    name: str
    dataset: Dataset
    uri: str
    workspace: bool
    type: dict[str, Any]
    version: str | None


class Layout(NamedTuple):
    """Everything the passes need, from the documents and the plan."""

    tasks: Tasks
    uses: list[Use]
    importers: dict[tuple[str, bool], Importer]
    component_of: dict[str, str]
    executor_of: dict[str, str]
    clones: list[tuple[str, str, str]]


def importer_name(dataset: str, workspace: bool, both: bool) -> str:
    """``kfdata-import-<name>``; ``-workspace`` is added only when the dataset needs both."""
    return f"kfdata-import-{dataset}" + ("-workspace" if workspace and both else "")


def _importers(uses: list[Use]) -> dict[tuple[str, bool], Importer]:
    found: dict[tuple[str, bool], Use] = {}
    for use in uses:
        if use.delivery.mode in ("importer", "workspace"):
            found.setdefault((use.access.dataset.name, use.delivery.mode == "workspace"), use)
    out = {}
    for (name, workspace), use in found.items():
        both = (name, not workspace) in found
        into = use.delivery.into
        definition = ir.input_defs(use.node["body"], "artifacts").get(into or "", {})
        kind = ir.artifact_type(definition) or dict(DATASET_TYPE)
        out[(name, workspace)] = Importer(importer_name(name, workspace, both),
                                          use.access.dataset, str(use.delivery.uri), workspace,
                                          dict(kind), use.access.version)
    return out


def _signature(uses: list[Use]) -> tuple[Any, ...]:
    return tuple(sorted((u.access.dataset.name, u.access.mode, u.access.stem, u.access.path,
                         u.access.into or "", u.delivery.mode) for u in uses))


def _clones(leaves: list[dict[str, Any]], key: str, sig: dict[str, tuple[Any, ...]],
            taken: set[str]) -> dict[str, str]:
    """Task path -> the component (``key``: ``component``) or executor (``executor``) it runs
    after cloning: the tasks sharing one are grouped by what they are bound to."""
    by_original: dict[str, dict[str, tuple[Any, ...]]] = {}
    for v in leaves:
        by_original.setdefault(str(v[key]), {})[v["name"]] = sig[v["name"]]
    out: dict[str, str] = {}
    for original, users in sorted(by_original.items()):
        out.update(_clone_names(users, original, taken))
    return out


def _clone_names(users: dict[str, tuple[Any, ...]], original: str, taken: set[str]
                 ) -> dict[str, str]:
    """Task path -> the name its group uses: bound groups get clones when groups differ."""
    groups = sorted({s for s in users.values()},
                    key=lambda s: min(p for p, g in users.items() if g == s))
    if len(groups) < 2:
        return {path: original for path in users}
    names: dict[tuple[Any, ...], str] = {}
    for sig in groups:
        if not sig:
            names[sig] = original
            continue
        base, n = original + CLONE, 1
        name = base
        while name in taken:
            n += 1
            name = f"{base}-{n}"
        taken.add(name)
        names[sig] = name
    return {path: names[sig] for path, sig in users.items()}


def layout(docs: list[Any], plan: Plan) -> Layout:
    """The shared decisions for ``plan`` on ``docs`` (see the module's docstring)."""
    tasks = Tasks(docs)
    doc = docs[ir.PIPELINE]
    uses: list[Use] = []
    per_task: dict[str, list[Use]] = {}
    for target in plan.targets:
        node = tasks.by_path[target.node][1]
        for access in target.accesses:
            use = Use(node, access, decide(access, node, plan.spec))
            uses.append(use)
            per_task.setdefault(node["name"], []).append(use)
    leaves = [v for v in tasks.views if v["kind"] == "container"]
    sig = {v["name"]: _signature(per_task.get(v["name"], [])) for v in leaves}
    taken = {*ir.components(doc), *ir.executors(doc)}
    component_of = _clones(leaves, "component", sig, taken)
    executor_of = _clones(leaves, "executor", sig, taken)  # after the components: shared taken
    clones: list[tuple[str, str, str]] = []
    for v in leaves:
        for kind, original, now in (("component", v["component"], component_of[v["name"]]),
                                    ("executor", v["executor"], executor_of[v["name"]])):
            if now != original and (kind, original, now) not in clones:
                clones.append((kind, str(original), now))
    return Layout(tasks, uses, _importers(uses), component_of, executor_of, clones)


_CACHE: list[tuple[Any, Any, Layout]] = []


def shared(docs: list[Any], plan: Plan) -> Layout:
    """``layout`` computed once for the passes of one lowering (same documents, same plan)."""
    if _CACHE and _CACHE[0][0] is docs and _CACHE[0][1] is plan:
        return _CACHE[0][2]
    found = layout(docs, plan)
    _CACHE[:] = [(docs, plan, found)]
    return found
