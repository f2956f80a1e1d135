"""Every dataset of the spec against its driver and its store, bound or not.

    datasets: {reviews: {uri: s3://datasets/reviews}}     (no store)
    ->  KF205 "dataset 'reviews' needs a store of kind 's3'"  hint: "add store: minio"

A dataset whose type was left out of the spec for its own problems is left out too, silently:
its type's problem is the one to fix. One whose store was left out still has its URI checked
(a problem of its own), not its store; one left out for a problem of its own (``version: 3``)
has its sound fields checked (``spec/remnants.py``), and is never usable.
"""

from __future__ import annotations

from kfdata_compiler.diagnostics import did_you_mean
from kfdata_compiler.drivers import S3_CLIENT_KINDS, SCHEMES, Registry
from kfdata_compiler.drivers.base import Driver, refusals
from kfdata_compiler.resolve.collector import Collector
from kfdata_compiler.spec import DataBindings, Dataset


def check_datasets(spec: DataBindings, drivers: Registry, out: Collector) -> dict[str, Driver]:
    """Check every dataset (bound or not) against its driver and store; return the usable ones."""
    usable = {}
    remnants = spec.remnants
    for name, dataset in [*spec.datasets.items(), *remnants.datasets.items()]:
        where = ("datasets", name)
        dropped = remnants.dropped.get(name, frozenset()) if name in remnants.datasets else None
        if _type_left_out(dataset, spec):
            continue
        driver = drivers.driver_for(dataset)
        if driver is None and dataset.type is not None:
            out.in_spec(
                "KF204",
                f"dataset {name!r}: unknown type {dataset.type!r}",
                (*where, "type"),
                did_you_mean(dataset.type, [*drivers.kinds, *spec.declared("types")])
                or "types: " + ", ".join(drivers.kinds),
            )
            continue
        if driver is None:
            schemes = ", ".join(f"{s}://" for s in sorted(SCHEMES))
            types = ", ".join(f"{s}://" for s in sorted(drivers.types))
            hint = f"use one of {schemes}; a type's name ({types}); or set 'type:'"
            if not dataset.scheme:  # a bucket path written without s3:// is the usual slip
                message = f"dataset {name!r}: URI {dataset.uri!r} has no scheme"
                hint = f"did you mean 's3://{dataset.uri.lstrip('/')}'? or {hint}"
            else:
                message = f"dataset {name!r}: unsupported URI scheme {dataset.scheme!r}"
            out.in_spec("KF204", message, (*where, "uri"), hint)
            continue
        problems = [p for p in driver.check(dataset) if p.field not in (dropped or ())]
        for p in problems:
            out.in_spec(p.code, f"dataset {name!r}: {p.message}", (*where, p.field), p.hint,
                        p.warning)
        if dataset.store and spec.is_left_out("stores", dataset.store) \
                or dropped is not None and "store" in dropped:
            continue  # the store's own problem is the one to fix
        if _check_store(name, dataset, driver, spec, out) and not refusals(problems) \
                and dropped is None:
            usable[name] = driver
    # The driver modules are imported only when a dataset of theirs is used (drivers/__init__).
    for name, driver in usable.items():
        if driver.kind == "gcs":
            from kfdata_compiler.drivers import gcs

            for p in gcs.siblings(spec.datasets[name], spec.datasets.values()):
                out.in_spec(p.code, p.message, ("datasets", name, p.field), p.hint, p.warning)
        store = spec.stores.get(spec.datasets[name].store or "")
        # The object-store driver itself (not a type such as pachctl on a pachyderm store).
        if store is not None and driver.kind == store.kind in S3_CLIENT_KINDS:
            from kfdata_compiler.drivers import s3

            # Once per store (the collector drops repeats), at the store's own endpoint.
            for p in s3.plain_http_port(store):
                out.in_spec(p.code, p.message, ("stores", store.name, store.kind, p.field),
                            p.hint, p.warning)
    return usable


def _type_left_out(dataset: Dataset, spec: DataBindings) -> bool:
    """Whether the type the dataset names, or its scheme names, was left out."""
    kind = dataset.type or SCHEMES.get(dataset.scheme) or dataset.scheme
    return spec.is_left_out("types", kind)


def _check_store(
    name: str, dataset: Dataset, driver: Driver, spec: DataBindings, out: Collector
) -> bool:
    where = ("datasets", name)
    if dataset.store is None:
        if driver.store_required:
            candidates = [s for s, store in spec.stores.items() if store.kind == driver.store_kind]
            out.in_spec(
                "KF205",
                f"dataset {name!r} needs a store of kind {driver.store_kind!r}",
                where,
                f"add store: {candidates[0]}"
                if candidates
                else f"declare one under stores: (e.g. minio: {{{driver.store_kind}: {{...}}}})"
                " and add store: minio",
            )
            return False
        return True
    store = spec.stores.get(dataset.store)
    if store is None:
        declared = ", ".join(f"{s.name} ({s.kind})" for s in spec.stores.values())
        out.in_spec(
            "KF205",
            f"dataset {name!r} names store {dataset.store!r}, which is not declared",
            (*where, "store"),
            did_you_mean(dataset.store, spec.declared("stores"))
            or (f"declared stores: {declared}" if declared else
                f"the spec declares no stores: declare it, e.g. stores: {{{dataset.store}: "
                f"{{{driver.store_kind}: {{...}}}}}}" if driver.store_kind else
                f"the spec declares no stores, and {driver.kind} datasets need none: remove "
                "'store'"),
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
