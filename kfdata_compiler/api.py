"""``bind``: the compiler for hera and notebook users, on objects as well as files.

    from kfdata_compiler import bind
    result = bind(hera_workflow, {"apiVersion": "kfdata.dev/v1alpha1", "kind": "DataBindings",
                                  "datasets": {...}, "bindings": [...]})
    result.changed                 ->  True
    result.to_dict()["spec"]       ->  the bound workflow, as plain dicts
    result.bindings["steps"]       ->  what ``kfdata-compile explain --format json`` prints

What each argument may be:

- an ``os.PathLike`` (a ``Path``): a file, read once and at most ``max_input_size`` bytes, as the
  CLI reads it;
- ``bytes``: YAML text;
- a ``str``: YAML text when it holds a newline or starts with ``{`` (JSON is YAML), else a path;
- a mapping (or, for the workflow, a list of them: several documents): plain data;
- any object with a ``to_dict()`` method (a hera ``Workflow``; hera is never imported here).

Plain data is written as YAML with kfdata's own emitter and compiled as that text, so a
diagnostic's line and column point into ``yamlio.dump_documents([data])`` (its file is
``<workflow as YAML>`` or ``<spec as YAML>``); for text and files they point into what was given
(``<workflow>``/``<spec>``, or the path). ``to_dict()`` is the first workflow document,
``to_dicts()`` every document.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple, Union

from kfdata_compiler.compiler import compile_text, find_spec, lock_for, plan_text
from kfdata_compiler.diagnostics import Diagnostic
from kfdata_compiler.explain import as_data, build, render
from kfdata_compiler.explain.facts import Facts
from kfdata_compiler.infile import DEFAULT_MAX_INPUT_SIZE, read_file
from kfdata_compiler.yamlio import dump_documents, load_documents

# What bind takes (see the module's docstring); Any: objects with to_dict() are duck-typed.
WorkflowLike = Union[str, bytes, "os.PathLike[str]", Mapping[str, Any], list[Any], Any]
SpecLike = Union[str, bytes, "os.PathLike[str]", Mapping[str, Any]]


class BindResult(NamedTuple):
    """A bound pipeline: its YAML, whether binding changed it, and what ``explain`` says."""

    output: str
    changed: bool
    bindings: dict[str, Any]
    facts: Facts
    warnings: tuple[Diagnostic, ...]
    workflow_index: int  # the first document the format rewrites

    def to_yaml(self) -> str:
        """The bound pipeline as YAML text (what ``kfdata-compile`` prints)."""
        return self.output

    def to_dicts(self) -> list[Any]:
        """Every document of the bound pipeline, as plain dicts and lists."""
        return load_documents(self.output, "<bound>")

    def to_dict(self) -> dict[str, Any]:
        """The bound workflow (the first workflow document), as plain dicts and lists.

        >>> bind(wf, spec).to_dict()["spec"]["templates"][0]["container"]["env"][0]["name"]
        'KFDATA_REVIEWS_PATH'
        """
        found: dict[str, Any] = self.to_dicts()[self.workflow_index]
        return found

    def explain(self, how: str = "text") -> str:
        """``kfdata-compile explain``'s report: ``text``, ``mermaid`` or ``json``."""
        return render(self.facts, how)


def _plain(value: Any, where: str) -> Any:
    """A copy of ``value`` made of what YAML holds (tuples become lists), else ``TypeError``."""
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where}: key {key!r} is not a string")
            out[key] = _plain(item, f"{where}.{key}")
        return out
    if isinstance(value, (list, tuple)):
        return [_plain(item, f"{where}[{i}]") for i, item in enumerate(value)]
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    raise TypeError(f"{where}: {type(value).__name__} is not plain data (str, number, bool, "
                    "None, list, mapping)")


def _document(value: Any, what: str) -> Any:
    to_dict = getattr(value, "to_dict", None)
    if isinstance(value, Mapping):
        return _plain(value, what)
    if callable(to_dict):
        return _plain(to_dict(), f"{type(value).__name__}.to_dict()")
    raise TypeError(f"{what} must be a path, YAML text, a mapping or have to_dict(), "
                    f"not {type(value).__name__}")


def is_text(value: Any) -> bool:
    """Whether a ``str`` argument is YAML text rather than a path.

    >>> is_text("kind: Workflow\\n"), is_text('{"kind": "Workflow"}'), is_text("p.yaml")
    (True, True, False)
    """
    return isinstance(value, str) and ("\n" in value or value.lstrip().startswith("{"))


def _read(value: Any, what: str, name: str, limit: int, many: bool) -> tuple[bytes, str]:
    """The bytes to compile and the name diagnostics give them."""
    if is_text(value):
        return str(value).encode("utf-8"), name
    if isinstance(value, (str, os.PathLike)):
        return read_file(value, f"the {what}", limit), os.fspath(value)
    if isinstance(value, bytes):
        return value, name
    if many and isinstance(value, (list, tuple)):
        docs = [_document(v, f"{what}[{i}]") for i, v in enumerate(value)]
    else:
        docs = [_document(value, what)]
    return dump_documents(docs).encode("utf-8"), f"<{what} as YAML>"


def bind(workflow: WorkflowLike, spec: SpecLike | None = None, *,
         max_input_size: int = DEFAULT_MAX_INPUT_SIZE) -> BindResult:
    """Bind a spec's datasets to a workflow; ``KfdataError`` lists every problem, as the CLI.

    >>> result = bind(Path("pipeline.yaml"))          # spec: pipeline.kfdata.yaml beside it
    >>> result = bind(hera_workflow, {"apiVersion": "kfdata.dev/v1alpha1", ...})
    >>> result.changed, result.bindings["steps"][0]["template"]
    (True, 'train')

    ``spec`` may be left out only when ``workflow`` is a file (found as the CLI finds it); a
    spec file's ``kfdata.lock`` beside it pins its datasets, as for the CLI.
    """
    if spec is None:
        if not isinstance(workflow, (str, os.PathLike)) or is_text(workflow):
            raise TypeError("bind needs a spec unless the workflow is a file")
        spec = find_spec(Path(workflow))
    data, name = _read(workflow, "workflow", "<workflow>", max_input_size, many=True)
    spec_data, spec_name = _read(spec, "spec", "<spec>", max_input_size, many=False)
    # A spec file's kfdata.lock pins its datasets, as for the CLI; a spec given as data has none.
    lock, lock_data = Path(), None
    if isinstance(spec, (str, os.PathLike)) and not is_text(spec):
        lock, lock_data = lock_for(Path(spec), max_input_size)
    result = compile_text(data, spec_data, name, spec_name, lock_data, str(lock))
    # The facts come from a second resolve of the same input: cheap next to a notebook's
    # round trip, and it keeps the compile path exactly the CLI's.
    planned = plan_text(data, spec_data, name, spec_name, lock_data, str(lock))
    facts = build(*planned)
    index = next((i for i, doc in enumerate(planned.source.docs)
                  if planned.format.claims(doc)), 0)
    return BindResult(result.output, result.changed, as_data(facts), facts, result.warnings,
                      index)


__all__ = ["BindResult", "SpecLike", "WorkflowLike", "bind", "is_text"]
