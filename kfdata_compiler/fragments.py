"""What a driver injects for one dataset on one template, as plain typed dicts.

The drivers decide *what* (an artifact with an s3 location, a PVC volume, env vars); the
rewrite passes decide *where* it goes. Keys are written in a fixed order, so output is stable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypedDict

Artifact = dict[str, Any]  # Argo Artifact: name, path, <location>, archive
Location = dict[str, Any]  # Argo ArtifactLocation: exactly one of s3/gcs/http/git, plus archive
Volume = dict[str, Any]
Container = dict[str, Any]


class EnvVar(TypedDict):
    """A literal container env var."""

    name: str
    value: str


class VolumeMount(TypedDict, total=False):
    """A container volume mount (``subPath`` and ``readOnly`` only when set)."""

    name: str
    mountPath: str
    subPath: str
    readOnly: bool


@dataclass(frozen=True)
class Fragment:
    """Everything injected for one dataset use; empty fields inject nothing."""

    input_artifacts: tuple[Artifact, ...] = ()
    output_artifacts: tuple[Artifact, ...] = ()
    volumes: tuple[Volume, ...] = ()
    mounts: tuple[VolumeMount, ...] = ()
    init_containers: tuple[Container, ...] = ()
    env: tuple[EnvVar, ...] = ()
    # For ``into``: the location (and archive) the existing input artifact is fed from.
    location: Location | None = None


NO_ARCHIVE: dict[str, Any] = {"none": {}}


def artifact(name: str, path: str, location: Location) -> Artifact:
    """An Argo artifact: ``name``, ``path``, then the location keys and ``archive: {none: {}}``.

    >>> artifact("kfdata-x", "/kfdata/x", {"http": {"url": "https://h/x"}})
    {'name': 'kfdata-x', 'path': '/kfdata/x', 'http': {'url': 'https://h/x'}, 'archive': {'none': {}}}
    """
    return {"name": name, "path": path, **location, "archive": {"none": {}}}


def env_vars(stem: str, path: str, uri: str, version: str | None) -> tuple[EnvVar, ...]:
    """``KFDATA_<STEM>_PATH``, ``_URI`` and (when versioned) ``_VERSION``.

    >>> [e["name"] for e in env_vars("REVIEWS", "/kfdata/reviews", "s3://b/k", None)]
    ['KFDATA_REVIEWS_PATH', 'KFDATA_REVIEWS_URI']
    """
    out: list[EnvVar] = [
        {"name": f"KFDATA_{stem}_PATH", "value": path},
        {"name": f"KFDATA_{stem}_URI", "value": uri},
    ]
    if version is not None:
        out.append({"name": f"KFDATA_{stem}_VERSION", "value": version})
    return tuple(out)


def volume_mount(name: str, path: str, read_only: bool, sub_path: str | None = None) -> VolumeMount:
    """A volumeMount with keys in a fixed order (``subPath``/``readOnly`` only when needed)."""
    mount: VolumeMount = {"name": name, "mountPath": path}
    if sub_path:
        mount["subPath"] = sub_path
    if read_only:
        mount["readOnly"] = True
    return mount


def secret_ref(secret: str, key: str) -> dict[str, str]:
    """A Kubernetes SecretKeySelector."""
    return {"name": secret, "key": key}
