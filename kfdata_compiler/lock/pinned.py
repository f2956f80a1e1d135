"""A dataset as a fresh lock entry pins it, before any driver sees it.

Where the store can be told which commit to read, the pin changes what the pod reads; elsewhere
it is the version (env, lineage, KFP's cache key) and the pod reads what is there::

    git:       {uri: git+https://h/o/r.git, revision: main}
           ->  {uri: git+https://h/o/r.git, revision: 0f3c...(40), version: 0f3c...}
    pachyderm: {uri: "pach://images@master:/train"}
           ->  {uri: "pach://images@master=5d1e...(32):/train"}       (gateway bucket has it)
    lakefs:    {uri: lakefs://reviews/main/2024/}
           ->  {uri: lakefs://reviews/9a4b...(64)/2024/}               (key <commit>/<path>)
    s3, gs, http: {uri: s3://d/images}  ->  {uri: s3://d/images, version: "sha256:aa3f..."}
"""

from __future__ import annotations

from kfdata_compiler.lock.model import Entry
from kfdata_compiler.spec import Dataset

# The kinds whose pin the pod itself reads; the others only record and detect.
ENFORCED = frozenset({"git", "pachyderm", "lakefs"})


def pinned(dataset: Dataset, kind: str, entry: Entry) -> Dataset:
    """The dataset reading exactly what ``entry`` pinned; marked ``locked`` for the lineage.

    >>> pinned(Dataset("v", "https://h/v"), "http", Entry(..., version="sha256:92ca...")).version
    'sha256:92ca...'
    """
    if kind == "git":
        return dataset._replace(revision=entry.version, version=entry.version, locked=True)
    if kind == "pachyderm":
        uri = _pach_at(dataset.uri, entry.version)
        return dataset._replace(uri=uri, version=entry.version, locked=True)
    if kind == "lakefs":
        from kfdata_compiler.drivers import lakefs  # as resolve does: a driver when it is used

        parts = lakefs.split(dataset.uri)
        uri = f"lakefs://{parts[0]}/{entry.version}/{parts[2]}" if parts else dataset.uri
        return dataset._replace(uri=uri, version=entry.version, locked=True)
    return dataset._replace(version=entry.version, locked=True)


def _pach_at(uri: str, commit: str) -> str:
    """``pach://[project/]repo@branch:/path`` -> ``pach://[project/]repo@branch=<commit>:/path``.

    Branch, repo and project names hold no ``:``, so the first one after the scheme ends the ref.
    """
    scheme, _, rest = uri.partition("://")
    ref, colon, path = rest.partition(":")
    return f"{scheme}://{ref}={commit}{colon}{path}" if colon else uri
