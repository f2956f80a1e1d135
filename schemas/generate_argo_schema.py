"""Generate ``argo-workflows.strict.schema.json`` from hera's pydantic models.

The compiler validates its output against this file at runtime without importing hera
(hera costs ~1 s to import); this script is the only place hera is needed. Run it with
``.venv/bin/python schemas/generate_argo_schema.py`` and commit the result: the output is
deterministic, and ``tests/test_argo_schema.py`` checks that regenerating is a no-op.

What "strict" means here (the behaviour of ``argo lint --strict`` plus the API server with
Argo's full CRDs, the default since Argo 4.0):

* every object schema is closed (``additionalProperties: false``), as ``argo lint --strict``
  decodes with ``DisallowUnknownFields``. Maps (labels, annotations, nodeSelector, resource
  limits and requests, hooks, ...) keep their typed ``additionalProperties``; the few
  genuinely free-form values (``OPEN_OBJECTS``, ``Item``) stay open;
* ``null`` is accepted only where Go itself writes it (``metav1.Time``); pydantic's
  ``Optional`` would otherwise allow ``null`` everywhere;
* IntOrString and Quantity accept integers and strings; Quantity strings must match the
  CRD's quantity pattern;
* Argo's and Kubernetes' name rules and a few other CRD constraints (``CONSTRAINTS``);
* the Argo 4.1 fields hera 7.1.0 lacks, copied from Argo 4.1.2's schema (``argo_41_additions``).

The schema is JSON Schema draft 2020-12; definitions are named like Argo's own
``api/jsonschema/schema.json`` (``io.argoproj.workflow.v1alpha1.Template``,
``io.k8s.api.core.v1.Container``, ...), so the two are easy to compare.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import argo_41_additions  # beside this script: run it as a script, as documented above

OUTPUT = Path(__file__).with_name("argo-workflows.strict.schema.json")
DRAFT = "https://json-schema.org/draft/2020-12/schema"
API_VERSION = "argoproj.io/v1alpha1"
KINDS = ("Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow")

ARGO = "io.argoproj.workflow.v1alpha1."
CORE = "io.k8s.api.core.v1."
META = "io.k8s.apimachinery.pkg.apis.meta.v1."
INTSTR = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
TIME = META + "Time"

# Free-form values: Go `json.RawMessage`/`interface{}` behind them, so any object is valid.
# (`Item`, the element of `withItems`, is untyped in hera already and stays `{}`.)
OPEN_OBJECTS = {
    # `plugin: {<plugin-name>: {...}}`: executor-plugin configuration, opaque to Argo; the CRD
    # marks it x-kubernetes-preserve-unknown-fields.
    ARGO + "Plugin",
    # managedFields[].fieldsV1: a structured-merge-diff trie written by the API server.
    META + "FieldsV1",
}

# Kubernetes quantity, from the `pattern` Argo's full CRDs put on every Quantity field.
QUANTITY_PATTERN = (
    r"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))"
    r"(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$"
)
# Argo pkg/apis/workflow/v1alpha1/validation_utils.go: workflowFieldNameFmt and
# workflowFieldMaxLength (templates, steps, DAG tasks); the CRDs carry the same pattern.
FIELD_NAME = {"pattern": r"^[a-zA-Z0-9][-a-zA-Z0-9]*$", "maxLength": 128}
# Same file: paramOrArtifactNameRegex, applied by lint to parameter and artifact names.
# (The CRDs are looser for artifacts, `^[-a-zA-Z0-9_{}.]+$`; lint is the stricter rule.)
PARAM_NAME = {"pattern": r"^[-a-zA-Z0-9_]+$"}
# k8s.io/apimachinery/pkg/util/validation IsDNS1123Label: container and volume names.
DNS1123_LABEL = {"pattern": r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "maxLength": 63}
# The main container of a container/script template may be unnamed: Argo names it "main"
# (workflow/controller/workflowpod.go), and Go writers emit `name: ""` (no omitempty).
MAIN_CONTAINER_NAME = {"pattern": r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$", "maxLength": 63}
# k8s.io/apimachinery/pkg/util/validation IsEnvVarName: envVarNameFmt "[-._a-zA-Z][-._a-zA-Z0-9]*".
# Since Kubernetes 1.34 (KEP-4369, RelaxedEnvironmentVariableValidation: alpha 1.30, beta 1.32,
# GA 1.34) the API server instead accepts any printable ASCII except '=' (IsRelaxedEnvVarName).
# We keep the classic rule: compiled pipelines must also run on older clusters.
ENV_NAME = {"pattern": r"^[-._a-zA-Z][-._a-zA-Z0-9]*$"}
# Prometheus metric names and label keys, as in the CRDs.
METRIC_NAME = {"pattern": r"^[a-zA-Z_][a-zA-Z0-9_]*$"}

# (definition, property) -> keywords merged into that property's schema. Every entry must
# exist in the generated schema (the script fails otherwise), so a hera upgrade that renames
# something cannot silently drop a rule.
CONSTRAINTS: dict[tuple[str, str], dict[str, Any]] = {
    # Argo's name rules (lint and the CRDs).
    (ARGO + "Template", "name"): FIELD_NAME,
    (ARGO + "DAGTask", "name"): FIELD_NAME,
    (ARGO + "WorkflowStep", "name"): FIELD_NAME,
    (ARGO + "Parameter", "name"): PARAM_NAME,
    (ARGO + "Artifact", "name"): PARAM_NAME,
    (ARGO + "ArtifactPaths", "name"): PARAM_NAME,
    # Kubernetes' name rules, checked when the pod is created.
    (CORE + "Container", "name"): MAIN_CONTAINER_NAME,
    (ARGO + "UserContainer", "name"): DNS1123_LABEL,
    (ARGO + "ContainerNode", "name"): DNS1123_LABEL,
    (ARGO + "ScriptTemplate", "name"): MAIN_CONTAINER_NAME,
    (CORE + "Volume", "name"): DNS1123_LABEL,
    (CORE + "EnvVar", "name"): ENV_NAME,
    (CORE + "PodResourceClaim", "name"): DNS1123_LABEL,
    # Other constraints of Argo's full CRDs (kubebuilder markers on the Go types).
    (ARGO + "WorkflowSpec", "templates"): {"maxItems": 200},
    (ARGO + "WorkflowSpec", "parallelism"): {"minimum": 1},
    (ARGO + "Template", "parallelism"): {"minimum": 1},
    (ARGO + "Template", "steps"): {"minItems": 1},
    (ARGO + "DAGTemplate", "tasks"): {"minItems": 1, "maxItems": 200},
    (ARGO + "Inputs", "parameters"): {"maxItems": 500},
    (ARGO + "Parameter", "enum"): {"minItems": 1},
    (ARGO + "Artifact", "mode"): {"minimum": 0, "maximum": 511},
    (ARGO + "ArtifactPaths", "mode"): {"minimum": 0, "maximum": 511},
    (ARGO + "Metrics", "prometheus"): {"maxItems": 100},
    (ARGO + "Prometheus", "name"): METRIC_NAME,
    (ARGO + "Prometheus", "help"): {"minLength": 1},
    (ARGO + "MetricLabel", "key"): METRIC_NAME,
    (ARGO + "Counter", "value"): {"minLength": 1},
    (ARGO + "Gauge", "value"): {"minLength": 1, "maxLength": 256},
    (ARGO + "Histogram", "value"): {"minLength": 1},
    # hera types probe/lifecycle httpGet.port as int; Kubernetes has IntOrString (named ports).
    (CORE + "HTTPGetAction", "port"): {"$ref": f"#/$defs/{INTSTR}", "type": None},
}
# Required properties the CRDs have and hera lacks.
EXTRA_REQUIRED = {ARGO + "Metrics": ["prometheus"]}

# Schema keywords whose value is a single subschema / a name->subschema map / a list of them.
_SUBSCHEMA = ("additionalProperties", "items", "not", "if", "then", "else")
_SUBSCHEMA_MAPS = ("properties", "$defs", "patternProperties")
_SUBSCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")
_DROPPED = ("title", "default")


def _pydantic_schema() -> dict[str, Any]:
    from hera.workflows import models
    from pydantic.json_schema import DefsRef, GenerateJsonSchema, models_json_schema

    class FullNames(GenerateJsonSchema):
        # Name definitions by Go package path, as Argo's schema.json does; pydantic's short
        # names collide (two HTTPHeader types) and get mangled.
        def get_defs_ref(self, core_mode_ref: Any) -> DefsRef:
            core_ref, _mode = core_mode_ref
            name = core_ref.rsplit(":", 1)[0].removeprefix("hera.workflows.models.")
            # pydantic's own bookkeeping (private, but checked by the regeneration test).
            self._prioritized_defsref_choices[DefsRef(name)] = [DefsRef(name)]
            return DefsRef(name)

    _, schema = models_json_schema(
        [(getattr(models, kind), "validation") for kind in KINDS],
        schema_generator=FullNames,
    )
    return schema


def _clean(node: Any, keep_descriptions: bool) -> Any:
    """Drop pydantic noise, un-Optional fields and close every object schema."""
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROPPED or (key == "description" and not keep_descriptions):
            continue
        if key in _SUBSCHEMA_MAPS:
            out[key] = {k: _clean(v, keep_descriptions) for k, v in value.items()}
        elif key in _SUBSCHEMA_LISTS:
            out[key] = [_clean(v, keep_descriptions) for v in value]
        elif key in _SUBSCHEMA:
            out[key] = _clean(value, keep_descriptions)
        else:
            out[key] = value
    # `Optional[X]` comes out as anyOf [X, null]; Go's decoder and the API server treat a
    # missing field and a null alike, but no Argo or Kubernetes writer emits null here.
    alternatives = out.get("anyOf")
    if alternatives is not None:
        rest = [a for a in alternatives if a != {"type": "null"}]
        if len(rest) == 1:
            del out["anyOf"]
            out = {**rest[0], **out}
    if out.get("type") == "object" and "additionalProperties" not in out:
        out["additionalProperties"] = False
        if not out.get("properties"):
            out.pop("properties", None)
    return out


def _merge(target: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if value is None:
            target.pop(key, None)
        else:
            target[key] = value


def _add_argo_41(defs: dict[str, Any], keep_descriptions: bool) -> None:
    """Add the Argo 4.1 fields hera lacks; fail once hera has one, so the copy is dropped."""
    for name, definition in argo_41_additions.DEFINITIONS.items():
        if name in defs:
            raise SystemExit(f"hera now defines {name}: delete it from argo_41_additions.py")
        defs[name] = _clean(definition, keep_descriptions)
    for (name, prop), schema in argo_41_additions.FIELDS.items():
        props = defs[name]["properties"]
        if prop in props:
            raise SystemExit(f"hera now has {name}.{prop}: delete it from argo_41_additions.py")
        props[prop] = _clean(schema, keep_descriptions)


def _patch(defs: dict[str, Any]) -> None:
    for name in OPEN_OBJECTS:
        defs[name].pop("additionalProperties")
    defs[INTSTR] = {"type": ["integer", "string"]}
    defs[QUANTITY] = {
        **defs[QUANTITY],
        "type": ["integer", "string"],
        "pattern": QUANTITY_PATTERN,
    }
    # metav1.Time marshals its zero value as `null` (e.g. `creationTimestamp: null`,
    # `status.startedAt: null` in every Go-written workflow).
    defs[TIME] = {**defs[TIME], "type": ["string", "null"]}
    for (name, prop), extra in CONSTRAINTS.items():
        _merge(defs[name]["properties"][prop], extra)
    for name, required in EXTRA_REQUIRED.items():
        defs[name]["required"] = sorted({*defs[name].get("required", ()), *required})
    for kind in KINDS:
        props = defs[ARGO + kind]["properties"]
        _merge(props["apiVersion"], {"const": API_VERSION})
        _merge(props["kind"], {"const": kind})
        defs[ARGO + kind]["required"] = ["apiVersion", "kind", "metadata", "spec"]


def _versions() -> str:
    from hera.workflows.models.io.argoproj.workflow import v1alpha1

    # datamodel-codegen's header names the Argo OpenAPI file the models come from.
    header = Path(v1alpha1.__file__).read_text(encoding="utf-8")[:300]
    argo = re.search(r"argo-workflows-([0-9][^\s]*?)\.json", header)
    argo_version = argo.group(1) if argo else "?"
    return f"hera {metadata.version('hera')} (Argo Workflows {argo_version} models)"


def build(keep_descriptions: bool = True) -> dict[str, Any]:
    """Return the strict schema as a JSON-ready dict."""
    defs = {k: _clean(v, keep_descriptions) for k, v in _pydantic_schema()["$defs"].items()}
    _add_argo_41(defs, keep_descriptions)
    _patch(defs)
    return {
        "$schema": DRAFT,
        "$comment": (
            f"Generated by schemas/generate_argo_schema.py from {_versions()} and the "
            "Argo Workflows 4.1.2 fields in schemas/argo_41_additions.py. Do not edit."
        ),
        "title": "Argo Workflows resources, strict",
        "type": "object",
        "required": ["apiVersion", "kind"],
        "properties": {
            "apiVersion": {"const": API_VERSION},
            "kind": {"enum": list(KINDS)},
        },
        # if/then rather than oneOf: errors come from the one matching kind, not from all four.
        "allOf": [
            {
                "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
                "then": {"$ref": f"#/$defs/{ARGO}{kind}"},
            }
            for kind in KINDS
        ],
        "$defs": defs,
    }


def render(schema: dict[str, Any]) -> str:
    """Serialise deterministically: sorted keys, one-space indent, trailing newline."""
    return json.dumps(schema, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    parser.add_argument(
        "--no-descriptions", action="store_true", help="drop field descriptions (smaller file)"
    )
    args = parser.parse_args(argv)
    text = render(build(keep_descriptions=not args.no_descriptions))
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({len(text.encode())} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
