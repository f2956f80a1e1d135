"""Dataset types beside input artifacts: the init container's emptyDir is mounted whole.

A type's init container writes ``/kfdata-stage/data`` and the step mounts the emptyDir with
``subPath: data`` (drivers/initcontainer.py). On a template with an input artifact, Argo's own
``init`` container (``argoexec init``, first in the pod) gets a copy of every main-container
mount (``workflow/controller/workflowpod.go`` ``addInputArtifactsVolumes``, v3.5.14 and
v4.0.10; v4 adds its artifact-plugin init containers), so the kubelet creates ``data`` as an
empty directory before the kfdata init container runs: ``dvc get -o`` then writes one level
deeper and a file fetch fails with IsADirectoryError. On such a template the step mounts the
emptyDir without ``subPath`` and ``KFDATA_<NAME>_PATH`` points inside it::

    volumeMounts: [{name: kfdata-features, mountPath: /kfdata/features, subPath: data, ...}]
    ->  volumeMounts: [{name: kfdata-features, mountPath: /kfdata/features, readOnly: true}]
        env: KFDATA_FEATURES_PATH = /kfdata/features/data

:func:`staged` runs a pass on that plan; the passes placing mounts and env use it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from kfdata_compiler.drivers.need import EnvVar, VolumeMount, volume_mount
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.base import Pass
from kfdata_compiler.plan import Access, Plan, Target
from kfdata_compiler.plan.actions import Action


def _subpath() -> str:
    # Imported here: a compile loads only the drivers its spec uses (tests/drivers).
    from kfdata_compiler.drivers.initcontainer import SUBPATH

    return SUBPATH


def staged_path(path: str) -> str:
    """Where the data is in a whole-mounted emptyDir mounted at ``path``."""
    return f"{path.rstrip('/')}/{_subpath()}"


def _has_artifacts(docs: list[Any], target: Target) -> bool:
    """Whether Argo's init container will load an input artifact on this template (its own
    or one kfdata adds)."""
    if any(a.need.input_artifacts for a in target.accesses):
        return True
    template = next((t for t in argo.templates(docs[target.doc])
                     if t.get("name") == target.node), {})
    return bool(argo.input_artifacts(template))


def _whole(access: Access) -> Access:
    names = {c["name"] for c in access.need.init_containers}
    mounts: tuple[VolumeMount, ...] = tuple(
        volume_mount(m["name"], m["mountPath"], bool(m.get("readOnly")))
        if m.get("name") in names and m.get("subPath") == _subpath() else m
        for m in access.need.mounts)
    var = f"KFDATA_{access.stem}_PATH"
    pointed: EnvVar = {"name": var, "value": staged_path(access.path)}
    env: tuple[EnvVar, ...] = tuple(pointed if e.get("name") == var else e
                                    for e in access.need.env)
    return access._replace(need=access.need._replace(mounts=mounts, env=env))


def beside_artifacts(docs: list[Any], plan: Plan) -> Plan:
    """The plan with each init-container read on a template with input artifacts mounted
    whole (the same plan when there is none)."""
    targets, changed = [], False
    for target in plan.targets:
        if any(a.need.init_containers for a in target.accesses) and _has_artifacts(docs, target):
            target = target._replace(accesses=tuple(
                _whole(a) if a.need.init_containers else a for a in target.accesses))
            changed = True
        targets.append(target)
    return plan._replace(targets=tuple(targets)) if changed else plan


def staged(rewrite_pass: Pass) -> Pass:
    """``rewrite_pass`` run on :func:`beside_artifacts`'s plan."""

    @functools.wraps(rewrite_pass)
    def run(docs: list[Any], plan: Plan) -> Iterator[Action]:
        return rewrite_pass(docs, beside_artifacts(docs, plan))

    return run
