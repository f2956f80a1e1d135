"""HTTP(S) downloads: ``https://host/path`` (read only; basic auth from an optional store).

    vocab: {uri: https://example.org/vocab.txt}
    ->  inputs.artifacts: [{name: kfdata-vocab, path: /kfdata/vocab,
                            http: {url: https://example.org/vocab.txt}, archive: {none: {}}}]
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from kfdata_compiler.drivers.base import Plain, Problem, Request, no_revision
from kfdata_compiler.drivers.need import NO_ARCHIVE, Need, artifact, secret_ref
from kfdata_compiler.spec import Dataset


class HttpDriver(Plain):
    """Argo's HTTP artifact."""

    # Class attributes, not a dataclass: the one instance takes no arguments, and a dataclass's
    # generated methods cost ~2.5 M instructions at import.
    kind = "http"
    store_kind: str | None = "http"
    store_required = False
    modes = frozenset({"read", "into"})

    def check(self, dataset: Dataset) -> list[Problem]:
        """The URL needs a host."""
        if not urlsplit(dataset.uri).hostname:
            return [Problem("KF204", f"{dataset.uri!r} has no host", "write https://host/path")]
        return no_revision(dataset, self.kind)

    def build(self, request: Request) -> Need:
        """An input artifact (or the location for ``into``)."""
        http: dict[str, Any] = {"url": request.dataset.uri}
        creds = request.store.config.get("credentials") if request.store else None
        if creds:
            http["auth"] = {"basicAuth": {
                "usernameSecret": secret_ref(creds["secret"], creds["username"]),
                "passwordSecret": secret_ref(creds["secret"], creds["password"]),
            }}
        if request.into:
            return Need(location={"http": http, "archive": dict(NO_ARCHIVE)})
        return Need(input_artifacts=(artifact(request.name, request.path, {"http": http}),))


DRIVER = HttpDriver()
