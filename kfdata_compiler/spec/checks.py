"""Every problem of a spec, each with the part of the spec it leaves out of resolution.

A store, dataset, type or binding with a problem of its own (schema, literal credential, a name
that collides, an unusable type) is left out; everything else is still resolved, so one run
reports every problem::

    datasets: {reviews: {uri: s3://b/r, version: 3}, vocab: {uri: https://h/v}}
    ->  Found(problems=[KF201 "'version' must be a string, not 3" at $.datasets.reviews.version],
              left_out={("datasets", "reviews")})      (vocab is still bound and checked)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

from kfdata_compiler import schemas
from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location, Severity
from kfdata_compiler.spec import credentials, datatypes, datum

SCHEMA = "databindings.schema.json"
SECTIONS = ("stores", "datasets", "types", "bindings", "kfp")
NAMED_SECTIONS = ("stores", "datasets", "types")  # the sections that other parts name
SETTINGS = ("argoVersion",)  # top-level values: one with a problem is left out (the default)
Locate = Callable[[JsonPath], Location]


class Found(NamedTuple):
    """A spec's problems (errors and warnings, in file order, no secret quoted), the parts they
    leave out (``("datasets", "vocab")``, or a whole section: ``("stores",)``), the values
    no message may quote, and where each error is (what of a left-out part is still sound:
    ``spec/remnants.py``)."""

    problems: tuple[Diagnostic, ...]
    left_out: frozenset[JsonPath]
    secrets: frozenset[str]
    flawed: frozenset[JsonPath] = frozenset()


def find(doc: Mapping[str, Any], locate: Locate, env_stem: Callable[[str], str]) -> Found:
    """Check a spec document (one mapping): schema, credentials, env stems, then its types."""
    found = _credential_problems(doc, locate)
    any_secret = bool(found)
    secret_paths = {path for path, d in found if d.severity is Severity.ERROR}
    for problem in schemas.problems(doc, SCHEMA):
        # A literal credential also breaks the key-name pattern; report it once, as a credential.
        if problem.path not in secret_paths:
            found.append((problem.path, Diagnostic("KF201", problem.message,
                                                   locate(problem.path), problem.hint)))
    found.extend(_duplicate_env_stems(doc, locate, env_stem))
    found.extend(datum.problems(doc, locate))
    flawed = {tuple(path) for path, d in found if d.severity is Severity.ERROR}
    left_out = set(_parts(doc, flawed))
    types = doc.get("types")
    if isinstance(types, dict) and ("types",) not in left_out:
        for name, body in types.items():
            if ("types", name) not in left_out:
                checked = datatypes.check_types({name: body}, locate)
                found.extend((("types", name), d) for d in checked)
                flawed.update(("types", name) for d in checked if d.severity is Severity.ERROR)
                if any(d.severity is Severity.ERROR for d in checked):
                    left_out.add(("types", name))
    secrets = frozenset(credentials.sensitive_values(doc)) if any_secret else frozenset()
    problems = sorted((redact(d, secrets) for _, d in found),
                      key=lambda d: (d.location.line, d.location.col))
    return Found(tuple(problems), frozenset(left_out), secrets, frozenset(flawed))


def redact(diagnostic: Diagnostic, secrets: Iterable[str]) -> Diagnostic:
    """The diagnostic with every secret replaced by ``<redacted>`` in its message and hint."""
    values = set(secrets)
    if not values:
        return diagnostic
    return diagnostic._replace(message=credentials.redact(diagnostic.message, values),
                               hint=credentials.redact(diagnostic.hint, values))


def _parts(doc: Mapping[str, Any], paths: Iterable[JsonPath]) -> Iterable[JsonPath]:
    """The parts problems at ``paths`` leave out: a section's entry (its first two keys) or the
    section; an unknown top-level field that looks like a section the document lacks
    (``dataset:``) leaves that section out: what it declares is unknown, not undeclared."""
    absent = [s for s in NAMED_SECTIONS if s not in doc]
    for path in paths:
        if path[:1] and path[0] in SECTIONS:
            yield tuple(path[:2])
        elif path[:1] and path[0] in SETTINGS:
            yield tuple(path[:1])
        elif path[:1] and absent:
            import difflib  # only for a misspelt section

            yield from ((s,) for s in difflib.get_close_matches(str(path[0]), absent, 3, 0.6))


def _credential_problems(doc: Any, locate: Locate) -> list[tuple[JsonPath, Diagnostic]]:
    # KF211 warns where the shape could be innocent (-p 8080? ?key=...): it does not stop the
    # compile. Neither message quotes the value.
    return [
        (f.path, Diagnostic("KF211", f"possible credential in the spec: {f.reason}",
                            locate(f.path), f.hint, Severity.WARNING))
        if f.warning else
        (f.path, Diagnostic("KF202", f"literal credential in the spec: {f.reason}",
                            locate(f.path), f.hint))
        for f in credentials.findings(doc)
    ]


def _duplicate_env_stems(doc: Any, locate: Locate,
                         env_stem: Callable[[str], str]) -> list[tuple[JsonPath, Diagnostic]]:
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
            where: JsonPath = ("datasets", name)
            out.append((where, Diagnostic(
                "KF203", f"datasets {seen[stem]!r} and {name!r} both become KFDATA_{stem}_*",
                locate(where), "rename one of them",
            )))
        else:
            seen[stem] = name
    return out
