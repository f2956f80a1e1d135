"""A Python twin of how Argo hands a template its input artifacts, per way the template is
reached (v3.5.14, v3.7.18 and v4.0.10 agree on each function modelled here):

- ``workflow/common/util.go`` ``ProcessArgs``: an argument artifact of the same name replaces the
  input (keeping ``path``, ``mode``, ``recurseMode``); an input with no location, no argument and
  not ``optional`` fails "inputs.artifacts.X was not supplied";
- ``workflow/templateresolution/context.go`` ``GetTemplateFromRef``: a ``templateRef`` gets the
  named template of the resource alone (never its ``spec.arguments``); the call's own arguments
  are all ``ProcessArgs`` sees;
- ``workflow/util/merge.go`` ``JoinWorkflowSpec``/``MergeTo``: a ``workflowTemplateRef`` Workflow
  (what ``argo submit --from`` creates, ``common.NewWorkflowFromWorkflowTemplate``) is its spec
  over the resource's, a strategic merge whose ``arguments.artifacts`` merge by ``name`` (the
  Workflow's win); ``operator.go`` runs the joined entrypoint with the joined
  ``spec.arguments``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

LOCATIONS = ("s3", "git", "http", "artifactory", "hdfs", "raw", "oss", "gcs", "azure", "plugin")


class NotSupplied(Exception):
    """What Argo's ProcessArgs refuses with."""


def _spec(doc: dict[str, Any]) -> dict[str, Any]:
    return doc.get("spec") or {}


def process_args(template: dict[str, Any], arguments: dict[str, Any] | None) -> list[Any]:
    """The input artifacts the template runs with (ProcessArgs' artifact loop)."""
    passed = {a["name"]: a for a in (arguments or {}).get("artifacts") or []}
    out = []
    for art in (template.get("inputs") or {}).get("artifacts") or []:
        arg = passed.get(art["name"])
        if not art.get("optional") and not any(k in art for k in LOCATIONS):
            if arg is None:
                raise NotSupplied(f"inputs.artifacts.{art['name']} was not supplied")
        if arg is not None:
            art = {**copy.deepcopy(arg), **{k: art[k] for k in ("path", "mode", "recurseMode")
                                            if k in art}}
        out.append(art)
    return out


def resource(docs: list[Any], name: str, cluster: bool) -> dict[str, Any]:
    """The (Cluster)WorkflowTemplate a reference names (the cluster's copy of it)."""
    kind = "ClusterWorkflowTemplate" if cluster else "WorkflowTemplate"
    return next(d for d in docs if d.get("kind") == kind and d["metadata"]["name"] == name)


def template_from_ref(docs: list[Any], ref: dict[str, Any]) -> dict[str, Any]:
    """GetTemplateFromRef: the template alone."""
    held = resource(docs, ref["name"], bool(ref.get("clusterScope")))
    found = next(t for t in _spec(held)["templates"] if t["name"] == ref["template"])
    return copy.deepcopy(found)


def join_workflow_spec(wf: dict[str, Any], wft: dict[str, Any]) -> dict[str, Any]:
    """JoinWorkflowSpec: the Workflow's fields win; argument lists merge by name."""
    joined = {**copy.deepcopy(wft), **copy.deepcopy(wf)}
    arguments: dict[str, Any] = {}
    for key in ("parameters", "artifacts"):
        merged = {a["name"]: a for a in (wft.get("arguments") or {}).get(key) or []}
        merged.update({a["name"]: a for a in (wf.get("arguments") or {}).get(key) or []})
        if merged:
            arguments[key] = list(merged.values())
    joined["arguments"] = arguments
    return joined


def run_workflow_template_ref(docs: list[Any], workflow: dict[str, Any]) -> tuple[str, list[Any]]:
    """A Workflow with workflowTemplateRef: (the entrypoint, its input artifacts)."""
    ref = _spec(workflow)["workflowTemplateRef"]
    held = resource(docs, ref["name"], bool(ref.get("clusterScope")))
    spec = join_workflow_spec({k: v for k, v in _spec(workflow).items()
                               if k != "workflowTemplateRef"}, _spec(held))
    entry = next(t for t in spec["templates"] if t["name"] == spec["entrypoint"])
    return spec["entrypoint"], process_args(entry, spec["arguments"])


def submit_from(docs: list[Any], held: dict[str, Any]) -> tuple[str, list[Any]]:
    """``argo submit --from workflowtemplate/<name>`` (or clusterworkflowtemplate/)."""
    ref = {"name": held["metadata"]["name"]}
    if held["kind"] == "ClusterWorkflowTemplate":
        ref["clusterScope"] = True
    return run_workflow_template_ref(docs, {"kind": "Workflow",
                                            "spec": {"workflowTemplateRef": ref}})


def ref_calls(docs: list[Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each templateRef task or step of the file: (a label, the call)."""
    for doc in docs:
        for template in _spec(doc).get("templates") or []:
            calls = list((template.get("dag") or {}).get("tasks") or [])
            for group in template.get("steps") or []:
                calls.extend(group if isinstance(group, list) else [group])
            for call in calls:
                if call.get("templateRef"):
                    yield f"{doc['kind']} {template['name']}/{call['name']}", call


def run_ref_call(docs: list[Any], call: dict[str, Any]) -> list[Any]:
    """A templateRef task or step: the input artifacts its template runs with."""
    return process_args(template_from_ref(docs, call["templateRef"]), call.get("arguments"))


def missing_inputs(template: dict[str, Any], arguments: dict[str, Any] | None) -> list[str]:
    """What ProcessArgs would refuse: each input parameter with no value, default or valueFrom
    that the arguments do not supply, and each required artifact (no location, not optional)."""
    inputs = template.get("inputs") or {}
    passed = arguments or {}
    given = {p.get("name") for p in passed.get("parameters") or [] if isinstance(p, dict)}
    out = [f"inputs.parameters.{p.get('name')}" for p in inputs.get("parameters") or []
           if isinstance(p, dict) and p.get("name") not in given
           and all(p.get(k) is None for k in ("value", "default", "valueFrom"))]
    given = {a.get("name") for a in passed.get("artifacts") or [] if isinstance(a, dict)}
    out += [f"inputs.artifacts.{a.get('name')}" for a in inputs.get("artifacts") or []
            if isinstance(a, dict) and a.get("name") not in given and not a.get("optional")
            and not any(k in a for k in LOCATIONS)]
    return out
