"""The ``{uri.*}`` placeholder values of a dataset URI, by scheme.

    dvc://github.com/org/data-registry/features/v3
    ->  {uri.host: github.com, uri.repo: https://github.com/org/data-registry,
         uri.path: features/v3}
    pach://vision/images@master:/train
    ->  {uri.project: vision, uri.repo: images, uri.branch: master, uri.ref: master,
         uri.path: /train}
    https://example.org/data/x.csv
    ->  {uri.host: example.org, uri.path: data/x.csv}

A ``dvc://`` repository is the host's first two path segments (``org/repo``, as on GitHub);
``.git/`` or ``//`` ends it earlier or later: ``dvc://gitlab.com/group/sub/repo.git/data``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from kfdata_compiler.drivers import pachyderm


def _dvc(uri: str) -> dict[str, str]:
    host, _, tail = uri.partition("://")[2].partition("/")
    if "//" in tail:
        repo, _, path = tail.partition("//")
    elif ".git/" in tail:
        end = tail.index(".git/") + len(".git")
        repo, path = tail[:end], tail[end + 1 :]
    else:
        parts = tail.split("/")
        repo, path = "/".join(parts[:2]), "/".join(parts[2:])
    repo, path = repo.strip("/"), path.strip("/")
    out = {"uri.host": host} if host else {}
    if host and "/" in repo and path:
        out.update({"uri.repo": f"https://{host}/{repo}", "uri.path": path})
    return out


def _pach(uri: str) -> dict[str, str]:
    ref = pachyderm.parse(uri)
    if ref is None:
        return {}
    out = {"uri.project": ref.project, "uri.repo": ref.repo, "uri.branch": ref.branch,
           "uri.ref": ref.ref, "uri.path": ref.path}
    if ref.commit:
        out["uri.commit"] = ref.commit
    return out


def _generic(uri: str) -> dict[str, str]:
    try:
        parts = urlsplit(uri)
        host = parts.netloc.rpartition("@")[2]
    except ValueError:  # e.g. an unbalanced '[' in the host
        return {}
    out = {"uri.host": host} if host else {}
    if parts.path.strip("/"):
        out["uri.path"] = parts.path.lstrip("/")
    return out


def uri_values(uri: str) -> dict[str, str]:
    """``{uri}``, ``{uri.scheme}`` and whichever ``{uri.*}`` parts the URI has."""
    scheme = uri.partition("://")[0].lower() if "://" in uri else ""
    parse = {"dvc": _dvc, "pach": _pach}.get(scheme, _generic)
    return {"uri": uri, **({"uri.scheme": scheme} if scheme else {}), **parse(uri)}
