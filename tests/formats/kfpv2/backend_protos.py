"""A twin of how each KFP backend release reads a KFP v2 IR file, over the protos of that tag
(``protos/fields.json``, made by ``protos/generate.py`` from kubeflow/pipelines).

What each read does (the same at 2.14.0, 2.15.0, 2.16.0 and 2.17.0):

- the pipeline document: ``protojson.Unmarshal`` into ``PipelineSpec``, strict (unknown field =
  the upload fails: ``backend/src/apiserver/template/v2_template.go`` ``NewV2SpecTemplate``);
- its ``deploymentSpec`` (a ``Struct`` there): ``PipelineDeploymentConfig`` with
  ``protojson.UnmarshalOptions{DiscardUnknown: true}`` (``backend/src/v2/compiler/visitor.go``
  ``GetDeploymentConfig``): an unknown field is dropped, silently;
- the platform document: strict ``PlatformSpec`` in ``IsPlatformSpecWithKubernetesConfig``
  (v2_template.go); when that fails the document is not a platform spec and is ignored whole,
  silently;
- each ``platforms.kubernetes.deploymentSpec.executors.<e>`` (a ``Struct``): strict
  ``KubernetesExecutorConfig`` (``backend/src/v2/compiler/argocompiler/container.go``
  ``containerTask``: "failed to unmarshal kubernetes config", run creation fails).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

TABLE = Path(__file__).with_name("protos") / "fields.json"
ANY_JSON = {"google.protobuf.Value", "google.rpc.Status"}
INTS = {"int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64",
        "sfixed32", "sfixed64"}


@cache
def tags() -> dict[str, Any]:
    """The checked-in table: tag -> {messages, enums}."""
    loaded: dict[str, Any] = json.loads(TABLE.read_text())["tags"]
    return loaded


class Read(NamedTuple):
    """What one backend release does with a file: ``rejected`` (upload or run creation fails),
    ``dropped`` (fields it ignores silently; a whole platform document is ``$1``)."""

    rejected: list[str]
    dropped: list[str]


def unmarshal(value: Any, kind: str, tag: str, at: str = "$") -> list[str]:
    """The unknown or mistyped fields of ``value`` read as ``kind`` (protojson's rules: a field
    by its JSON or its proto name, null is unset; every problem, where protojson stops at the
    first)."""
    table = tags()[tag]
    if value is None:
        return []
    if kind == "google.protobuf.Struct":
        return [] if isinstance(value, dict) else [f"{at}: not an object"]
    if kind in ANY_JSON or kind == "google.protobuf.Duration":
        return []
    if kind in table["enums"]:
        ok = value in table["enums"][kind] or isinstance(value, int)
        return [] if ok else [f"{at}: {value!r} is not a {kind}"]
    if kind == "string":
        return [] if isinstance(value, str) else [f"{at}: not a string"]
    if kind == "bool":
        return [] if isinstance(value, bool) else [f"{at}: not a bool"]
    if kind in INTS or kind in ("double", "float"):
        ok = isinstance(value, (int, float, str)) and not isinstance(value, bool)
        return [] if ok else [f"{at}: not a number"]
    if kind == "bytes":
        return [] if isinstance(value, str) else [f"{at}: not base64"]
    fields = table["messages"].get(kind)
    if fields is None:
        raise KeyError(f"{kind} is not in the {tag} protos")
    if not isinstance(value, dict):
        return [f"{at}: not an object ({kind})"]
    by_name = {n: f for name, f in fields.items() for n in (name, f["json"])}
    out: list[str] = []
    for key, item in value.items():
        field = by_name.get(key)
        if field is None:
            out.append(f"{at}.{key}: unknown field of {kind}")
            continue
        where = f"{at}.{key}"
        if field["label"] == "map" and item is not None:
            if not isinstance(item, dict):
                out.append(f"{where}: not an object")
                continue
            for k, v in item.items():
                out += unmarshal(v, field["type"], tag, f"{where}.{k}")
        elif field["label"] == "repeated" and item is not None:
            if not isinstance(item, list):
                out.append(f"{where}: not a list")
                continue
            for i, v in enumerate(item):
                out += unmarshal(v, field["type"], tag, f"{where}[{i}]")
        else:
            out += unmarshal(item, field["type"], tag, where)
    return out


def backend_read(docs: list[Any], tag: str) -> Read:
    """How backend ``tag`` reads an IR file's documents (pipeline, then platform)."""
    rejected = unmarshal(docs[0], "ml_pipelines.PipelineSpec", tag)
    deployment = docs[0].get("deploymentSpec") if isinstance(docs[0], dict) else None
    # DiscardUnknown: an unknown field is dropped; a mistyped one still fails.
    found = unmarshal(deployment, "ml_pipelines.PipelineDeploymentConfig", tag, "$.deploymentSpec")
    dropped = [p for p in found if "unknown field" in p]
    rejected += [p for p in found if "unknown field" not in p]
    if len(docs) > 1:
        platform = unmarshal(docs[1], "ml_pipelines.PlatformSpec", tag, "$1")
        if platform:
            dropped += ["$1 (the whole platform document): " + p for p in platform]
        configs = (docs[1].get("platforms") or {}).get("kubernetes") or {}
        executors = (configs.get("deploymentSpec") or {}).get("executors") or {}
        for name, config in executors.items():
            rejected += unmarshal(config, "kfp_kubernetes.KubernetesExecutorConfig", tag,
                                  f"$1.platforms.kubernetes.deploymentSpec.executors.{name}")
    return Read(rejected, dropped)


def workspace_pvc(workspace: dict[str, Any], tag: str) -> str | None:
    """A twin of GetWorkspacePVC (backend/src/v2/compiler/argocompiler/argo.go) with no default
    workspace on the API server (a default install): the error it returns, or None."""
    patch = workspace.get("kubernetes", {}).get("pvcSpecPatch", {})
    if not workspace.get("size"):
        return "workspace size is required but not specified"
    if not patch.get("accessModes"):  # 2.15.0, 2.16.0, 2.17.0
        return "workspace PVC spec must specify accessModes"
    if tag in ("2.15.0", "2.16.0") and not patch.get("storageClassName"):
        return "workspace PVC spec must specify storageClassName"
    if patch.get("storageClassName") == "":  # 2.17.0: nil is the cluster default, "" is refused
        return "workspace PVC spec storageClassName must be omitted or set to a non-empty value"
    return None
