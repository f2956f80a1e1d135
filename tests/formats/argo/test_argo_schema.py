"""The strict Argo schema: regenerates byte-identically, is a valid schema, matches the corpus."""

from __future__ import annotations

import importlib.util
import json
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for

from tests.paths import ROOT, SHARED

SCHEMA_PATH = ROOT / "schemas" / "argo-workflows.strict.schema.json"
GENERATOR = ROOT / "schemas" / "generate_argo_schema.py"
ADDITIONS = ROOT / "schemas" / "argo_41_additions.py"

CORPUS = SHARED / "corpus"
CORPUS_DIRS = ("argo-examples", "kfp-v1-argo", "kfp-v2-argo")
ARGO_SCHEMA = SHARED / "schemas" / "argo" / "schema.json"
KINDS = frozenset({"Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow"})
CORPUS_BUDGET_SECONDS = 20.0

# Corpus documents that genuinely break Argo's rules, each checked against Argo 4.1.2's full
# CRDs and api/jsonschema/schema.json (../shared/schemas/argo). Keys are paths under
# ../shared/corpus; every error of such a file must match its reason's signature below.
PARALLELISM_0 = (
    "KFP 1.8.22 writes `parallelism: 0` on every ParallelFor template without an explicit "
    "parallelism; Argo's full CRDs (installed by default since Argo 4.0) declare "
    "templates[].parallelism `minimum: 1`, so the API server rejects the Workflow "
    "(schema.json has no minimum, so `argo lint` alone accepts it); Argo 3.3 to 3.7 run it as "
    "no limit. `kfdata-compile lint` reports it as KF419, by --argo-version, not as this KF400"
)
EXPECTED_FINDINGS: dict[str, str] = {
    f"kfp-v1-argo/{name}.yaml": PARALLELISM_0
    for name in (
        "kfp1822-samples-loop_output",
        "kfp1822-samples-loop_parameter",
        "kfp1822-samples-loop_static",
        "kfp1822-samples-parallelism_sub_dag",
        "kfp1822-samples-parallelism_sub_dag_with_op_output",
        "kfp1822-testdata-loop_over_lightweight_output",
        "kfp1822-testdata-parallelfor_item_argument_resolving",
        "kfp1822-testdata-parallelfor_pipeline_param_in_items_resolving",
        "kfp1822-testdata-uri_artifacts",
        "kfp1822-testdata-withitem_basic",
        "kfp1822-testdata-withitem_nested",
        "kfp1822-testdata-withparam_global",
        "kfp1822-testdata-withparam_global_dict",
        "kfp1822-testdata-withparam_output",
        "kfp1822-testdata-withparam_output_dict",
        "kfp1822-v2compat-testdata-uri_artifacts",
        "loop_over_lightweight_output",
        "parallelfor_item_argument_resolving",
        "parallelfor_pipeline_param_in_items_resolving",
        "uri_artifacts",
        "withitem_basic",
        "withitem_nested",
        "withparam_global",
        "withparam_global_dict",
        "withparam_output",
        "withparam_output_dict",
    )
}

# Every error ("<json_path>: <message>") of a listed file must match its reason's pattern.
SIGNATURES: dict[str, str] = {
    PARALLELISM_0: r"\$\.spec\.templates\[\d+\]\.parallelism: 0 is less than the minimum of 1",
}

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> Validator:
    return validator_for(schema)(schema)


def _corpus() -> Iterator[tuple[str, int, dict[str, Any]]]:
    for folder in CORPUS_DIRS:
        for path in sorted((CORPUS / folder).glob("*.y*ml")):
            docs = yaml.load_all(path.read_text(encoding="utf-8"), Loader=_Loader)
            for index, doc in enumerate(docs):
                if isinstance(doc, dict) and doc.get("kind") in KINDS:
                    yield f"{folder}/{path.name}", index, doc


@pytest.fixture(scope="module")
def corpus() -> list[tuple[str, int, dict[str, Any]]]:
    if not all((CORPUS / folder).is_dir() for folder in CORPUS_DIRS):
        pytest.skip(f"corpus not found under {CORPUS}")
    return list(_corpus())


