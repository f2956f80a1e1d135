"""What a bound template or workflow already has that the injected fragments would collide with.

    container: {env: [{name: KFDATA_REVIEWS_PATH, value: /data}]} + read reviews at /kfdata/reviews
    ->  [Diagnostic("KF305", "env var 'KFDATA_REVIEWS_PATH' already exists in template 'train' "
                    "with another value", ...)]

Read-only; resolve collects these with its own problems so the rewrite passes never meet one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from kfdata_compiler import argo
from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location

if TYPE_CHECKING:
    from kfdata_compiler.resolve import Access

Locate = Callable[[JsonPath], Location]
ARGO_DEFAULT_CONFIGMAP = "artifact-repositories"  # what Argo reads when a ref names no ConfigMap
DEFAULT = "the workflow's default repository"


def _unnamed(template: argo.Document, tname: Any, in_pipeline: Locate,
             tpath: JsonPath) -> list[Diagnostic]:
    """Entries of the lists kfdata adds to whose ``name`` is not a string: the input is broken,
    and comparing our names with it would be meaningless."""
    out = []
    key = argo.main_container_key(template)
    if key is None:
        out.append(Diagnostic(
            "KF311", f"template {tname!r} has no container mapping to bind to",
            in_pipeline(tpath), "fix the pipeline: 'container' or 'script' must be a mapping"))
        return out
    lists: list[tuple[JsonPath, list[Any]]] = [
        (("inputs", "artifacts"), argo.input_artifacts(template)),
        (("outputs", "artifacts"), argo.output_artifacts(template)),
        (("volumes",), argo.template_volumes(template)),
        (("initContainers",), argo.init_containers(template)),
        (("sidecars",), argo.sidecars(template)),
        ((key, "env"), argo.env_vars(template[key])),
        ((key, "volumeMounts"), argo.volume_mounts(template[key])),
    ]
    for where, entries in lists:
        for i, entry in enumerate(entries):
            if not isinstance(entry.get("name"), str):
                out.append(Diagnostic(
                    "KF311", f"an entry of {'.'.join(map(str, where))} in template {tname!r} has "
                    "no string name", in_pipeline((*tpath, *where, i, "name")),
                    "fix the pipeline: Argo names every entry of this list"))
    return out


def template_conflicts(doc: argo.Document, index: int, accesses: Sequence[Access],
                       in_spec: Locate, in_pipeline: Locate) -> list[Diagnostic]:
    """Paths, env vars and names we add must not collide with the template's own."""
    out: list[Diagnostic] = []
    template = argo.template_list(doc)[index]
    tpath = argo.template_path(doc, index)
    tname = template.get("name")
    container = argo.main_container(template)
    taken_paths = {str(m.get("mountPath")): "a volumeMount" for m in argo.volume_mounts(container)}
    taken_paths.update({str(a.get("path")): f"input artifact {a.get('name')!r}"
                        for a in argo.input_artifacts(template) if a.get("path")})
    taken_paths.update({str(a.get("path")): f"output artifact {a.get('name')!r}"
                        for a in argo.output_artifacts(template) if a.get("path")})
    names = {str(a.get("name"))
             for a in argo.input_artifacts(template) + argo.output_artifacts(template)}
    volumes = {str(v.get("name")) for v in argo.template_volumes(template)}
    volumes |= argo.spec_volume_names(doc)
    inits = {str(c.get("name")) for c in argo.init_containers(template) + argo.sidecars(template)}
    env = {str(e.get("name")): e for e in argo.env_vars(container)}
    out += _unnamed(template, tname, in_pipeline, tpath)

    def taken(message: str) -> None:
        out.append(Diagnostic("KF307", message, in_pipeline(tpath), "rename it; kfdata-* is ours"))

    ours: dict[str, str] = {}  # env var -> the dataset that sets it
    for access in accesses:
        where = access.use.where
        if access.into is None:
            for path, what in taken_paths.items():
                if _overlaps(access.path, path):
                    out.append(Diagnostic(
                        "KF304", f"mount path {access.path!r} of dataset {access.dataset.name!r} "
                        f"collides with {what} at {path!r} in template {tname!r}",
                        in_spec(where), "give the binding another 'path'"))
            taken_paths[access.path] = f"dataset {access.dataset.name!r}"
        fragment = access.fragment
        for art in fragment.input_artifacts + fragment.output_artifacts:
            if art["name"] in names:
                taken(f"template {tname!r} already has an artifact named {art['name']!r}")
        for vol in fragment.volumes:
            if vol["name"] in volumes:
                taken(f"volume name {vol['name']!r} is already used in template {tname!r}")
            volumes.add(vol["name"])
        for init in fragment.init_containers:
            if init["name"] in inits:
                taken(f"template {tname!r} already has a container named {init['name']!r}")
            inits.add(init["name"])
        for var in fragment.env:
            existing = env.get(var["name"])
            if existing is not None and existing != var:
                if var["name"] in ours:  # set by another dataset bound to this template
                    out.append(Diagnostic(
                        "KF305", f"env var {var['name']!r} would be set by both dataset "
                        f"{ours[var['name']]!r} and dataset {access.dataset.name!r} in template "
                        f"{tname!r}", in_spec(where), "set 'env' on one of the bindings"))
                else:
                    key = argo.main_container_key(template) or "container"
                    out.append(Diagnostic(
                        "KF305", f"env var {var['name']!r} already exists in template {tname!r} "
                        "with another value",
                        _env_location(in_pipeline, tpath, key, existing, container),
                        "remove it, or set 'env' on the binding to use another name"))
                break  # one report per dataset: its _PATH/_URI/_VERSION clash together
        for var in fragment.env:
            env[var["name"]] = dict(var)
            ours.setdefault(var["name"], access.dataset.name)
    return out


