"""The KFP v2 passes on executors and the platform document: env, PVC mounts, pod annotations,
the workspace and the lineage.

    train reads holdout (pvc://holdout-claim/sets/2024)
    ->  Inject((0, None), "env", {"name": "KFDATA_HOLDOUT_PATH",
               "value": "/kfdata/holdout/sets/2024"},
               at=("deploymentSpec", "executors", "exec-train"))
        Rewire((1, None), "platform_field", [{constant: holdout-claim, mountPath: /kfdata/holdout,
               pvcNameParameter: {runtimeValue: {constant: holdout-claim}}}],
               key="pvcMount", at=(platforms, kubernetes, deploymentSpec, executors, exec-train))

Env values are literal (the driver copies them; v2 templates only command and args), so the
compiler computes the launcher's path itself. A ``pvcMount`` never has ``subPath``: the field
exists only from backend 2.16.0 and older backends refuse the run (docs/kfp-v2.md#backend-versions),
so the claim's root is mounted and the path points into it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from kfdata_compiler.formats.kfpv2 import ir
from kfdata_compiler.formats.kfpv2.delivery import claim
from kfdata_compiler.formats.kfpv2.layout import shared
from kfdata_compiler.plan import Plan
from kfdata_compiler.plan.actions import Action, Inject, Rewire

PLATFORM = (ir.PLATFORM, None)
DATASETS_ANNOTATION = "kfdata.dev/datasets"
VIA = {"importer": "importer", "workspace": "workspace", "pvc": "pvcMount"}


def add_env(docs: list[Any], plan: Plan) -> Iterator[Action]:
    """``KFDATA_<N>_PATH``/``_URI``/``_VERSION`` on each bound task's executor."""
    found = shared(docs, plan)
    for use in found.uses:
        at = ("deploymentSpec", "executors", found.executor_of[use.node["name"]])
        for var in use.access.need.env:
            yield Inject((ir.PIPELINE, None), "env", dict(var), at=at)


def pvc_mount(claim_name: str, path: str) -> dict[str, Any]:
    """A ``pvcMount`` entry as kfp-kubernetes' ``mount_pvc`` writes it (with its deprecated
    ``constant`` twin), without ``subPath`` (which every 2.x backend accepts)."""
    return {"constant": claim_name, "mountPath": path,
            "pvcNameParameter": {"runtimeValue": {"constant": claim_name}}}


def add_platform(docs: list[Any], plan: Plan) -> Iterator[Action]:
    """PVC mounts and the ``kfdata.dev/datasets`` pod annotation of each bound executor."""
    found = shared(docs, plan)
    configs = ir.mapping(docs[ir.PLATFORM], *ir.PLATFORM_EXECUTORS)
    names: dict[str, list[str]] = {}
    mounts: dict[str, list[dict[str, Any]]] = {}
    for use in found.uses:
        executor = found.executor_of[use.node["name"]]
        listed = names.setdefault(executor, [])
        if use.access.dataset.name not in listed:
            listed.append(use.access.dataset.name)
        if use.delivery.mode == "pvc":
            mount = pvc_mount(claim(use.access.dataset.uri)[0], use.delivery.mount)
            wanted = mounts.setdefault(executor, [])
            if mount not in wanted:
                wanted.append(mount)
    for executor, listed in names.items():
        at = (*ir.PLATFORM_EXECUTORS, executor)
        yield Inject(PLATFORM, "pod_annotation", ",".join(listed), key=DATASETS_ANNOTATION,
                     at=at)
        if executor in mounts:
            # A clone's platform entry is its original's: its mounts are the original's too.
            original = next(u.node["executor"] for u in found.uses
                            if found.executor_of[u.node["name"]] == executor)
            kept = ir.extended(ir.mapping(configs, original), "pvcMount",
                               (*ir.PLATFORM_EXECUTORS, original), ir.PLATFORM)
            yield Rewire(PLATFORM, "platform_field", kept + mounts[executor], key="pvcMount",
                         at=at)


def add_workspace(docs: list[Any], plan: Plan) -> Iterator[Action]:
    """``pipelineConfig.workspace`` from ``kfp.workspace`` when a delivery needs one (a
    workspace the pipeline declares is kept)."""
    wanted = ir.mapping(plan.spec.kfp, "workspace")
    if not wanted or not any(u.delivery.mode == "workspace" for u in shared(docs, plan).uses):
        return
    patch = {k: wanted[k] for k in ("accessModes", "storageClassName") if k in wanted}
    value = {"kubernetes": {"pvcSpecPatch": patch}, "size": wanted["size"]}
    yield Inject(PLATFORM, "workspace", value)


def record_lineage(docs: list[Any], plan: Plan) -> Iterator[Action]:
    """``platforms.kfdata.config``: what each dataset was, how it came, who read it, and the
    spec's digest (the backend ignores this platform; the SDK keeps it when nesting)."""
    bindings: dict[str, dict[str, Any]] = {}
    for use in shared(docs, plan).uses:
        access, path = use.access, use.node["name"]
        entry = bindings.setdefault(access.dataset.name, {"uri": access.dataset.uri})
        if access.version is not None:
            entry["version"] = access.version
        if access.dataset.locked:
            entry["locked"] = True
        _add(entry, "via", VIA.get(use.delivery.mode, use.delivery.mode))
        _add(entry, "read", path)
        if access.into:
            _add(entry, "into", f"{path}:{access.into}")
    if not bindings:
        return
    for entry in bindings.values():
        for key in ("via", "read", "into"):
            if key in entry:
                entry[key] = sorted(entry[key])
    value = json.loads(json.dumps(bindings, sort_keys=True))
    yield Inject(PLATFORM, "lineage", value, key="bindings")
    yield Inject(PLATFORM, "lineage", plan.spec.sha256, key="specSha256")


def _add(entry: dict[str, Any], key: str, value: str) -> None:
    listed = entry.setdefault(key, [])
    if value not in listed:
        listed.append(value)
