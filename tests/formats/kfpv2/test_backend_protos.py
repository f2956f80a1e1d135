"""Every field a KFP v2 golden adds is one each backend release the docs claim reads: the
output, parsed with the protos of backends 2.14.0-2.17.0 as the backend parses it
(:mod:`.backend_protos`), has no problem its input did not have, from the first release of each
feature it uses (docs/kfp-v2.md#backend-versions)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from kfdata_compiler.compiler import compile_text
from tests.formats.kfpv2.backend_protos import backend_read, tags, unmarshal, workspace_pvc
from tests.paths import FIXTURES, GOLDEN

CASES = sorted(p.stem for p in GOLDEN.glob("kfpv2-*.yaml"))
# The feature -> first backend release table of docs/kfp-v2.md, as proto fields.
FIRST = {("ml_pipelines.PipelineDeploymentConfig.ImporterSpec", "download_to_workspace"): "2.15.0",
         ("kfp_kubernetes.PvcMount", "sub_path"): "2.16.0",
         ("kfp_kubernetes.PvcMount", "pvc_name_parameter"): "2.14.0",
         ("kfp_kubernetes.KubernetesExecutorConfig", "pod_metadata"): "2.14.0",
         ("kfp_kubernetes.KubernetesExecutorConfig", "pvc_mount"): "2.14.0",
         ("ml_pipelines.SinglePlatformSpec", "pipelineConfig"): "2.14.0",
         ("ml_pipelines.PipelineConfig", "workspace"): "2.14.0",
         ("ml_pipelines.SinglePlatformSpec", "config"): "2.14.0",
         ("ml_pipelines.PipelineDeploymentConfig.ImporterSpec", "reimport"): "2.14.0"}


def _docs(text: str) -> list[Any]:
    return [d for d in yaml.safe_load_all(text) if d is not None]


def _needs(docs: list[Any]) -> str:
    """The first release that runs what the output uses: workspace deliveries need 2.15."""
    return "2.15.0" if "downloadToWorkspace" in yaml.safe_dump(docs[0]) else "2.14.0"


def _problems(docs: list[Any], tag: str) -> set[str]:
    read = backend_read(docs, tag)
    return {*read.rejected, *read.dropped}


@pytest.mark.parametrize("tag", sorted(tags()))
@pytest.mark.parametrize("case", CASES)
def test_each_backend_release_reads_every_field_the_compile_adds(case: str, tag: str) -> None:
    before = _docs((FIXTURES / case / "pipeline.yaml").read_text())
    after = _docs((GOLDEN / f"{case}.yaml").read_text())
    added = _problems(after, tag) - _problems(before, tag)
    if tag >= _needs(after):
        assert added == set()
    else:  # below 2.15 only the workspace importer's field is unknown, dropped, as documented
        assert added and all(p.endswith("downloadToWorkspace: unknown field of "
                                        "ml_pipelines.PipelineDeploymentConfig.ImporterSpec")
                             for p in added), added


@pytest.mark.parametrize("case", CASES)
def test_every_golden_workspace_is_one_each_release_creates(case: str) -> None:
    docs = _docs((GOLDEN / f"{case}.yaml").read_text())
    config = docs[1]["platforms"].get("kubernetes", {}).get("pipelineConfig", {})
    if "workspace" in config:
        assert {t: workspace_pvc(config["workspace"], t) for t in ("2.15.0", "2.16.0", "2.17.0")
                } == {"2.15.0": None, "2.16.0": None, "2.17.0": None}


def test_the_twin_refuses_sub_path_where_the_backend_does() -> None:
    mount = {"pvcMount": [{"mountPath": "/d", "subPath": "s",
                           "pvcNameParameter": {"runtimeValue": {"constant": "c"}}}]}
    refused = {t: unmarshal(mount, "kfp_kubernetes.KubernetesExecutorConfig", t) for t in tags()}
    unknown = ["$.pvcMount[0].subPath: unknown field of kfp_kubernetes.PvcMount"]
    assert refused == {"2.14.0": unknown, "2.15.0": unknown, "2.16.0": [], "2.17.0": []}


def test_a_pvc_dataset_with_a_sub_path_compiles_to_what_every_release_runs() -> None:
    spec = (FIXTURES / "kfpv2-flat" / "pipeline.kfdata.yaml").read_bytes()
    assert b"pvc://holdout-claim/sets/2024" in spec  # the case this test is about
    pipeline = (FIXTURES / "kfpv2-flat" / "pipeline.yaml").read_bytes()
    docs = _docs(compile_text(pipeline, spec, "p.yaml", "s.yaml").output)
    for tag in tags():
        assert backend_read(docs, tag).rejected == [], tag


@pytest.mark.parametrize(("field", "first"), sorted(FIRST.items()))
def test_the_docs_table_says_when_each_field_appears(field: tuple[str, str], first: str) -> None:
    message, name = field
    having = [t for t in sorted(tags()) if name in tags()[t]["messages"].get(message, {})]
    assert having and having[0] == first and having == [t for t in sorted(tags()) if t >= first]


def test_the_table_is_the_released_protos() -> None:
    # The parser behind protos/fields.json, checked against protoc's own descriptors of the
    # installed kfp-pipeline-spec / kfp-kubernetes 2.17.3 (the same protos as tag 2.17.0).
    pipeline_spec = pytest.importorskip("kfp.pipeline_spec.pipeline_spec_pb2")
    kubernetes = pytest.importorskip("kfp.kubernetes.kubernetes_executor_config_pb2")
    found: dict[str, dict[str, str]] = {}

    def walk(desc: Any) -> None:
        found[desc.full_name] = {f.name: f.json_name for f in desc.fields}
        for nested in desc.nested_types:
            if not nested.GetOptions().map_entry:
                walk(nested)

    for module in (pipeline_spec, kubernetes):
        for desc in module.DESCRIPTOR.message_types_by_name.values():
            walk(desc)
    table = tags()["2.17.0"]["messages"]
    assert {m: {f: v["json"] for f, v in fields.items()} for m, fields in table.items()} == found
