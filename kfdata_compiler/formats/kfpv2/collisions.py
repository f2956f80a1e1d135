"""What a bound KFP v2 task already has that its datasets would collide with (KF610-KF614).

    exec-train: {container: {env: [{name: KFDATA_REVIEWS_PATH, value: /data}]}} + read reviews
    ->  KF613 "env var 'KFDATA_REVIEWS_PATH' is already set in executor 'exec-train' to another
        value"

KFP names a PVC's volume after its claim (the driver), so one claim mounted twice in a pod is a
duplicate volume; the launcher owns ``/gcs``, ``/s3``, ``/minio``, ``/oci``, ``/kfp-launcher``
and the workspace ``/kfp-workspace``, and the SDK's executor writes under ``/.local`` and
``/.cache``; the driver adds volumes named ``kfp-launcher``, ``kfp-workspace`` and
``<x>-scratch``, so no claim may be called so.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kfdata_compiler.diagnostics import Diagnostic, JsonPath
from kfdata_compiler.formats.kfpv2 import ir
from kfdata_compiler.formats.kfpv2.delivery import claim, decide, input_name
from kfdata_compiler.load import Source
from kfdata_compiler.plan import Access
from kfdata_compiler.spec import DataBindings

RESERVED_MOUNTS = ("/gcs", "/s3", "/minio", "/oci", "/kfp-launcher", "/kfp-workspace", "/.local",
                   "/.cache", "/.config")
RESERVED_CLAIMS = ("kfp-launcher", "kfp-workspace")
# kfp-kubernetes fields that mount something at a mountPath.
_MOUNTS = ("pvcMount", "secretAsVolume", "configMapAsVolume", "emptyDirMounts",
           "genericEphemeralVolume")


def _entries(config: Any, key: str) -> list[dict[str, Any]]:
    """The mappings of a kfp-kubernetes list field (anything else in it is not ours to read)."""
    found = config.get(key) if isinstance(config, dict) else None
    return [m for m in found if isinstance(m, dict)] if isinstance(found, list) else []


def _claim_of(mount: dict[str, Any]) -> str | None:
    """The claim a ``pvcMount`` entry names as a constant (either spelling)."""
    found = ir.mapping(mount, "pvcNameParameter", "runtimeValue").get("constant")
    found = found if isinstance(found, str) else mount.get("constant")
    return found if isinstance(found, str) else None


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def task_collisions(source: Source, node: dict[str, Any], accesses: Sequence[Access],
                    spec: DataBindings) -> list[Diagnostic]:
    """Env, mount, claim and input-name collisions of one bound task."""
    out: list[Diagnostic] = []
    executor = str(node.get("executor"))
    platform = source.docs[ir.PLATFORM] if len(source.docs) > 1 else {}
    config = ir.mapping(platform, *ir.PLATFORM_EXECUTORS, executor)
    exec_at: JsonPath = ("deploymentSpec", "executors", executor, "container", "env")
    env = ir.container(node["spec"]).get("env")
    existing = {str(e.get("name")): (i, e) for i, e in enumerate(env if isinstance(env, list)
                                                                  else []) if isinstance(e, dict)}
    claims = {c for m in _entries(config, "pvcMount") if (c := _claim_of(m))}
    mounts = {str(m.get("mountPath")) for key in _MOUNTS for m in _entries(config, key)
              if m.get("mountPath")}
    taken = {*ir.input_defs(node["body"], "artifacts"), *ir.input_defs(node["body"], "parameters")}
    ours: dict[str, str] = {}
    label = f"task {node['name']!r}"
    for access in accesses:
        where, name = access.use.where, access.dataset.name
        found = decide(access, node, spec)
        for var in access.need.env:
            old = existing.get(var["name"])
            if var["name"] in ours and ours[var["name"]] != name:
                out.append(Diagnostic("KF613", f"env var {var['name']!r} would be set by both "
                                      f"dataset {ours[var['name']]!r} and dataset {name!r} in "
                                      f"{label}", spec.locate(where),
                                      "set 'env' on one of the bindings"))
                break
            if old is not None and old[1].get("value") != var["value"]:
                out.append(Diagnostic(
                    "KF613", f"env var {var['name']!r} is already set in executor {executor!r} "
                    "to another value", source.positions.locate((*exec_at, old[0]), ir.PIPELINE),
                    "remove it, or set 'env' on the binding to use another name"))
                break
        for var in access.need.env:
            ours.setdefault(var["name"], name)
        wanted = {found.input} if found.input else set()
        if found.mode in ("workspace", "pvc"):
            wanted |= {input_name(name, s) for s in ("_uri", "_version")}
        if found.mode == "workspace":
            wanted.add(input_name(name, "_path"))
        for clash in sorted(wanted & taken):
            out.append(Diagnostic("KF614", f"{label} already has an input named {clash!r}",
                                  spec.locate(where), "rename that input; kfdata_* is ours"))
        if found.mode != "pvc":
            continue
        claim_name, _ = claim(access.dataset.uri)
        if claim_name in RESERVED_CLAIMS or claim_name.endswith("-scratch"):
            out.append(Diagnostic("KF612", f"claim {claim_name!r} of dataset {name!r} has a name "
                                  "KFP gives its own volumes", spec.locate((*where,)),
                                  "KFP names volumes kfp-launcher, kfp-workspace and <x>-scratch: "
                                  "rename the claim"))
        if claim_name in claims:
            out.append(Diagnostic("KF610", f"claim {claim_name!r} is mounted twice in executor "
                                  f"{executor!r} (dataset {name!r})", spec.locate(where),
                                  "KFP names the volume after the claim: mount it once, and bind "
                                  "the dataset to a path inside that mount instead"))
        claims.add(claim_name)
        bad = next((r for r in RESERVED_MOUNTS if _under(found.mount, r)), None)
        if bad is not None or any(_under(found.mount, m) or _under(m, found.mount)
                                  for m in mounts):
            what = f"KFP's own {bad}" if bad else "a mount the task already has"
            out.append(Diagnostic("KF611", f"mount path {found.mount!r} of dataset {name!r} "
                                  f"collides with {what} in {label}",
                                  spec.locate((*where, "path") if access.use.path else where),
                                  "give the binding another 'path'"))
        mounts.add(found.mount)
    return out
