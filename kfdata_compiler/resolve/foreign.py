"""A spec written for the other format: one KF355, not a KF302 per binding (issue 20 §2).

    bindings: [{step: train_model}, {step: for-loop-2/evaluate}]     on an Argo workflow
    ->  KF355 "no binding's step matches a template of this Argo workflow, and each is named as
              KFP v2 names tasks ('_', '/', comp-, exec-) ..."
              hint: "train_model -> train-model, ...; available steps: ..."

The rule, decided from what each format's names can be:

- **On an Argo file**: every binding's step matches nothing, and every one is a Python
  identifier with a ``_``, a ``/``-separated path of kebab-case task keys, or starts with
  ``comp-``/``exec-`` (``train; rm -rf / #`` is none of these: it gets its KF302).
  Argo refuses ``_`` and ``/`` in template, step and task names
  (``workflow/validate/validate.go``, ``workflowFieldNameFmt``
  ``[a-zA-Z0-9][-a-zA-Z0-9]*``, v3.4 to v4.0), while KFP v2 writes them: a Python function
  (``--function_to_execute``), a task path (``for-loop-2/train``), a component or executor
  name (kfp's ``dsl/utils.py``: ``comp-`` + ``maybe_rename_for_k8s``). A KFP v1 display name may
  hold them too, but one that exists would have matched.
- **On a KFP v2 file**: every binding's step matches nothing, and the spec uses what only an
  Argo compile reads (``argoVersion``, a per-datum read): the names alone cannot tell, since
  KFP v1 template names and KFP v2 task keys are both kebab-case.

A spec with a single step that matches is not foreign: its other steps get their KF302.
"""

from __future__ import annotations

from collections.abc import Sequence

from kfdata_compiler import lazy
from kfdata_compiler.diagnostics import Diagnostic, JsonPath
from kfdata_compiler.formats.base import Steps
from kfdata_compiler.spec import DataBindings

_KFPV2_PREFIXES = ("comp-", "exec-")
# KFP v2's own name shapes (globs allowed): a Python function with a '_', a task path of task
# keys, a component or executor name; a name of any other shape is not taken for one.
_KFPV2_SHAPES = (lazy.compile(r"[A-Za-z*?][A-Za-z0-9*?]*(_[A-Za-z0-9*?]*)+|_[A-Za-z0-9_*?]*"),
                 lazy.compile(r"[a-z0-9*?-]+(/[a-z0-9*?-]+)+"),
                 lazy.compile(r"(comp|exec)-[a-z0-9*?-]+"))


def _kfpv2_shaped(step: str) -> bool:
    return any(shape.fullmatch(step) for shape in _KFPV2_SHAPES)


def _as_argo(step: str) -> str:
    """The name kfp v1 (and hera) would give the task a KFP v2 name names: its last path
    segment, without ``comp-``/``exec-``, ``_`` as ``-``."""
    last = step.rsplit("/", 1)[-1]
    for prefix in _KFPV2_PREFIXES:
        last = last.removeprefix(prefix)
    return last.replace("_", "-").lower()


def _argo_only(spec: DataBindings) -> list[str]:
    """What the spec uses that only an Argo compile reads."""
    found = ["argoVersion"] if spec.argo_version is not None else []
    if any(u.datum is not None for b in spec.bindings for u in b.uses):
        found.append("per-datum reads ('datum')")
    return found


def foreign(fmt: str, spec: DataBindings, unmatched: Sequence[tuple[str, JsonPath]],
            matched: int, steps: Steps) -> Diagnostic | None:
    """KF355 when every step of the spec (``unmatched``: step, where; ``matched``: how many
    select something) says the spec was written for the other format; else None."""
    if matched or not unmatched:
        return None
    names = steps.names()
    first = spec.locate(unmatched[0][1])
    quoted = ", ".join(repr(s) for s, _ in unmatched[:4]) + (", ..." if len(unmatched) > 4
                                                              else "")
    if fmt == "argo" and all(_kfpv2_shaped(s) for s, _ in unmatched):
        pairs = [f"{s} -> {_as_argo(s)}" for s, _ in unmatched if _as_argo(s) in names]
        return Diagnostic(
            "KF355", f"no binding's step matches a template of this Argo workflow, and each "
            f"({quoted}) is named as KFP v2 names its tasks (a Python function, a task path, "
            "'comp-'/'exec-'): the spec looks written for the pipeline's KFP v2 IR",
            first, "\n".join(filter(None, [
                "bind the KFP v2 IR file (kfp's compiler output) with this spec, or name this "
                "file's templates, steps or tasks",
                "the same tasks here: " + ", ".join(pairs) if pairs else "",
                f"available steps: {', '.join(names) or 'none'}"])))
    argo_only = _argo_only(spec)
    if fmt == "kfp-v2" and argo_only:
        return Diagnostic(
            "KF355", f"no binding's step ({quoted}) matches a task of this KFP v2 pipeline, and "
            f"the spec uses what only Argo workflows read ({', '.join(argo_only)}): it looks "
            "written for an Argo workflow (a KFP v1 or hera pipeline)",
            first, "bind the Argo workflow with this spec, or name this pipeline's tasks\n"
            f"available tasks: {', '.join(names) or 'none'}")
    return None
