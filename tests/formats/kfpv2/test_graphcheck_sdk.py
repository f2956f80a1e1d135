"""The graph rules accept exactly what kfp's compiler adds without a component input: resource
fields and the image set from a pipeline channel (``pipeline_spec_builder.py``, "Inject resource
fields into inputs"); anything else of that shape is still refused."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from kfdata_compiler.formats.kfpv2 import graphcheck
from kfdata_compiler.yamlio.kfpstyle import load_kfp_documents

compiler = pytest.importorskip("kfp.compiler")


# Compiled from text: kfp reads the annotations, which this module's future import makes strings.
PIPELINES = """
from kfp import dsl


@dsl.component(base_image="python:3.11")
def text() -> str:
    return "1"


@dsl.component(base_image="python:3.11")
def add(a: int, b: int) -> int:
    return a + b


@dsl.pipeline
def from_task_outputs():  # kfp's own test_data pipeline_with_string_machine_fields_*
    task = add(a=1, b=2)
    task.set_cpu_limit(text().output)
    task.set_memory_limit(text().output)
    task.set_accelerator_type(text().output)
    task.set_accelerator_limit(text().output)
    task.set_cpu_request(text().output)
    task.set_memory_request(text().output)


@dsl.pipeline
def from_pipeline_inputs(cpu: str = "4000m", memory: str = "15G",
                         kind: str = "NVIDIA_TESLA_P4", count: str = "1"):
    task = add(a=1, b=2)
    task.set_cpu_limit(cpu).set_memory_limit(memory)
    task.set_accelerator_type(kind).set_accelerator_limit(count)
"""


def _pipeline(name: str, tmp_path: Path) -> Any:
    # kfp reads a lightweight component's source from its file, so the text gets one.
    source = tmp_path / "kfdata_sdk_pipelines.py"
    source.write_text(PIPELINES)
    spec = importlib.util.spec_from_file_location("kfdata_sdk_pipelines", source)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def _compiled(pipeline: Any, tmp_path: Path) -> list[Any]:
    out = tmp_path / "p.yaml"
    compiler.Compiler().compile(pipeline, str(out))
    return load_kfp_documents(out.read_text())


@pytest.mark.filterwarnings("ignore::FutureWarning")
@pytest.mark.parametrize("pipeline", ["from_task_outputs", "from_pipeline_inputs"])
def test_what_kfp_compiles_from_resource_channels_lints_clean(pipeline: str,
                                                              tmp_path: Path) -> None:
    docs = _compiled(_pipeline(pipeline, tmp_path), tmp_path)
    task = docs[0]["root"]["dag"]["tasks"]["add"]
    injected = {n for n in task["inputs"]["parameters"] if n in graphcheck.SDK_INJECTED}
    assert injected  # kfp passes them, undeclared by comp-add
    assert not injected & set(docs[0]["components"]["comp-add"]["inputDefinitions"]["parameters"])
    assert graphcheck.check(docs) == []


@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_the_same_shapes_without_the_sdk_s_reason_are_still_refused(tmp_path: Path) -> None:
    docs = _compiled(_pipeline("from_task_outputs", tmp_path), tmp_path)
    inputs = docs[0]["root"]["dag"]["tasks"]["add"]["inputs"]["parameters"]
    inputs["cpu_limit"] = {"runtimeValue": {"constant": "4"}}  # no channel: not the SDK's
    inputs["threads"] = dict(inputs["memory_limit"])  # not a resource field
    # A channel no injected input reads keeps its producer rule.
    inputs["pipelinechannel--extra"] = {"taskOutputParameter": {
        "producerTask": "text", "outputParameterKey": "Output"}}
    found = sorted((f.code, f.path[-1]) for f in graphcheck.check(docs))
    # cpu_limit read pipelinechannel--text-Output; now nothing injected reads it.
    assert found == [("KF624", "pipelinechannel--extra"), ("KF624", "pipelinechannel--text-Output"),
                     ("KF625", "cpu_limit"), ("KF625", "threads")]
