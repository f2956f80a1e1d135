"""The compiler: the one module that knows the stage order.

    load -> claim the format -> undo earlier kfdata edits -> parse spec -> resolve (bind, plan
    the actions, check every conflict) -> rewrite (apply the actions) -> validate -> emit

    compile_text(pipeline_bytes, spec_bytes)  ->  CompileResult(output="<bound YAML>", changed=True)

Problems are reported together; nothing is written here (the CLI writes, atomically).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from kfdata_compiler import conventions, formats
from kfdata_compiler.diagnostics import Diagnostic, Location
from kfdata_compiler.errors import InternalError, KfdataError, LoadError, ResolveError, SpecError
from kfdata_compiler.formats.base import Format
from kfdata_compiler.infile import DEFAULT_MAX_INPUT_SIZE, read_file
from kfdata_compiler.load import Source, load_source
from kfdata_compiler.plan import Plan
from kfdata_compiler.plan.journal import ShapeError
from kfdata_compiler.resolve import check_alone, resolve
from kfdata_compiler.rewrite import rewrite
from kfdata_compiler.spec import ARGO_VERSION, Checked, DataBindings, check_spec
from kfdata_compiler.yamlio import no_cyclic_gc

if TYPE_CHECKING:
    from kfdata_compiler.lock.pinning import Pinning


class CompileResult(NamedTuple):
    """The output text, whether it differs from the input, warnings (KF209), what it binds."""

    pipeline: str
    spec: str
    output: str
    changed: bool
    warnings: tuple[Diagnostic, ...] = ()
    bound: tuple[tuple[str, tuple[str, ...]], ...] = ()  # Plan.bound: for --check's summary


def compile_text(
    pipeline: bytes, spec: bytes, pipeline_path: str = "<pipeline>", spec_path: str = "<spec>",
    lock: bytes | None = None, lock_path: str = "<lock>", lock_mode: str = "default",
    *, argo_version: str | None = None,
) -> CompileResult:
    """Compile a pipeline with its spec; ``KfdataError`` lists every problem found.

    ``lock`` is the spec's ``kfdata.lock`` (None: there is none): its fresh entries pin the
    floating datasets. ``lock_mode`` ``locked`` makes a missing or stale lock an error,
    ``frozen`` also every read dataset left unpinned (docs/lock.md). ``argo_version`` (``3.7``,
    ``3.4.17``) is the Argo release to target; it wins over the spec's ``argoVersion``
    (default 3.7, docs/datums.md); ``ValueError`` when it is not a release.
    """
    pins = _pinning(lock, lock_path, lock_mode)
    _check_release(argo_version)
    with no_cyclic_gc():
        return _compile(pipeline, spec, pipeline_path, spec_path, pins, argo_version)


def _check_release(argo_version: str | None) -> None:
    if argo_version is not None and not ARGO_VERSION.fullmatch(argo_version):
        raise ValueError(f"argo_version {argo_version!r} is not a release such as 3.7 or 3.4.17")


def _pinning(lock: bytes | None, lock_path: str, mode: str) -> Pinning | None:
    """The lock step, or None when it has nothing to do: without a lock (and in the default
    mode) the lock's modules are not even imported, and a compile costs what it did."""
    if lock is None and mode == "default":
        return None
    from kfdata_compiler.lock.pinning import Pinning  # never a store client: only the file

    return Pinning(lock, lock_path, mode)


