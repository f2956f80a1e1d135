"""Argo's rules that a JSON Schema cannot say, checked on plain dicts: the registry and runner.

Each rule is a plain function listed in ``TEMPLATE_RULES`` (given one template) or
``DOCUMENT_RULES`` (given the whole workflow); ``CODES`` says what each code means.
``check_document`` runs them and returns findings with paths from the document root::

    spec: {templates: [{name: t, container: {image: a, env: [{name: A}, {name: A}]}}]}
    ->  [Finding("KF412", "env var 'A' appears twice in container 'main'",
                 ("spec", "templates", 0, "container", "env", 1, "name"))]
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.argo.paths import Document
from kfdata_compiler.formats.argo.rules.artifacts import (
    artifact_locations,
    input_artifact_paths,
    workflow_artifacts,
)
from kfdata_compiler.formats.argo.rules.containers import (
    env_names,
    mounts_and_paths,
    reserved_names,
    workflow_volumes,
)
from kfdata_compiler.formats.argo.rules.crd import task_rules, template_rules
from kfdata_compiler.formats.argo.rules.dag import (
    called_templates,
    dependencies_exist,
    workflow_templates,
)
from kfdata_compiler.formats.argo.rules.findings import Context, DocumentRule, Finding, TemplateRule
from kfdata_compiler.formats.argo.rules.names import (
    call_names,
    io_names,
    one_type,
    template_name,
    workflow_names,
)
from kfdata_compiler.formats.argo.rules.refs import references
from kfdata_compiler.formats.argo.rules.versions import version_rules
from kfdata_compiler.formats.argo.versions import ArgoVersion, target

CODES: dict[str, str] = {
    "KF400": "the document does not match the strict Argo schema",
    "KF401": "a template, step or DAG task name is not a valid Argo name",
    "KF402": "a template, step or DAG task name appears twice",
    "KF403": "a parameter or artifact name is not valid",
    "KF404": "a parameter or artifact name appears twice in one list",
    "KF405": "a template has no type, or more than one",
    "KF406": "an artifact has several locations (or from and fromExpression), or an argument "
             "artifact none",
    "KF407": "an s3 location is neither complete (endpoint, bucket, key) nor key-only",
    "KF408": "an input artifact lacks its path, or has one where none is allowed, or uses from",
    "KF409": "two volumeMounts, or an input artifact and a mount, use the same path",
    "KF410": "a volumeMount names no volume of the template or workflow",
    "KF411": "an env var name is not valid",
    "KF412": "an env var name appears twice in one container",
    "KF413": "a container or volume takes a name Argo reserves",
    "KF414": "a DAG dependency names no task, or the dependencies form a cycle",
    "KF415": "a {{tasks.X}} or {{steps.X}} reference names no ancestor or earlier step",
    "KF416": "an {{inputs...}} or {{outputs...}} reference names nothing the template declares",
    "KF417": "a step, task, entrypoint, onExit or hook calls a template that does not exist",
    "KF418": "a CEL rule of Argo's full CRDs is broken",
    "KF419": "a field the target Argo release rejects, or accepts with a meaning to know "
             "(parallelism: 0): an error or a warning by --argo-version",
}

TEMPLATE_RULES: tuple[TemplateRule, ...] = (
    template_name,
    one_type,
    call_names,
    io_names,
    artifact_locations,
    input_artifact_paths,
    mounts_and_paths,
    env_names,
    reserved_names,
    dependencies_exist,
    called_templates,
    references,
    task_rules,
    template_rules,
)
DOCUMENT_RULES: tuple[DocumentRule, ...] = (
    workflow_names,
    workflow_artifacts,
    workflow_volumes,
    workflow_templates,
)


def context(doc: Document) -> Context:
    """What template rules may know of ``doc``: its volumes and its template names."""
    names = frozenset(str(t.get("name")) for t in argo.templates(doc))
    if doc.get("kind") in argo.CALLED_KINDS:
        return Context(None, names)
    return Context(frozenset(argo.spec_volume_names(doc)), names)


def check_template(template: Document, ctx: Context) -> list[Finding]:
    """Every template rule's findings for one template (paths relative to it)."""
    return [finding for rule in TEMPLATE_RULES for finding in rule(template, ctx)]


def check_document(doc: Document, only: Collection[int] | None = None,
                   release: ArgoVersion | None = None) -> list[Finding]:
    """Findings for a workflow document, paths from its root; ``only`` limits the templates
    (by their index in the spec's template list); ``release`` is the Argo the rules whose
    answer depends on it (KF419) check for (default: ``versions.DEFAULT``).

    The document rules always run: they are linear in the number of templates.
    """
    ctx = context(doc)
    chosen = None if only is None else set(only)
    out = [finding for rule in DOCUMENT_RULES for finding in rule(doc)]
    out.extend(version_rules(doc, release or target(None), chosen))
    for base, template in argo.located_templates(doc):
        if chosen is None or base[-1] in chosen:
            out.extend(f._replace(path=(*base, *f.path)) for f in check_template(template, ctx))
    return out


def diagnose(findings: list[Finding], locate: Callable[[JsonPath], Location]) -> list[Diagnostic]:
    """Findings as diagnostics (errors, or warnings where the rule says so), located by
    ``locate``."""
    return [Diagnostic(f.code, f.message, locate(f.path), f.hint, f.severity) for f in findings]
