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
import json
from collections import Counter
from collections.abc import Callable
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


_ARGO = "io.argoproj.workflow.v1alpha1."
_CORE = "io.k8s.api.core.v1."
# The schema definition of what a journal entry added, by the shape of its path (keys only;
# list entries are matched by the key that holds the list). A list holds items of the type.
_ADDED = {
    ("inputs",): _ARGO + "Inputs",
    ("outputs",): _ARGO + "Outputs",
    ("artifacts",): _ARGO + "Artifact",
    ("volumes",): _CORE + "Volume",
    ("env",): _CORE + "EnvVar",
    ("volumeMounts",): _CORE + "VolumeMount",
    ("initContainers",): _ARGO + "UserContainer",
    ("metadata",): _ARGO + "Metadata",
    ("arguments",): _ARGO + "Arguments",
    ("artifactRepositoryRef",): _ARGO + "ArtifactRepositoryRef",
}


def _definition(path: list[Any]) -> tuple[str, bool] | None:
    """(definition, is a list of them) for a journalled path, or None when it is not known."""
    keys = [p for p in path if isinstance(p, str)]
    if not keys:
        return None
    named = not isinstance(path[-1], str)  # ends in a list entry: one item
    if keys[-1] == "annotations" or (len(keys) > 1 and keys[-2] == "annotations"):
        return ("annotations", False)
    found = _ADDED.get((keys[-1],))
    if found is None:
        return None
    is_list = keys[-1] in ("artifacts", "volumes", "env", "volumeMounts", "initContainers")
    return found, is_list and not named


def _under(base: JsonPath) -> Callable[[JsonPath], Location]:
    def locate(path: JsonPath) -> Location:
        return _where((*base, *path))

    return locate


def _concrete(root: Any, path: edits.EditPath) -> JsonPath:
    """The JSON path of a journal path: list entries named ``Named(x)`` become their index
    (a group index too, inside a ``steps`` list of groups); it stops where the path ends."""
    out: list[str | int] = []
    node = root
    for segment in path:
        if isinstance(segment, argo.Named):
            found = edits.find_named(node, segment.name) if isinstance(node, list) else None
            if found is None:
                break
            holder, index = found
            if holder is not node:  # inside a group of parallel steps
                out.append(next(g for g, group in enumerate(node) if group is holder))
            out.append(index)
            node = holder[index]
        else:
            out.append(segment)
            node = edits.walk(node, (segment,))
    return tuple(out)


def _added_problems(doc: argo.Document, changed: list[int], seen: set[str]) -> list[Diagnostic]:
    """Schema problems in what the journals say this compile added or replaced.

    Everything else came from the input. Identical additions (the same dataset bound to many
    steps) are checked once: at 2,000 bound templates a whole-template check per template cost
    more than reading the YAML, and on a small pipeline whole-document checks were most of the
    compile.
    """
    out: list[Diagnostic] = []
    wanted = set(changed)
    owners: list[tuple[JsonPath, argo.Document, str | None]] = [
        (base, template, TEMPLATE_DEFINITION)
        for base, template in argo.located_templates(doc)
        if base[-1] in wanted
    ]
    if edits.EDITS_ANNOTATION in argo.annotations_of(doc):
        owners.append(((), doc, None))
    for base, owner, whole in owners:
        for op in json.loads(argo.annotations_of(owner)[edits.EDITS_ANNOTATION]):
            path = edits.decode_path(op[1])
            known = _definition(list(path))
            if known is None:  # not a shape we know: check the whole owner instead
                target = owner if whole else argo.with_templates(owner, [])
                out += schemas.check(target, ARGO_SCHEMA, _under(base), SCHEMA_CODE, whole)
                break
            definition, is_list = known
            if definition == "annotations":
                continue  # string values by construction
            node = edits.walk(owner, path)
            at = (*base, *_concrete(owner, path))
            items = list(enumerate(node)) if is_list and isinstance(node, list) else [(None, node)]
            for index, item in items:
                key = definition + repr(item)  # same value, same repr; json.dumps cost 4x more
                if key in seen:  # an identical addition elsewhere was checked already
                    continue
                seen.add(key)
                where: JsonPath = at if index is None else (*at, index)
                out += schemas.check(item, ARGO_SCHEMA, _under(where), SCHEMA_CODE, definition)
    return out


def _problems(doc: argo.Document, changed: list[int]) -> list[Diagnostic]:
    """Rule diagnostics of ``doc``'s own fields and its ``changed`` templates."""
    return rules.diagnose(rules.check_document(doc, changed), _where)


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
    return [
        int(path[-1])
        for path, t in argo.located_templates(doc)
        if edits.EDITS_ANNOTATION in argo.annotations_of(t)
    ]


def _key(d: Diagnostic) -> Key:
    return d.code, d.location.json_path, d.message


def validate(docs: list[Any], plan: Plan, file: str) -> list[Diagnostic]:
    """Diagnostics for problems this compile introduced (none when the output is sound)."""
    out: list[Diagnostic] = []
    seen: set[str] = set()
    for index in sorted({target.doc for target in plan.targets}):
        doc = docs[index]
        changed = _changed(doc)
        try:
            after = _problems(doc, changed) + _added_problems(doc, changed, seen)
            before = _before(doc, changed) if after else doc
        except edits.JOURNAL_ERRORS as exc:
            # Our own journal, written a moment ago, must read back; if not, that is a bug to
            # report as one (exit 3, naming the rule), never a traceback.
            where = Location(file, 0, 0, f"$ (output document {index})")
            out.append(Diagnostic("KF111", f"the edit journal it wrote cannot be undone ({exc})",
                                  where))
            continue
        if not after:
            continue  # the usual case: nothing to compare, so the input is never rebuilt
        known = Counter(_key(d) for d in _problems(before, changed))
        for d in after:
            if known[_key(d)] > 0:
                known[_key(d)] -= 1
                continue
            # The output has no file positions yet: name the document and the JSON path.
            where = Location(file, 0, 0, f"{d.location.json_path} (output document {index})")
            out.append(Diagnostic(d.code, d.message, where, d.hint))
    return out
