"""Check what the rewrite produced before it is emitted: a broken workflow is never written.

Read-only. Everything the plan touched goes through the strict Argo schema and the rules of
:mod:`.rules`: each template that carries an edit journal (a bound one, a caller whose
arguments or tasks were rewired), each template the workflow's journal says was added, and
the document's own fields. What each journal entry added or replaced is schema-checked as the
definition the placement table (:mod:`.slots`) gives for its slot. Only problems the input did
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
from collections.abc import Callable
from typing import Any

from kfdata_compiler import schemas
from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location, render_path
from kfdata_compiler.formats.argo import journal, rules, slots, versions
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.plan import Plan
from kfdata_compiler.plan import journal as edits
from kfdata_compiler.plan.paths import EditPath, Group, Named, find_group, find_named, walk

Key = tuple[str, str, str]  # (code, JSON path, message)


def _where(path: JsonPath) -> Location:
    return Location("", 0, 0, render_path(path))


def _definition(path: EditPath, root: Any) -> tuple[str, bool] | None:
    """(definition, is a list of them) of what a journal entry of ``root`` added, from the
    placement table; ``("", False)`` for strings needing no check; None when it is unknown."""
    found = slots.find(path, root)
    if found is not None:
        _name, slot, how = found
        if slot.definition is None:
            # An annotation or a task's own field: annotations are strings by construction; a
            # rewired field is checked with its whole task (unknown here: the owner is checked).
            return ("", False) if "annotations" in slot.path else None
        # A whole list holds entries; a group of parallel steps is a list of steps itself.
        group = how == "entry" and isinstance(path[-1], Group)
        return slot.definition, (how == "whole" and slot.shape == "list") or group
    keys = [p for p in path if isinstance(p, str)]
    if keys and (keys[-1] == "annotations" or keys[-2:-1] == ["annotations"]):
        return ("", False)
    parent = slots.PARENTS.get(keys[-1]) if keys and isinstance(path[-1], str) else None
    return (parent, False) if parent else None


def _under(base: JsonPath) -> Callable[[JsonPath], Location]:
    def locate(path: JsonPath) -> Location:
        return _where((*base, *path))

    return locate


def _concrete(root: Any, path: EditPath) -> JsonPath:
    """The JSON path of a journal path: list entries named ``Named(x)`` become their index
    (a group index too, inside a ``steps`` list of groups); it stops where the path ends."""
    out: list[str | int] = []
    node = root
    for segment in path:
        if isinstance(segment, Named):
            found = find_named(node, segment.name) if isinstance(node, list) else None
            if found is None:
                break
            holder, index = found
            if holder is not node:  # inside a group of parallel steps
                out.append(next(g for g, group in enumerate(node) if group is holder))
            out.append(index)
            node = holder[index]
        elif isinstance(segment, Group):
            group = find_group(node, segment.name) if isinstance(node, list) else None
            if group is None:
                break
            out.append(group)
            node = node[group]
        else:
            out.append(segment)
            node = walk(node, (segment,))
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
    owners: list[tuple[JsonPath, argo.Document, bool]] = [
        (base, template, True)
        for base, template in argo.located_templates(doc)
        if base[-1] in wanted and slots.JOURNAL_KEY in argo.annotations_of(template)
    ]
    if slots.JOURNAL_KEY in argo.annotations_of(doc):
        owners.append(((), doc, False))
    for base, owner, is_template in owners:
        for _kind, path, _old in edits.read(argo.annotations_of(owner)[slots.JOURNAL_KEY]):
            known = _definition(path, owner)
            if known is None:  # not a shape we know: check the whole owner instead
                target = owner if is_template else argo.with_templates(owner, [])
                whole = slots.TEMPLATE_DEFINITION if is_template else None
                out += schemas.check(target, slots.SCHEMA, _under(base), slots.SCHEMA_CODE, whole)
                break
            definition, is_list = known
            if not definition:
                continue
            node = walk(owner, path)
            at = (*base, *_concrete(owner, path))
            items = list(enumerate(node)) if is_list and isinstance(node, list) else [(None, node)]
            for index, item in items:
                key = definition + repr(item)  # same value, same repr; json.dumps cost 4x more
                if key in seen:  # an identical addition elsewhere was checked already
                    continue
                seen.add(key)
                where: JsonPath = at if index is None else (*at, index)
                out += schemas.check(item, slots.SCHEMA, _under(where), slots.SCHEMA_CODE,
                                     definition)
    return out


def _problems(doc: argo.Document, changed: list[int],
              release: versions.ArgoVersion | None = None) -> list[Diagnostic]:
    """Rule diagnostics of ``doc``'s own fields and its ``changed`` templates (for the Argo
    ``release`` the compile targets)."""
    return rules.diagnose(rules.check_document(doc, changed, release), _where)


def _before(doc: argo.Document, changed: list[int]) -> argo.Document:
    """``doc`` as it was before this compile: its journals undone, on copies of what changed."""
    rest = copy.deepcopy(argo.with_templates(doc, []))
    journal.undo_one(rest)
    templates = list(argo.template_list(doc))
    for index in changed:
        templates[index] = copy.deepcopy(templates[index])
        journal.undo_one(templates[index])
    before = argo.with_templates(rest, templates)
    # Added templates are in the workflow's journal, which the undo above could not reach
    # with the template list set aside: remove them here.
    names = _added_templates(doc)
    return argo.with_templates(before, [t for t in argo.template_list(before)
                                        if not (isinstance(t, dict) and t.get("name") in names)])


def _added_templates(doc: argo.Document) -> set[str]:
    """The templates the workflow's journal says this compile added."""
    raw = argo.annotations_of(doc).get(slots.JOURNAL_KEY)
    if raw is None:
        return set()
    where = slots.slot_path(slots.SLOTS["template"], doc, doc)
    return {path[-1].name for kind, path, _ in edits.read(raw)
            if kind == "add" and path[:-1] == where and isinstance(path[-1], Named)}


