"""Argo 4.1 fields that hera 7.1.0's models (generated from Argo 4.0.5) lack, as literal schemas.

Copied from Argo Workflows v4.1.2's ``api/jsonschema/schema.json`` (commit f016ad89, also at
``../shared/schemas/argo/schema.json``); only the types are copied, descriptions are cut to
their first sentence and the ``x-kubernetes-*`` markers dropped. They are literals, not read
from that file, so regenerating needs neither ``../shared`` nor the network.
``generate_argo_schema.py`` closes these objects like every other one, and fails once hera has
a field itself (then delete it here); ``tests/test_argo_schema.py`` compares every entry with
Argo's schema.json.
"""

from __future__ import annotations

from typing import Any

ARGO = "io.argoproj.workflow.v1alpha1."
CORE = "io.k8s.api.core.v1."
META = "io.k8s.apimachinery.pkg.apis.meta.v1."


def _ref(name: str, description: str) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{name}", "description": description}


def _array(name: str, description: str) -> dict[str, Any]:
    return {"type": "array", "items": {"$ref": f"#/$defs/{name}"}, "description": description}


_STRING = {"type": "string"}

# New definitions the added fields refer to.
DEFINITIONS: dict[str, dict[str, Any]] = {
    ARGO + "ExecutorPlugin": {
        "description": "ExecutorPlugin describes workflow-level executor plugin",
        "type": "object",
        "properties": {
            "metadata": {"$ref": f"#/$defs/{META}ObjectMeta"},
            "spec": {"$ref": f"#/$defs/{ARGO}ExecutorPluginSpec"},
        },
        "required": ["metadata", "spec"],
    },
    ARGO + "ExecutorPluginSpec": {
        "type": "object",
        "properties": {"sidecar": {"$ref": f"#/$defs/{ARGO}ExecutorPluginSidecar"}},
        "required": ["sidecar"],
    },
    ARGO + "ExecutorPluginSidecar": {
        "type": "object",
        "properties": {
            "automountServiceAccountToken": {"type": "boolean"},
            "container": _ref(CORE + "Container", "The sidecar's container."),
        },
        "required": ["container"],
    },
    CORE + "PodResourceClaim": {
        "description": "PodResourceClaim references exactly one ResourceClaim, either "
        "directly or by naming a ResourceClaimTemplate which is then turned into a "
        "ResourceClaim for the pod.",
        "type": "object",
        "properties": {"name": _STRING, "resourceClaimName": _STRING,
                       "resourceClaimTemplateName": _STRING},
        "required": ["name"],
    },
    CORE + "ContainerRestartRule": {
        "description": "ContainerRestartRule describes how a container exit is handled.",
        "type": "object",
        "properties": {
            "action": _STRING,
            "exitCodes": {"$ref": f"#/$defs/{CORE}ContainerRestartRuleOnExitCodes"},
        },
        "required": ["action"],
    },
    CORE + "ContainerRestartRuleOnExitCodes": {
        "type": "object",
        "properties": {"operator": _STRING,
                       "values": {"type": "array", "items": {"type": "integer"}}},
        "required": ["operator"],
    },
    CORE + "FileKeySelector": {
        "description": "FileKeySelector selects a key of the env file.",
        "type": "object",
        "properties": {"key": _STRING, "optional": {"type": "boolean"}, "path": _STRING,
                       "volumeName": _STRING},
        "required": ["volumeName", "path", "key"],
    },
    CORE + "PodCertificateProjection": {
        "description": "PodCertificateProjection provides a private key and X.509 certificate "
        "in the pod filesystem.",
        "type": "object",
        "properties": {
            "certificateChainPath": _STRING,
            "credentialBundlePath": _STRING,
            "keyPath": _STRING,
            "keyType": _STRING,
            "maxExpirationSeconds": {"type": "integer"},
            "signerName": _STRING,
            "userAnnotations": {"type": "object", "additionalProperties": _STRING},
        },
        "required": ["signerName", "keyType"],
    },
}

_RESTART_RULES = _array(
    CORE + "ContainerRestartRule",
    "Rules checked in order to decide whether the container is restarted on exit.",
)
_ADDRESSING = {"type": "string", "description": "How buckets are addressed by the S3 client: "
               "\"\" (auto-detect), \"path\" or \"virtual-hosted\"."}
_POD_RESOURCES = _ref(CORE + "ResourceRequirements",
                      "Pod-level resource requests and limits (PodLevelResources feature gate).")
_CLAIMS = _array(CORE + "PodResourceClaim",
                 "ResourceClaims allocated and reserved before the pods may start.")

# (definition, property) -> schema of a property hera 7.1.0 lacks.
FIELDS: dict[tuple[str, str], dict[str, Any]] = {
    (ARGO + "WorkflowSpec", "executorPlugins"): _array(
        ARGO + "ExecutorPlugin", "Specifies executor plugins at the workflow level."
    ),
    (ARGO + "WorkflowSpec", "podResources"): _POD_RESOURCES,
    (ARGO + "WorkflowSpec", "resourceClaims"): _CLAIMS,
    (ARGO + "Template", "pendingTimeout"): {
        "type": "string",
        "description": "The maximum time spent pending, counted from the node's start time.",
    },
    (ARGO + "Template", "podResources"): _POD_RESOURCES,
    (ARGO + "Template", "resourceClaims"): _CLAIMS,
    (ARGO + "HTTPArtifact", "saveStreamViaFile"): {
        "type": "boolean",
        "description": "Buffer a streamed upload in a temporary file, so a 307/308 redirect "
        "can be followed.",
    },
    (ARGO + "S3Artifact", "addressingStyle"): _ADDRESSING,
    (ARGO + "S3ArtifactRepository", "addressingStyle"): _ADDRESSING,
    (ARGO + "ContainerNode", "restartPolicyRules"): _RESTART_RULES,
    (ARGO + "ScriptTemplate", "restartPolicyRules"): _RESTART_RULES,
    (ARGO + "UserContainer", "restartPolicyRules"): _RESTART_RULES,
    (CORE + "Container", "restartPolicyRules"): _RESTART_RULES,
    (CORE + "EnvVarSource", "fileKeyRef"): _ref(
        CORE + "FileKeySelector", "FileKeyRef selects a key of the env file."
    ),
    (CORE + "VolumeProjection", "podCertificate"): _ref(
        CORE + "PodCertificateProjection",
        "Projects an auto-rotating credential bundle (private key and certificate chain).",
    ),
}
