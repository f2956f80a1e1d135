"""Resolve the sidecar's bindings against the pipeline: which template gets what, and why not.

    bindings: [{step: "Train model", read: [reviews]}]  +  templates: [{name: train-model, ...}]
    ->  Plan(targets=(Target(doc=0, template='train-model', accesses=(Access(reviews, ...),)),))

Every problem is collected (unknown datasets, steps matching nothing, non-leaf templates,
paths or names that collide with what the template already has) and raised together as one
``ResolveError``, so the rewrite passes that follow never meet a conflict.
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

from kfdata_compiler import argo, conflicts, kfpv1
from kfdata_compiler.diagnostics import Diagnostic, JsonPath, did_you_mean
from kfdata_compiler.drivers import SCHEMES, Driver, Registry, Request, registry
from kfdata_compiler.errors import ResolveError
from kfdata_compiler.fragments import Fragment, env_vars
from kfdata_compiler.load import Source
from kfdata_compiler.mountpaths import mount_problem
from kfdata_compiler.selection import Templates, ambiguities, step_names
from kfdata_compiler.spec import DataBindings, Dataset, Use, env_stem

DEFAULT_ROOT = "/kfdata"
# Paths a dataset must not be mounted at or under: Argo's executor and kernel filesystems.
# Paths a dataset must not be mounted at or under: Argo's executor, the service-account token,
# kernel filesystems and the image's own binaries, libraries and configuration (CA bundles).
_WHY_NO_WRITE = (
    "\nits init container runs before the step, and Argo runs nothing after the step in the "
    "same pod: write to an s3, lakefs or pachyderm dataset (the step's output artifact)"
)


class Access(NamedTuple):
    """One dataset used by one template: where it appears and what is injected for it."""

    dataset: Dataset
    mode: str
    path: str
    stem: str
    version: str | None
    into: str | None
    fragment: Fragment
    use: Use


class Target(NamedTuple):
    """A bound template (by document index and name) and its dataset accesses."""

    doc: int
    template: str
    accesses: tuple[Access, ...]


class Plan(NamedTuple):
    """Everything the rewrite passes need, checked: the spec and the bound templates."""

    spec: DataBindings
    targets: tuple[Target, ...]


def artifact_name(dataset: str) -> str:
    """The injected artifact/volume name for a dataset: ``kfdata-<dataset>``."""
    return f"kfdata-{dataset}"


class _Collector:
    def __init__(self, source: Source, spec: DataBindings) -> None:
        self.source, self.spec = source, spec
        self.problems: list[Diagnostic] = []

    def in_spec(self, code: str, message: str, path: JsonPath, hint: str = "") -> None:
        found = Diagnostic(code, message, self.spec.locate(path), hint)
        if found not in self.problems:  # one dataset's problem, met by each of its uses
            self.problems.append(found)


def resolve(source: Source, spec: DataBindings) -> Plan:
    """Bind the spec to the pipeline's templates; ``ResolveError`` lists every problem found."""
    out = _Collector(source, spec)
    usable = _check_datasets(spec, registry(spec.types), out)
    templates = Templates(source.docs)
    accesses: dict[tuple[int, int], list[Access]] = {}
    chosen = [(binding, list(templates.select(binding.step))) for binding in spec.bindings]
    ambiguous = _ambiguous(source, {d for _, matched in chosen for d, _, _ in matched}, out)
    for binding, matched in chosen:
        selected = [s for s in matched if s[0] not in ambiguous]
        if not selected:
            if matched:
                continue  # the document's duplicate names were reported instead
            names = sorted({n for d in source.docs if argo.is_workflow(d) for n in step_names(d)})
            hint = did_you_mean(binding.step, names) or ""
            out.in_spec(
                "KF302",
                f"step {binding.step!r} matches no template",
                (*binding.where, "step"),
                (hint + "\n" if hint else "") + "available steps: " + ", ".join(names),
            )
            continue
        for doc_index, index, template in selected:
            kind = argo.template_type(template)
            if kind not in argo.LEAF_TYPES:
                out.in_spec(
                    "KF303",
                    f"step {binding.step!r} selects {kind or 'an empty'} "
                    f"template {template.get('name')!r}; only container and script "
                    "templates run code",
                    (*binding.where, "step"),
                    "bind the step that reads the data, not its DAG",
                )
                continue
            for use in binding.uses:
                access = _access(use, usable, source.docs[doc_index], template, out)
                if access is not None:
                    _add(accesses.setdefault((doc_index, index), []), access, template, out)
    targets = []
    for (doc_index, index), found in sorted(accesses.items()):
        doc = source.docs[doc_index]
        out.problems.extend(
            conflicts.template_conflicts(
                doc, index, found, spec.locate, partial(source.positions.locate, doc=doc_index)
            )
        )
        out.problems.extend(
            conflicts.reference_conflicts(doc, index, found, spec.stores, spec.locate)
        )
        targets.append(Target(doc_index, str(argo.template_list(doc)[index]["name"]), tuple(found)))
    for doc_index in sorted({t.doc for t in targets}):
        every = [a for t in targets if t.doc == doc_index for a in t.accesses]
        out.problems.extend(
            conflicts.repository_conflicts(
                source.docs[doc_index],
                every,
                spec.locate,
                partial(source.positions.locate, doc=doc_index),
            )
        )
    if out.problems:
        raise ResolveError(out.problems)
    return Plan(spec, tuple(targets))


