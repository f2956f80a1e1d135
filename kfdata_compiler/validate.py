"""Check what the rewrite produced before it is emitted: a broken workflow is never written.

Read-only. The rules of :mod:`kfdata_compiler.rules` run on every template this compile changed
(the bound templates and the callers whose arguments it fed). A violation is kfdata-compiler's
own bug, so the compiler reports it as an internal error (exit 3) naming the rule::

    bound template with two env vars named KFDATA_X_PATH
    ->  [Diagnostic("KF405", "env var 'KFDATA_X_PATH' appears twice in container 'main'", ...)]
"""

from __future__ import annotations

from typing import Any

from kfdata_compiler import argo, rules
from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location, render_path
from kfdata_compiler.resolve import Plan


def validate(docs: list[Any], plan: Plan, file: str) -> list[Diagnostic]:
    """Diagnostics for rule violations in the templates this compile changed."""
    changed: dict[int, set[str]] = {}
    for target in plan.targets:
        names = changed.setdefault(target.doc, set())
        names.add(target.template)
        for caller, _path, _call in argo.callers(docs[target.doc], target.template):
            names.add(str(caller.get("name")))
    out: list[Diagnostic] = []
    for index, names in sorted(changed.items()):

        def locate(path: JsonPath, doc: int = index) -> Location:
            # The output has no file positions yet; name the document and the JSON path.
            return Location(file, 0, 0, f"{render_path(path)} (output document {doc})")

        out.extend(rules.check_templates(docs[index], names, locate))
        out.extend(rules.unique_template_names(docs[index], locate))
    return out
