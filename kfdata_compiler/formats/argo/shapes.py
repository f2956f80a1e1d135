"""KF311: a field the rewrite must add to has the wrong type in the input.

    container: {env: oops}   + a dataset bound to that template
    ->  KF311 "cannot add to container.env of template 'main': it is a string, not the list
              Argo expects"   at the template's container
"""

from __future__ import annotations

from kfdata_compiler.diagnostics import Diagnostic
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.load import Source
from kfdata_compiler.plan.journal import ShapeError
from kfdata_compiler.plan.paths import Group, Named

_KIND = {
    dict: "mapping",
    list: "list",
    str: "string",
    int: "number",
    float: "number",
    bool: "boolean",
    type(None): "null",
}


def owner_path(doc: argo.Document, name: str | None) -> tuple[str | int, ...]:
    """The JSON path of a journal owner: a template by name, or the document (``()``)."""
    if name is None:
        return ()
    return next((p for p, t in argo.located_templates(doc) if t.get("name") == name), ())


def shape_problem(exc: ShapeError, source: Source) -> Diagnostic:
    """The input's own problem behind a :class:`ShapeError`, located in the pipeline."""
    doc_index, name = exc.owner
    where = owner_path(source.docs[doc_index], name)
    # Named list entries have no index to point at: stop the path before them.
    steps: list[str | int] = []
    for segment in exc.path:
        if isinstance(segment, (Named, Group)):
            break
        steps.append(segment)
    return Diagnostic(
        "KF311",
        f"cannot add to {'.'.join(map(str, exc.path))} of "
        f"{'template ' + repr(name) if name else 'the workflow'}: it is a "
        f"{_KIND.get(type(exc.found), type(exc.found).__name__)}, not the "
        f"{_KIND[exc.expected]} Argo expects",
        source.positions.locate((*where, *steps), doc_index),
        "fix the pipeline: this field has the wrong type for Argo",
    )