def _ambiguous(source: Source, bound: set[int], out: _Collector) -> set[int]:
    """The bound documents whose duplicate names make binding ambiguous (KF402 each)."""
    found = set()
    for doc_index in sorted(bound):
        for finding in ambiguities(source.docs[doc_index]):
            found.add(doc_index)
            out.problems.append(Diagnostic(
                "KF402", f"{finding.message}: kfdata-compile cannot tell which one to bind",
                source.positions.locate(finding.path, doc_index),
                "fix the pipeline: Argo requires these names to be unique (kfdata-compile lint "
                "lists every such problem)"))
    return found


def _check_datasets(spec: DataBindings, drivers: Registry, out: _Collector) -> dict[str, Driver]:
    """Check every dataset (bound or not) against its driver and store; return the usable ones."""
    usable = {}
    for name, dataset in spec.datasets.items():
        where = ("datasets", name)
        driver = drivers.driver_for(dataset)
        if driver is None and dataset.type is not None:
            out.in_spec(
                "KF204",
                f"dataset {name!r}: unknown type {dataset.type!r}",
                (*where, "type"),
                did_you_mean(dataset.type, drivers.kinds) or "types: " + ", ".join(drivers.kinds),
            )
            continue
        if driver is None:
            schemes = ", ".join(f"{s}://" for s in sorted(SCHEMES))
            types = ", ".join(f"{s}://" for s in sorted(drivers.types))
            out.in_spec(
                "KF204",
                f"dataset {name!r}: unsupported URI scheme {dataset.scheme or dataset.uri!r}",
                (*where, "uri"),
                f"use one of {schemes}; a type's name ({types}); or set 'type:'",
            )
            continue
        problems = driver.check(dataset)
        for p in problems:
            out.in_spec(p.code, f"dataset {name!r}: {p.message}", (*where, p.field), p.hint)
        if _check_store(name, dataset, driver, spec, out) and not problems:
            usable[name] = driver
    return usable


def _check_store(
    name: str, dataset: Dataset, driver: Driver, spec: DataBindings, out: _Collector
) -> bool:
    where = ("datasets", name)
    kinds = sorted({s.kind for s in spec.stores.values()})
    if dataset.store is None:
        if driver.store_required:
            candidates = [s for s, store in spec.stores.items() if store.kind == driver.store_kind]
            out.in_spec(
                "KF205",
                f"dataset {name!r} needs a store of kind {driver.store_kind!r}",
                where,
                f"add store: {candidates[0]}"
                if candidates
                else f"declare one under stores: (e.g. minio: {{{driver.store_kind}: {{...}}}})",
            )
            return False
        return True
    store = spec.stores.get(dataset.store)
    if store is None:
        out.in_spec(
            "KF205",
            f"dataset {name!r} names store {dataset.store!r}, which is not declared",
            (*where, "store"),
            did_you_mean(dataset.store, list(spec.stores))
            or f"declared stores: {', '.join(spec.stores) or 'none'} ({', '.join(kinds)})",
        )
        return False
    if driver.store_kind is None or store.kind != driver.store_kind:
        wanted = f"a {driver.store_kind!r} store" if driver.store_kind else "no store"
        out.in_spec(
            "KF206",
            f"dataset {name!r} ({dataset.scheme}://) needs {wanted}, but store "
            f"{store.name!r} is {store.kind!r}",
            (*where, "store"),
        )
        return False
    return True


