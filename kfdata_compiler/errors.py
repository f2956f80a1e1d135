"""One exception root; each stage raises its own subclass carrying the diagnostics it collected."""

from __future__ import annotations

from collections.abc import Iterable

from kfdata_compiler.diagnostics import Diagnostic


class KfdataError(Exception):
    """Root of every error kfdata-compiler raises on purpose.

    It carries every problem a stage found (a compiler reports them together, not one by one).
    """

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(d.message for d in self.diagnostics))


class LoadError(KfdataError):
    """A pipeline or spec file could not be read or parsed."""


class SpecError(KfdataError):
    """The sidecar spec is invalid (schema, literal credentials, bad URIs)."""


class ResolveError(KfdataError):
    """Bindings do not fit the pipeline (unknown steps, conflicts with what is there)."""


class EmitError(KfdataError):
    """The output could not be written."""


class InternalError(KfdataError):
    """kfdata-compiler produced something it must not emit: a bug in kfdata-compiler."""
