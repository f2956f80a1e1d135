"""Text diffs for ``--diff`` and ``--check``: unified, labelled the way git labels them.

    unified_diff("a: 1\n", "a: 2\n", "a/x.bound.yaml", "b/x.bound.yaml")
    ->  "--- a/x.bound.yaml\n+++ b/x.bound.yaml\n@@ -1 +1 @@\n-a: 1\n+a: 2\n"

A compile's diff (``--diff``, golden/*.diff) starts from the input *as kfdata-compile writes
it* (:func:`kfdata_compiler.compiler.restyled`), so a KFP v1 file's ``{...}`` flow style
becoming block style does not hide the compile's changes; its ``---`` line says so after a TAB
(where patch and git read a timestamp, so the file name stays the name).
"""

from __future__ import annotations

from pathlib import Path

# What the "---" side of a compile's diff is, in its header.
RESTYLED = "(restyled as kfdata-compile writes YAML: only the compile's changes show)"


def unified_diff(before: str, after: str, old_name: str, new_name: str) -> str:
    """The unified diff of two texts (a missing final newline is marked, as diff does)."""
    import difflib  # only --check and --diff need it; the hook's start-up stays short

    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), old_name, new_name
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


def compile_diff(data: bytes, output: str, old_name: str, new_name: str,
                 full: bool = False) -> str:
    """What a compile changes: from the input ``data`` (read as ``old_name``) to ``output``.

    The input as kfdata-compile writes it, so only real changes show, and the header says so
    when that is not the input as it is;
    ``full``: the input as it is (every restyled line too). An input the compile left as it was
    (nothing bound) has no diff. A generated header line is left out on both sides.
    """
    from kfdata_compiler.conventions import strip_generated_header

    raw = strip_generated_header(data.decode("utf-8"))
    if full or raw == output:
        return unified_diff(raw, output, old_name, new_name)
    from kfdata_compiler.compiler import restyled

    before = strip_generated_header(restyled(data, old_name))
    label = old_name if before == raw else f"{old_name}\t{RESTYLED}"  # kfp's IR: as it was
    return unified_diff(before, output, label, new_name)


def git_side(side: str, path: Path) -> str:
    """``a/x.bound.yaml``: a path as one side of a git-style diff."""
    # As git labels the two sides (an absolute path too: `a/tmp/x`), so `git apply` reads it.
    return f"{side}/{path.as_posix().lstrip('/')}"
