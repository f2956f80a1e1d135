"""What a stock install does to a per-datum binding that the output alone cannot show.

    read images per datum, incremental          ->  KF345 warning: the controller's role
                                                     cannot create the cache ConfigMaps
    per-datum read, no --argo-version/argoVersion,
    input says kfp_sdk_version: 1.8.22          ->  KF346 warning: KFP 1.8 runs Argo 3.3.8,
                                                     which has no datum lists

- **RBAC** (KF345). Argo keeps memoize entries in ConfigMaps of the controller's own namespace
  (``NewCacheFactory(kubeclientset, namespace)``, ``workflow/controller/controller.go``;
  ``Save`` creates or updates one, ``workflow/controller/cache/configmap_cache.go``), but the
  stock roles grant only get, watch and list on ConfigMaps: Argo's
  ``manifests/cluster-install{,-no-crds}/workflow-controller-rbac/workflow-controller-clusterrole.yaml``
  and ``manifests/namespace-install/workflow-controller-rbac/workflow-controller-role.yaml``
  (v3.4.17 to v4.0.10), which KFP installs unchanged
  (``manifests/kustomize/third-party/argo/installs/{cluster,namespace}/kustomization.yaml``,
  KFP 2.14.0 to 2.17.0). Each save is then forbidden and a successful datum ends in Error.
- **The target** (KF346). Without a target the compile assumes Argo 3.7; a workflow that KFP
  SDK 1.x compiled (``pipelines.kubeflow.org/kfp_sdk_version``) most likely runs where that SDK
  ran, KFP 1.8, whose Argo lacks what the list uses. A KFP 2 backend runs v1 pipelines too, so
  the SDK does not decide the target: the compile says which it assumed, and how to say it.
"""

from __future__ import annotations

from collections.abc import Callable

from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location, Severity
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.argo import versions
from kfdata_compiler.plan import Access

Locate = Callable[[JsonPath], Location]
SDK_VERSION = "pipelines.kubeflow.org/kfp_sdk_version"
RBAC_DOC = "docs/datums.md#rbac"


def rbac_warning(read: Access, in_spec: Locate) -> Diagnostic:
    """KF345: the incremental read's cache needs create and update on ConfigMaps."""
    return Diagnostic(
        "KF345", f"incremental reads of {read.dataset.name!r} save each datum in a ConfigMap in "
        "the Argo controller's namespace, but the stock Argo and KFP controller roles grant "
        "only get, watch and list on ConfigMaps: every save is forbidden and every datum that "
        "succeeds ends in Error", in_spec((*read.use.where, "datum", "incremental")),
        "grant the controller's service account (argo) create, get and update on configmaps "
        f"in its namespace (kubeflow on KFP): the Role and RoleBinding in {RBAC_DOC}",
        Severity.WARNING)


def sdk_version(doc: argo.Document) -> str | None:
    """The KFP SDK release that compiled ``doc``, from its annotation (None: not KFP's)."""
    metadata = doc.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    found = annotations.get(SDK_VERSION) if isinstance(annotations, dict) else None
    return str(found) if isinstance(found, (str, int, float)) else None


def kfp_release(sdk: str) -> str | None:
    """The KFP release line of an SDK version: ``1.8.22`` -> ``1.8`` (None: not a version)."""
    parts = sdk.split(".")
    if len(parts) < 2 or not all(p.isdigit() for p in parts[:2]):
        return None
    return f"{parts[0]}.{parts[1]}"


def target_warning(doc: argo.Document, read: Access, given: str | None,
                   at: Locate) -> Diagnostic | None:
    """KF346: no target was given, and the SDK that compiled ``doc`` ships with an Argo the
    default target's output would fail on (None: a target was given, or nothing says so)."""
    sdk = sdk_version(doc)
    release = kfp_release(sdk) if given is None and sdk is not None else None
    bundled = dict(versions.KFP_BUNDLES).get(release) if release is not None else None
    if bundled is None or bundled >= versions.DATUMS:
        return None
    return Diagnostic(
        "KF346", f"no target Argo release is given, so Argo {versions.target(None)} is assumed; "
        f"this workflow was compiled by KFP SDK {sdk}, and KFP {release} runs Argo {bundled}, "
        f"which lacks the expr-lang functions the datum list uses (KF324 on that target)",
        at(("metadata", "annotations", SDK_VERSION)),
        f"say where it runs: --argo-version (or argoVersion: in the spec) {versions.DATUMS} or "
        "later for a KFP 2.3+ backend; on KFP 1.8 read the dataset whole (glob: /)",
        Severity.WARNING)
