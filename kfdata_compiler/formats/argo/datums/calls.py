"""Who runs a step bound per datum, and who reads its outputs: what the fan-out can rewire.

    template 'prep' bound per datum, called by task 'prep' with withItems
    ->  KF326 "task 'prep' of template 'main' already loops (withItems)"
    task 'train' reads {{tasks.prep.outputs.artifacts.model}}
    ->  KF327 "... reads the artifacts of task 'prep', which runs once per datum ..."

Every use must be a task or step of this workflow (KF325: the entrypoint, ``onExit``, a hook
or a ``templateRef`` caller runs the template once, without a datum); no caller may loop
already (KF326); nothing may read the fanned step's outputs or export them (KF327).

A WorkflowTemplate's template is also run by the file's other documents (:mod:`..refcalls`):
a ``templateRef`` task or step passes only its own arguments, never the datum parameter and
artifact the fan-out adds to the caller it rewires, so the submission would fail
("inputs.parameters.kfdata-datum-<ds> was not supplied"); a ``workflowTemplateRef`` Workflow
whose entrypoint (or ``onExit``) is the template runs it once. Both are KF325 at the caller::

    Workflow 'w' task 'embed': templateRef {name: lib, template: embed}, embed bound per datum
    ->  KF325 "... task 'embed' of template 'main' (Workflow) calls it through templateRef ..."
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.argo import refcalls
from kfdata_compiler.formats.argo.callindex import CallIndex
from kfdata_compiler.formats.argo.datums import names, scan

Locate = Callable[[JsonPath], Location]
LOOPS = ("withItems", "withParam", "withSequence")
_WHY = {
    "artifacts": "Argo gathers only the parameters and result of a step that loops: "
                 "`argo lint` passes and the run fails",
    "parameters": "the value would silently become a JSON list of every datum's",
    "result": "the value would silently become a JSON list of every datum's",
}
_INSTEAD = ("write a dataset in the step bound per datum and read it downstream (each datum's "
            "output lands under <write uri>/<datum>)")


def _kind(template: argo.Document) -> str:
    return "task" if argo.template_type(template) == "dag" else "step"


def once_runs(doc: argo.Document, name: str, index: CallIndex
              ) -> Iterator[tuple[JsonPath, str]]:
    """The places that run template ``name`` once, not through a call: the spec's
    ``entrypoint``/``onExit``/hooks, and the ``onExit``/hooks of any task or step (from
    ``index``, the document's calls)."""
    spec = argo.workflow_spec(doc)
    for where, used in argo.named_templates(spec, argo.SPEC_TEMPLATE_FIELDS):
        if used == name:
            yield (*argo.spec_path(doc), *where), f"the workflow's {_role(where)}"
    for site, where in index.exits(name):
        label = f"{_kind(site.template)} {site.call.get('name')!r}"
        yield (*site.base, *site.path, *where), f"the {_role(where)} of {label}"


def _role(where: JsonPath) -> str:
    """``entrypoint``, ``onExit``, or ``hook 'exit'`` for a ``hooks.<name>.template``."""
    return f"hook {where[1]!r}" if where[0] == "hooks" else str(where[0])


def call_problems(doc: argo.Document, name: str, tpath: JsonPath,
                  in_pipeline: Locate, index: CallIndex) -> list[Diagnostic]:
    """KF325 and KF326: every run of ``name`` must be a plain call of this workflow
    (``index``: the document's calls)."""
    out = []
    called = False
    for base, template, path, call, _group in index.sites(name):
        called = True
        label = f"{_kind(template)} {call.get('name')!r} of template {template.get('name')!r}"
        loops = [k for k in LOOPS if call.get(k) is not None]
        if loops:
            out.append(Diagnostic(
                "KF326", f"{label} already loops ({loops[0]}): it cannot also run once "
                "per datum", in_pipeline((*base, *path, loops[0])),
                "bind the datum on a step that runs once, or read the dataset whole"))
        if path[0] == "dag" and str(call.get("name", ""))[:1].isdigit():
            out.append(Diagnostic(
                "KF326", f"{label} has a name that begins with a digit: Argo gives such a "
                "task no edges (depends, dependencies), and it must wait for its datum list",
                in_pipeline((*base, *path, "name")), "rename the task"))
        if path[0] == "steps" and len(path) == 2:  # a bare step, not in a parallel group
            out.append(Diagnostic(
                "KF326", f"{label} is a bare entry of 'steps', not a group: the datum list "
                "cannot run in a group before it", in_pipeline((*base, *path)),
                "write it as a one-step group ('- - name: ...')"))
    for where, what in once_runs(doc, name, index):
        out.append(Diagnostic(
            "KF325", f"template {name!r} is bound per datum, but {what} runs it once, "
            "without a datum", in_pipeline(where),
            "bind a template that tasks or steps call, and run it from those calls only"))
    if not called:
        out.append(Diagnostic(
            "KF325", f"template {name!r} is bound per datum, but no task or step of this "
            "workflow calls it", in_pipeline(tpath),
            "the fan-out happens where a DAG task or step calls the template: bind one that "
            "is called so (a templateRef caller lives in another resource and is not rewired)"))
    return out


def ref_problems(docs: list[Any], doc_index: int, name: str, dataset: str,
                 locate: Callable[[int, JsonPath], Location],
                 refs: refcalls.RefIndex) -> list[Diagnostic]:
    """KF325 at each caller in another resource of the file: a ``templateRef`` task or step, or
    a ``workflowTemplateRef`` Workflow whose entrypoint, ``onExit`` or hook is the template
    (``refs``: the file's, indexed once)."""
    out = []
    missing = f"inputs.parameters.{names.parameter(dataset)} was not supplied"
    for ref in refs.callers(doc_index, name):
        kind = "task" if ref.path[0] == "dag" else "step"
        out.append(Diagnostic(
            "KF325", f"template {name!r} is bound per datum, but {kind} "
            f"{ref.call.get('name')!r} of template {ref.template!r} calls it through "
            "templateRef, which passes only the call's own arguments, not the datum: the run "
            f"fails ({missing})", locate(ref.doc, (*ref.where, "templateRef")), _REF_INSTEAD))
    own = argo.workflow_spec(docs[doc_index]).get("entrypoint")
    for index, workflow in refs.workflows(doc_index):
        spec = argo.workflow_spec(workflow)
        used = argo.named_templates(spec, argo.SPEC_TEMPLATE_FIELDS)
        if "entrypoint" not in spec:  # JoinWorkflowSpec: the resource's entrypoint
            used.append((("workflowTemplateRef",), own))
        for where, called in used:
            if called == name:
                role = "entrypoint" if where[0] == "workflowTemplateRef" else _role(where)
                out.append(Diagnostic(
                    "KF325", f"template {name!r} is bound per datum, but a Workflow running "
                    f"its WorkflowTemplate (workflowTemplateRef) runs it once as its {role}, "
                    f"without a datum ({missing})",
                    locate(index, (*argo.spec_path(workflow), *where)), _REF_INSTEAD))
    return out


_REF_INSTEAD = ("bind per datum a template of the caller's own workflow (the fan-out rewires "
                "only calls it can see in the same resource), or read the dataset whole here")


def consumer_problems(name: str, template: argo.Document, tpath: JsonPath,
                      in_pipeline: Locate, index: CallIndex, reads: scan.OutputReads
                      ) -> list[Diagnostic]:
    """KF327: no task, step or output reads the fanned calls' outputs; no ``globalName``
    (``index``: the document's calls; ``reads``: their templates' strings, scanned once)."""
    out = []
    for base, caller, path, call, _group in index.sites(name):
        label = f"{_kind(caller)} {call.get('name')!r}"
        for where, text, kind in reads.of(caller, str(call.get("name"))):
            if where[:len(path)] == path:
                continue  # the call itself
            out.append(Diagnostic(
                "KF327", f"{text!r} reads the {kind} of {label}, which runs once per "
                f"datum: {_WHY[kind]}", in_pipeline((*base, *where)), _INSTEAD))
    for side in ("parameters", "artifacts"):
        for path, output in argo.located(template, ("outputs", side)):
            if output.get("globalName") is not None:
                out.append(Diagnostic(
                    "KF327", f"output {output.get('name')!r} of template {name!r} is exported "
                    "as a global (globalName), but the template runs once per datum: the last "
                    "datum's would win", in_pipeline((*tpath, *path, "globalName")), _INSTEAD))
    return out