def _into_artifact(template: argo.Document, name: str) -> argo.Document | None:
    inputs = argo.input_artifacts(template)
    found = next((a for a in inputs if a.get("name") == name), None)
    if found is None:
        # A KFP v1 input name: the artifact KFP placed at /tmp/inputs/<name>/data.
        found = next((a for a in inputs if a.get("path") == kfpv1.kfp_input_path(name)), None)
    return found


def _access(
    use: Use,
    usable: dict[str, Driver],
    doc: argo.Document,
    template: argo.Document,
    out: _Collector,
) -> Access | None:
    dataset = out.spec.datasets.get(use.dataset)
    if dataset is None:
        out.in_spec(
            "KF301",
            f"unknown dataset {use.dataset!r}",
            use.where,
            did_you_mean(use.dataset, list(out.spec.datasets))
            or f"declared datasets: {', '.join(out.spec.datasets) or 'none'}",
        )
        return None
    driver = usable.get(use.dataset)
    if driver is None:
        return None  # already reported on the dataset itself
    mode = "into" if use.into else use.mode
    if use.into and use.mode == "write":
        out.in_spec(
            "KF310", "'into' feeds an input artifact; it cannot be used under write", use.where
        )
        return None
    if mode not in driver.modes:
        out.in_spec(
            "KF308",
            f"dataset {dataset.name!r} ({driver.kind}) cannot be used for {mode}",
            use.where,
            f"{driver.kind} datasets support: {', '.join(sorted(driver.modes))}"
            + (_WHY_NO_WRITE if mode == "write" and driver.kind in out.spec.types else ""),
        )
        return None
    name = artifact_name(dataset.name)
    store = out.spec.stores.get(dataset.store) if dataset.store else None
    refused = driver.check_use(dataset, store, mode)
    for p in refused:
        where = use.where if p.at_use else ("datasets", dataset.name, p.field)
        out.in_spec(p.code, p.message, where, p.hint)
    if refused:
        return None
    if use.into:
        if use.path:
            out.in_spec(
                "KF310",
                "'into' and 'path' cannot be combined: the data lands where the "
                "input artifact's path already is",
                (*use.where, "path"),
            )
            return None
        target = _into_artifact(template, use.into)
        if target is None or not isinstance(target.get("path"), str):
            names = [str(a.get("name")) for a in argo.input_artifacts(template)]
            out.in_spec(
                "KF306",
                f"template {template.get('name')!r} has no input artifact {use.into!r}",
                (*use.where, "into"),
                did_you_mean(use.into, names)
                or f"its input artifacts: {', '.join(names) or 'none'}",
            )
            return None
        path = str(target["path"])
        fragment = driver.build(Request(dataset, store, "read", path, str(target["name"]), True))
        into: str | None = str(target["name"])
    else:
        path = use.path or f"{DEFAULT_ROOT}/{dataset.name}"
        problem = mount_problem(path)
        if problem:
            out.in_spec(
                "KF207",
                f"mount path {path!r} {problem}",
                (*use.where, "path") if use.path else use.where,
                "use an absolute path such as /data/<name>",
            )
            return None
        fragment = driver.build(Request(dataset, store, use.mode, path, name))
        into = None
    version = driver.version(dataset)
    stem = use.env or env_stem(dataset.name)
    fragment = fragment._replace(env=env_vars(stem, path, dataset.uri, version))
    return Access(dataset, use.mode, path, stem, version, into, fragment, use)


def _add(found: list[Access], new: Access, template: argo.Document, out: _Collector) -> None:
    """Add an access to a template's list; an identical repeat (two globs) is merged."""
    for old in found:
        if old.dataset.name == new.dataset.name and old.mode == new.mode:
            if (old.path, old.stem, old.into) != (new.path, new.stem, new.into):
                out.in_spec(
                    "KF309",
                    f"dataset {new.dataset.name!r} is bound to template "
                    f"{template.get('name')!r} twice with different settings",
                    new.use.where,
                    "keep one binding for it, or make them identical",
                )
            return
    found.append(new)


__all__ = ["Access", "Plan", "Target", "artifact_name", "resolve"]
