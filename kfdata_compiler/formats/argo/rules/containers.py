"""Container rules: mounts name volumes, paths do not collide, env names, Argo's reserved names.

    container: {volumeMounts: [{name: data, mountPath: /data}]}     (no volume 'data' anywhere)
    ->  KF410 "volumeMount 'data' of container 'main' names no volume" at container.volumeMounts[0]
"""

from __future__ import annotations

from collections.abc import Iterator

from kfdata_compiler import lazy
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.argo.paths import Document
from kfdata_compiler.formats.argo.rules.findings import Context, Finding

# Kubernetes IsEnvVarName, the classic rule (relaxed only from Kubernetes 1.34 on).
ENV_NAME = lazy.compile(r"[-._a-zA-Z][-._a-zA-Z0-9]*")
# Argo's executor adds containers and volumes with these names to every pod.
RESERVED_CONTAINERS = frozenset({"init", "wait", "main"})
RESERVED_VOLUMES = frozenset({"var-run-argo", "tmp-dir-argo", "input-artifacts", "argo-staging"})


def _name(node: Document) -> str:
    # Names of the wrong type never match (the schema reports them); "" is no Argo name.
    name = node.get("name")
    return name if isinstance(name, str) else ""


def _label(container: Document, role: str) -> str:
    return "main" if role == "main" else str(container.get("name"))


def mounts_and_paths(template: Document, ctx: Context) -> Iterator[Finding]:
    """KF410: every volumeMount names a declared volume; KF409: no path is used twice.

    In a WorkflowTemplate the calling Workflow may declare the volume: KF410 cannot tell there.

    Input artifacts are placed into the main container, so their paths may equal neither a
    mount nor each other. An output artifact may sit on a mount: that is how a volume's data
    is collected.
    """
    volumes = None if ctx.spec_volumes is None else (
        {_name(v) for _, v in argo.located(template, ("volumes",))} | ctx.spec_volumes)
    for path, container, role in argo.located_containers(template):
        label = _label(container, role)
        used: dict[str, str] = {}
        for where, mount in argo.located(container, ("volumeMounts",)):
            name = mount.get("name")
            if volumes is not None and _name(mount) not in volumes:
                yield Finding("KF410", f"volumeMount {name!r} of container {label!r} names no "
                              "volume", (*path, *where, "name"),
                              "declare it in the template's or the workflow's volumes")
            at = mount.get("mountPath")
            if not isinstance(at, str):
                continue
            if at in used:
                yield Finding("KF409", f"{at!r} is mounted twice in container {label!r}",
                              (*path, *where, "mountPath"))
            used[at] = "mount"
        if role != "main":
            continue
        for where, art in argo.located(template, argo.ARTIFACT_LISTS[0]):
            at = art.get("path")
            if not isinstance(at, str) or not at:
                continue
            if at in used:
                what = "a volumeMount" if used[at] == "mount" else "another input artifact"
                yield Finding("KF409", f"input artifact {art.get('name')!r} is placed at {at!r}, "
                              f"which {what} already uses", (*where, "path"))
            used[at] = "input"


def env_names(template: Document, ctx: Context) -> Iterator[Finding]:
    """KF411: env var names are valid; KF412: unique per container.

        container: {env: [{name: A}, {name: A}]}  ->  KF412 at container.env[1].name
    """
    for path, container, role in argo.located_containers(template):
        seen: set[str] = set()
        for where, var in argo.located(container, ("env",)):
            name = var.get("name")
            if not isinstance(name, str) or not ENV_NAME.fullmatch(name):
                yield Finding("KF411", f"env var name {name!r} is not valid",
                              (*path, *where, "name"),
                              "use letters, digits, '_', '-' and '.', not starting with a digit")
            elif name in seen:
                yield Finding("KF412", f"env var {name!r} appears twice in container "
                              f"{_label(container, role)!r}", (*path, *where, "name"))
            else:
                seen.add(name)


def reserved_names(template: Document, ctx: Context) -> Iterator[Finding]:
    """KF413: containers and volumes do not take the names Argo gives its own.

        sidecars: [{name: wait, ...}]  ->  KF413 "container name 'wait' is reserved by Argo"
    """
    for path, container, role in argo.located_containers(template):
        name = _name(container)
        # A container set names its own main container "main"; elsewhere Argo adds it.
        reserved = RESERVED_CONTAINERS - {"main"} if role == "set" else RESERVED_CONTAINERS
        if role != "main" and name in reserved:
            yield Finding("KF413", f"container name {name!r} is reserved by Argo",
                          (*path, "name"))
    for path, volume in argo.located(template, ("volumes",)):
        yield from _reserved_volume(volume, path)


def _reserved_volume(volume: Document, path: tuple[str | int, ...]) -> Iterator[Finding]:
    if _name(volume) in RESERVED_VOLUMES:
        yield Finding("KF413", f"volume name {volume.get('name')!r} is reserved by Argo",
                      (*path, "name"))


def workflow_volumes(doc: Document) -> Iterator[Finding]:
    """KF413 on the workflow-level volumes."""
    for path, volume in argo.located(doc, argo.spec_volumes_path(doc)):
        yield from _reserved_volume(volume, path)
