"""What an Argo rule sees (``Context``) and what it reports (``Finding``).

A rule is a plain function; it yields findings whose path is relative to what it was given::

    env_names({name: t, container: {env: [{name: A}, {name: A}]}}, ctx)
    ->  Finding("KF412", "env var 'A' appears twice in container 'main'", ("container", "env", 1))
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NamedTuple

from kfdata_compiler import lazy
from kfdata_compiler.diagnostics import JsonPath, Severity
from kfdata_compiler.formats.argo.paths import Document

# Argo workflow/validate: workflowFieldNameFmt (templates, steps, DAG tasks), at most 128 long.
FIELD_NAME = lazy.compile(r"[a-zA-Z0-9][-a-zA-Z0-9]*")
FIELD_NAME_MAX = 128
FIELD_NAME_HINT = ("use letters, digits and '-', starting with a letter or digit "
                   f"(at most {FIELD_NAME_MAX} characters)")
# Argo workflow/validate: paramOrArtifactNameRegex.
PARAM_NAME = lazy.compile(r"[-a-zA-Z0-9_]+")
PARAM_NAME_HINT = "use letters, digits, '-' and '_'"


class Finding(NamedTuple):
    """A rule violation: its code, a message, the path (relative to the rule's input), a hint;
    a warning for what the target Argo accepts but should not be relied on."""

    code: str
    message: str
    path: JsonPath = ()
    hint: str = ""
    severity: Severity = Severity.ERROR


class Context(NamedTuple):
    """What a template rule may know about the rest of its workflow.

    ``template_names`` is None when the templates are unknown (a template checked on its own);
    ``spec_volumes`` is None when a caller may add to them (a WorkflowTemplate's templates run
    with the volumes of the Workflow that refers to them).
    """

    spec_volumes: frozenset[str] | None = frozenset()
    template_names: frozenset[str] | None = None


TemplateRule = Callable[[Document, Context], Iterator[Finding]]
DocumentRule = Callable[[Document], Iterator[Finding]]


def field_name(kind: str, name: object, path: JsonPath) -> Iterator[Finding]:
    """KF401 when ``name`` is not a valid template, step or task name."""
    if not isinstance(name, str) or not FIELD_NAME.fullmatch(name) or len(name) > FIELD_NAME_MAX:
        yield Finding("KF401", f"{kind} name {name!r} is not a valid Argo name", path,
                      FIELD_NAME_HINT)
