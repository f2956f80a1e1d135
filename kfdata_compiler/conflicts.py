"""What a bound template or workflow already has that the injected fragments would collide with.

    container: {env: [{name: KFDATA_REVIEWS_PATH, value: /data}]} + read reviews at /kfdata/reviews
    ->  [Diagnostic("KF305", "env var 'KFDATA_REVIEWS_PATH' already exists in template 'train' "
                    "with another value", ...)]

Read-only; resolve collects these with its own problems so the rewrite passes never meet one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kfdata_compiler import argo, rules_refs
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


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        if "{{" in node:
            yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _strings(value)


def _field_of(access: Access, tag: str, stores: Mapping[str, Any]) -> JsonPath:
    """The spec field a tag came from: the dataset's, its store's, or its type's."""
    dataset = access.dataset
    for name in ("uri", "version", "revision"):
        value = getattr(dataset, name)
        if isinstance(value, str) and tag in value:
            return ("datasets", dataset.name, name)
    store = stores.get(dataset.store) if dataset.store else None
    if store is not None:
        for key, value in store.config.items():
            if tag in str(value):
                return ("stores", store.name, store.kind, key)
    if dataset.type is not None:
        return ("datasets", dataset.name, "type")
    return ("datasets", dataset.name, "uri")


def reference_conflicts(doc: argo.Document, index: int, accesses: Sequence[Access],
                        stores: Mapping[str, Any], in_spec: Locate) -> list[Diagnostic]:
    """``{{...}}`` tags that a dataset brings into a template must resolve there (KF313).

    A URI ``https://h/{{inputs.parameters.day}}/x`` ends up in the step's env and artifacts;
    in a template without input parameter ``day`` Argo would refuse the workflow::

        reference_conflicts(doc, 0, [access of d on 'main'], ...)
        ->  [Diagnostic("KF313", "dataset 'd': {{inputs.parameters.day}} does not resolve in
                        template 'main': it has no input parameters", ...)]

    An ``into`` location is placed in the arguments of each task or step calling the template,
    so there it must resolve in that call's scope instead.
    """
    template = argo.template_list(doc)[index]
    tname = str(template.get("name"))
    added: dict[str, set[str]] = {"inputs.artifacts": set(), "outputs.artifacts": set()}
    for access in accesses:
        added["inputs.artifacts"].update(a["name"] for a in access.fragment.input_artifacts)
        added["outputs.artifacts"].update(a["name"] for a in access.fragment.output_artifacts)
    extra = {k: frozenset(v) for k, v in added.items()}
    out: list[Diagnostic] = []
    for access in accesses:
        fragment = access.fragment
        places: list[tuple[str, argo.Document, str | None]] = [
            (text, template, None) for text in _strings(fragment._replace(location=None))
        ]
        if fragment.location is not None:
            callers = list(argo.callers(doc, tname))
            for text in _strings(fragment.location):
                places.extend((text, caller, str(call.get("name"))) for caller, _, call in callers)
                if not callers:
                    places.append((text, template, None))
        seen: set[str] = set()
        for text, where, call in places:
            for finding in rules_refs.unresolved(text, where, call,
                                                 extra if call is None else None):
                tag, _, why = finding.message.partition(" does not resolve: ")
                kind = "task" if argo.template_type(where) == "dag" else "step"
                place = (f"{kind} {call!r} of template "
                         f"{where.get('name')!r}") if call else f"template {tname!r}"
                message = f"dataset {access.dataset.name!r}: {tag} does not resolve in {place}"
                if message in seen:
                    continue
                seen.add(message)
                out.append(Diagnostic(
                    "KF313", f"{message} ({why})",
                    in_spec(_field_of(access, tag, stores)),
                    f"template {where.get('name')!r} declares "
                    f"{rules_refs.declared_summary(where)}. A dataset's fields may use "
                    "{{workflow.*}} tags, or inputs that every template it is bound to declares"))
    return out
