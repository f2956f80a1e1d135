"""``kfdata-compile explain``: which step gets what, and a picture, from the compile's plan.

    build(source, spec, fmt, plan)  ->  Facts(steps=(BoundStep(template="preprocess", ...),), ...)
    render(facts, "mermaid")  ->  "flowchart TD\\n  subgraph g_sentiment ..."

Nothing here rewrites or writes: the facts come from the plan ``compiler.plan_text`` resolves
(the same resolve as a compile, so the same problems) and from the format's graph. Format
neutral: only :class:`~kfdata_compiler.formats.base.Format` is asked about the pipeline.
"""

from __future__ import annotations

from collections.abc import Callable

from kfdata_compiler.explain.build import build
from kfdata_compiler.explain.data import as_data, render_json
from kfdata_compiler.explain.facts import Facts
from kfdata_compiler.explain.mermaid import render_mermaid
from kfdata_compiler.explain.text import render_text

RENDERERS: dict[str, Callable[[Facts], str]] = {
    "text": render_text,
    "mermaid": render_mermaid,
    "json": render_json,
}


def render(facts: Facts, how: str) -> str:
    """The report in one of ``RENDERERS`` (``text``, ``mermaid``, ``json``)."""
    return RENDERERS[how](facts)


__all__ = ["RENDERERS", "Facts", "as_data", "build", "render"]