def repository_conflicts(doc: argo.Document, accesses: Sequence[Access], in_spec: Locate,
                         in_pipeline: Locate) -> list[Diagnostic]:
    """A workflow references one artifact repository: ours, and no other one.

    ``default: true`` stores (an empty reference) mean "whatever the workflow uses", so they may
    not share a workflow with a store that sets one: their keys would move to that repository.
    """
    where, existing = argo.artifact_repository_ref(doc)
    wanted: dict[str, Access] = {}
    for access in accesses:
        ref = access.fragment.artifact_repository
        if ref is not None:
            wanted.setdefault(_describe(ref), access)
    out = []
    if len(wanted) > 1:
        refs, access = list(wanted), list(wanted.values())[1]
        out.append(Diagnostic(
            "KF312", f"datasets in one workflow use two artifact repositories ({refs[0]}, "
            f"{refs[1]})", in_spec(access.use.where),
            "Argo resolves every key-only artifact of a workflow against one repository"))
    elif wanted and isinstance(existing, dict) and _describe(existing) not in wanted:
        ours = next(iter(wanted))
        if ours == DEFAULT:
            return out  # the default repository is whatever the workflow references
        out.append(Diagnostic(
            "KF312", f"the workflow already references artifact repository {_describe(existing)}, "
            f"not {ours}", in_pipeline(where),
            "bind datasets of that repository, or remove the workflow's artifactRepositoryRef"))
    return out


def _describe(ref: dict[str, Any]) -> str:
    if not ref:
        return DEFAULT
    configmap = ref.get("configMap") or ARGO_DEFAULT_CONFIGMAP
    return f"{configmap}/{ref['key']}" if ref.get("key") else f"{configmap} (its default key)"


def _env_location(in_pipeline: Locate, tpath: JsonPath, key: str, existing: dict[str, Any],
                  container: argo.Document) -> Location:
    envs = container.get("env")
    if isinstance(envs, list) and existing in envs:
        return in_pipeline((*tpath, key, "env", envs.index(existing)))
    return in_pipeline(tpath)


def _overlaps(a: str, b: str) -> bool:
    return a == b or a.startswith(b.rstrip("/") + "/") or b.startswith(a.rstrip("/") + "/")
