"""Problems found while resolving, collected in spec order (each reported once)."""

from __future__ import annotations

from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Severity
from kfdata_compiler.load import Source
from kfdata_compiler.spec import DataBindings


class Collector:
    """The source (None: the spec is checked alone), the spec and every problem found so far."""

    def __init__(self, source: Source | None, spec: DataBindings) -> None:
        self.source, self.spec = source, spec
        self.problems: list[Diagnostic] = []

    def in_spec(self, code: str, message: str, path: JsonPath, hint: str = "",
                warning: bool = False) -> None:
        """A problem located in the spec; an identical one already found is not repeated."""
        found = Diagnostic(code, message, self.spec.locate(path), hint,
                           Severity.WARNING if warning else Severity.ERROR)
        if found not in self.problems:  # one dataset's problem, met by each of its uses
            self.problems.append(found)
