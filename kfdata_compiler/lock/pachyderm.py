"""Lock a Pachyderm dataset: ``pachctl inspect commit`` turns its branch into the head commit.

    images: {uri: "pach://vision/images@master:/train", store: pach}
    ->  pachctl inspect commit images@master --project vision --raw   ->  .commit.id
    ->  Pin(version='5d1e0c2a...'(32 hex), ref='master')

The compile then reads ``pach://vision/images@master=<commit>:/train``: the gateway bucket
``<commit>.master.images.vision`` serves that commit and nothing else. pachctl's own
configuration holds the credentials; ``PACHD_ADDRESS`` is ``--endpoint``, else the store's pachd.
"""

from __future__ import annotations

import json

from kfdata_compiler import lazy
from kfdata_compiler.drivers import pachyderm
from kfdata_compiler.lock.model import Pin, Target, Unresolved
from kfdata_compiler.lock.transport import run_tool

_COMMIT = lazy.compile(r"[0-9a-f]{32}")
_REFUSED = ("unauthenticated", "permission", "token", "not authorized")  # in pachd's messages


def address(target: Target) -> str:
    """pachd's address for pachctl: ``--endpoint``, else the store's (``grpc://host:30650``)."""
    found = target.endpoint or (pachyderm.pachd_address(target.store) if target.store else "")
    return found if "://" in found or not found else f"grpc://{found}"


def resolve(target: Target) -> Pin:
    """Ask pachd for the branch's head commit."""
    ref = pachyderm.parse(target.dataset.uri)
    if ref is None:  # update checks the URI first
        raise Unresolved("KF510", f"{target.dataset.uri!r} is not a Pachyderm URI")
    pachd = address(target)
    env = {**target.env, **({"PACHD_ADDRESS": pachd} if pachd else {})}
    argv = ["pachctl", "inspect", "commit", f"{ref.repo}@{ref.branch}", "--project",
            ref.project, "--raw"]
    done = run_tool(argv, env, pachd or "pachctl's context", 2 * target.timeout)
    if done.returncode != 0:
        raise _failure(done.stderr, ref.repo, ref.branch, pachd or "pachctl's context")
    try:
        commit = json.loads(done.stdout)["commit"]["id"]
    except (ValueError, KeyError, TypeError):
        commit = None
    if not isinstance(commit, str) or not _COMMIT.fullmatch(commit):
        raise Unresolved("KF512", f"pachctl at {pachd} answered without a commit id",
                         "is pachctl a Pachyderm 2.x client? (inspect commit --raw)")
    return Pin(commit, ref=ref.branch)


def _failure(stderr: str, repo: str, branch: str, pachd: str) -> Unresolved:
    cause = next((line for line in stderr.splitlines() if line.strip()), "no message")
    lowered = cause.lower()
    # Credentials first: "auth token not found" is not a missing branch.
    if any(word in lowered for word in _REFUSED):
        return Unresolved("KF512", f"{pachd} refused pachctl's credentials: {cause}",
                          "log in with pachctl auth login: kfdata-compile lock never uses "
                          "the spec's Secret")
    if "not found" in lowered:
        return Unresolved("KF511", f"{pachd} has no branch {branch!r} in repo {repo!r}: "
                          f"{cause}", "check the repo, project and branch in the URI")
    return Unresolved("KF512", f"pachctl inspect commit {repo}@{branch} at {pachd} failed: "
                      f"{cause}", "check that pachd is reachable from here (--endpoint "
                      "STORE=grpc://host:port)")
