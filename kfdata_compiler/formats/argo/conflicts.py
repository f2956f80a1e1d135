"""What a bound template already has that the injected needs would collide with (KF304, KF305,
KF307, KF311), read where the placement table says each slot is; with KF312 and KF313 from
their own modules, this is the format's conflict check.

    container: {env: [{name: KFDATA_REVIEWS_PATH, value: /data}]} + read reviews at /kfdata/reviews
    ->  [Diagnostic("KF305", "env var 'KFDATA_REVIEWS_PATH' already exists in template 'train' "
                    "with another value", ...)]

Read-only; resolve collects these with its own problems so the rewrite never meets one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.argo import slots
from kfdata_compiler.formats.argo.datums import datum_conflicts
from kfdata_compiler.formats.argo.references import reference_conflicts
from kfdata_compiler.formats.argo.repositories import repository_conflicts
from kfdata_compiler.load import Source
from kfdata_compiler.plan import Access, Target
from kfdata_compiler.plan.paths import walk
from kfdata_compiler.spec import DataBindings

Locate = Callable[[JsonPath], Location]
# The lists kfdata adds named entries to, as slots, in the order problems are reported.
_NAMED_SLOTS = ("input_artifact", "output_artifact", "volume", "init_container", "env",
                "volume_mount")
SIDECARS: tuple[str, ...] = ("sidecars",)


def conflicts(source: Source, targets: Sequence[Target], spec: DataBindings) -> list[Diagnostic]:
    """Every conflict of the bound templates, then of each bound workflow's repository, then
    of its per-datum reads (``datums.checks``)."""
    out: list[Diagnostic] = []
    indices: dict[int, dict[str, int]] = {}
    for target in targets:
        doc = source.docs[target.doc]
        if target.doc not in indices:
            indices[target.doc] = {str(t.get("name")): int(p[-1])
                                   for p, t in reversed(argo.located_templates(doc))}
        index = indices[target.doc][target.node]
        out += template_conflicts(doc, index, target.accesses, spec.locate,
                                  partial(source.positions.locate, doc=target.doc))
        out += reference_conflicts(doc, argo.template_list(doc)[index], target.accesses,
                                   spec.stores, spec.locate)
    for doc_index in sorted({t.doc for t in targets}):
        every = [a for t in targets if t.doc == doc_index for a in t.accesses]
        out += repository_conflicts(source.docs[doc_index], every, spec.locate,
                                    partial(source.positions.locate, doc=doc_index))
    return out + datum_conflicts(source, targets, spec)


def _entries(node: Any, path: tuple[str, ...]) -> list[argo.Document]:
    found = walk(node, path)
    return [e for e in found if isinstance(e, dict)] if isinstance(found, list) else []


def _unnamed(doc: argo.Document, template: argo.Document, tname: Any, in_pipeline: Locate,
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
    lists = [slots.slot_path(slots.SLOTS[s], template, doc) for s in _NAMED_SLOTS]
    lists.insert(4, SIDECARS)
    for where in lists:
        for i, entry in enumerate(_entries(template, where)):
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

    def taken_in(slot: str) -> list[argo.Document]:
        return _entries(template, slots.slot_path(slots.SLOTS[slot], template, doc))

    inputs, outputs = taken_in("input_artifact"), taken_in("output_artifact")
    taken_paths = {str(m.get("mountPath")): "a volumeMount" for m in taken_in("volume_mount")}
    taken_paths.update({str(a.get("path")): f"input artifact {a.get('name')!r}"
                        for a in inputs if a.get("path")})
    taken_paths.update({str(a.get("path")): f"output artifact {a.get('name')!r}"
                        for a in outputs if a.get("path")})
    paths = _Paths(taken_paths)
    names = {str(a.get("name")) for a in inputs + outputs}
    volumes = {str(v.get("name")) for v in taken_in("volume")} | argo.spec_volume_names(doc)
    # An init container must not take the name of a sidecar either: they share the pod.
    inits = {str(c.get("name")) for c in taken_in("init_container") + _entries(template, SIDECARS)}
    env = {str(e.get("name")): e for e in taken_in("env")}
    out += _unnamed(doc, template, tname, in_pipeline, tpath)

    def taken(message: str) -> None:
        out.append(Diagnostic("KF307", message, in_pipeline(tpath), "rename it; kfdata-* is ours"))

    ours: dict[str, str] = {}  # env var -> the dataset that sets it
    for access in accesses:
        where = access.use.where
        if access.into is None:
            for path, what in paths.overlapping(access.path):
                out.append(Diagnostic(
                        "KF304", f"mount path {access.path!r} of dataset {access.dataset.name!r} "
                        f"collides with {what} at {path!r} in template {tname!r}",
                    in_spec(where), "give the binding another 'path'"))
            paths.add(access.path, f"dataset {access.dataset.name!r}")
        need = access.need
        for art in need.input_artifacts + need.output_artifacts:
            if art["name"] in names:
                taken(f"template {tname!r} already has an artifact named {art['name']!r}")
        for vol in need.volumes:
            if vol["name"] in volumes:
                taken(f"volume name {vol['name']!r} is already used in template {tname!r}")
            volumes.add(vol["name"])
        for init in need.init_containers:
            if init["name"] in inits:
                taken(f"template {tname!r} already has a container named {init['name']!r}")
            inits.add(init["name"])
        for var in need.env:
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
        for var in need.env:
            env[var["name"]] = dict(var)
            ours.setdefault(var["name"], access.dataset.name)
    return out


def _env_location(in_pipeline: Locate, tpath: JsonPath, key: str, existing: dict[str, Any],
                  container: argo.Document) -> Location:
    envs = container.get("env")
    if isinstance(envs, list) and existing in envs:
        return in_pipeline((*tpath, key, "env", envs.index(existing)))
    return in_pipeline(tpath)


def _overlaps(a: str, b: str) -> bool:
    return a == b or a.startswith(b.rstrip("/") + "/") or b.startswith(a.rstrip("/") + "/")


def _ancestors(path: str) -> list[str]:
    """``path`` without trailing slashes and each of its parents: ``/a/b`` -> "", /a, /a/b."""
    key = path.rstrip("/")
    return [key[:i] for i, c in enumerate(key) if c == "/"] + [key]


class _Paths:
    """Taken paths, indexed by each of their parents: a path's overlaps (``_overlaps``) are
    found in time linear in its depth, not in the number taken (one step reading 3,200
    datasets compared every pair of mount paths)."""

    def __init__(self, taken: dict[str, str]) -> None:
        self.what: dict[str, str] = {}  # path -> what takes it, in the order taken
        self.order: dict[str, int] = {}
        self.at: dict[str, list[str]] = {}  # a path without trailing slashes -> paths
        self.under: dict[str, list[str]] = {}  # a parent -> the paths below or at it
        for path, what in taken.items():
            self.add(path, what)

    def add(self, path: str, what: str) -> None:
        """Take ``path`` (again: ``what`` is updated, its place kept)."""
        if path not in self.what:
            self.order[path] = len(self.order)
            self.at.setdefault(path.rstrip("/"), []).append(path)
            for parent in _ancestors(path):
                self.under.setdefault(parent, []).append(path)
        self.what[path] = what

    def overlapping(self, path: str) -> list[tuple[str, str]]:
        """The taken paths ``path`` is, is inside or holds, in the order they were taken."""
        found = {p for parent in _ancestors(path) for p in self.at.get(parent, ())}
        found.update(self.under.get(path.rstrip("/"), ()))
        return [(p, self.what[p]) for p in sorted(found, key=self.order.__getitem__)
                if _overlaps(path, p)]
