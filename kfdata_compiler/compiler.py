"""The compiler: the one module that knows the stage order.

    load -> undo earlier kfdata edits -> parse spec -> resolve -> rewrite -> validate -> emit

    compile_text(pipeline_bytes, spec_bytes)  ->  CompileResult(output="<bound YAML>", changed=True)

Problems in the pipeline and the spec are reported together; nothing is written here (the CLI
writes, atomically), so a failed compile never leaves a half-written file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from kfdata_compiler import argo, conventions, edits
from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location
from kfdata_compiler.emit import emit
from kfdata_compiler.errors import InternalError, KfdataError, LoadError, ResolveError
from kfdata_compiler.infile import DEFAULT_MAX_INPUT_SIZE, read_file
from kfdata_compiler.load import Source, check_pipeline, load_source
from kfdata_compiler.resolve import Plan, resolve
from kfdata_compiler.rewrite import run_passes
from kfdata_compiler.spec import DataBindings, parse_spec
from kfdata_compiler.validate import validate
from kfdata_compiler.yamlio import no_cyclic_gc


class CompileResult(NamedTuple):
    """The output text, whether it differs from the input text, and warnings (e.g. KF209)."""

    pipeline: str
    spec: str
    output: str
    changed: bool
    warnings: tuple[Diagnostic, ...] = ()


def _owners(doc: argo.Document) -> list[tuple[argo.Document, JsonPath]]:
    """Every template of a workflow and the workflow itself, with their JSON paths."""
    found = [
        (t, argo.template_path(doc, i))
        for i, t in enumerate(argo.template_list(doc))
        if isinstance(t, dict)
    ]
    return [*found, (doc, ())]


def _undo_earlier_edits(source: Source) -> bool:
    """Restore documents that an earlier kfdata compile changed; True if any was."""
    undone = False
    for index, doc in enumerate(source.docs):
        if not argo.is_workflow(doc):
            continue
        for owner, where in _owners(doc):
            try:
                undone |= edits.undo(owner)
            except edits.JOURNAL_ERRORS as exc:
                path = (*where, *argo.annotations_path(), edits.EDITS_ANNOTATION)
                reason = str(exc) if not isinstance(exc, RecursionError) else "nested too deeply"
                raise LoadError(
                    [
                        Diagnostic(
                            "KF111",
                            f"the kfdata.dev/edits annotation cannot be used ({reason})",
                            source.positions.locate(path, index),
                            "it was edited by hand: compile the original pipeline instead",
                        )
                    ]
                ) from None
    return undone


_KIND = {
    dict: "mapping",
    list: "list",
    str: "string",
    int: "number",
    float: "number",
    bool: "boolean",
    type(None): "null",
}


def _rewrite(source: Source, plan: Plan) -> list[Any]:
    """Run the passes; a node of the wrong shape in the input is the input's problem (KF311)."""
    try:
        return run_passes(source.docs, plan)
    except edits.ShapeError as exc:
        doc_index, name = exc.owner
        doc = source.docs[doc_index]
        where: JsonPath = next((p for t, p in _owners(doc) if t.get("name") == name), ())
        if name is None:
            where = ()
        # Named list entries have no index to point at: stop the path before them.
        steps: list[str | int] = []
        for segment in exc.path:
            if isinstance(segment, argo.Named):
                break
            steps.append(segment)
        raise ResolveError(
            [
                Diagnostic(
                    "KF311",
                    f"cannot add to {'.'.join(map(str, exc.path))} of "
                    f"{'template ' + repr(name) if name else 'the workflow'}: it is a "
                    f"{_KIND.get(type(exc.found), type(exc.found).__name__)}, not the "
                    f"{_KIND[exc.expected]} Argo expects",
                    source.positions.locate((*where, *steps), doc_index),
                    "fix the pipeline: this field has the wrong type for Argo",
                )
            ]
        ) from None


def compile_text(
    pipeline: bytes, spec: bytes, pipeline_path: str = "<pipeline>", spec_path: str = "<spec>"
) -> CompileResult:
    """Compile a pipeline with its spec; ``KfdataError`` lists every problem found."""
    with no_cyclic_gc():
        return _compile(pipeline, spec, pipeline_path, spec_path)


def _compile(pipeline: bytes, spec: bytes, pipeline_path: str, spec_path: str) -> CompileResult:
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
    docs = _rewrite(source, plan)
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


def compile_file(
    pipeline: Path, spec: Path | None = None, max_input_size: int = DEFAULT_MAX_INPUT_SIZE
) -> CompileResult:
    """Compile a pipeline file; the spec is found by convention when not given.

    Each file is read once (a FIFO has nothing left for a second read), and refused (KF112)
    if larger than ``max_input_size`` bytes.
    """
    spec = spec or find_spec(pipeline)
    return compile_text(
        read_file(pipeline, "the pipeline", max_input_size),
        read_file(spec, "the spec", max_input_size),
        str(pipeline),
        str(spec),
    )
