"""Lock a git dataset: ``git ls-remote`` turns its revision into a commit id.

    eval-code: {uri: git+https://github.com/org/eval.git, revision: v1.2.0}
    ->  Pin(version='bbb61f33cada0a3732fbde3e3839dc89d815d90f', ref='v1.2.0')

A branch gives its head, an annotated tag the commit it points to (``^{}``), no revision the
remote's ``HEAD``. git's own configuration and credential helpers apply (the environment's
``GIT_CONFIG_*`` too: ``url.<local>.insteadOf`` is how the tests reach a local bare repo).
"""

from __future__ import annotations

from kfdata_compiler.lock.model import Pin, Target, Unresolved
from kfdata_compiler.lock.transport import run_tool

_HASH_LENGTHS = (40, 64)  # sha1 and sha256 repositories


def resolve(target: Target) -> Pin:
    """The commit the dataset's revision names now (its pod then checks out exactly that)."""
    url = target.dataset.uri.partition("+")[2]
    ref = target.dataset.revision or "HEAD"
    # No prompt: a missing credential must fail here, not wait for a terminal nobody watches.
    env = {**target.env, "GIT_TERMINAL_PROMPT": "0"}
    done = run_tool(["git", "ls-remote", url, ref, ref + "^{}"], env, url,
                    2 * target.timeout)
    if done.returncode != 0:
        lines = [line.removeprefix("fatal: ") for line in done.stderr.splitlines() if line]
        cause = lines[0] if lines else f"git exited with status {done.returncode}"
        raise Unresolved("KF512", f"git ls-remote {url} failed: {cause}",
                         "kfdata-compile lock uses this machine's git credentials (a helper, "
                         "an SSH agent), never the spec's Secret")
    commit = pick(done.stdout, ref)
    if commit is None:
        raise Unresolved("KF511", f"{url} has no branch or tag {ref!r}",
                         "check the revision in the spec (git ls-remote lists what there is)")
    return Pin(commit, ref=ref)


def pick(listing: str, ref: str) -> str | None:
    """The commit ``ref`` names in ``git ls-remote`` output, as ``git rev-parse`` would pick it:
    a full ref or ``HEAD`` as is; else a tag (peeled when annotated), then a branch.

    >>> pick("a0..\\trefs/tags/v1\\nc3..\\trefs/tags/v1^{}\\nb1..\\trefs/heads/v1\\n", "v1")
    'c3..'
    """
    refs = {}
    for line in listing.splitlines():
        sha, _, name = line.partition("\t")
        if len(sha) in _HASH_LENGTHS:
            refs[name] = sha
    exact = ref == "HEAD" or ref.startswith("refs/")
    order = [f"{ref}^{{}}", ref] if exact else [
        f"refs/tags/{ref}^{{}}", f"refs/tags/{ref}", f"refs/heads/{ref}"]
    return next((refs[name] for name in order if name in refs), None)
