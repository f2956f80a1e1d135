"""What one dataset use needs, in a vocabulary every format shares, as plain typed dicts.

The drivers decide *what* (an artifact with an s3 location, a PVC volume, env vars, an init
container): Kubernetes objects, and Argo's ArtifactLocation, which KFP v1 compiles to as well.
The passes decide which slot each part goes to, and the format's table where that slot is.
Keys are written in a fixed order, so output is stable.
"""

from __future__ import annotations

from typing import Any, NamedTuple, TypedDict

Artifact = dict[str, Any]  # Argo Artifact: name, path, <location>, archive
ArtifactLocation = dict[str, Any]  # Argo ArtifactLocation: one of s3/gcs/http/git, plus archive
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


class Need(NamedTuple):
    """Everything one dataset use needs; empty fields need nothing."""

    input_artifacts: tuple[Artifact, ...] = ()
    output_artifacts: tuple[Artifact, ...] = ()
    volumes: tuple[Volume, ...] = ()
    mounts: tuple[VolumeMount, ...] = ()
    init_containers: tuple[Container, ...] = ()
    env: tuple[EnvVar, ...] = ()
    # For ``into``: the location (and archive) the existing input artifact is fed from.
    location: ArtifactLocation | None = None
    # The Argo artifact repository key-only artifacts resolve against (spec.artifactRepositoryRef);
    # empty for the workflow's default repository, None when the need has no key-only artifact.
    artifact_repository: dict[str, str] | None = None


NO_ARCHIVE: dict[str, Any] = {"none": {}}


def artifact(name: str, path: str, location: ArtifactLocation) -> Artifact:
    """An Argo artifact: ``name``, ``path``, then the location keys and ``archive: {none: {}}``.

    >>> artifact("kfdata-x", "/kfdata/x", {"http": {"url": "https://h/x"}})["archive"]
    {'none': {}}
    """
    return {"name": name, "path": path, **location, "archive": {"none": {}}}


def kube_literal(text: str) -> str:
    """``text`` as a container command, arg or env value that the kubelet leaves as it is.

    The kubelet expands ``$(VAR)`` in those fields (a URI could otherwise pull the container's
    secret env vars into its argv); ``$$`` is its escape for one ``$``.

    >>> kube_literal("s3://b/$(AWS_SECRET_ACCESS_KEY)")
    's3://b/$$(AWS_SECRET_ACCESS_KEY)'
    """
    return text.replace("$", "$$")


def env_vars(stem: str, path: str, uri: str, version: str | None) -> tuple[EnvVar, ...]:
    """``KFDATA_<STEM>_PATH``, ``_URI`` and (when versioned) ``_VERSION``, as literal values.

    >>> [e["name"] for e in env_vars("REVIEWS", "/kfdata/reviews", "s3://b/k", None)]
    ['KFDATA_REVIEWS_PATH', 'KFDATA_REVIEWS_URI']
    """
    out: list[EnvVar] = [
        {"name": f"KFDATA_{stem}_PATH", "value": path},
        {"name": f"KFDATA_{stem}_URI", "value": kube_literal(uri)},
    ]
    if version is not None:
        out.append({"name": f"KFDATA_{stem}_VERSION", "value": kube_literal(version)})
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


def init_container(name: str, image: str, command: list[str], env: list[dict[str, Any]],
                   mount: VolumeMount) -> Container:
    """An init container: ``name``, ``image``, ``command`` (no shell), ``env`` when any, one mount.

    >>> list(init_container("kfdata-x", "i:1", ["get"], [], volume_mount("kfdata-x", "/s", False)))
    ['name', 'image', 'command', 'volumeMounts']
    """
    container: Container = {"name": name, "image": image, "command": command}
    if env:
        container["env"] = env
    container["volumeMounts"] = [mount]
    return container


def secret_env(name: str, secret: str, key: str) -> dict[str, Any]:
    """An env var read from a Secret's key (only ever on an init container).

    >>> secret_env("AWS_ACCESS_KEY_ID", "dvc-remote", "accesskey")["valueFrom"]
    {'secretKeyRef': {'name': 'dvc-remote', 'key': 'accesskey'}}
    """
    return {"name": name, "valueFrom": {"secretKeyRef": secret_ref(secret, key)}}
