"""``kfdata-compile lint``: the strict Argo schema and Argo's rules on any Argo YAML file.

    lint_file(Path("wf.yaml"))    # a template with two env vars named A
    ->  [Diagnostic("KF412", "env var 'A' appears twice in container 'main'",
                    Location("wf.yaml", 14, 13, "$.spec.templates[0].container.env[1].name"))]

Documents of other kinds (a ConfigMap beside the Workflow) are skipped; a KFP v2 pipeline spec
is refused as by the compiler (KF108). The same checks guard the compiler's own output
(:mod:`kfdata_compiler.validate`), which reports only what the input did not already have.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kfdata_compiler import argo, rules, schemas
from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location
from kfdata_compiler.infile import DEFAULT_MAX_INPUT_SIZE, read_file
from kfdata_compiler.load import Source, check_pipeline, load_source

ARGO_SCHEMA = "argo-workflows.strict.schema.json"
SCHEMA_CODE = "KF400"


def _short(hint: str) -> str:
    # The schema's hints are Argo's field documentation: its first sentence says enough here.
    line = hint.strip().split("\n", 1)[0]
    return line.split(". ", 1)[0].rstrip(".") + "." if ". " in line else line


def lint_document(doc: argo.Document, locate: Callable[[JsonPath], Location]) -> list[Diagnostic]:
    """Schema and rule diagnostics of one workflow document, in file order.

    Where a rule and the schema flag the same value (a bad name), only the rule's more
    specific diagnostic is kept.
    """
    found = rules.diagnose(rules.check_document(doc), locate)
    flagged = {d.location.json_path for d in found}
    for d in schemas.check(doc, ARGO_SCHEMA, locate, SCHEMA_CODE):
        if d.location.json_path not in flagged:
            found.append(Diagnostic(d.code, d.message, d.location, _short(d.hint)))
    return sorted(found, key=lambda d: (d.location.line, d.location.col, d.code))


def lint_source(source: Source) -> list[Diagnostic]:
    """Diagnostics of every Argo workflow document of a loaded file."""
    check_pipeline(source)
    out: list[Diagnostic] = []
    for index, doc in enumerate(source.docs):
        if not argo.is_workflow(doc):
            continue

        def locate(path: JsonPath, doc_index: int = index) -> Location:
            return source.positions.locate(path, doc_index)

        out.extend(lint_document(doc, locate))
    return out


def lint_file(path: Path, max_input_size: int = DEFAULT_MAX_INPUT_SIZE) -> list[Diagnostic]:
    """Lint one file; ``KfdataError`` when it cannot be read or parsed, or is too large (KF112)."""
    data = read_file(path, "the file", max_input_size)
    return lint_source(load_source(str(path), data))
