"""Where a dataset type's data lands, in the pod Argo builds (issue 18 §7).

A twin of ``workflow/controller/workflowpod.go`` (v3.5.14 ``createWorkflowPod``,
``newInitContainer``, ``addInputArtifactsVolumes``, ``addInitContainers``; v4.0.10 the same
with ``newInitContainers``): Argo's ``init`` container comes first; only on a template with
input artifacts does it get a copy of every main-container mount (its path under
``/mainctrfs``, its ``subPath`` kept); the template's own init containers follow, in order. The
kubelet creates a missing ``subPath`` as a directory when it starts a container that mounts it.
Then the kfdata init container's tool writes ``/kfdata-stage/data``: ``dvc get -o T`` writes
*into* T when T is a directory, other tools need T absent (a file fetch onto a directory is
IsADirectoryError). The step must find the dataset itself at ``KFDATA_<NAME>_PATH``.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from kfdata_compiler.compiler import compile_text
from tests.paths import FIXTURES, GOLDEN

STAGE = "/kfdata-stage"
CASES = ("dvc-kfp-v1", "dvc-hera", "types-hera", "pachyderm-hera", "pachyderm-kfp-v1")


def pod_init_containers(template: dict[str, Any]) -> list[dict[str, Any]]:
    """The pod's init containers in Argo's order, with the mounts Argo gives each."""
    main = template.get("container") or template.get("script") or {}
    argo_init: dict[str, Any] = {"name": "init", "volumeMounts": []}
    if (template.get("inputs") or {}).get("artifacts"):  # addInputArtifactsVolumes
        argo_init["volumeMounts"] = [
            {**m, "mountPath": "/mainctrfs" + m["mountPath"]}
            for m in main.get("volumeMounts") or []]
    return [argo_init, *(template.get("initContainers") or [])]


def run_pod(template: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Each emptyDir's tree (relative path -> ``dir``/``data``) after the init containers."""
    trees: dict[str, dict[str, str]] = {v["name"]: {} for v in template.get("volumes") or []
                                        if "emptyDir" in v}
    for container in pod_init_containers(template):
        for mount in container.get("volumeMounts") or []:  # the kubelet, at container start
            sub = mount.get("subPath")
            if sub and mount["name"] in trees:
                trees[mount["name"]].setdefault(sub, "dir")
        command = container.get("command") or []
        stage = next((m for m in container.get("volumeMounts") or []
                      if m["mountPath"] == STAGE and m["name"] in trees), None)
        target = next((a for a in command if isinstance(a, str) and f"{STAGE}/" in a), None)
        if stage is None or target is None:
            continue
        rel = target[target.index(STAGE) + len(STAGE) + 1:].rstrip("/")
        tree = trees[stage["name"]]
        if command[:2] == ["dvc", "get"]:
            tree[f"{rel}/{command[3].rsplit('/', 1)[-1]}" if tree.get(rel) == "dir" else rel] = (
                "data")
        elif tree.get(rel) == "dir":
            raise IsADirectoryError(f"{container['name']}: {target}")
        else:
            tree[rel] = "data"
    return trees


def seen_at(template: dict[str, Any], path: str, trees: dict[str, dict[str, str]]) -> str | None:
    """What the main container sees at ``path`` in a volume kfdata staged (None: nothing)."""
    main = template.get("container") or template.get("script") or {}
    for mount in main.get("volumeMounts") or []:
        root = mount["mountPath"].rstrip("/")
        if mount["name"] in trees and (path == root or path.startswith(root + "/")):
            rel = "/".join(p for p in (mount.get("subPath"), path[len(root) + 1:]) if p)
            return trees[mount["name"]].get(rel)
    return None


def _staged_reads(docs: list[Any]) -> list[tuple[dict[str, Any], str]]:
    out = []
    for doc in docs:
        spec = (doc.get("spec") or {}).get("workflowSpec") or doc.get("spec") or {}
        for template in spec.get("templates") or []:
            main = template.get("container") or template.get("script") or {}
            env = {e["name"]: e.get("value") for e in main.get("env") or []}
            mounts = {m["name"]: m["mountPath"] for m in main.get("volumeMounts") or []}
            for init in template.get("initContainers") or []:
                if init["name"].startswith("kfdata-"):
                    root = mounts[init["name"]]
                    path = next(v for k, v in env.items()
                                if k.endswith("_PATH") and str(v).startswith(root))
                    out.append((template, path))
    return out


@pytest.mark.parametrize("case", CASES)
def test_the_step_finds_the_data_at_its_path(case: str) -> None:
    out = compile_text((FIXTURES / case / "pipeline.yaml").read_bytes(),
                       (FIXTURES / case / "pipeline.kfdata.yaml").read_bytes(), "p", "s").output
    assert out == (GOLDEN / f"{case}.yaml").read_text(encoding="utf-8")
    reads = _staged_reads(list(yaml.safe_load_all(out)))
    assert reads
    for template, path in reads:
        assert seen_at(template, path, run_pod(template)) == "data", (template["name"], path)


def test_the_twin_reproduces_the_report() -> None:
    """The old shape (subPath: data beside an input artifact): dvc writes one level deeper and
    a file fetch fails; without an input artifact the same shape works."""
    def template(command: list[str], artifacts: bool) -> dict[str, Any]:
        return {"name": "t", "volumes": [{"name": "kfdata-f", "emptyDir": {}}],
                **({"inputs": {"artifacts": [{"name": "a", "path": "/a"}]}} if artifacts else {}),
                "initContainers": [{"name": "kfdata-f", "command": command,
                                    "volumeMounts": [{"name": "kfdata-f", "mountPath": STAGE}]}],
                "container": {"volumeMounts": [{"name": "kfdata-f", "mountPath": "/f",
                                                "subPath": "data"}]}}
    dvc = ["dvc", "get", "https://github.com/o/r", "features", "-o", f"{STAGE}/data"]
    assert seen_at(template(dvc, False), "/f", run_pod(template(dvc, False))) == "data"
    assert seen_at(template(dvc, True), "/f", run_pod(template(dvc, True))) == "dir"
    fetch = ["fetch", "https://h/x.txt", f"{STAGE}/data"]
    with pytest.raises(IsADirectoryError):
        run_pod(template(fetch, True))
