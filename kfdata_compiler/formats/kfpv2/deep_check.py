"""The checks of a bound IR file that need kfp itself (kfp 2.x and kfp-kubernetes installed).

Never imported on the compile path: ``kfdata-compile lint --deep`` runs them on KFP v2 IR files
(the ``kfp`` extra brings kfp), the tests import them, and they run as a script::

    kfdata-compile lint --deep golden/kfpv2-flat.yaml     ->  exit 0, nothing printed
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

import contextlib
import functools
import importlib
import io
import json
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kfdata_compiler.diagnostics import Diagnostic, Location
from kfdata_compiler.errors import LoadError
from kfdata_compiler.formats.kfpv2 import ir
from kfdata_compiler.formats.kfpv2.tasks import Tasks
from kfdata_compiler.yamlio.kfpstyle import load_kfp_documents

if TYPE_CHECKING:
    from kfdata_compiler.load import Source

EXTRA = "pip install 'kfdata-compiler[kfp]'"
CODE = "KF629"  # one of kfp's own checks fails on the file
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


def bound_python_tasks(docs: list[Any]) -> Iterator[dict[str, Any]]:
    """The tasks whose component is Python (kfp's executor runs it) and carries kfdata's env."""
    for node in Tasks(docs).views:
        spec = node["spec"]
        bound = any(str(e.get("name", "")).startswith("KFDATA_")
                    for e in ir.container(spec).get("env") or [])
        if bound and ir.function_name(spec) is not None and ir.is_python(spec):
            yield node


def run_executor(node: dict[str, Any]) -> None:
    """Run one task's embedded function as kfp's executor would; raises what the function or
    the executor raises (``KeyError`` for an input artifact its signature lacks)."""
    executor_mod = importlib.import_module("kfp.dsl.executor")
    spec = node["spec"]
    namespace: dict[str, Any] = {}
    exec(compile(ir.strings(spec, "command")[-1], "<component>", "exec", dont_inherit=True),
         namespace)  # dont_inherit: not this module's postponed annotations
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "out").mkdir()
        (work / "o").mkdir()
        executor_input = _executor_input(node, work)
        executor_mod.Executor(executor_input, namespace[str(ir.function_name(spec))]).execute()


def run_bound_executors(docs: list[Any]) -> int:
    """Run every bound Python component's function as kfp's executor would; the count run."""
    ran = 0
    for node in bound_python_tasks(docs):
        run_executor(node)
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


def diagnose(source: Source) -> list[Diagnostic]:
    """kfp's own checks of an IR file (``kfdata-compile lint --deep``): one KF629 per check that
    fails, at what it checked; ``LoadError`` (KF630) when kfp or kfp-kubernetes is missing.

        diagnose(load_source("p.yaml", data))  ->  [Diagnostic("KF629", "kfp's executor fails
            on task 'train' (exec-train): KeyError: 'kfdata_x'", Location("p.yaml", 88, 7))]
    """
    try:
        importlib.import_module("kfp.kubernetes")  # imports kfp as well
    except ImportError as exc:
        raise LoadError([Diagnostic(
            "KF630", f"lint --deep runs kfp's own checks, and kfp is not installed ({exc})",
            Location(source.path), f"{EXTRA} (kfp and kfp-kubernetes), or lint without --deep",
        )]) from None
    found: list[Diagnostic] = []
    docs: list[Any] = []

    def read() -> None:  # as kfp reads it (PyYAML's safe loader), which may differ from Go's
        docs.extend(d for d in load_kfp_documents(source.text) if d is not None)

    def attempt(check: str, run: Callable[[], object], at: tuple[str, ...], hint: str) -> None:
        # Whatever kfp (or the component's own code) raises is the finding: report it and go on.
        # SystemExit too: a component's sys.exit() must not end the lint run.
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # a component's prints: not a report
                run()
        except (Exception, SystemExit) as exc:  # noqa: BLE001
            text = str(exc).strip().splitlines()
            found.append(Diagnostic(CODE, f"{check} fails: {type(exc).__name__}"
                                    + (f": {text[0]}" if text else ""),
                                    source.positions.locate(at, 0), hint))

    attempt("kfp's YAML reading", read, (), "kfp reads the file with PyYAML's safe loader")
    if not docs:
        return found
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "pipeline.yaml"  # the text as read, also when it came from a pipe
        copy.write_text(source.text, encoding="utf-8")
        attempt("kfp's strict parse (PipelineSpec, PlatformSpec, KubernetesExecutorConfig)",
                lambda: strict_parse(docs), (),
                "the API server refuses a field or value here; compare with what kfp.compiler "
                "writes")
        attempt("kfp's load_component_from_file and a compile nested in an outer pipeline",
                lambda: nested_compile(copy, docs, Path(tmp) / "outer.yaml"), ("root",),
                "kfp's SDK cannot reuse this file as a component; docs/kfp-v2.md "
                "(Checking the output) lists the SDK's own known limits")
    for node in bound_python_tasks(docs):
        attempt(f"kfp's executor on task {node['name']!r} ({node['executor']})",
                functools.partial(run_executor, node),
                ("deploymentSpec", "executors", node["executor"]),
                "the component's function ran on placeholder inputs (small CSV files, default "
                "or placeholder parameters); a KeyError naming an input means the component "
                "has an input artifact its function does not take")
    return found


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
