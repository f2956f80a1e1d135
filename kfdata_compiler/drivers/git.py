"""Git repositories: ``git+https://host/org/repo.git`` or ``git+ssh://git@host/org/repo.git``.

    eval-code: {uri: git+https://github.com/org/eval.git, revision: v1.2.0, store: github}
    ->  git: {repo: https://github.com/org/eval.git, revision: v1.2.0,
              usernameSecret: {name: git-creds, key: user}, passwordSecret: {...}}

A revision that is a commit id pins the data: it becomes the dataset's version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from kfdata_compiler.drivers.base import COMMIT_ID, Plain, Problem, Request
from kfdata_compiler.drivers.need import NO_ARCHIVE, Need, artifact, secret_ref
from kfdata_compiler.spec import Dataset


@dataclass(frozen=True)
class GitDriver(Plain):
    """Argo's git artifact (a checkout of one revision)."""

    kind: str = "git"
    store_kind: str | None = "git"
    store_required: bool = False
    modes: frozenset[str] = field(default=frozenset({"read", "into"}))

    def check(self, dataset: Dataset) -> list[Problem]:
        """The repository URL needs a host and a path."""
        parts = urlsplit(dataset.uri.partition("+")[2])
        if not parts.hostname or parts.path in ("", "/"):
            return [Problem("KF204", f"{dataset.uri!r} is not a repository URL",
                            "write git+https://host/org/repo.git")]
        return []

    def version(self, dataset: Dataset) -> str | None:
        """The declared version, else the revision when it is a commit id."""
        if dataset.version is not None:
            return dataset.version
        if dataset.revision and COMMIT_ID.fullmatch(dataset.revision):
            return dataset.revision
        return None

    def build(self, request: Request) -> Need:
        """An input artifact checking out the revision (or the location for ``into``)."""
        git: dict[str, Any] = {"repo": request.dataset.uri.partition("+")[2]}
        if request.dataset.revision:
            git["revision"] = request.dataset.revision
        config = request.store.config if request.store else {}
        creds = config.get("credentials") or {}
        if "sshPrivateKey" in creds:
            git["sshPrivateKeySecret"] = secret_ref(creds["secret"], creds["sshPrivateKey"])
        elif creds:
            git["usernameSecret"] = secret_ref(creds["secret"], creds["username"])
            git["passwordSecret"] = secret_ref(creds["secret"], creds["password"])
        if config.get("insecureIgnoreHostKey"):
            git["insecureIgnoreHostKey"] = True
        if request.into:
            return Need(location={"git": git, "archive": dict(NO_ARCHIVE)})
        return Need(input_artifacts=(artifact(request.name, request.path, {"git": git}),))


DRIVER = GitDriver()
