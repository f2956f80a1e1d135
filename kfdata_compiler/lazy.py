"""What the compile path builds on first use rather than at import: regular expressions.

``kfdata-compile`` runs on every commit, and most of its module-level patterns are needed only
for some inputs (a credential's shape, a control character in a name, a float spelled as Go
reads it). ``re`` compiles in Python: one pattern costs 0.3-4 M instructions at start-up, so a
pattern here is compiled the first time one of its methods is looked up::

    _HEX = lazy.compile(r"[0-9a-fA-F]{32,}")   # nothing compiled yet
    _HEX.fullmatch("cafe")                      # compiled now, once; then re.Pattern's own method

It stands in for ``re.Pattern`` through its methods and attributes only: pass it to nothing that
checks ``isinstance(x, re.Pattern)`` (``re.sub(pattern, ...)`` does).
"""

from __future__ import annotations

import re
from typing import Any, cast

__all__ = ["compile"]


class _Pattern:
    """A ``re.Pattern`` compiled on first use; its attributes are the compiled pattern's."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._args = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        # Reached only for an attribute not yet copied here: compile once (re caches it), then
        # each method is found in the instance's dict and costs what the compiled one's does.
        value = getattr(re.compile(*self._args), name)
        setattr(self, name, value)
        return value

    def __repr__(self) -> str:
        return f"lazy.compile({self._args[0]!r})"


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:  # noqa: A001 - as re.compile
    """``re.compile(pattern, flags)``, done when the pattern is first used."""
    return cast("re.Pattern[str]", _Pattern(pattern, flags))
