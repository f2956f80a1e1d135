"""Rules whose answer depends on the Argo release the workflow runs on (KF419).

``parallelism: 0``, which KFP SDK 1.8 writes on every ``dsl.ParallelFor`` without a limit::

    templates: [{name: for-loop-2, parallelism: 0, dag: {...}}]
    ->  target 3.7: KF419 warning "parallelism: 0 on template 'for-loop-2' means no limit on
                    Argo 3.7.0, and Argo 4.0 rejects it"
        target 4.1: KF419 error "parallelism: 0 on template 'for-loop-2' is rejected by Argo
                    4.1.0 (its CRDs require at least 1)"

What the sources say (docs/datums.md cites each): from 3.3 to 4.1 the controller's
``Template.HasParallelism()`` is ``Parallelism != nil && *Parallelism > 0``, so 0 sets no limit;
``validate.go`` never range-checks a DAG's or steps' parallelism (``argo lint`` passes), and
3.x installs minimal CRDs without a schema. Argo 4.0 installs its full CRDs, whose
``parallelism`` has ``minimum: 1``: the API server refuses the workflow. A workflow-level
``spec.parallelism: 0`` is worse on 3.x: ``checkParallelism`` compares the active pods with it
(``activePods >= 0`` always holds), so no pod ever starts and the workflow hangs. Leaf
templates may not set parallelism at all (``validateLeaf``, every release).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator

from kfdata_compiler.diagnostics import Severity
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.argo.paths import Document
from kfdata_compiler.formats.argo.rules.findings import Finding
from kfdata_compiler.formats.argo.versions import FULL_CRDS, ArgoVersion

CODE = "KF419"
_KFP = ("KFP SDK 1.8 (dsl-compile) writes parallelism: 0 for every dsl.ParallelFor without "
        "one; pass ParallelFor(..., parallelism=N), or remove the field, before moving to Argo "
        f"{FULL_CRDS.major}")
_NOT_LEAF = ("dag", "steps")


def _zero(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value == 0


def version_rules(doc: Document, target: ArgoVersion,
                  only: Collection[int] | None = None) -> Iterator[Finding]:
    """KF419 for ``parallelism: 0`` (template and workflow) and a leaf's ``parallelism``, on
    the templates ``only`` names (by index; None: all)."""
    spec_path = argo.spec_path(doc)
    if _zero(argo.workflow_spec(doc).get("parallelism")):
        why = (f"is rejected by Argo {target} (its CRDs require at least 1)" if target >= FULL_CRDS
               else f"makes Argo {target} wait for ever: no pod starts while the active pods "
               "(0) are not fewer than it")
        yield Finding(CODE, f"workflow parallelism: 0 {why}", (*spec_path, "parallelism"),
                      "remove it (no limit) or set a positive limit")
    for path, template in argo.located_templates(doc):
        value = template.get("parallelism")
        if value is None or (only is not None and path[-1] not in only):
            continue
        name = template.get("name")
        if argo.template_type(template) not in _NOT_LEAF:
            yield Finding(CODE, f"parallelism on template {name!r}: only steps and dag "
                          "templates may set it (Argo refuses the workflow)",
                          (*path, "parallelism"), "set it on the DAG or steps that calls it")
        elif _zero(value) and target >= FULL_CRDS:
            yield Finding(CODE, f"parallelism: 0 on template {name!r} is rejected by Argo "
                          f"{target} (its CRDs require at least 1)", (*path, "parallelism"), _KFP)
        elif _zero(value):
            yield Finding(CODE, f"parallelism: 0 on template {name!r} means no limit on Argo "
                          f"{target}, and Argo {FULL_CRDS.major}.{FULL_CRDS.minor} rejects it",
                          (*path, "parallelism"), _KFP, Severity.WARNING)
