"""The dataset sidecar (``kind: DataBindings``) as frozen values, parsed and checked.

``parse_spec`` validates against ``schemas/databindings.schema.json``, rejects literal credentials,
and turns the document into :class:`DataBindings`; ``check_spec`` returns every problem together
with the parts of the spec that have none, for resolve to check in the same run::

    datasets: {reviews: {uri: s3://datasets/reviews, store: minio}}
    bindings: [{step: preprocess, read: [reviews]}]
    ->  DataBindings(
            datasets={'reviews': Dataset(name='reviews', uri='s3://datasets/reviews', ...)},
            bindings=(Binding(step='preprocess', uses=(Use(dataset='reviews', mode='read'),)),))
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from kfdata_compiler import lazy, schemas
from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location, Severity
from kfdata_compiler.errors import InternalError, SpecError
from kfdata_compiler.load import Source, load_source
from kfdata_compiler.spec import checks, datatypes
from kfdata_compiler.spec.checks import SCHEMA
from kfdata_compiler.spec.datatypes import DatasetType
from kfdata_compiler.spec.remnants import Remnant, Remnants, remnants, uses
from kfdata_compiler.spec.values import Binding, Dataset, Store, Use

# CPython's own SHA-256, as random.py takes its SHA-512: hashlib would load OpenSSL first (~10 M
# instructions, a twentieth of a run) for one digest of a small file.
try:
    from _sha2 import sha256  # type: ignore[import-not-found, unused-ignore]  # 3.12 and later
except ImportError:
    try:
        from _sha256 import sha256  # type: ignore[import-not-found, no-redef, unused-ignore]
    except ImportError:  # an interpreter built without them
        from hashlib import sha256  # type: ignore[assignment, unused-ignore]

__all__ = ["ARGO_VERSION", "Binding", "Checked", "DataBindings", "Dataset", "Remnant",
           "Remnants", "Store", "Use", "builtin_types", "check_spec", "env_stem", "parse_spec"]


@dataclass(frozen=True)
class DataBindings:
    """The parsed sidecar spec; ``locate`` turns a JSON path in it into a file position.

    ``types`` holds the built-in types overridden by the spec's own; ``warnings`` are findings
    that do not stop the compile (an unpinned image). ``left_out`` names the parts of the spec
    missing here for problems of their own (``("stores", "minio")``, or a whole section
    ``("datasets",)``): what names them is not resolved either, and not reported again.
    """

    file: str
    stores: Mapping[str, Store]
    datasets: Mapping[str, Dataset]
    bindings: tuple[Binding, ...]
    sha256: str
    locate: Callable[[JsonPath], Location] = field(compare=False, repr=False)
    types: Mapping[str, DatasetType] = field(default_factory=dict)
    warnings: tuple[Diagnostic, ...] = ()
    left_out: frozenset[JsonPath] = frozenset()
    secrets: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    kfp: Mapping[str, Any] = field(default_factory=dict)  # KFP v2 only: the top-level kfp
    argo_version: str | None = None  # argoVersion: the Argo release to target (None: default)
    remnants: Remnants = Remnants()  # what of the left-out parts resolve still checks

    def is_left_out(self, section: str, name: str) -> bool:
        """Whether ``name`` is declared under ``section`` but left out for its own problems.

        >>> DataBindings(..., left_out=frozenset({("stores", "minio")})).is_left_out("stores",
        ...                                                                          "minio")
        True
        """
        return (section,) in self.left_out or (section, name) in self.left_out

    def declared(self, section: str) -> list[str]:
        """Every name declared under ``section`` (``stores``, ``datasets``, ``types``), left-out
        ones included (for "did you mean")."""
        valid = {"stores": self.stores, "datasets": self.datasets, "types": self.types}[section]
        return [*valid, *(str(p[1]) for p in sorted(self.left_out, key=str)
                          if len(p) == 2 and p[0] == section)]

    def redact(self, diagnostic: Diagnostic) -> Diagnostic:
        """The diagnostic with no value of the spec that may be a credential in it."""
        return checks.redact(diagnostic, self.secrets)


class Checked(NamedTuple):
    """A checked spec: its parts without problems, and every problem found (in file order)."""

    bindings: DataBindings
    problems: tuple[Diagnostic, ...]

    @property
    def failed(self) -> bool:
        """Whether any problem is an error (not only warnings)."""
        return any(d.severity is Severity.ERROR for d in self.problems)


# An Argo release, as argoVersion and --argo-version take it: 3.7, 3.4.17, v3.5.14.
ARGO_VERSION = lazy.compile(r"v?([0-9]+)\.([0-9]+)(?:\.([0-9]+))?")


def env_stem(name: str) -> str:
    """The ``<NAME>`` of ``KFDATA_<NAME>_PATH`` for a dataset name.

    >>> env_stem("eval-code")
    'EVAL_CODE'
    """
    return name.upper().replace("-", "_")


def parse_spec(source: Source) -> DataBindings:
    """Check a loaded sidecar spec and return it as frozen values; ``SpecError`` lists problems."""
    checked = check_spec(source)
    if checked.failed:
        raise SpecError(checked.problems)
    return checked.bindings


def check_spec(source: Source) -> Checked:
    """Every problem of a loaded spec, and its parts that have none (``SpecError`` only when it
    is not one mapping).

        datasets: {reviews: {uri: s3://b/r, bogus: 1}, vocab: {uri: https://h/v}}
        ->  Checked(DataBindings(datasets={'vocab': ...}, left_out={('datasets', 'reviews')}),
                    problems=(KF201 "unknown field 'bogus'",))
    """

    def locate(path: JsonPath) -> Location:
        return source.positions.locate(path, 0)

    if len(source.docs) != 1 or not isinstance(source.docs[0], dict):
        raise SpecError([Diagnostic(
            "KF109", "a spec file holds exactly one mapping (apiVersion: kfdata.dev/v1alpha1, "
            "kind: DataBindings)", Location(source.path, 1, 1), "see docs/spec.md",
        )])
    doc = source.docs[0]
    found = checks.find(doc, locate, env_stem)
    warnings = tuple(d for d in found.problems if d.severity is not Severity.ERROR)
    spec = _build(doc, source, locate, warnings, found.left_out)
    return Checked(replace(spec, secrets=found.secrets,
                           remnants=remnants(doc, found.left_out, found.flawed)), found.problems)


@functools.lru_cache(maxsize=1)
def builtin_types() -> Mapping[str, DatasetType]:
    """The built-in dataset types (``spec/builtin_types.yaml``), checked like a spec."""
    # The package's own loader reads it, from a directory or a zip: importlib.resources would
    # import tempfile, shutil and zipfile (~15 M instructions) to do the same.
    loader: Any = __spec__.loader  # a file or zip loader: both have get_data
    data = loader.get_data(os.path.join(os.path.dirname(__file__), datatypes.BUILTIN_FILE))
    source = load_source(f"kfdata_compiler/spec/{datatypes.BUILTIN_FILE}", data)
    doc = source.docs[0]

    def locate(path: JsonPath) -> Location:
        return source.positions.locate(path, 0)

    problems = schemas.check(doc, SCHEMA, locate) or datatypes.check_types(doc["types"], locate)
    if problems:
        raise InternalError(problems)  # a packaging bug: tests/test_datatypes.py guards it
    return datatypes.parse_types(doc["types"], builtin=True)


def _kept(doc: Mapping[str, Any], section: str, left_out: frozenset[JsonPath]) -> list[Any]:
    """(key, body) of each entry of a section that is not left out."""
    body = doc.get(section)
    if (section,) in left_out or not isinstance(body, (dict, list)):
        return []
    entries = body.items() if isinstance(body, dict) else enumerate(body)
    return [(key, value) for key, value in entries if (section, key) not in left_out]


def _build(doc: Mapping[str, Any], source: Source, locate: Callable[[JsonPath], Location],
           warnings: tuple[Diagnostic, ...], left_out: frozenset[JsonPath]) -> DataBindings:
    stores = {
        name: Store(name, kind, config, body.get("kfp") or {})
        for name, body in _kept(doc, "stores", left_out)
        for kind, config in body.items() if kind != "kfp"
    }
    datasets = {
        name: Dataset(name, body["uri"], body.get("store"), body.get("version"),
                      body.get("revision"), body.get("type"),
                      immutable_datums=bool(body.get("immutableDatums", False)))
        for name, body in _kept(doc, "datasets", left_out)
    }
    types = {**builtin_types(), **datatypes.parse_types(dict(_kept(doc, "types", left_out)))}
    # A left-out type that overrides a built-in one replaces it with nothing: its datasets are
    # left out too, rather than bound through the type the spec meant to replace.
    types = {name: t for name, t in types.items() if ("types", name) not in left_out}
    bindings = tuple(Binding(b["step"], uses(b, i)[0], ("bindings", i))
                     for i, b in _kept(doc, "bindings", left_out))
    digest = sha256(source.text.encode("utf-8")).hexdigest()
    kfp = dict(_kept(doc, "kfp", left_out)) if isinstance(doc.get("kfp"), dict) else {}
    target = doc.get("argoVersion")  # kept only when the schema found it sound
    return DataBindings(source.path, stores, datasets, bindings, digest, locate, types, warnings,
                        left_out, argo_version=target if ("argoVersion",) not in left_out
                        and isinstance(target, str) else None, kfp=kfp)
