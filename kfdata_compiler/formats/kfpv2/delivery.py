"""How one dataset reaches one KFP v2 task: an importer, the workspace, or a PVC mount.

    dataset               into: <input>                     new read
    s3/gs, reachable      importer -> that input            container: importer -> kfdata_<name>
                                                            Python: workspace
    s3/gs, not reachable  workspace importer -> that input  workspace
    pvc://claim/sub       (refused)                         pvcMount of the claim's root

A ``pvc://claim/sub`` dataset mounts the whole claim (at the binding's ``path`` or
``/kfdata/<name>``) and points ``KFDATA_<N>_PATH`` at ``sub`` inside it: kfp-kubernetes'
``PvcMount.sub_path`` exists only from backend 2.16.0, and 2.14/2.15 refuse run creation over it
(``argocompiler/container.go`` ``containerTask``, strict ``protojson.Unmarshal``)::

    decide(access(holdout: pvc://holdout-claim/sets/2024), train, spec)
    ->  Delivery("pvc", path="/kfdata/holdout/sets/2024", mount="/kfdata/holdout")

*Reachable* means KFP's launcher can read it with no credential in the step: the store has
``kfp.ambient``, or ``kfp.pipelineRoot`` and the dataset is in the root's bucket (its URI then
takes the root's scheme, so that the launcher reuses the root's session)::

    decide(access(reviews: s3://mlpipeline/datasets/r, store minio (root minio://mlpipeline/...)),
           evaluate (container), spec)
    ->  Delivery("importer", None, "minio://mlpipeline/datasets/r",
                 "/minio/mlpipeline/datasets/r", "kfdata_reviews")
"""

from __future__ import annotations

from typing import Any, NamedTuple

from kfdata_compiler.drivers.need import Need, env_vars, volume_mount
from kfdata_compiler.formats.kfpv2 import ir, launcher
from kfdata_compiler.plan import Access
from kfdata_compiler.spec import DataBindings, Dataset, Store

OBJECT_SCHEMES = ("s3", "gs")
DEFAULT_ROOT = "/kfdata"
# Which pipeline-root schemes share buckets with which dataset schemes.
_FAMILY = {"s3": ("s3", "minio"), "gs": ("gs",)}


class Delivery(NamedTuple):
    """``mode``: ``importer``, ``workspace``, ``pvc`` or ``none`` (refused: conflicts say why);
    ``into`` the input fed, ``uri`` the importer's, ``path`` the step's ``KFDATA_*_PATH``,
    ``input`` the new input artifact of an importer read without ``into``; ``reachable``
    whether the launcher reads the URI on its own; ``mount`` the ``mountPath`` of a pvc
    delivery (the claim's root: ``path`` is below it by the URI's sub path)."""

    mode: str
    into: str | None = None
    uri: str | None = None
    path: str = ""
    input: str | None = None
    reachable: bool = False
    mount: str = ""


def ident(name: str) -> str:
    """A dataset name as a KFP input name: ``eval-code`` -> ``eval_code``."""
    return name.replace("-", "_")


def input_name(dataset: str, suffix: str = "") -> str:
    """``kfdata_<name>`` (the new input artifact), or with ``_path``/``_uri``/``_version``."""
    return f"kfdata_{ident(dataset)}{suffix}"


def launcher_uri(dataset: Dataset, store: Store | None) -> tuple[str, bool]:
    """The URI an importer should carry, and whether the launcher reaches it on its own.

    >>> launcher_uri(Dataset("r", "s3://mlpipeline/x"),
    ...              Store("minio", "s3", {}, {"pipelineRoot": "minio://mlpipeline/v2"}))
    ('minio://mlpipeline/x', True)
    """
    kfp = store.kfp if store is not None else {}
    if kfp.get("ambient") is True:
        return dataset.uri, True
    root = kfp.get("pipelineRoot")
    if isinstance(root, str) and launcher.bucket(root) == launcher.bucket(dataset.uri):
        if launcher.scheme(root) in _FAMILY.get(dataset.scheme, ()):
            return launcher.with_scheme(dataset.uri, launcher.scheme(root)), True
    return dataset.uri, False


def decide(access: Access, node: dict[str, Any], spec: DataBindings) -> Delivery:
    """The delivery of one access on one task (see the module's table)."""
    dataset = access.dataset
    if access.mode != "read":
        return Delivery("none")
    if dataset.scheme == "pvc":
        if access.into:
            return Delivery("none")
        mount = access.use.path or f"{DEFAULT_ROOT}/{dataset.name}"
        sub = claim(dataset.uri)[1]
        return Delivery("pvc", path=f"{mount}/{sub}" if sub else mount, mount=mount)
    if dataset.scheme not in OBJECT_SCHEMES:
        return Delivery("none")
    store = spec.stores.get(dataset.store) if dataset.store else None
    uri, reachable = launcher_uri(dataset, store)
    if access.into:
        if reachable:
            return Delivery("importer", access.into, uri, launcher.local_path(uri), None, True)
        return Delivery("workspace", access.into, uri, launcher.workspace_path(uri))
    if reachable and not ir.is_python(node.get("spec")):
        return Delivery("importer", None, uri, launcher.local_path(uri), input_name(dataset.name),
                        True)
    return Delivery("workspace", None, uri, launcher.workspace_path(uri), None, reachable)


def claim(uri: str) -> tuple[str, str]:
    """``pvc://claim/sub/path`` -> ``("claim", "sub/path")``."""
    name, _, sub = uri.partition("://")[2].partition("/")
    return name, sub.strip("/")


def deliver(access: Access, node: dict[str, Any], spec: DataBindings) -> Access:
    """The access with the path and env its delivery gives, and a need ``explain`` reads."""
    found = decide(access, node, spec)
    if found.mode == "none":
        return access
    env = env_vars(access.stem, found.path, access.dataset.uri, access.version)
    if found.mode == "pvc":
        name = claim(access.dataset.uri)[0]
        need = Need(volumes=({"name": name},), mounts=(volume_mount(name, found.mount, False),),
                    env=env)
    else:
        fed = found.into or found.input or input_name(access.dataset.name, "_path")
        # "via": what explain calls it, as the lineage does (a workspace read is no artifact).
        need = Need(input_artifacts=({"name": fed, "path": found.path, "via": found.mode},),
                    env=env)
    return access._replace(path=found.path, need=need)
