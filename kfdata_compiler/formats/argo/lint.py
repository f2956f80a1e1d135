"""``kfdata-compile lint``: the strict Argo schema and Argo's rules on any Argo YAML file.

    lint_source(load_source("wf.yaml", ...))    # a template with two env vars named A
    ->  [Diagnostic("KF412", "env var 'A' appears twice in container 'main'",
                    Location("wf.yaml", 14, 13, "$.spec.templates[0].container.env[1].name"))]

Documents of other kinds (a ConfigMap beside the Workflow) are skipped; a KFP v2 pipeline spec
is refused as by the compiler (KF108). The same checks guard the compiler's own output
(:mod:`.validate`), which reports only what the input did not already have.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from kfdata_compiler import schemas
from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location, Severity
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.argo import rules, slots, versions
from kfdata_compiler.load import Source
from kfdata_compiler.plan import Plan


def _short(hint: str) -> str:
    # The schema's hints are Argo's field documentation: its first sentence says enough here.
    line = hint.strip().split("\n", 1)[0]
    return line.split(". ", 1)[0].rstrip(".") + "." if ". " in line else line


def lint_document(doc: argo.Document, locate: Callable[[JsonPath], Location],
                  release: versions.ArgoVersion | None = None,
                  only: Collection[int] | None = None) -> list[Diagnostic]:
    """Schema and rule diagnostics of one workflow document, in file order, for the Argo
    ``release`` (default: ``versions.DEFAULT``); ``only``: of the document's own fields and
    those templates (by index) alone, as the compile's self-check sees them.

    Where a rule and the schema flag the same value (a bad name, ``parallelism: 0``), only the
    rule's more specific diagnostic is kept: the strict schema is Argo 4.1's, the rule knows
    what the target release does with the value.
    """
    found = rules.diagnose(rules.check_document(doc, only, release), locate)
    flagged = {d.location.json_path for d in found}
    # Only the schema's documentation is shortened, not the hints built for a problem
    # (an unknown field's "did you mean", the fields allowed there).
    for d in _schema(doc, locate, only):
        if d.location.json_path not in flagged:
            found.append(d)
    return sorted(found, key=lambda d: (d.location.line, d.location.col, d.code))


def _schema(doc: argo.Document, locate: Callable[[JsonPath], Location],
            only: Collection[int] | None) -> list[Diagnostic]:
    if only is None:
        return schemas.check(doc, slots.SCHEMA, locate, slots.SCHEMA_CODE, docs=_short)
    wanted = set(only)
    # The document without its templates (an empty list is valid), then each chosen template
    # whole, as the self-check checks an owner whose edit it cannot place (validate.py).
    out = schemas.check(argo.with_templates(doc, []), slots.SCHEMA, locate, slots.SCHEMA_CODE,
                        docs=_short)
    for base, template in argo.located_templates(doc):
        if base[-1] in wanted:
            out += schemas.check(template, slots.SCHEMA, _under(locate, base), slots.SCHEMA_CODE,
                                 slots.TEMPLATE_DEFINITION, _short)
    return out


def _under(locate: Callable[[JsonPath], Location], base: JsonPath
           ) -> Callable[[JsonPath], Location]:
    def inside(path: JsonPath) -> Location:
        return locate((*base, *path))

    return inside


def lint_touched(source: Source, plan: Plan) -> list[Diagnostic]:
    """The errors ``lint`` finds in the parts of the input ``plan`` touches (the fields of each
    document it changes, and each template an action owns), located in the input, for the Argo
    release the plan targets; warnings are left out: they never stop a compile.

    What the compile's self-check (:mod:`.validate`) would report of its output, when the input
    was already broken there (``dependencies: b``, a task named ``{{item}}``), is said here of
    the input, at its line and column::

        dag.tasks: [{name: b, template: a, when: 5}]  + a datum binding on 'a'
        ->  [Diagnostic("KF400", "'when' must be a string, not 5", pipeline.yaml:11:32)]
    """
    release = versions.target(plan.spec.argo_version)
    owners: dict[int, set[str]] = {}
    for action in plan.actions:
        names = owners.setdefault(action.owner[0], set())
        if action.owner[1] is not None:
            names.add(action.owner[1])
    for target in plan.targets:
        owners.setdefault(target.doc, set()).add(target.node)
    out: list[Diagnostic] = []
    for index, names in sorted(owners.items()):
        doc = source.docs[index]
        if not argo.is_workflow(doc):
            continue
        # Owners are named as strings (``nodes``): a template named 123 is owner "123".
        chosen = [int(p[-1]) for p, t in argo.located_templates(doc)
                  if str(t.get("name")) in names]

        def locate(path: JsonPath, doc_index: int = index) -> Location:
            return source.positions.locate(path, doc_index)

        out += [d for d in lint_document(doc, locate, release, chosen)
                if d.severity is Severity.ERROR]
    return out


def lint_source(source: Source, argo_version: str | None = None) -> list[Diagnostic]:
    """Diagnostics of every Argo workflow document of a loaded file (one the format took),
    for the Argo release ``argo_version`` (``ValueError`` when it is not one)."""
    release = versions.target(argo_version)
    out: list[Diagnostic] = []
    for index, doc in enumerate(source.docs):
        if not argo.is_workflow(doc):
            continue

        def locate(path: JsonPath, doc_index: int = index) -> Location:
            return source.positions.locate(path, doc_index)

        out.extend(lint_document(doc, locate, release))
    return out
