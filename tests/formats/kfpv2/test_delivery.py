"""The delivery table (docs/kfp-v2.md): which dataset reaches which task how, and the refusals
that depend on the input's type."""

from __future__ import annotations

import pytest
import yaml

from kfdata_compiler.compiler import compile_text, plan_text
from kfdata_compiler.errors import KfdataError
from kfdata_compiler.formats.kfpv2.delivery import decide
from tests.formats.kfpv2.backend_protos import workspace_pvc
from tests.paths import FIXTURES

FLAT = FIXTURES / "kfpv2-flat" / "pipeline.yaml"
SPEC = """apiVersion: kfdata.dev/v1alpha1
kind: DataBindings
kfp: {{workspace: {{size: 1Gi, accessModes: [ReadWriteOnce], storageClassName: standard}}}}
stores:
  root: {{s3: {{endpoint: "m:9000"}}, kfp: {{pipelineRoot: "minio://mlpipeline/v2/artifacts"}}}}
  own: {{s3: {{endpoint: "s3.corp:443"}}}}
  idn: {{gcs: {{}}, kfp: {{ambient: true}}}}
datasets:
  inroot: {{uri: "s3://mlpipeline/d/x", store: root, version: "1"}}
  other: {{uri: "s3://corp/d/x/", store: own}}
  wi: {{uri: "gs://b/d/x", store: idn}}
  vol: {{uri: "pvc://claim/sub"}}
  whole: {{uri: "pvc://claim"}}
bindings:
  - step: {step}
    read: [{use}]
"""


@pytest.mark.parametrize(("step", "use", "mode", "into", "path"), [
    ("evaluate", "{dataset: inroot, into: data}", "importer", "data",
     "/minio/mlpipeline/d/x"),
    ("evaluate", "inroot", "importer", None, "/minio/mlpipeline/d/x"),
    ("train", "inroot", "workspace", None, "/kfp-workspace/.artifacts/minio/mlpipeline/d/x"),
    ("evaluate", "{dataset: other, into: data}", "workspace", "data",
     "/kfp-workspace/.artifacts/s3/corp/d/x"),
    ("evaluate", "other", "workspace", None, "/kfp-workspace/.artifacts/s3/corp/d/x"),
    ("evaluate", "wi", "importer", None, "/gcs/b/d/x"),
    ("train", "vol", "pvc", None, "/kfdata/vol/sub"),
    ("train", "{dataset: whole, path: /mnt/vol}", "pvc", None, "/mnt/vol"),
], ids=["reachable-into", "reachable-container", "reachable-python", "unreachable-into",
        "unreachable-new", "ambient-gs", "pvc", "pvc-path"])
def test_the_delivery_table(step: str, use: str, mode: str, into: str | None,
                            path: str) -> None:
    planned = plan_text(FLAT.read_bytes(), SPEC.format(step=step, use=use).encode())
    target = planned.plan.targets[0]
    node = next(v for v in planned.format.nodes(planned.source.docs[0]).values()
                if v["name"] == target.node)
    found = decide(target.accesses[0], node, planned.spec)
    assert (found.mode, found.into, found.path) == (mode, into, path)
    assert target.accesses[0].need.env[0]["value"] == path  # KFDATA_<N>_PATH says the same


def _refused(text: str, spec: str) -> list[str]:
    with pytest.raises(KfdataError) as caught:
        compile_text(text.encode(), spec.encode(), "p.yaml", "s.yaml")
    return [d.code for d in caught.value.diagnostics]


def test_into_a_list_input_or_a_metrics_input_is_refused() -> None:
    listed = FLAT.read_text().replace(
        "        data:\n          artifactType:\n            schemaTitle: system.Dataset\n"
        "            schemaVersion: 0.0.1\n        model:",
        "        data:\n          artifactType:\n            schemaTitle: system.Dataset\n"
        "            schemaVersion: 0.0.1\n          isArtifactList: true\n        model:", 1)
    spec = SPEC.format(step="evaluate", use="{dataset: inroot, into: data}")
    assert _refused(listed, spec) == ["KF605"]
    metrics = FLAT.read_text().replace("schemaTitle: system.Model", "schemaTitle: system.Metrics")
    assert _refused(metrics, SPEC.format(step="evaluate", use="{dataset: inroot, into: model}")
                    ) == ["KF606"]


def test_a_pvc_sub_path_mounts_the_claim_root_and_points_the_path_into_it() -> None:
    # kfp-kubernetes' PvcMount.sub_path exists only from backend 2.16.0; 2.14/2.15 unmarshal the
    # executor config strictly (argocompiler/container.go) and refuse the run over it.
    spec = SPEC.format(step="train", use="vol")
    out = compile_text(FLAT.read_bytes(), spec.encode(), "p.yaml", "s.yaml").output
    docs = list(yaml.safe_load_all(out))
    config = docs[1]["platforms"]["kubernetes"]["deploymentSpec"]["executors"]["exec-train"]
    assert config["pvcMount"] == [{"constant": "claim", "mountPath": "/kfdata/vol",
                                   "pvcNameParameter": {"runtimeValue": {"constant": "claim"}}}]
    env = docs[0]["deploymentSpec"]["executors"]["exec-train"]["container"]["env"]
    assert {"name": "KFDATA_VOL_PATH", "value": "/kfdata/vol/sub"} in env


def test_path_on_a_pvc_dataset_with_a_sub_path_is_refused() -> None:
    assert _refused(FLAT.read_text(), SPEC.format(
        step="train", use="{dataset: vol, path: /mnt/vol}")) == ["KF616"]


@pytest.mark.parametrize(("workspace", "codes"), [
    ("{size: 1Gi}", ["KF617", "KF618"]),
    ("{size: 1Gi, accessModes: [ReadWriteOnce]}", ["KF618"]),
    ("{size: 1Gi, accessModes: [ReadWriteOnce], storageClassName: standard}", []),
])
def test_a_workspace_needs_what_the_backend_requires(workspace: str, codes: list[str]) -> None:
    spec = SPEC.replace("{{size: 1Gi, accessModes: [ReadWriteOnce], storageClassName: standard}}",
                        workspace.replace("{", "{{").replace("}", "}}"))
    spec = spec.format(step="evaluate", use="other")  # an unreachable bucket: the workspace
    try:
        result = compile_text(FLAT.read_bytes(), spec.encode(), "p.yaml", "s.yaml")
    except KfdataError as failed:
        found = [d.code for d in failed.diagnostics]
        assert found == codes and "KF617" in codes
        return
    assert [d.code for d in result.warnings] == codes  # KF618 alone: a warning
    docs = list(yaml.safe_load_all(result.output))
    made = docs[1]["platforms"]["kubernetes"]["pipelineConfig"]["workspace"]
    assert workspace_pvc(made, "2.17.0") is None
    refused_below = workspace_pvc(made, "2.15.0") is not None
    assert refused_below == ("KF618" in codes)
