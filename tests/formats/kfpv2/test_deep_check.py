"""The kfp checks of every KFP v2 golden (skipped when kfp is not installed): strict
``PipelineSpec``/``PlatformSpec``/``KubernetesExecutorConfig`` parse, ``load_component_from_file``,
a compile nested in an outer pipeline, and each bound Python component's own function run under
``kfp.dsl.executor.Executor`` with the ExecutorInput the driver would build. A new input artifact
on a Python component (what the compiler never emits) must fail the last check."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.paths import GOLDEN

HAVE_KFP = (importlib.util.find_spec("kfp") is not None
            and importlib.util.find_spec("kfp.kubernetes") is not None)
pytestmark = pytest.mark.skipif(not HAVE_KFP, reason="kfp and kfp-kubernetes are not installed")
GOLDENS = sorted(GOLDEN.glob("kfpv2-*.yaml"))


def test_every_positive_case_has_a_golden() -> None:
    assert len(GOLDENS) >= 5


@pytest.mark.parametrize("golden", GOLDENS, ids=lambda p: p.name)
def test_golden_passes_the_kfp_checks(golden: Path) -> None:
    from kfdata_compiler.formats.kfpv2.deep_check import check_file

    assert check_file(golden).startswith("ok")


def test_a_new_input_artifact_on_a_python_component_fails(tmp_path: Path) -> None:
    from kfdata_compiler.formats.kfpv2.deep_check import run_bound_executors
    from kfdata_compiler.yamlio.kfpstyle import load_kfp_documents

    docs = load_kfp_documents((GOLDEN / "kfpv2-flat.yaml").read_text())
    train = docs[0]["components"]["comp-train"]
    train["inputDefinitions"]["artifacts"]["kfdata_x"] = {
        "artifactType": {"schemaTitle": "system.Dataset", "schemaVersion": "0.0.1"}}
    with pytest.raises(KeyError, match="kfdata_x"):
        run_bound_executors(docs)
