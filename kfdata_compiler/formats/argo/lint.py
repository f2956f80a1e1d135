"""``kfdata-compile lint``: the strict Argo schema and Argo's rules on any Argo YAML file.

    lint_source(load_source("wf.yaml", ...))    # a template with two env vars named A
    ->  [Diagnostic("KF412", "env var 'A' appears twice in container 'main'",
                    Location("wf.yaml", 14, 13, "$.spec.templates[0].container.env[1].name"))]

Documents of other kinds (a ConfigMap beside the Workflow) are skipped; a KFP v2 pipeline spec
is refused as by the compiler (KF108). The same checks guard the compiler's own output
(:mod:`.validate`), which reports only what the input did not already have.
"""

from __future__ import annotations

from collections.abc import Callable

from kfdata_compiler import schemas
from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.argo import rules, slots, versions
from kfdata_compiler.load import Source


def _short(hint: str) -> str:
    # The schema's hints are Argo's field documentation: its first sentence says enough here.
    line = hint.strip().split("\n", 1)[0]
    return line.split(". ", 1)[0].rstrip(".") + "." if ". " in line else line


def lint_document(doc: argo.Document, locate: Callable[[JsonPath], Location],
                  release: versions.ArgoVersion | None = None) -> list[Diagnostic]:
    """Schema and rule diagnostics of one workflow document, in file order, for the Argo
    ``release`` (default: ``versions.DEFAULT``).

    Where a rule and the schema flag the same value (a bad name, ``parallelism: 0``), only the
    rule's more specific diagnostic is kept: the strict schema is Argo 4.1's, the rule knows
    what the target release does with the value.
    """
    found = rules.diagnose(rules.check_document(doc, release=release), locate)
    flagged = {d.location.json_path for d in found}
    # Only the schema's documentation is shortened, not the hints built for a problem
    # (an unknown field's "did you mean", the fields allowed there).
    for d in schemas.check(doc, slots.SCHEMA, locate, slots.SCHEMA_CODE, docs=_short):
        if d.location.json_path not in flagged:
            found.append(d)
    return sorted(found, key=lambda d: (d.location.line, d.location.col, d.code))


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
