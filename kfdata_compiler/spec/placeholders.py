"""The placeholders of a dataset type's argv, and their exact, single-pass substitution.

A type's ``args`` (and ``env`` values) may name a small, fixed set of placeholders::

    args: [dvc, get, "{uri.repo}", "{uri.path}", --rev, "{revision}", -o, "{path}"]
    + {"uri.repo": "https://github.com/org/reg", "uri.path": "features/v3", ...}
    ->  [dvc, get, https://github.com/org/reg, features/v3, --rev, 4f2a9c1, -o, /kfdata-stage/data]

Substitution is textual and happens once per argv element: no format-string evaluation, a value
is never scanned again (a URI holding ``{path}`` stays as it is), and one element never becomes
two. Argo's own ``{{...}}`` expressions are not placeholders and pass through untouched.
"""

from __future__ import annotations

from collections.abc import Mapping

from kfdata_compiler import lazy

# What each placeholder stands for (docs/types.md has the long form).
NAMES: Mapping[str, str] = {
    "uri": "the dataset's URI, as written",
    "uri.scheme": "the URI scheme (dvc, pach, https, ...)",
    "uri.host": "the URI's host[:port]",
    "uri.path": "the path inside the repository or host, without a leading '/' (pach: with it)",
    "uri.repo": "dvc: the git repository URL; pach: the Pachyderm repo",
    "uri.project": "pach: the Pachyderm project ('default' when the URI names none)",
    "uri.branch": "pach: the branch",
    "uri.commit": "pach: the commit id (only when the URI pins one)",
    "uri.ref": "pach: branch=commit, or the branch",
    "revision": "the dataset's 'revision'",
    "version": "the dataset's version (declared, or implied by a commit)",
    "path": "where the init container must put the data (a file or a directory)",
    "dataset": "the dataset's name",
    "store.endpoint": "the store's endpoint (host:port)",
    "store.pachd": "pachyderm stores: pachd's gRPC address (host:port)",
}
# ``{name}`` but not Argo's ``{{name}}``; anything shaped like this must be a known placeholder.
_TOKEN = lazy.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*)\}(?!\})")


def used(text: str) -> list[str]:
    """The placeholder names in ``text``, in order (unknown ones included).

    >>> used("{uri.repo}@{uri.ref}:{{workflow.uid}}")
    ['uri.repo', 'uri.ref']
    """
    return [m.group(1) for m in _TOKEN.finditer(text)]


def unknown(text: str) -> list[str]:
    """The names in ``text`` that are not placeholders.

    >>> unknown("--out={path} {revison}")
    ['revison']
    """
    return [name for name in used(text) if name not in NAMES]


def substitute(text: str, values: Mapping[str, str]) -> str:
    """Replace each placeholder by its value, in one pass; values are not scanned again.

    >>> substitute("{uri.repo}@{uri.ref}", {"uri.repo": "images", "uri.ref": "{path}"})
    'images@{path}'
    """
    return _TOKEN.sub(lambda m: values[m.group(1)], text)
