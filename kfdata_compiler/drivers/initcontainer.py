"""Dataset types: an init container fetches the data into an emptyDir before the step runs.

    features: {uri: "dvc://github.com/org/reg/features", revision: 4f2a9c1}, at /kfdata/features
    ->  volumes: [{name: kfdata-features, emptyDir: {}}]
        initContainers: [{name: kfdata-features, image: iterativeai/cml:0-dvc3-base1,
                          command: [dvc, get, https://github.com/org/reg, features,
                                    --rev, 4f2a9c1, -o, /kfdata-stage/data],
                          volumeMounts: [{name: kfdata-features, mountPath: /kfdata-stage}]}]
        container.volumeMounts: [{name: kfdata-features, mountPath: /kfdata/features,
                                  subPath: data, readOnly: true}]

The init container writes ``{path}`` (``/kfdata-stage/data``), a file or a directory it creates;
the step sees exactly that at the dataset path, read-only, as with an Argo artifact (tools such
as ``dvc get -o DIR`` put data *inside* a directory that already exists, so the volume's root is
never the target). The argv is the container's ``command``: no shell, no image entrypoint.
Credentials reach the init container only. Writes are refused: an init container runs before
the step, and Argo has no container that runs after it in the same pod.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kfdata_compiler.drivers import pachyderm
from kfdata_compiler.drivers.base import COMMIT_ID, Plain, Problem, Request
from kfdata_compiler.drivers.need import (
    Need,
    init_container,
    kube_literal,
    secret_env,
    volume_mount,
)
from kfdata_compiler.drivers.uriparts import uri_values
from kfdata_compiler.spec import Dataset, Store, placeholders
from kfdata_compiler.spec.datatypes import DatasetType

STAGE = "/kfdata-stage"
SUBPATH = "data"
# The dataset field a missing or bad placeholder value comes from.
_FIELD = {"revision": "revision", "version": "version"}


def store_values(store: Store | None) -> dict[str, str]:
    """``{store.endpoint}`` and ``{store.pachd}`` of a store."""
    if store is None or "endpoint" not in store.config:
        return {}
    if store.kind == "pachyderm":
        return {"store.endpoint": pachyderm.endpoint(store),
                "store.pachd": pachyderm.pachd_address(store)}
    return {"store.endpoint": str(store.config["endpoint"])}


@dataclass(frozen=True)
class InitContainerDriver(Plain):
    """The driver of one dataset type (built-in or the spec's own)."""

    type: DatasetType

    @property
    def kind(self) -> str:
        """The type's name."""
        return self.type.name

    @property
    def store_kind(self) -> str | None:
        """The store kind the type reads ``{store.*}`` from."""
        return self.type.store

    @property
    def store_required(self) -> bool:
        """A type that reads a store needs one."""
        return self.type.store is not None

    @property
    def modes(self) -> frozenset[str]:
        """Reads only: nothing runs after the step in its pod."""
        return frozenset({"read"})

    def _values(self, dataset: Dataset) -> dict[str, str]:
        values = {**uri_values(dataset.uri), "dataset": dataset.name}
        if dataset.revision is not None:
            values["revision"] = dataset.revision
        version = self.version(dataset)
        if version is not None:
            values["version"] = version
        return values

    def check(self, dataset: Dataset) -> list[Problem]:
        """Every placeholder the type uses has a value; none starts an argument with '-'."""
        used = self.type.placeholders
        out = []
        if dataset.revision is not None and "revision" not in used:
            out.append(Problem("KF204", f"'revision' is not used by type {self.kind!r}",
                               "its args have no {revision}", "revision"))
        values = self._values(dataset)
        for name in sorted(used - values.keys() - {"path"}):
            if not name.startswith("store."):
                out.append(Problem(
                    "KF204", f"type {self.kind!r} uses {{{name}}}, which dataset "
                    f"{dataset.name!r} has no value for",
                    f"{{{name}}} is {placeholders.NAMES[name]}", _FIELD.get(name, "uri")))
        for index, arg in enumerate(self.type.args):
            first = placeholders.used(arg)[:1]
            if first and arg.startswith(f"{{{first[0]}}}") and values.get(first[0], "")[:1] == "-":
                out.append(Problem(
                    "KF204", f"{{{first[0]}}} would start argument {index} of type "
                    f"{self.kind!r} with '-', which the tool would read as an option",
                    "values given to a command never start with '-'", _FIELD.get(first[0], "uri")))
        return out

    def version(self, dataset: Dataset) -> str | None:
        """Declared, else the commit a ``pach://`` URI pins, else a commit-id revision."""
        if dataset.version is not None:
            return dataset.version
        commit = uri_values(dataset.uri).get("uri.commit")
        if commit is not None:
            return commit
        revision = dataset.revision
        uses_revision = "revision" in self.type.placeholders
        return revision if uses_revision and revision and COMMIT_ID.fullmatch(revision) else None

    def build(self, request: Request) -> Need:
        """An emptyDir, the init container filling it, the step's read-only mount of it."""
        values = {**self._values(request.dataset), "path": f"{STAGE}/{SUBPATH}",
                  **store_values(request.store)}
        literal = {name: kube_literal(value) for name, value in values.items()}
        env: list[dict[str, Any]] = [
            {"name": name, "value": placeholders.substitute(value, literal)}
            for name, value in self.type.env
        ]
        secret = self.type.secret
        if secret is not None:
            env.extend(secret_env(name, secret, key) for name, key in self.type.secret_env)
        command = [placeholders.substitute(arg, literal) for arg in self.type.args]
        container = init_container(request.name, self.type.image, command, env,
                                   volume_mount(request.name, STAGE, read_only=False))
        return Need(
            init_containers=(container,),
            volumes=({"name": request.name, "emptyDir": {}},),
            mounts=(volume_mount(request.name, request.path, True, SUBPATH),),
        )
