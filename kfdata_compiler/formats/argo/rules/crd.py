"""The CEL rules of Argo's full CRDs (``x-kubernetes-validations``), which JSON Schema cannot say.

Since Argo 4.0 the full CRDs are installed by default, so the API server rejects a workflow
that breaks one. Messages are the CRDs' own (Argo 4.1.2)::

    dag: {tasks: [{name: b, template: t, depends: a, dependencies: [a]}]}
    ->  KF418 "cannot use both 'depends' and 'dependencies'" at dag.tasks[0]

(The CRDs' "at most one template type" and "at most one artifact location" are KF405/KF406.)
"""

from __future__ import annotations

from collections.abc import Iterator

from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.argo.paths import Document
from kfdata_compiler.formats.argo.rules.findings import Context, Finding

NOT_LEAF = ("steps", "dag")


def _present(node: Document, key: str) -> bool:
    # CEL has(): the field is there, even when empty (the API server drops only nulls).
    return node.get(key) is not None


def _depends(call: Document) -> bool:
    """A ``depends`` that counts: Argo reads ``depends: ""`` as absent (``Depends != ""``:
    ``getTaskDependsLogic``, ``workflow/common/ancestry.go``; ``usingDepends``,
    ``workflow/validate/validate.go``, v3.4.17 to v4.0.10), and the Go type drops it on the way
    to the API server (``json:"depends,omitempty"``), as ``argo submit`` and KFP send it."""
    return _present(call, "depends") and call.get("depends") != ""


def task_rules(template: Document, ctx: Context) -> Iterator[Finding]:
    """KF418 on DAG tasks: depends vs dependencies and continueOn; digits; withSequence."""
    for path, call, _group in argo.located_calls(template):
        uses_deps = _present(call, "depends") or _present(call, "dependencies")
        if path[0] == "dag":
            if _depends(call) and _present(call, "dependencies"):
                yield Finding("KF418", "cannot use both 'depends' and 'dependencies'", path)
            if _present(call, "depends") and _present(call, "continueOn"):
                yield Finding("KF418", "cannot use 'continueOn' when using 'depends'", path,
                              "use 'task.Failed' or 'task.Errored' in depends instead")
            if uses_deps and str(call.get("name", ""))[:1].isdigit():
                yield Finding("KF418", "task name cannot begin with a digit when using "
                              "'depends' or 'dependencies'", (*path, "name"))
        sequence = call.get("withSequence")
        if isinstance(sequence, dict) and _present(sequence, "count") and _present(sequence, "end"):
            yield Finding("KF418", "only one of count or end can be defined",
                          (*path, "withSequence"))


def template_rules(template: Document, ctx: Context) -> Iterator[Finding]:
    """KF418 on a template: no timeout/activeDeadlineSeconds on steps or dag; one manifest."""
    kind = argo.template_type(template)
    if kind in NOT_LEAF and template.get("timeout") not in (None, ""):
        yield Finding("KF418", "timeout cannot be applied to steps or dag templates", ("timeout",))
    if kind in NOT_LEAF and template.get("activeDeadlineSeconds") is not None:
        yield Finding("KF418", "activeDeadlineSeconds is only valid for leaf templates",
                      ("activeDeadlineSeconds",))
    resource = template.get("resource")
    if isinstance(resource, dict) and _present(resource, "manifest") and _present(
        resource, "manifestFrom"
    ):
        yield Finding("KF418", "only one of manifest or manifestFrom can be specified",
                      ("resource",))
    for path, metric in argo.located(template, ("metrics", "prometheus")):
        gauge = metric.get("gauge")
        if isinstance(gauge, dict) and gauge.get("realtime") is True and (
            "resourcesDuration." in str(gauge.get("value", ""))
        ):
            yield Finding("KF418", "'resourcesDuration.*' metrics cannot be used in real-time "
                          "gauges", (*path, "gauge"))
