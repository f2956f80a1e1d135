"""What a step bound per datum needs instead: its datum comes from the caller, per item.

    read images per datum (/*), write features, on template preprocess-images
    ->  inputs.artifacts: [{name: kfdata-images, path: /kfdata/images}]      (no location)
        env: KFDATA_IMAGES_URI = s3://datasets/images/{{inputs.parameters.kfdata-datum-images}}
             KFDATA_IMAGES_DATUM = {{inputs.parameters.kfdata-datum-images}}
        outputs.artifacts: [{name: kfdata-features, s3: {key:
                             "features/v3/{{inputs.parameters.kfdata-datum-images}}", ...}}]
             KFDATA_FEATURES_URI = s3://datasets/features/v3/{{inputs.parameters....}}

:func:`per_datum` rewrites a plan's needs so; the shared passes that place artifacts and env
run on it (``on_datums``), everything else sees the plan as resolved.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from kfdata_compiler.drivers.need import EnvVar, kube_literal
from kfdata_compiler.formats.argo.datums import location, names
from kfdata_compiler.formats.argo.datums.location import Source
from kfdata_compiler.formats.base import Pass
from kfdata_compiler.plan import Access, Plan, Target
from kfdata_compiler.plan.actions import Action


def fanned(target: Target) -> tuple[Access, Source] | None:
    """The read a target fans out over, with its location (None: it runs once)."""
    access = target.per_datum
    where = location.source(access) if access is not None else None
    return (access, where) if access is not None and where is not None else None


def _uri(uri: str, datum: str) -> str:
    return f"{kube_literal(uri.rstrip('/'))}/{datum}"


def _env(access: Access, datum: str, extra: list[EnvVar]) -> tuple[EnvVar, ...]:
    uri_name = f"KFDATA_{access.stem}_URI"
    env: list[EnvVar] = [{"name": v["name"], "value": _uri(access.dataset.uri, datum)}
                         if v["name"] == uri_name else v for v in access.need.env]
    return (*env, *extra)


def datum_value(dataset: str, where: Source) -> str:
    """The datum relative to the dataset's root, without a GCS directory's final ``/``."""
    if not where.gcs:
        return names.placeholder(dataset)
    return f"{{{{=trimSuffix(inputs.parameters['{names.parameter(dataset)}'], '/')}}}}"


def _fan(target: Target, read: Access, where: Source) -> Target:
    datum = names.placeholder(read.dataset.name)
    out = []
    for access in target.accesses:
        need = access.need
        if access is read:
            bare = {"name": need.input_artifacts[0]["name"], "path": access.path}
            mark: EnvVar = {"name": names.datum_env(access.stem),
                            "value": datum_value(read.dataset.name, where)}
            need = need._replace(input_artifacts=(bare,), env=_env(access, datum, [mark]))
        elif access.mode == "write" and need.output_artifacts:
            need = need._replace(
                output_artifacts=tuple(location.keyed(a, datum) for a in need.output_artifacts),
                env=_env(access, datum, []))
        out.append(access._replace(need=need))
    return target._replace(accesses=tuple(out))


def per_datum(plan: Plan) -> Plan:
    """The plan with the needs of every step bound per datum rewritten (the same plan when
    there is none)."""
    changed = False
    targets = []
    for target in plan.targets:
        found = fanned(target)
        if found is not None:
            target, changed = _fan(target, *found), True
        targets.append(target)
    return plan._replace(targets=tuple(targets)) if changed else plan


def on_datums(rewrite_pass: Pass) -> Pass:
    """``rewrite_pass`` run on :func:`per_datum`'s plan (for the passes placing artifacts and
    env, the parts a datum changes)."""

    @functools.wraps(rewrite_pass)
    def run(docs: list[Any], plan: Plan) -> Iterator[Action]:
        return rewrite_pass(docs, per_datum(plan))

    return run
