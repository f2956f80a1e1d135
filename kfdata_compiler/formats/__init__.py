"""The input formats and how a file is matched to one.

    claim(source)  ->  ARGO   (Argo Workflow YAML, as KFP v1, hera or a hand author writes it)
    claim(source)  ->  KFPV2  (KFP v2 IR: a PipelineSpec and its optional PlatformSpec)

A format is a package that answers :class:`~kfdata_compiler.formats.base.Format`; adding one is
adding a package and listing it in ``FORMATS`` (first match wins, so the catch-all Argo format,
which passes other Kubernetes objects through, comes last).
"""

from __future__ import annotations

from kfdata_compiler.errors import LoadError
from kfdata_compiler.formats.argo import ARGO
from kfdata_compiler.formats.base import Format
from kfdata_compiler.formats.kfpv2 import KFPV2
from kfdata_compiler.load import Source

FORMATS: tuple[Format, ...] = (KFPV2, ARGO)


def claim(source: Source) -> Format:
    """The format of ``source``; ``LoadError`` listing the documents it cannot take."""
    fmt = next(f for f in FORMATS if f.accepts(source))
    problems = fmt.check(source)
    if problems:
        raise LoadError(problems)
    return fmt


__all__ = ["FORMATS", "Format", "claim"]
