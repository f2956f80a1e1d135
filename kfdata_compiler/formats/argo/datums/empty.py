"""An empty datum list means "nothing to do": what waits on a fanned task still runs.

With no datum Argo marks the fanned task Skipped ("Skipped, empty params": ``dag.go``
``executeDAGTask``, ``steps.go`` ``expandStepGroup``, v3.4.17 to v4.0.10). ``dependencies: [X]``
and a bare ``X`` in ``depends`` accept Skipped (``expandDependency``,
``workflow/common/ancestry.go``: ``X.Succeeded || X.Skipped || X.Daemoned``), but an explicit
``X.Succeeded`` does not, and its dependents would be omitted while the workflow succeeds.
So every ``X.Succeeded`` of a DAG whose task ``X`` fans out also accepts a Skipped ``X``
whose list succeeded (so a ``when`` that skips ``X``, and its list with it, still stops them)::

    depends: "train.Succeeded && eval"     (train fans out, its list is kfdata-list-train)
    ->  depends: "(train.Succeeded || (train.Skipped && kfdata-list-train.Succeeded)) && eval"
"""

from __future__ import annotations

import re
from collections.abc import Mapping


def _reference(task: str) -> re.Pattern[str]:
    # A task name is [a-zA-Z0-9-]+ (Argo); a longer name holding this one is another task.
    return re.compile(rf"(?<![\w.-]){re.escape(task)}\.Succeeded(?![\w-])")


def accept_empty(depends: str, lists: Mapping[str, str]) -> str:
    """``depends`` with each ``X.Succeeded`` of a fanned task ``X`` (``lists``: task -> its list
    task) also true when ``X`` had no datum.

    >>> accept_empty("a.Succeeded && !b.Succeeded", {"a": "kfdata-list-a"})
    '(a.Succeeded || (a.Skipped && kfdata-list-a.Succeeded)) && !b.Succeeded'
    """
    for task, listed in lists.items():
        wider = f"({task}.Succeeded || ({task}.Skipped && {listed}.Succeeded))"
        depends = _reference(task).sub(wider.replace("\\", "\\\\"), depends)
    return depends