def _front(
    pipeline: bytes, spec: bytes, pipeline_path: str, spec_path: str,
    pins: Pinning | None = None, argo_version: str | None = None,
) -> tuple[Source, DataBindings, Format, bool, Plan]:
    """Load, claim, parse the spec, undo, resolve: what compiling and explaining share.

    Every problem at once: a pipeline that cannot be loaded, claimed or undone stops resolve only.
    """
    problems: list[Diagnostic] = []
    source: Source | None = None
    fmt: Format | None = None
    checked: Checked | None = None
    try:
        source = load_source(pipeline_path, pipeline)
        fmt = formats.claim(source)
    except KfdataError as exc:
        problems.extend(exc.diagnostics)
    try:
        checked = check_spec(load_source(spec_path, spec))
        if pins is not None:  # kfdata.lock: its fresh entries pin floating datasets (lock/)
            checked = pins.pin(checked)
        if argo_version is not None:  # --argo-version wins over the spec's argoVersion
            checked = checked._replace(bindings=replace(checked.bindings,
                                                        argo_version=argo_version))
        problems.extend(checked.problems)
    except KfdataError as exc:
        problems.extend(exc.diagnostics)
    if checked is None:
        raise KfdataError(_in_order(problems, spec_path))
    failed: type[KfdataError] | None = SpecError if checked.failed else None
    try:  # no pipeline to bind to (KF1xx, the journal's KF111): the spec's parts alone
        if source is None or fmt is None:
            raise KfdataError([])  # its problems are in already
        undone = fmt.undo(source)
    except KfdataError as exc:
        alone = [checked.bindings.redact(d) for d in check_alone(checked.bindings)]
        problems.extend([*exc.diagnostics, *alone])
        kind = KfdataError if source is None or fmt is None or failed or alone else type(exc)
        raise kind(_in_order(problems, spec_path)) from None
    try:
        plan = resolve(source, checked.bindings, fmt)
    except KfdataError as exc:  # what resolve found
        problems.extend(checked.bindings.redact(d) for d in exc.diagnostics)
        failed = KfdataError if failed else type(exc)
    if failed is not None:
        raise failed(_in_order(problems, spec_path))
    return source, plan.spec, fmt, undone, plan  # plan.spec: with the format's warnings


def _in_order(problems: list[Diagnostic], spec_path: str) -> list[Diagnostic]:
    """File by file, the spec's first (most problems are there, and it is the file one edits),
    each in line and column order (stable: problems at one place keep the order found).

        [pipeline.yaml:24:9 KF305, spec.yaml:17:9 KF304, spec.yaml:15:26 KF207]
        ->  [spec.yaml:15:26 KF207, spec.yaml:17:9 KF304, pipeline.yaml:24:9 KF305]
    """
    return sorted(problems, key=lambda d: (d.location.file != spec_path, d.location.line,
                                           d.location.col))


def _compile(pipeline: bytes, spec: bytes, pipeline_path: str, spec_path: str,
             pins: Pinning | None = None, argo_version: str | None = None) -> CompileResult:
    source, bindings, fmt, undone, plan = _front(pipeline, spec, pipeline_path, spec_path, pins,
                                                 argo_version)
    if not plan.actions and not undone:
        # Nothing to bind: the input stays byte for byte what it was.
        return CompileResult(pipeline_path, spec_path, source.text, False, bindings.warnings)
    try:
        docs = rewrite(source.docs, plan, fmt)
    except ShapeError as exc:  # a node of the wrong type in the input: the input's problem
        raise ResolveError([fmt.shape_problem(exc, source)]) from None
    _self_check(docs, plan, fmt, pipeline, pipeline_path)
    text = fmt.emit(docs, source.text)
    return CompileResult(pipeline_path, spec_path, text, text != source.text, bindings.warnings,
                         plan.bound)


def _self_check(docs: list[object], plan: Plan, fmt: Format, pipeline: bytes,
                pipeline_path: str) -> None:
    """The format's rules on what the rewrite touched; a problem the input lacked is a bug
    (KF900, exit 3). If ``lint`` finds the input broken where the plan writes (a caller's
    ``when: 5`` the rewrite copied), that is said of the input, at its lines (exit 1): the input
    is read again (the rewrite changed it in place) only then, so a sound compile never pays."""
    broken = fmt.validate(docs, plan, pipeline_path)
    if not broken:
        return
    source = load_source(pipeline_path, pipeline)
    fmt.undo(source)  # earlier edits undone, as for the compile
    if own := fmt.lint_touched(source, plan):
        raise ResolveError(own)
    raise InternalError(Diagnostic(
        "KF900", f"kfdata-compile produced output that breaks rule {d.code}: {d.message}",
        d.location, "this is a bug in kfdata-compile: please report it with the input files")
        for d in broken)


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
    pipeline: Path, spec: Path | None = None, max_input_size: int = DEFAULT_MAX_INPUT_SIZE,
    lock_mode: str = "default",
) -> CompileResult:
    """Compile a pipeline file; the spec is found by convention when not given, and its lock
    (``<spec stem>.lock`` beside it) is used when there is one (``lock_mode``: compile_text's).

    Each file is read once (a FIFO has nothing left for a second read), and refused (KF112)
    if larger than ``max_input_size`` bytes.
    """
    spec = spec or find_spec(pipeline)
    lock, lock_data = lock_for(spec, max_input_size)
    return compile_text(
        read_file(pipeline, "the pipeline", max_input_size),
        read_file(spec, "the spec", max_input_size),
        str(pipeline),
        str(spec),
        lock_data,
        str(lock),
        lock_mode,
    )


