"""The compiler: the one module that knows the stage order.

    load -> claim the format -> undo earlier kfdata edits -> parse spec -> resolve (bind, plan
    the actions, check every conflict) -> rewrite (apply the actions) -> validate -> emit

    compile_text(pipeline_bytes, spec_bytes)  ->  CompileResult(output="<bound YAML>", changed=True)

Problems in the pipeline and the spec are reported together; nothing is written here (the CLI
writes, atomically), so a failed compile never leaves a half-written file.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from kfdata_compiler import conventions, formats
from kfdata_compiler.diagnostics import Diagnostic, Location
from kfdata_compiler.errors import InternalError, KfdataError, LoadError, ResolveError
from kfdata_compiler.formats.base import Format
from kfdata_compiler.infile import DEFAULT_MAX_INPUT_SIZE, read_file
from kfdata_compiler.load import Source, load_source
from kfdata_compiler.plan.journal import ShapeError
from kfdata_compiler.resolve import resolve
from kfdata_compiler.rewrite import rewrite
from kfdata_compiler.spec import DataBindings, parse_spec
from kfdata_compiler.yamlio import no_cyclic_gc


class CompileResult(NamedTuple):
    """The output text, whether it differs from the input text, and warnings (e.g. KF209)."""

    pipeline: str
    spec: str
    output: str
    changed: bool
    warnings: tuple[Diagnostic, ...] = ()


def compile_text(
    pipeline: bytes, spec: bytes, pipeline_path: str = "<pipeline>", spec_path: str = "<spec>"
) -> CompileResult:
    """Compile a pipeline with its spec; ``KfdataError`` lists every problem found."""
    with no_cyclic_gc():
        return _compile(pipeline, spec, pipeline_path, spec_path)


def _compile(pipeline: bytes, spec: bytes, pipeline_path: str, spec_path: str) -> CompileResult:
    problems: list[Diagnostic] = []
    source: Source | None = None
    fmt: Format | None = None
    bindings: DataBindings | None = None
    try:
        source = load_source(pipeline_path, pipeline)
        fmt = formats.claim(source)
    except KfdataError as exc:
        problems.extend(exc.diagnostics)
    try:
        bindings = parse_spec(load_source(spec_path, spec))
    except KfdataError as exc:
        problems.extend(exc.diagnostics)
    if problems or source is None or fmt is None or bindings is None:
        raise KfdataError(problems)
    undone = fmt.undo(source)
    plan = resolve(source, bindings, fmt)
    if not plan.actions and not undone:
        # Nothing to bind: the input stays byte for byte what it was.
        return CompileResult(pipeline_path, spec_path, source.text, False, bindings.warnings)
    try:
        docs = rewrite(source.docs, plan, fmt)
    except ShapeError as exc:  # a node of the wrong type in the input: the input's problem
        raise ResolveError([fmt.shape_problem(exc, source)]) from None
    broken = fmt.validate(docs, plan, pipeline_path)
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
    text = fmt.emit(docs)
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


def lint_text(data: bytes, path: str = "<file>") -> list[Diagnostic]:
    """The format's own checks of a file (``kfdata-compile lint``); ``KfdataError`` when it
    cannot be read, parsed or matched to a format."""
    with no_cyclic_gc():
        source = load_source(path, data)
        return formats.claim(source).lint(source)


def lint_file(path: Path, max_input_size: int = DEFAULT_MAX_INPUT_SIZE) -> list[Diagnostic]:
    """Lint one file; ``KfdataError`` when it cannot be read or parsed, or is too large (KF112)."""
    return lint_text(read_file(path, "the file", max_input_size), str(path))
