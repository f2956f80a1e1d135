"""The dataset sidecar (``kind: DataBindings``) as frozen values, parsed and checked.

``parse_spec`` validates against ``schemas/databindings.schema.json``, rejects literal credentials,
and turns the document into :class:`DataBindings`::

    datasets: {reviews: {uri: s3://datasets/reviews, store: minio}}
    bindings: [{step: preprocess, read: [reviews]}]
    ->  DataBindings(
            datasets={'reviews': Dataset(name='reviews', uri='s3://datasets/reviews', ...)},
            bindings=(Binding(step='preprocess', uses=(Use(dataset='reviews', mode='read'),)),))
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, NamedTuple

from kfdata_compiler import schemas
from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location, Severity
from kfdata_compiler.errors import InternalError, SpecError
from kfdata_compiler.load import Source, load_source
from kfdata_compiler.spec import credentials, datatypes
from kfdata_compiler.spec.datatypes import DatasetType

SCHEMA = "databindings.schema.json"


class Store(NamedTuple):
    """A named way to reach storage: ``kind`` is ``s3``, ``gcs``, ``git``, ``http``, ``pachyderm``,
    ``lakefs`` or ``artifactRepository``."""

    name: str
    kind: str
    config: Mapping[str, Any]


class Dataset(NamedTuple):
    """A named dataset: where it is, which store reaches it, its declared version and type."""

    name: str
    uri: str
    store: str | None = None
    version: str | None = None
    revision: str | None = None
    type: str | None = None  # default: the kind its URI scheme names

    @property
    def scheme(self) -> str:
        """The URI scheme, lower-cased (``s3``, ``gs``, ``https``, ``git+https``, ``pvc``)."""
        head, sep, _ = self.uri.partition("://")
        return head.lower() if sep else ""


class Use(NamedTuple):
    """One dataset in a binding's ``read`` or ``write`` list."""

    dataset: str
    mode: str
    where: JsonPath
    path: str | None = None
    env: str | None = None
    into: str | None = None


class Binding(NamedTuple):
    """A step pattern and the datasets it reads and writes."""

    step: str
    uses: tuple[Use, ...]
    where: JsonPath


@dataclass(frozen=True)
class DataBindings:
    """The parsed sidecar spec; ``locate`` turns a JSON path in it into a file position.

    ``types`` holds the built-in types overridden by the spec's own; ``warnings`` are findings
    that do not stop the compile (an unpinned image).
    """

    file: str
    stores: Mapping[str, Store]
    datasets: Mapping[str, Dataset]
    bindings: tuple[Binding, ...]
    sha256: str
    locate: Callable[[JsonPath], Location] = field(compare=False, repr=False)
    types: Mapping[str, DatasetType] = field(default_factory=dict)
    warnings: tuple[Diagnostic, ...] = ()


def env_stem(name: str) -> str:
    """The ``<NAME>`` of ``KFDATA_<NAME>_PATH`` for a dataset name.

    >>> env_stem("eval-code")
    'EVAL_CODE'
    """
    return name.upper().replace("-", "_")


def parse_spec(source: Source) -> DataBindings:
    """Check a loaded sidecar spec and return it as frozen values; ``SpecError`` lists problems."""

    def locate(path: JsonPath) -> Location:
        return source.positions.locate(path, 0)

    if len(source.docs) != 1 or not isinstance(source.docs[0], dict):
        raise SpecError([Diagnostic(
            "KF109", "a spec file holds exactly one mapping (apiVersion: kfdata.dev/v1alpha1, "
            "kind: DataBindings)", Location(source.path, 1, 1), "see docs/spec.md",
        )])
    doc = source.docs[0]
    problems = _credential_problems(doc, locate)
    secret_paths = {d.location.json_path for d in problems if d.severity is Severity.ERROR}
    for diag in schemas.check(doc, SCHEMA, locate):
        # A literal credential also breaks the key-name pattern; report it once, as a credential.
        if diag.location.json_path not in secret_paths:
            problems.append(diag)
    problems.extend(_duplicate_env_stems(doc, locate))
    if all(d.severity is Severity.WARNING for d in problems):
        problems.extend(datatypes.check_types(doc.get("types") or {}, locate))
    if any(d.severity is not Severity.WARNING for d in problems):
        # Warnings ride along with the errors, in file order; no message may quote a secret.
        secrets = credentials.sensitive_values(doc)
        problems = [d._replace(message=credentials.redact(d.message, secrets),
                                hint=credentials.redact(d.hint, secrets))
                    for d in problems]
        raise SpecError(sorted(problems, key=lambda d: (d.location.line, d.location.col)))
    warnings = sorted(problems, key=lambda d: (d.location.line, d.location.col))
    return _build(doc, source, locate, tuple(warnings))


