"""Git repositories: ``git+https://host/org/repo.git`` or ``git+ssh://git@host/org/repo.git``.

    eval-code: {uri: git+https://github.com/org/eval.git, revision: v1.2.0, store: github}
    ->  git: {repo: https://github.com/org/eval.git, revision: v1.2.0,
              usernameSecret: {name: git-creds, key: user}, passwordSecret: {...}}

A revision that is a commit id pins the data: it becomes the dataset's version.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from kfdata_compiler.drivers.base import COMMIT_ID, Plain, Problem, Request
from kfdata_compiler.drivers.need import NO_ARCHIVE, Need, artifact, secret_ref
from kfdata_compiler.spec import Dataset, Store

# The hosts in argoexec's /etc/ssh/ssh_known_hosts: the Dockerfile copies hack/ssh_known_hosts,
# which hack/update-ssh-known-hosts.sh fills with `ssh-keyscan github.com gitlab.com
# bitbucket.org ssh.dev.azure.com vs-ssh.visualstudio.com` (v3.5.14 and v4.0.10): port 22 only.
KNOWN_HOSTS = frozenset({"github.com", "gitlab.com", "bitbucket.org", "ssh.dev.azure.com",
                         "vs-ssh.visualstudio.com"})


class GitDriver(Plain):
    """Argo's git artifact (a checkout of one revision)."""

    # Class attributes, not a dataclass: the one instance takes no arguments, and a dataclass's
    # generated methods cost ~2.5 M instructions at import.
    kind = "git"
    store_kind: str | None = "git"
    store_required = False
    modes = frozenset({"read", "into"})

    def check(self, dataset: Dataset) -> list[Problem]:
        """The repository URL needs a host and a path."""
        parts = urlsplit(dataset.uri.partition("+")[2])
        if not parts.hostname or parts.path in ("", "/"):
            return [Problem("KF204", f"{dataset.uri!r} is not a repository URL",
                            "write git+https://host/org/repo.git")]
        return []

    def check_use(self, dataset: Dataset, store: Store | None, mode: str) -> list[Problem]:
        """KF213 (a warning): ``git+ssh`` to a host the executor image does not know.

        Without ``insecureIgnoreHostKey`` Argo's git driver leaves go-git's default host key
        callback, which reads the known_hosts files (``workflow/artifacts/git/git.go``,
        v3.5.14 and v4.0.10): argoexec ships keys for :data:`KNOWN_HOSTS` only, on port 22,
        so any other server fails the clone with "key is unknown" at run time.
        """
        if dataset.scheme != "git+ssh" or store and store.config.get("insecureIgnoreHostKey"):
            return []
        parts = urlsplit(dataset.uri.partition("+")[2])
        try:
            port = parts.port
        except ValueError:
            return []  # not a port at all: the clone fails anyway, check() names the URL
        host = (parts.hostname or "").lower()
        if host in KNOWN_HOSTS and port in (None, 22):
            return []
        where = host if port in (None, 22) else f"[{host}]:{port}"
        fix = (f"set 'insecureIgnoreHostKey: true' on store {store.name!r}" if store else
               "name a git store with 'insecureIgnoreHostKey: true' (stores: {git-ssh: {git: "
               "{insecureIgnoreHostKey: true, credentials: ...}}}, then store: git-ssh)")
        return [Problem(
            "KF213", f"dataset {dataset.name!r}: {where} is not in the Argo executor's "
            "known_hosts (github.com, gitlab.com, bitbucket.org, Azure DevOps, on port 22), "
            "so the git+ssh clone fails its host key check at run time",
            f"{fix}, or use git+https://", warning=True)]

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
