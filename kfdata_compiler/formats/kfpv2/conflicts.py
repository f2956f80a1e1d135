"""What a KFP v2 binding cannot do, found before anything changes (KF601-KF609, KF615-KF618).

    read: [{dataset: reviews, path: /data}]   (s3 dataset)
    ->  KF601 "'path' cannot be set for s3 dataset 'reviews' in KFP v2: KFP's launcher puts it
        at /minio/mlpipeline/datasets/reviews"

Collisions with what a task already has (env, mounts, claims, input names) are in
:mod:`.collisions`; both are read-only, and resolve reports them with its own problems.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location, Severity
from kfdata_compiler.formats.kfpv2 import ir
from kfdata_compiler.formats.kfpv2.collisions import task_collisions
from kfdata_compiler.formats.kfpv2.delivery import OBJECT_SCHEMES, Delivery, claim, decide
from kfdata_compiler.formats.kfpv2.tasks import Tasks
from kfdata_compiler.load import Source
from kfdata_compiler.plan import Access, Target
from kfdata_compiler.spec import DataBindings

Locate = Callable[[JsonPath], Location]
WORKSPACE_AT = ("platforms", "kubernetes", "pipelineConfig", "workspace")
# Artifact types KFP treats as the step's own reports, not data to read.
METRICS = ("system.Metrics", "system.ClassificationMetrics", "system.SlicedClassificationMetrics")
MIN_WORKSPACE_KFP = (2, 15)  # the SDK maps an input's .path to the workspace copy from here
_NO_WORKSPACE = ("feed an input the step already has with 'into: <input>', or declare a "
                 "workspace: kfp: {workspace: {size: 20Gi, accessModes: [ReadWriteOnce]}} (KFP "
                 "backend 2.15 or later)")
# What GetWorkspacePVC (backend/src/v2/compiler/argocompiler/argo.go) requires of the workspace
# PVC spec once the API server's default (config Workspace.VolumeClaimTemplateSpec, unset on a
# default install) is patched with the pipeline's pvcSpecPatch: accessModes on 2.15-2.17,
# storageClassName on 2.15 and 2.16 (2.17 leaves it to the cluster's default StorageClass).


def conflicts(source: Source, targets: Sequence[Target], spec: DataBindings) -> list[Diagnostic]:
    """Every problem of the bound tasks, in plan order; then the workspace's size warning."""
    docs = source.docs
    tasks = Tasks(docs)
    platform = docs[ir.PLATFORM] if len(docs) > 1 else {}
    has_workspace = bool(ir.mapping(platform, *WORKSPACE_AT)) or "workspace" in spec.kfp
    out: list[Diagnostic] = []
    spaced = False
    for target in targets:
        node = tasks.by_path[target.node][1]
        for access in target.accesses:
            found = decide(access, node, spec)
            spaced |= found.mode == "workspace"
            out += _use_problems(access, found, node, has_workspace, spec.locate)
        out += task_collisions(source, node, target.accesses, spec)
    if spaced:
        out += _workspace_size(source, platform, spec) + _workspace_pvc(source, platform, spec)
    return out


def _use_problems(access: Access, found: Delivery, node: dict[str, Any], has_workspace: bool,
                  in_spec: Locate) -> list[Diagnostic]:
    dataset, where = access.dataset, access.use.where
    label = f"task {node['name']!r}"
    if access.mode != "read":
        return [Diagnostic("KF603", f"dataset {dataset.name!r} cannot be written from a KFP v2 "
                           "pipeline yet", in_spec(where),
                           "write it from the step's own code for now (a publish task is planned)")]
    if dataset.scheme not in (*OBJECT_SCHEMES, "pvc"):
        return [Diagnostic("KF602", f"{dataset.scheme or dataset.uri!r} datasets cannot be "
                           f"delivered to a KFP v2 pipeline yet (dataset {dataset.name!r})",
                           in_spec(where), "KFP's launcher downloads only gs://, s3:// and "
                           "minio:// URIs: copy the data to a bucket, or use a pvc:// dataset")]
    out: list[Diagnostic] = []
    if dataset.scheme in OBJECT_SCHEMES and access.use.path and not access.into:
        out.append(Diagnostic(
            "KF601", f"'path' cannot be set for {dataset.scheme} dataset {dataset.name!r} in KFP "
            f"v2: KFP's launcher puts it at {found.path}", in_spec((*where, "path")),
            f"remove 'path'; the step reads ${access.need.env[0]['name']}"))
    if found.mode == "pvc" and access.use.path and claim(dataset.uri)[1]:
        out.append(Diagnostic(
            "KF616", f"'path' cannot be set for pvc dataset {dataset.name!r} in KFP v2: its URI "
            f"names {claim(dataset.uri)[1]!r} inside the claim, and the claim is mounted whole "
            "(kfp-kubernetes' pvcMount.subPath needs backend 2.16, and 2.14/2.15 refuse the run "
            "over it)", in_spec((*where, "path")),
            f"remove 'path' (the step reads ${access.need.env[0]['name']}), or make the dataset "
            f"the claim's root: pvc://{claim(dataset.uri)[0]}"))
    if access.into:
        definition = ir.mapping(ir.input_defs(node["body"], "artifacts"), access.into)
        title = ir.artifact_type(definition).get("schemaTitle")
        if definition.get("isArtifactList"):
            out.append(Diagnostic(
                "KF605", f"input {access.into!r} of {label} is a list of artifacts: 'into' feeds "
                "one artifact", in_spec((*where, "into")), "bind a task that takes one artifact"))
        elif title in METRICS:
            out.append(Diagnostic(
                "KF606", f"input {access.into!r} of {label} is of type {title}, which a dataset "
                "cannot be", in_spec((*where, "into")),
                "feed an input of a data type (system.Dataset, system.Artifact, ...)"))
    if found.mode == "workspace" and not has_workspace:
        code, why = ("KF607", "a new read on a Python component needs a workspace (kfp's "
                     "executor refuses an input artifact its function does not declare)") \
            if found.reachable else \
            ("KF608", f"dataset {dataset.name!r} is not reachable by KFP's launcher (its store "
             "has neither kfp.ambient nor a kfp.pipelineRoot in its bucket), so it needs a "
             "workspace")
        out.append(Diagnostic(code, f"{label}: {why}", in_spec(where), _NO_WORKSPACE))
    if found.mode == "workspace" and access.into:
        version = ir.kfp_version(node["spec"])
        if version is not None and version[:2] < MIN_WORKSPACE_KFP:
            shown = ".".join(map(str, version))
            out.append(Diagnostic(
                "KF609", f"{label} installs kfp {shown}, which reads input {access.into!r} from "
                "the pipeline root, not from the workspace copy", in_spec((*where, "into")),
                "compile the component with kfp 2.15 or later, or make the dataset reachable "
                "(kfp.pipelineRoot or kfp.ambient on its store)"))
    return out