def lock_for(spec: Path, max_input_size: int = DEFAULT_MAX_INPUT_SIZE) -> tuple[Path, bytes | None]:
    """A spec's lock file and its bytes (None: there is none), ``compile_text``'s ``lock``::

        lock_for(Path("p/x.kfdata.yaml"))  ->  (PosixPath('p/x.kfdata.lock'), b'# Generated ...')
    """
    from kfdata_compiler.lock import lock_path  # the package's own module: no resolver, no client
    path = lock_path(spec)
    return path, read_file(path, "the lock file", max_input_size) if path.is_file() else None


def lint_text(data: bytes, path: str = "<file>", argo_version: str | None = None,
              deep: bool = False) -> list[Diagnostic]:
    """The format's own checks of a file (``kfdata-compile lint``), for the Argo release
    ``argo_version`` (default 3.7), and with ``deep`` those of its own tools (KFP v2: kfp's);
    ``KfdataError`` when it cannot be read, parsed or matched to a format."""
    _check_release(argo_version)
    with no_cyclic_gc():
        source = load_source(path, data)
        return formats.claim(source).lint(source, argo_version, deep)


def lint_file(path: Path, max_input_size: int = DEFAULT_MAX_INPUT_SIZE,
              argo_version: str | None = None, deep: bool = False) -> list[Diagnostic]:
    """Lint one file; ``KfdataError`` when it cannot be read or parsed, or is too large (KF112)."""
    return lint_text(read_file(path, "the file", max_input_size), str(path), argo_version, deep)


def holds_pipeline(data: bytes, path: str = "<file>") -> bool:
    """Whether a file has a document some format rewrites (a Workflow, a CronWorkflow, ...);
    one that cannot be read or parsed, or a KFP v2 spec (KF108), counts, so its problem shows::

        holds_pipeline(b"replicaCount: 1\\n")  ->  False   (Helm values, a ConfigMap, nothing)
    """
    with no_cyclic_gc():
        try:
            source = load_source(path, data)
        except KfdataError as exc:
            return any(d.code != "KF107" for d in exc.diagnostics)  # KF107: no document at all
        fmt = next(f for f in formats.FORMATS if f.accepts(source))
        if any(d.code != "KF109" for d in fmt.check(source)):
            return True
        return any(fmt.claims(doc) for doc in source.docs)


def restyled(pipeline: bytes, path: str = "<pipeline>") -> str:
    """The pipeline as kfdata-compile writes it, nothing bound (Argo: block YAML; KFP v2 IR:
    kfp's style): what a compile's diff starts from, so only the compile's changes show."""
    with no_cyclic_gc():
        source = load_source(path, pipeline)
        return formats.claim(source).emit(source.docs, source.text)


class Planned(NamedTuple):
    """What a compile would bind, before anything changes: the input, spec, format and plan."""

    source: Source
    spec: DataBindings
    format: Format
    plan: Plan


def plan_text(
    pipeline: bytes, spec: bytes, pipeline_path: str = "<pipeline>", spec_path: str = "<spec>",
    lock: bytes | None = None, lock_path: str = "<lock>", lock_mode: str = "default",
) -> Planned:
    """Resolve as ``compile_text`` does (same problems, same ``KfdataError``), rewriting nothing;
    ``source.docs`` have earlier kfdata edits undone, a lock pins as for a compile::

        plan_text(pipeline, spec).plan.targets  ->  (Target(doc=0, node='preprocess', ...), ...)
    """
    pins = _pinning(lock, lock_path, lock_mode)
    with no_cyclic_gc():
        source, bindings, fmt, _, plan = _front(pipeline, spec, pipeline_path, spec_path, pins)
    return Planned(source, bindings, fmt, plan)


def kfp_launcher_config(output: str, spec: bytes, spec_path: str = "<spec>") -> str:
    """The ``kfp-launcher`` ``providers`` a bound KFP v2 pipeline's workspace imports need
    (``--kfp-launcher-config``), as YAML to merge into the namespace's ConfigMap::

        kfp_launcher_config(bound_ir, spec)  ->  '# kfp-launcher providers ...\\ns3: ...'
    """
    from kfdata_compiler.formats.kfpv2.providers import snippet  # IR only: loaded when asked

    return snippet(output, check_spec(load_source(spec_path, spec)).bindings)
