"""Dataset types: how a kind of dataset is fetched by an init container, declared as data.

The spec's ``types:`` section, and the built-in types in ``builtin_types.yaml``, become
:class:`DatasetType` values; a spec's type replaces a built-in one of the same name::

    types: {dvc: {image: iterativeai/cml:0-dvc3-base1, args: [dvc, get, "{uri.repo}", ...],
                  credentials: {secret: dvc-remote, env: {AWS_ACCESS_KEY_ID: accesskey}}}}
    ->  {'dvc': DatasetType(name='dvc', image='iterativeai/cml:0-dvc3-base1', args=(...),
                            secret='dvc-remote', secret_env=(('AWS_ACCESS_KEY_ID', 'accesskey'),))}

``check_types`` finds what a schema cannot say: unknown placeholders (at the argument's own
line and column), ``{store.*}`` without a store, a type that never uses ``{path}``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

from kfdata_compiler import lazy
from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location, Severity, did_you_mean
from kfdata_compiler.spec import placeholders

BUILTIN_FILE = "builtin_types.yaml"
# Kinds served by Argo's own artifacts or volumes: a type may not take their names.
ARGO_KINDS = frozenset({"s3", "gcs", "http", "git", "pvc", "pachyderm", "lakefs", "artifact"})
# Which store kinds give a value to each {store.*} placeholder.
STORE_PLACEHOLDERS: Mapping[str, frozenset[str]] = {
    "store.endpoint": frozenset({"s3", "lakefs", "pachyderm"}),
    "store.pachd": frozenset({"pachyderm"}),
}
# A tag, or a digest, pins an image; ``latest`` and no tag at all do not.
_UNPINNED = lazy.compile(r"(?:[^/@]*/)*[^/:@]+(?::latest)?")


class DatasetType(NamedTuple):
    """An init-container dataset type: image, argv template, plain env and Secret env."""

    name: str
    image: str
    args: tuple[str, ...]
    env: tuple[tuple[str, str], ...] = ()
    secret: str | None = None
    secret_env: tuple[tuple[str, str], ...] = ()
    store: str | None = None
    builtin: bool = False

    @property
    def placeholders(self) -> frozenset[str]:
        """Every placeholder its args and env values use."""
        texts = (*self.args, *(value for _, value in self.env))
        return frozenset(name for text in texts for name in placeholders.used(text))


def parse_types(section: Mapping[str, Any], builtin: bool = False) -> dict[str, DatasetType]:
    """Turn a schema-valid ``types:`` mapping into values."""
    out = {}
    for name, body in section.items():
        creds = body.get("credentials") or {}
        out[name] = DatasetType(
            name,
            body["image"],
            tuple(body["args"]),
            tuple((str(k), v) for k, v in (body.get("env") or {}).items()),
            creds.get("secret"),
            tuple((str(k), v) for k, v in (creds.get("env") or {}).items()),
            body.get("store"),
            builtin,
        )
    return out


def check_types(
    section: Mapping[str, Any], locate: Callable[[JsonPath], Location]
) -> list[Diagnostic]:
    """Errors (KF208) and warnings (KF209) about a schema-valid ``types:`` section."""
    out = []
    for name, body in section.items():
        where: JsonPath = ("types", name)
        for path, message, hint in _problems(name, body):
            out.append(Diagnostic("KF208", message, locate((*where, *path)), hint))
        image = str(body["image"])
        if _UNPINNED.fullmatch(image):
            out.append(Diagnostic(
                "KF209", f"type {name!r}: image {image!r} is not pinned (no tag, or ':latest')",
                locate((*where, "image")), "pin a version tag or a digest (image@sha256:...) so "
                "every run fetches with the same tool", Severity.WARNING,
            ))
    return out


def _texts(body: Mapping[str, Any]) -> Iterator[tuple[JsonPath, str]]:
    for index, arg in enumerate(body["args"]):
        yield ("args", index), arg
    for var, value in (body.get("env") or {}).items():
        yield ("env", var), value


def _problems(name: str, body: Mapping[str, Any]) -> Iterator[tuple[JsonPath, str, str]]:
    if name in ARGO_KINDS:
        yield (), f"type {name!r} would replace the built-in {name} driver", (
            "give the type another name and set 'type:' on its datasets")
    store = body.get("store")
    used: set[str] = set()
    for path, text in _texts(body):
        for token in placeholders.unknown(text):
            close = did_you_mean(token, list(placeholders.NAMES))
            known = ", ".join(f"{{{p}}}" for p in placeholders.NAMES)
            yield path, f"type {name!r}: unknown placeholder {{{token}}}", (
                (close + "\n" if close else "") + f"placeholders: {known}")
        for token in placeholders.used(text):
            used.add(token)
            kinds = STORE_PLACEHOLDERS.get(token)
            if kinds is not None and store not in kinds:
                yield path, f"type {name!r}: {{{token}}} needs 'store:' of kind " + " or ".join(
                    sorted(kinds)), "add e.g. store: " + sorted(kinds)[0]
    if "path" not in used:
        yield ("args",), f"type {name!r} never uses {{path}}: the data would not reach the step", (
            "write the data to {path} (a file or a directory the init container creates)")
    secret_vars = set((body.get("credentials") or {}).get("env") or {})
    for var in (body.get("env") or {}):
        if var in secret_vars:
            yield ("env", var), f"type {name!r}: env var {var!r} is also a credential", (
                "keep it under credentials.env only")