def _workspace_size(source: Source, platform: Any, spec: DataBindings) -> list[Diagnostic]:
    """KF615 (a warning) when the pipeline's own workspace is smaller than ``kfp.workspace``."""
    have = ir.mapping(platform, *WORKSPACE_AT).get("size")
    want = ir.mapping(spec.kfp, "workspace").get("size")
    if not isinstance(have, str) or not isinstance(want, str):
        return []
    have_bytes, want_bytes = _bytes(have), _bytes(want)
    if have_bytes is None or want_bytes is None or have_bytes >= want_bytes:
        return []
    return [Diagnostic("KF615", f"the pipeline's workspace is {have}, smaller than kfp.workspace's "
                       f"{want}: the pipeline's own is kept",
                       source.positions.locate((*WORKSPACE_AT, "size"), ir.PLATFORM),
                       "raise the pipeline's workspace size if the datasets do not fit",
                       Severity.WARNING)]


def _workspace_pvc(source: Source, platform: Any, spec: DataBindings) -> list[Diagnostic]:
    """KF617 when the workspace a delivery uses has no ``accessModes`` (every backend that has
    workspaces refuses the run), KF618 (a warning) when it has no ``storageClassName``."""
    own = ir.mapping(platform, *WORKSPACE_AT)
    if own:
        patch = ir.mapping(own, "kubernetes", "pvcSpecPatch")
        where = source.positions.locate(WORKSPACE_AT, ir.PLATFORM)
        whose = "the pipeline's workspace (platforms.kubernetes.pipelineConfig.workspace)"
        fix = "its pvcSpecPatch"
    elif "workspace" in spec.kfp:
        patch = ir.mapping(spec.kfp, "workspace")
        where = spec.locate(("kfp", "workspace"))
        whose, fix = "kfp.workspace", "kfp.workspace"
    else:
        return []  # no workspace at all: KF607/KF608 say so
    out: list[Diagnostic] = []
    if not patch.get("accessModes"):
        out.append(Diagnostic(
            "KF617", f"{whose} sets no accessModes: KFP backends 2.15-2.17 refuse to create the "
            "run without them ('workspace PVC spec must specify accessModes') unless the API "
            "server has a default workspace spec, which a default install has not", where,
            f"add accessModes to {fix}: [ReadWriteOnce] when the steps run on one node, "
            "[ReadWriteMany] when they may run on several"))
    if not patch.get("storageClassName"):
        out.append(Diagnostic(
            "KF618", f"{whose} sets no storageClassName: KFP backends 2.15 and 2.16 refuse to "
            "create the run without one unless the API server's default workspace spec sets "
            "it; 2.17 uses the cluster's default StorageClass", where,
            f"add storageClassName to {fix} (kubectl get storageclass)", Severity.WARNING))
    return out


_UNITS = {"": 1, "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18,
          "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}


def _bytes(quantity: str) -> float | None:
    """A Kubernetes quantity in bytes (``5Gi`` -> 5368709120.0), None when it is not one."""
    digits = quantity.rstrip("kMGTPEi")
    try:
        return float(digits) * _UNITS[quantity[len(digits):]]
    except (KeyError, ValueError):
        return None
