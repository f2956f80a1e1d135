"""Text diffs for ``--diff`` and ``--check``: unified, labelled the way git labels them.

    unified_diff("a: 1\n", "a: 2\n", "a/x.bound.yaml", "b/x.bound.yaml")
    ->  "--- a/x.bound.yaml\n+++ b/x.bound.yaml\n@@ -1 +1 @@\n-a: 1\n+a: 2\n"
"""

from __future__ import annotations

from pathlib import Path


def unified_diff(before: str, after: str, old_name: str, new_name: str) -> str:
    """The unified diff of two texts (a missing final newline is marked, as diff does)."""
    import difflib  # only --check and --diff need it; the hook's start-up stays short

    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), old_name, new_name
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


def git_side(side: str, path: Path) -> str:
    """``a/x.bound.yaml``: a path as one side of a git-style diff."""
    # As git labels the two sides (an absolute path too: `a/tmp/x`), so `git apply` reads it.
    return f"{side}/{path.as_posix().lstrip('/')}"
