"""The checks of a bound IR file that need kfp itself (kfp 2.x and kfp-kubernetes installed).

Never imported on the compile path: the tests import it, and it runs as a script in any venv
with kfp (``fixtures/.venv-kfp2``)::

    python -m kfdata_compiler.formats.kfpv2.deep_check golden/kfpv2-flat.yaml
    ->  golden/kfpv2-flat.yaml: ok (strict parse, load_component, nested compile, 1 executor run)

1. doc 1 parses strictly as ``PipelineSpec``, doc 2 as ``PlatformSpec``, each of its executors
   as ``KubernetesExecutorConfig``;
2. ``kfp.components.load_component_from_file`` loads it, and it compiles nested in an outer
   ``@dsl.pipeline`` (which declares a workspace when the file has one);
3. each bound Python component's embedded function runs under ``kfp.dsl.executor.Executor``
   with the ExecutorInput the driver would build (artifacts as local files, every parameter the
   task passes), so an input its signature lacks would raise ``KeyError``.
"""

from __future__ import annotations

import importlib
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from kfdata_compiler.formats.kfpv2 import ir
from kfdata_compiler.formats.kfpv2.tasks import Tasks
from kfdata_compiler.yamlio.kfpstyle import load_kfp_documents

_DUMMY = {"STRING": "x", "NUMBER_INTEGER": 1, "NUMBER_DOUBLE": 0.5, "BOOLEAN": True,
          "LIST": [], "STRUCT": {}}


def strict_parse(docs: list[Any]) -> None:
    """Parse as the API server does (protojson, no unknown field); raises on any problem."""
    json_format = importlib.import_module("google.protobuf.json_format")
    spec = importlib.import_module("kfp.pipeline_spec.pipeline_spec_pb2")
    k8s = importlib.import_module("kfp.kubernetes.kubernetes_executor_config_pb2")
    json_format.ParseDict(docs[0], spec.PipelineSpec())
    if len(docs) > 1 and docs[1]:
        json_format.ParseDict(docs[1], spec.PlatformSpec())
        for config in ir.mapping(docs[1], *ir.PLATFORM_EXECUTORS).values():
            json_format.ParseDict(config, k8s.KubernetesExecutorConfig())


def nested_compile(path: Path, docs: list[Any], out: Path) -> None:
    """Load the file as a component and compile it inside an outer pipeline."""
    dsl = importlib.import_module("kfp.dsl")
    compiler = importlib.import_module("kfp.compiler")
    components = importlib.import_module("kfp.components")
    inner = components.load_component_from_file(str(path))
    workspace = ir.mapping(docs[1] if len(docs) > 1 else {}, "platforms", "kubernetes",
                           "pipelineConfig", "workspace")
    config = (dsl.PipelineConfig(workspace=dsl.WorkspaceConfig(size=workspace["size"]))
              if workspace else None)

    def outer() -> None:
        inner(**_arguments(docs[0], dsl))

    outer.__annotations__.clear()  # kfp reads annotations: the postponed "None" is no type
    compiler.Compiler().compile(dsl.pipeline(name="outer", pipeline_config=config)(outer),
                                str(out))


def _arguments(doc: Any, dsl: Any) -> dict[str, Any]:
    """Values for the pipeline's required inputs: a constant per parameter type, an importer
    per artifact (its type's class)."""
    types = importlib.import_module("kfp.dsl.types.artifact_types")
    out: dict[str, Any] = {}
    root = ir.mapping(doc, "root")
    for name, spec in ir.input_defs(root, "parameters").items():
        if not spec.get("isOptional") and "defaultValue" not in spec:
            out[name] = _DUMMY.get(spec.get("parameterType"), "x")
    for name, spec in ir.input_defs(root, "artifacts").items():
        if not spec.get("isOptional"):
            title = ir.artifact_type(spec).get("schemaTitle", "system.Artifact")
            kind = types._SCHEMA_TITLE_TO_TYPE.get(title, types.Artifact)
            out[name] = dsl.importer(artifact_uri="gs://kfdata-check/x",
                                     artifact_class=kind).output
    return out


def _executor_input(node: dict[str, Any], work: Path) -> dict[str, Any]:
    """The ExecutorInput the driver builds for a task: parameters and local artifact files."""
    params: dict[str, Any] = {}
    for name, spec in ir.input_defs(node["body"], "parameters").items():
        given = ir.mapping(node["task"], "inputs", "parameters", name, "runtimeValue")
        params[name] = given["constant"] if "constant" in given else spec.get(
            "defaultValue", _DUMMY.get(spec.get("parameterType"), "x"))
    artifacts = {}
    for name, spec in ir.input_defs(node["body"], "artifacts").items():
        data = work / "in" / name
        data.parent.mkdir(parents=True, exist_ok=True)
        data.write_text("great movie,1\nawful plot,0\n", encoding="utf-8")
        artifacts[name] = {"artifacts": [{"name": name, "uri": str(data), "metadata": {},
                                          "type": ir.artifact_type(spec)}]}
    outputs: dict[str, Any] = {"outputFile": str(work / "executor_output.json"),
                               "parameters": {}, "artifacts": {}}
    component = node["body"]
    for name in ir.mapping(component, "outputDefinitions", "parameters"):
        outputs["parameters"][name] = {"outputFile": str(work / "out" / name)}
    for name, spec in ir.mapping(component, "outputDefinitions", "artifacts").items():
        outputs["artifacts"][name] = {"artifacts": [{"name": name, "uri": str(work / "o" / name),
                                                     "metadata": {},
                                                     "type": ir.artifact_type(spec)}]}
    return {"inputs": {"parameterValues": params, "artifacts": artifacts}, "outputs": outputs}


def run_bound_executors(docs: list[Any]) -> int:
    """Run every bound Python component's function as kfp's executor would; the count run."""
    executor_mod = importlib.import_module("kfp.dsl.executor")
    ran = 0
    for node in Tasks(docs).views:
        spec = node["spec"]
        bound = any(str(e.get("name", "")).startswith("KFDATA_")
                    for e in ir.container(spec).get("env") or [])
        function = ir.function_name(spec)
        if not bound or function is None or not ir.is_python(spec):
            continue
        namespace: dict[str, Any] = {}
        exec(compile(ir.strings(spec, "command")[-1], "<component>", "exec", dont_inherit=True),
             namespace)  # dont_inherit: not this module's postponed annotations
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            (work / "out").mkdir()
            (work / "o").mkdir()
            executor_input = _executor_input(node, work)
            executor_mod.Executor(executor_input, namespace[function]).execute()
        ran += 1
    return ran


def check_file(path: Path, run: bool = True) -> str:
    """All deep checks of one file (``run``: the executor runs too, which need the bound
    functions to work on placeholder data); raises on the first failure, else says what ran."""
    docs = load_kfp_documents(path.read_text(encoding="utf-8"))
    docs = [d for d in docs if d is not None]
    strict_parse(docs)
    with tempfile.TemporaryDirectory() as tmp:
        nested_compile(path, docs, Path(tmp) / "outer.yaml")
    ran = run_bound_executors(docs) if run else 0
    return f"ok (strict parse, load_component, nested compile, {ran} executor run(s))"


def main(argv: list[str]) -> int:
    """``python -m kfdata_compiler.formats.kfpv2.deep_check FILE...``: 0 when all pass."""
    status = 0
    for name in argv:
        try:
            result = check_file(Path(name))
        except Exception as exc:  # report every file, each failure as one line
            result, status = f"FAILED: {type(exc).__name__}: {exc}", 1
        sys.stdout.write(f"{name}: {json.dumps(result)[1:-1]}\n")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