def _errors(validator: Validator, doc: dict[str, Any]) -> list[str]:
    return sorted(f"{err.json_path}: {err.message}" for err in validator.iter_errors(doc))


def test_regenerating_is_byte_identical(tmp_path: Path) -> None:
    if importlib.util.find_spec("hera") is None:
        pytest.skip("hera is not installed; it is needed only to regenerate the schema")
    out = tmp_path / "schema.json"
    # A subprocess: importing hera here would change PyYAML's global representers.
    subprocess.run(
        [sys.executable, str(GENERATOR), "--output", str(out)],
        check=True,
        capture_output=True,
    )
    assert out.read_bytes() == SCHEMA_PATH.read_bytes(), (
        "schemas/argo-workflows.strict.schema.json is stale: "
        "run .venv/bin/python schemas/generate_argo_schema.py"
    )


def test_schema_is_a_valid_draft_2020_12_schema(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    validator_for(schema).check_schema(schema)


def test_every_object_is_closed_unless_free_form(schema: dict[str, Any]) -> None:
    open_objects = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object" and "additionalProperties" not in node:
                open_objects.append(where)
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}/{i}")

    walk(schema["$defs"], "#/$defs")
    assert sorted(open_objects) == [
        "#/$defs/io.argoproj.workflow.v1alpha1.Plugin",
        "#/$defs/io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1",
    ]


def _argo_definitions() -> dict[str, Any]:
    if not ARGO_SCHEMA.is_file():
        pytest.skip(f"{ARGO_SCHEMA} not found")
    definitions: dict[str, Any] = json.loads(ARGO_SCHEMA.read_text(encoding="utf-8"))["definitions"]
    return definitions


def test_every_argo_412_field_is_known(schema: dict[str, Any]) -> None:
    # hera 7.1.0 (Argo 4.0.5 models) plus schemas/argo_41_additions.py = Argo 4.1.2's fields.
    argo = _argo_definitions()
    missing, extra = {}, {}
    for name, definition in schema["$defs"].items():
        ours = set(definition.get("properties", ()))
        theirs = set(argo[name].get("properties", ()))
        if theirs - ours:
            missing[name] = theirs - ours
        if ours - theirs:
            extra[name] = ours - theirs
    assert missing == {}
    assert extra == {}


