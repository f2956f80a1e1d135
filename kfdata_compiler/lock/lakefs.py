"""Lock a lakeFS dataset: the commit its branch (or tag) points to, from lakeFS's API.

    reviews: {uri: lakefs://reviews/main/2024/06/, store: lake}
    ->  GET /api/v1/repositories/reviews/branches/main   (404: then .../tags/main)
    ->  Pin(version='9a4b...'(64 hex), ref='main')

The compile then reads key ``<commit>/2024/06/``: the S3 gateway serves that commit only.
Credentials are lakectl's environment (``LAKECTL_CREDENTIALS_ACCESS_KEY_ID``/``_SECRET_ACCESS_KEY``,
basic auth); the API is ``--endpoint``, else ``LAKECTL_SERVER_ENDPOINT_URL``, else the store's.
"""

from __future__ import annotations

import base64
import json
from urllib.parse import quote
from urllib.request import Request

from kfdata_compiler import lazy
from kfdata_compiler.drivers import lakefs
from kfdata_compiler.lock.model import Pin, Target, Unresolved
from kfdata_compiler.lock.transport import read_all

_COMMIT = lazy.compile(r"[0-9a-f]{64}")
_KEYS = ("LAKECTL_CREDENTIALS_ACCESS_KEY_ID", "LAKECTL_CREDENTIALS_SECRET_ACCESS_KEY")


def api_url(target: Target) -> str:
    """The API's base URL, ending in ``/api/v1``.

    >>> api_url(Target(..., store=Store("lake", "lakefs", {"endpoint": "lakefs:8000"}), ...))
    'https://lakefs:8000/api/v1'
    """
    config = target.store.config if target.store else {}
    scheme = "http" if config.get("insecure") else "https"
    base = (target.endpoint or target.env.get("LAKECTL_SERVER_ENDPOINT_URL")
            or f"{scheme}://{config.get('endpoint', '')}")
    return base.rstrip("/").removesuffix("/api/v1") + "/api/v1"


def resolve(target: Target) -> Pin:
    """The commit id of the ref: a branch first, then a tag (lakeFS keeps them apart)."""
    parts = lakefs.split(target.dataset.uri)
    if parts is None:  # update checks the URI first
        raise Unresolved("KF510", f"{target.dataset.uri!r} is not a lakeFS URI")
    repo, ref, _ = parts
    base = api_url(target)
    headers = {"Accept": "application/json", "User-Agent": "kfdata-compile-lock"}
    key, secret = (target.env.get(name) for name in _KEYS)
    if key and secret:
        token = base64.b64encode(f"{key}:{secret}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    for kind in ("branches", "tags"):
        url = f"{base}/repositories/{quote(repo, safe='')}/{kind}/{quote(ref, safe='')}"
        try:
            body = json.loads(read_all(Request(url, headers=headers), url, target.timeout))
        except Unresolved as exc:
            if exc.code == "KF511":
                continue  # not a branch: maybe a tag
            if exc.code == "KF512" and not (key and secret) and "credentials" in exc.message:
                exc.hint = f"set {' and '.join(_KEYS)} (lakectl's) in the environment"
            raise
        except ValueError:
            raise Unresolved("KF512", f"{url} answered with something that is not JSON",
                             "is --endpoint a lakeFS server?") from None
        commit = body.get("commit_id") if isinstance(body, dict) else None
        if isinstance(commit, str) and _COMMIT.fullmatch(commit):
            return Pin(commit, ref=ref)
        raise Unresolved("KF512", f"{url} answered without a commit id",
                         "is --endpoint a lakeFS server?")
    raise Unresolved("KF511", f"lakeFS at {base} has no branch or tag {ref!r} in repository "
                     f"{repo!r}", "check the repository and the ref in the URI")
