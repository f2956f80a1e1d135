"""The compiler: the one module that knows the stage order.

    load -> undo earlier kfdata edits -> parse spec -> resolve -> rewrite -> validate -> emit

    compile_text(pipeline_bytes, spec_bytes)  ->  CompileResult(output="<bound YAML>", changed=True)

Problems in the pipeline and the spec are reported together; nothing is written here (the CLI
writes, atomically), so a failed compile never leaves a half-written file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kfdata_compiler import argo, conventions, edits
from kfdata_compiler.diagnostics import Diagnostic, Location
from kfdata_compiler.emit import emit
from kfdata_compiler.errors import InternalError, KfdataError, LoadError
from kfdata_compiler.load import Source, check_pipeline, load_source
from kfdata_compiler.resolve import resolve
from kfdata_compiler.rewrite import run_passes
from kfdata_compiler.spec import DataBindings, parse_spec
from kfdata_compiler.validate import validate


@dataclass(frozen=True)
class CompileResult:
    """The output text, whether it differs from the input text, and warnings (e.g. KF209)."""

    pipeline: str
    spec: str
    output: str
    changed: bool
    warnings: tuple[Diagnostic, ...] = ()


def _undo_earlier_edits(source: Source) -> bool:
    """Restore documents that an earlier kfdata compile changed; True if any was."""
    undone = False
    for index, doc in enumerate(source.docs):
        if not argo.is_workflow(doc):
            continue
        for owner in [*argo.templates(doc), doc]:
            try:
                undone |= edits.undo(owner)
            except (ValueError, KeyError, IndexError, TypeError) as exc:
                path = (*argo.annotations_path(), edits.EDITS_ANNOTATION)
                if owner is not doc:
                    where = argo.templates(doc).index(owner)
                    path = (*argo.template_path(doc, where), *path)
                raise LoadError(
                    [
                        Diagnostic(
                            "KF111",
                            f"the kfdata.dev/edits annotation cannot be read ({exc})",
                            source.positions.locate(path, index),
                            "it was edited by hand: compile the original pipeline instead",
                        )
                    ]
                ) from None
    return undone


def compile_text(
    pipeline: bytes, spec: bytes, pipeline_path: str = "<pipeline>", spec_path: str = "<spec>"
) -> CompileResult:
    """Compile a pipeline with its spec; ``KfdataError`` lists every problem found."""
    problems: list[Diagnostic] = []
    source: Source | None = None
    bindings: DataBindings | None = None
    try:
        source = check_pipeline(load_source(pipeline_path, pipeline))
    except KfdataError as exc:
        problems.extend(exc.diagnostics)
    try:
        bindings = parse_spec(load_source(spec_path, spec))
    except KfdataError as exc:
        problems.extend(exc.diagnostics)
    if problems or source is None or bindings is None:
        raise KfdataError(problems)
    undone = _undo_earlier_edits(source)
    plan = resolve(source, bindings)
    if not plan.targets and not undone:
        # Nothing to bind: the input stays byte for byte what it was.
        return CompileResult(pipeline_path, spec_path, source.text, False, bindings.warnings)
    docs = run_passes(source.docs, plan)
    broken = validate(docs, plan, pipeline_path)
    if broken:
        raise InternalError(
            [
                Diagnostic(
                    "KF900",
                    f"kfdata-compile produced output that breaks rule {d.code}: {d.message}",
                    d.location,
                    "this is a bug in kfdata-compile: please report it with the input files",
                )
                for d in broken
            ]
        )
    text = emit(docs)
    return CompileResult(pipeline_path, spec_path, text, text != source.text, bindings.warnings)


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise LoadError(
            [Diagnostic("KF100", f"cannot read {what}: {exc.strerror}", Location(str(path)))]
        ) from None


def find_spec(pipeline: Path) -> Path:
    """The spec for ``pipeline`` by convention, or ``LoadError`` naming the places looked at."""
    found = conventions.find_spec(pipeline)
    if found is None:
        tried = ", ".join(str(p) for p in conventions.spec_candidates(pipeline))
        raise LoadError(
            [
                Diagnostic(
                    "KF110",
                    "no kfdata spec found for this pipeline",
                    Location(str(pipeline)),
                    f"looked for {tried}; create one or pass --spec FILE",
                )
            ]
        )
    return found


def compile_file(pipeline: Path, spec: Path | None = None) -> CompileResult:
    """Compile a pipeline file; the spec is found by convention when not given."""
    spec = spec or find_spec(pipeline)
    return compile_text(
        _read(pipeline, "the pipeline"), _read(spec, "the spec"), str(pipeline), str(spec)
    )
