"""Check what the rewrite produced before it is emitted: a broken workflow is never written.

Read-only. The templates this compile changed (the bound ones and any caller whose arguments
it fed: those carrying an edit journal) and each bound document's own fields go through the
strict Argo schema and the rules of :mod:`kfdata_compiler.rules`. Only problems the input did
not already have are reported: the input is rebuilt from the edit journals, checked the same
way, and its diagnostics, as (code, JSON path, message), are subtracted. So an untouched KFP
quirk (``parallelism: 0``) is never blamed on the compile, while anything it broke is
kfdata-compiler's own bug, which the compiler reports as an internal error (exit 3) naming
the rule. (The rebuild trusts the journal: a pass changing something without journaling it
would escape the comparison, and would also break the recompile round trip the corpus tests
check.)::

    bound template with two env vars named KFDATA_X_PATH
    ->  [Diagnostic("KF412", "env var 'KFDATA_X_PATH' appears twice in container 'main'", ...)]
"""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

from kfdata_compiler import argo, edits, rules, schemas
from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location, render_path
from kfdata_compiler.resolve import Plan

ARGO_SCHEMA = "argo-workflows.strict.schema.json"
TEMPLATE_DEFINITION = "io.argoproj.workflow.v1alpha1.Template"
SCHEMA_CODE = "KF400"

Key = tuple[str, str, str]  # (code, JSON path, message)


def _where(path: JsonPath) -> Location:
    return Location("", 0, 0, render_path(path))


def _problems(doc: argo.Document, changed: list[int]) -> list[Diagnostic]:
    """Schema and rule diagnostics of ``doc``'s own fields and its ``changed`` templates."""
    out = rules.diagnose(rules.check_document(doc, changed), _where)
    # The document without its templates, then each changed template on its own: checking
    # the whole document would cost ~0.2 s per 1,000 templates on every compile.
    out += schemas.check(argo.with_templates(doc, []), ARGO_SCHEMA, _where, SCHEMA_CODE)
    wanted = set(changed)
    for base, template in argo.located_templates(doc):
        if base[-1] not in wanted:
            continue

        def locate(path: JsonPath, base: JsonPath = base) -> Location:
            return _where((*base, *path))

        out += schemas.check(template, ARGO_SCHEMA, locate, SCHEMA_CODE, TEMPLATE_DEFINITION)
    return out


def _before(doc: argo.Document, changed: list[int]) -> argo.Document:
    """``doc`` as it was before this compile: its journals undone, on copies of what changed."""
    rest = copy.deepcopy(argo.with_templates(doc, []))
    edits.undo(rest)
    templates = list(argo.template_list(doc))
    for index in changed:
        templates[index] = copy.deepcopy(templates[index])
        edits.undo(templates[index])
    return argo.with_templates(rest, templates)


def _changed(doc: argo.Document) -> list[int]:
    # The templates carrying an edit journal: earlier journals were undone before the rewrite,
    # so these are exactly the ones this compile changed.
    return [int(path[-1]) for path, t in argo.located_templates(doc)
            if edits.EDITS_ANNOTATION in argo.annotations_of(t)]


def _key(d: Diagnostic) -> Key:
    return d.code, d.location.json_path, d.message


def validate(docs: list[Any], plan: Plan, file: str) -> list[Diagnostic]:
    """Diagnostics for problems this compile introduced (none when the output is sound)."""
    out: list[Diagnostic] = []
    for index in sorted({target.doc for target in plan.targets}):
        doc = docs[index]
        changed = _changed(doc)
        after = _problems(doc, changed)
        if not after:
            continue  # the usual case: nothing to compare, so the input is never rebuilt
        known = Counter(_key(d) for d in _problems(_before(doc, changed), changed))
        for d in after:
            if known[_key(d)] > 0:
                known[_key(d)] -= 1
                continue
            # The output has no file positions yet: name the document and the JSON path.
            where = Location(file, 0, 0, f"{d.location.json_path} (output document {index})")
            out.append(Diagnostic(d.code, d.message, where, d.hint))
    return out