def _changed(doc: argo.Document) -> list[int]:
    """The templates this compile touched: those carrying an edit journal (earlier journals
    were undone before the rewrite) and those it added."""
    added = _added_templates(doc)
    return [
        int(path[-1])
        for path, t in argo.located_templates(doc)
        if slots.JOURNAL_KEY in argo.annotations_of(t) or t.get("name") in added
    ]


def _key(d: Diagnostic) -> Key:
    return d.code, d.location.json_path, d.message


def validate(docs: list[Any], plan: Plan, file: str) -> list[Diagnostic]:
    """Diagnostics for problems this compile introduced (none when the output is sound)."""
    out: list[Diagnostic] = []
    seen: set[str] = set()
    release = versions.target(plan.spec.argo_version)
    for index in sorted({target.doc for target in plan.targets}
                        | {action.owner[0] for action in plan.actions}):
        doc = docs[index]
        try:
            changed = _changed(doc)
            after = _problems(doc, changed, release) + _added_problems(doc, changed, seen)
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
        unchanged = _unchanged(before, changed, doc)
        known = Counter(_key(d) for d in _problems(before, unchanged, release)
                        + _whole_problems(before, unchanged))
        for d in after:
            if known[_key(d)] > 0:
                known[_key(d)] -= 1
                continue
            # The output has no file positions yet: name the document and the JSON path.
            where = Location(file, 0, 0, f"{d.location.json_path} (output document {index})")
            out.append(Diagnostic(d.code, d.message, where, d.hint))
    return out


def _whole_problems(before: argo.Document, indices: list[int]) -> list[Diagnostic]:
    """The schema problems the changed templates had before the compile, checked whole: what a
    whole-owner check of the output (a rewired field, ``_added_problems``) meets again, such as
    KFP's ``parallelism: 0`` on the DAG a per-datum list task was added to."""
    wanted = set(indices)
    return [d for base, template in argo.located_templates(before) if base[-1] in wanted
            for d in schemas.check(template, slots.SCHEMA, _under(base), slots.SCHEMA_CODE,
                                   slots.TEMPLATE_DEFINITION)]


def _unchanged(before: argo.Document, changed: list[int], after: argo.Document) -> list[int]:
    """The indices in ``before`` of the changed templates that were there before the compile."""
    added = _added_templates(after)
    names = {str(argo.template_list(after)[i].get("name")) for i in changed} - added
    return [int(p[-1]) for p, t in argo.located_templates(before) if t.get("name") in names]