@functools.lru_cache(maxsize=1)
def builtin_types() -> Mapping[str, DatasetType]:
    """The built-in dataset types (``spec/builtin_types.yaml``), checked like a spec."""
    data = resources.files("kfdata_compiler.spec").joinpath(datatypes.BUILTIN_FILE).read_bytes()
    source = load_source(f"kfdata_compiler/spec/{datatypes.BUILTIN_FILE}", data)
    doc = source.docs[0]

    def locate(path: JsonPath) -> Location:
        return source.positions.locate(path, 0)

    problems = schemas.check(doc, SCHEMA, locate) or datatypes.check_types(doc["types"], locate)
    if problems:
        raise InternalError(problems)  # a packaging bug: tests/test_datatypes.py guards it
    return datatypes.parse_types(doc["types"], builtin=True)


def _credential_problems(doc: Any, locate: Callable[[JsonPath], Location]) -> list[Diagnostic]:
    # KF211 warns where the shape could be innocent (-p 8080? ?key=...): it does not stop the
    # compile. Neither message quotes the value.
    return [
        Diagnostic("KF211", f"possible credential in the spec: {f.reason}", locate(f.path),
                   f.hint, Severity.WARNING)
        if f.warning else
        Diagnostic("KF202", f"literal credential in the spec: {f.reason}", locate(f.path), f.hint)
        for f in credentials.findings(doc)
    ]


def _duplicate_env_stems(doc: Any, locate: Callable[[JsonPath], Location]) -> list[Diagnostic]:
    datasets = doc.get("datasets")
    if not isinstance(datasets, dict):
        return []
    seen: dict[str, str] = {}
    out = []
    for name in datasets:
        if not isinstance(name, str):
            continue
        stem = env_stem(name.replace("_", "-"))
        if stem in seen:
            out.append(Diagnostic(
                "KF203", f"datasets {seen[stem]!r} and {name!r} both become KFDATA_{stem}_*",
                locate(("datasets", name)), "rename one of them",
            ))
        else:
            seen[stem] = name
    return out


def _uses(binding: Mapping[str, Any], index: int) -> tuple[Use, ...]:
    out = []
    for mode in ("read", "write"):
        for j, item in enumerate(binding.get(mode, [])):
            where = ("bindings", index, mode, j)
            if isinstance(item, str):
                out.append(Use(item, mode, where))
            else:
                out.append(Use(item["dataset"], mode, where, item.get("path"), item.get("env"),
                               item.get("into")))
    return tuple(out)


def _build(doc: Mapping[str, Any], source: Source, locate: Callable[[JsonPath], Location],
           warnings: tuple[Diagnostic, ...]) -> DataBindings:
    stores = {
        name: Store(name, kind, config)
        for name, body in doc.get("stores", {}).items()
        for kind, config in body.items()
    }
    datasets = {
        name: Dataset(name, body["uri"], body.get("store"), body.get("version"),
                      body.get("revision"), body.get("type"))
        for name, body in doc.get("datasets", {}).items()
    }
    types = {**builtin_types(), **datatypes.parse_types(doc.get("types") or {})}
    bindings = tuple(
        Binding(b["step"], _uses(b, i), ("bindings", i))
        for i, b in enumerate(doc.get("bindings", []))
    )
    digest = hashlib.sha256(source.text.encode("utf-8")).hexdigest()
    return DataBindings(source.path, stores, datasets, bindings, digest, locate, types, warnings)