def _comparable(node: Any) -> Any:
    """A schema without prose, Kubernetes markers, formats or our closing of objects."""
    if isinstance(node, list):
        return [_comparable(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in ("description", "format") or key.startswith("x-kubernetes"):
            continue
        if key == "additionalProperties" and value is False:
            continue
        if key == "$ref":
            value = value.replace("#/definitions/", "#/$defs/")
        out[key] = _comparable(value)
    return out


def _additions() -> Any:
    spec = importlib.util.spec_from_file_location("argo_41_additions", ADDITIONS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_argo_41_additions_are_copied_faithfully() -> None:
    argo = _argo_definitions()
    additions = _additions()
    for name, definition in additions.DEFINITIONS.items():
        assert _comparable(definition) == _comparable(argo[name]), name
    for (name, prop), field in additions.FIELDS.items():
        assert _comparable(field) == _comparable(argo[name]["properties"][prop]), (name, prop)


def test_corpus_conforms(
    validator: Validator, corpus: list[tuple[str, int, dict[str, Any]]]
) -> None:
    known = EXPECTED_FINDINGS.keys()
    unexpected: dict[str, list[str]] = {}
    timings: list[tuple[float, str]] = []
    start = time.perf_counter()
    for name, index, doc in corpus:
        t0 = time.perf_counter()
        errors = _errors(validator, doc)
        timings.append((time.perf_counter() - t0, name))
        if errors and name not in known:
            unexpected[f"{name}#{index}"] = errors[:5]
    elapsed = time.perf_counter() - start
    assert not unexpected, json.dumps(unexpected, indent=1)
    median_ms = statistics.median(t for t, _ in timings) * 1000
    slowest = max(timings)
    assert elapsed < CORPUS_BUDGET_SECONDS, (
        f"{len(corpus)} documents took {elapsed:.1f} s (median {median_ms:.1f} ms, "
        f"slowest {slowest[1]} {slowest[0] * 1000:.0f} ms)"
    )


@pytest.mark.parametrize("name", sorted(EXPECTED_FINDINGS))
def test_listed_findings_still_fail(
    validator: Validator, corpus: list[tuple[str, int, dict[str, Any]]], name: str
) -> None:
    reason = EXPECTED_FINDINGS[name]
    errors = [e for n, _, doc in corpus if n == name for e in _errors(validator, doc)]
    assert errors, f"{name} now passes; remove it from the table ({reason})"
    signature = re.compile(SIGNATURES[reason])
    assert [e for e in errors if not signature.fullmatch(e)] == []


def _workflow(**template: Any) -> dict[str, Any]:
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": {"generateName": "t-"},
        "spec": {
            "entrypoint": "main",
            "templates": [
                {"name": "main", "container": {"name": "", "image": "alpine"}, **template}
            ],
        },
    }


def _only_error(validator: Validator, doc: dict[str, Any]) -> tuple[str, str]:
    errors = list(validator.iter_errors(doc))
    assert len(errors) == 1, [f"{e.json_path}: {e.message}" for e in errors]
    return errors[0].json_path, errors[0].message


def test_minimal_workflow_passes(validator: Validator) -> None:
    assert _errors(validator, _workflow()) == []


@pytest.mark.parametrize(
    ("doc", "json_path", "message"),
    [
        pytest.param(
            _workflow(container={"image": "alpine", "imagePullPolice": "Always"}),
            "$.spec.templates[0].container",
            "'imagePullPolice' was unexpected",
            id="unknown-container-field",
        ),
        pytest.param(
            _workflow(name="my_step"),
            "$.spec.templates[0].name",
            "does not match",
            id="template-name-underscore",
        ),
        pytest.param(
            _workflow(container={"image": "alpine", "args": "echo hi"}),
            "$.spec.templates[0].container.args",
            "is not of type 'array'",
            id="string-for-list",
        ),
        pytest.param(
            _workflow(dag={"tasks": [{"name": "a.b", "template": "x"}]}),
            "$.spec.templates[0].dag.tasks[0].name",
            "does not match",
            id="dag-task-name-dot",
        ),
        pytest.param(
            _workflow(inputs={"parameters": [{"name": "a b"}]}),
            "$.spec.templates[0].inputs.parameters[0].name",
            "does not match",
            id="parameter-name-space",
        ),
        pytest.param(
            _workflow(container={"image": "a", "env": [{"name": "1X", "value": "v"}]}),
            "$.spec.templates[0].container.env[0].name",
            "does not match",
            id="env-name-leading-digit",
        ),
        pytest.param(
            _workflow(sidecars=[{"name": "Side_car", "image": "a"}]),
            "$.spec.templates[0].sidecars[0].name",
            "does not match",
            id="sidecar-name-not-dns-label",
        ),
        pytest.param(
            _workflow(container={"image": "a", "resources": {"limits": {"cpu": "lots"}}}),
            "$.spec.templates[0].container.resources.limits.cpu",
            "does not match",
            id="quantity-not-a-quantity",
        ),
        pytest.param(
            _workflow(archiveLocation={"archiveLogs": "true"}),
            "$.spec.templates[0].archiveLocation.archiveLogs",
            "is not of type 'boolean'",
            id="boolean-as-string",
        ),
        pytest.param(
            _workflow(retryStrategy={"limit": None}),
            "$.spec.templates[0].retryStrategy.limit",
            "None is not of type 'integer', 'string'",
            id="null-outside-time-fields",
        ),
        pytest.param(
            {
                **_workflow(),
                "kind": "CronWorkflow",
                "spec": {
                    "schedule": "0 * * * *",
                    "schedules": ["0 * * * *"],
                    "workflowSpec": _workflow()["spec"],
                },
            },
            "$.spec",
            "'schedule' was unexpected",  # removed in Argo 4.0; `schedules` replaces it
            id="cron-workflow-dispatch",
        ),
    ],
)
def test_rejected(validator: Validator, doc: dict[str, Any], json_path: str, message: str) -> None:
    path, text = _only_error(validator, doc)
    assert (path, message in text) == (json_path, True), text


@pytest.mark.parametrize(
    "template",
    [
        pytest.param({"retryStrategy": {"limit": 3}}, id="int-or-string-int"),
        pytest.param({"retryStrategy": {"limit": "{{inputs.parameters.n}}"}}, id="int-or-str-str"),
        pytest.param({"activeDeadlineSeconds": "{{workflow.parameters.t}}"}, id="deadline-str"),
        pytest.param(
            {"container": {"image": "a", "resources": {"limits": {"cpu": 2, "memory": "1Gi"}}}},
            id="quantity-int-and-string",
        ),
        pytest.param(
            {"container": {"image": "a", "livenessProbe": {"httpGet": {"port": "http"}}}},
            id="named-probe-port",
        ),
        pytest.param({"plugin": {"hello": {"any": ["thing"]}}}, id="plugin-free-form"),
        pytest.param(
            {"dag": {"tasks": [{"name": "a", "template": "x", "withItems": [1, "b", {"c": 1}]}]}},
            id="with-items-any",
        ),
        pytest.param({"metadata": {"labels": {"a/b": "c"}, "annotations": {"x": "y"}}}, id="maps"),
    ],
)
def test_accepted(validator: Validator, template: dict[str, Any]) -> None:
    assert _errors(validator, _workflow(**template)) == []


def test_go_style_null_timestamps_pass(validator: Validator) -> None:
    doc = _workflow()
    doc["metadata"]["creationTimestamp"] = None
    doc["status"] = {"startedAt": None, "finishedAt": None}
    assert _errors(validator, doc) == []


# A second, independent check of every golden output: Argo 4.1.2's own schema.json, made
# strict the way the API server with the full CRDs is (see ../shared/README.md).
ARGO = "io.argoproj.workflow.v1alpha1."
INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
META_TIME = "io.k8s.apimachinery.pkg.apis.meta.v1.Time"
# Golden -> expected errors. None so far: even KFP 1.8's ParallelFor `parallelism: 0` passes,
# as schema.json has no minimum (only the CRD has); tests/test_lint.py covers that one.
GOLDEN_SCHEMA_FINDINGS: dict[str, list[str]] = {}


def _strict_copy_of_argo_schema() -> dict[str, Any]:
    definitions = _argo_definitions()
    for definition in definitions.values():
        # Unknown fields are errors (`argo lint --strict`); maps already say what they hold.
        if definition.get("type") == "object" and "properties" in definition:
            definition.setdefault("additionalProperties", False)
    # schema.json types these as strings; YAML writes integers too (`limit: 3`, `cpu: 2`).
    definitions[INT_OR_STRING] = {"type": ["integer", "string"]}
    definitions[QUANTITY] = {"type": ["integer", "string"]}
    definitions[META_TIME] = {"type": ["string", "null"]}  # Go writes `creationTimestamp: null`
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "definitions": definitions}


@pytest.fixture(scope="module")
def argo_strict() -> dict[str, Any]:
    return _strict_copy_of_argo_schema()


def _goldens() -> list[Path]:
    return sorted((ROOT / "golden").glob("*.yaml"))


@pytest.mark.parametrize("path", _goldens(), ids=lambda p: p.name)
def test_goldens_pass_argos_own_schema(argo_strict: dict[str, Any], path: Path) -> None:
    errors = []
    for index, doc in enumerate(yaml.load_all(path.read_text(encoding="utf-8"), Loader=_Loader)):
        if not (isinstance(doc, dict) and doc.get("kind") in KINDS):
            continue
        schema = {**argo_strict, "$ref": f"#/definitions/{ARGO}{doc['kind']}"}
        errors += [f"#{index} {e}" for e in _errors(validator_for(schema)(schema), doc)]
    assert errors == GOLDEN_SCHEMA_FINDINGS.get(path.name, [])


def test_the_strict_copy_is_strict(argo_strict: dict[str, Any]) -> None:
    schema = {**argo_strict, "$ref": f"#/definitions/{ARGO}Workflow"}
    doc = _workflow(container={"image": "alpine", "imagePullPolice": "Always"})
    doc["spec"]["templates"][0]["retryStrategy"] = {"limit": 3}
    assert _errors(validator_for(schema)(schema), doc) == [
        "$.spec.templates[0].container: Additional properties are not allowed "
        "('imagePullPolice' was unexpected)"
    ]
