"""One dataset use on one step: checked, and built by its driver into what it needs.

    read: [{dataset: reviews, path: /data/reviews}]  on template 'train'
    ->  Access(reviews, mode='read', path='/data/reviews', stem='REVIEWS', version=None,
               into=None, need=Need(input_artifacts=({name: kfdata-reviews, ...},), env=...))
"""

from __future__ import annotations

from typing import Any

from kfdata_compiler.diagnostics import JsonPath, did_you_mean
from kfdata_compiler.drivers.base import Driver, Request, refusals
from kfdata_compiler.drivers.need import env_vars
from kfdata_compiler.formats.base import Format
from kfdata_compiler.plan import Access, injected_name
from kfdata_compiler.resolve.collector import Collector
from kfdata_compiler.resolve.mountpaths import mount_problem
from kfdata_compiler.spec import Use, env_stem

DEFAULT_ROOT = "/kfdata"
_WHY_NO_WRITE = (
    "\nits init container runs before the step, and Argo runs nothing after the step in the "
    "same pod: write to an s3, lakefs or pachyderm dataset (the step's output artifact)"
)


def check_use(use: Use, usable: dict[str, Driver], out: Collector) -> Driver | None:
    """Report what is wrong with a use whatever step it is bound to (an unknown dataset, a mode
    its kind lacks, a bad mount path); its dataset's driver when nothing is.

    Checked for every use, also one whose step matches nothing: a step's problem and its
    datasets' are each a problem on its own (issue 18 §6).
    """
    dataset = out.spec.datasets.get(use.dataset)
    if dataset is None:
        if out.spec.is_left_out("datasets", use.dataset):
            return None  # its own problem is reported; this use would only repeat it
        unknown(use.dataset, use.where, out)
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
    store = out.spec.stores.get(dataset.store) if dataset.store else None
    found = driver.check_use(dataset, store, mode)
    for p in found:
        where = use.where if p.at_use else ("datasets", dataset.name, p.field)
        out.in_spec(p.code, p.message, where, p.hint, p.warning)
    if refusals(found):
        return None
    if use.into and use.path:
        out.in_spec(
            "KF310",
            "'into' and 'path' cannot be combined: the data lands where the "
            "input artifact's path already is",
            (*use.where, "path"),
        )
        return None
    if not use.into:
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
    return driver


def unknown(name: str, where: JsonPath, out: Collector) -> None:
    """KF301 for a use of a dataset the spec does not declare (one left out is not unknown)."""
    if name in out.spec.datasets or out.spec.is_left_out("datasets", name):
        return
    declared = out.spec.declared("datasets")
    out.in_spec(
        "KF301",
        f"unknown dataset {name!r}",
        where,
        did_you_mean(name, declared)
        or (f"declared datasets: {', '.join(declared)}" if declared else
            f"the spec declares no datasets: declare it, e.g. datasets: {{{name}: "
            "{uri: ...}}"),
    )


def access(use: Use, usable: dict[str, Driver], node: dict[str, Any], fmt: Format,
           out: Collector) -> Access | None:
    """What binding one dataset use to ``node`` means, or None after reporting why it cannot."""
    driver = check_use(use, usable, out)
    if driver is None:
        return None
    dataset = out.spec.datasets[use.dataset]
    name = injected_name(dataset.name)
    store = out.spec.stores.get(dataset.store) if dataset.store else None
    if use.into:
        target = fmt.input_for(node, use.into)
        if target is None:
            names = fmt.input_names(node)
            out.in_spec(
                "KF306",
                f"{fmt.label(node)} has no input artifact {use.into!r}",
                (*use.where, "into"),
                did_you_mean(use.into, names)
                or f"its input artifacts: {', '.join(names) or 'none'}",
            )
            return None
        into: str | None
        into, path = target
        need = driver.build(Request(dataset, store, "read", path, into, True))
    else:
        path = use.path or f"{DEFAULT_ROOT}/{dataset.name}"
        need = driver.build(Request(dataset, store, use.mode, path, name))
        into = None
    version = driver.version(dataset)
    stem = use.env or env_stem(dataset.name)
    need = need._replace(env=env_vars(stem, path, dataset.uri, version))
    return fmt.deliver(Access(dataset, use.mode, path, stem, version, into, need, use), node,
                       out.spec)


def add(found: dict[tuple[str, str], Access], new: Access, label: str, out: Collector) -> None:
    """Add an access to a template's, keyed by (dataset, mode); an identical repeat (two globs)
    is merged, a different one is KF309."""
    old = found.get((new.dataset.name, new.mode))
    if old is None:
        found[(new.dataset.name, new.mode)] = new
        return
    if (old.path, old.stem, old.into, old.use.datum) != (new.path, new.stem, new.into,
                                                         new.use.datum):
        out.in_spec(
            "KF309",
            f"dataset {new.dataset.name!r} is bound to {label} twice with different settings",
            new.use.where,
            "keep one binding for it, or make them identical",
        )
