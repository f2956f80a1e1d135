"""Mermaid node ids and quoted labels that any name or expression can go into safely.

    ids = Ids(); ids.new("s", "train-model"), ids.new("s", "train model")
    ->  ("s_train_model", "s_train_model_2")
    quote('"a" == <b>')  ->  '"#quot;a#quot; == #lt;b#gt;"'

An id is a prefix (``s`` step, ``g`` group, ``c`` condition, ``d`` dataset, ``w`` workflow) and
the name's letters and digits: never a keyword (``end``, ``subgraph``) and never read as part of
an arrow (``o``/``x`` after ``--``). Labels are always quoted, with Mermaid's entity codes for
the characters its parser or GitHub's HTML would take as syntax.
"""

from __future__ import annotations

from kfdata_compiler import lazy

MAX_LABEL = 80
_UNSAFE = lazy.compile(r"[^A-Za-z0-9]+")
# '#' first: every other replacement writes one.
_ENTITIES = (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("&", "#amp;"),
             ("`", "#96;"), ("|", "#124;"))


class Ids:
    """Mermaid ids, unique within one diagram."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def new(self, prefix: str, name: str) -> str:
        """A fresh id for ``name`` (``s_train_model``, then ``s_train_model_2``)."""
        base = f"{prefix}_{_UNSAFE.sub('_', name).strip('_')}".rstrip("_")
        found, n = base, 1
        while found in self.taken:
            n += 1
            found = f"{base}_{n}"
        self.taken.add(found)
        return found


def quote(text: str) -> str:
    """``text`` as a quoted Mermaid label: one line, at most ``MAX_LABEL`` characters."""
    flat = " ".join(text.split())
    if len(flat) > MAX_LABEL:
        flat = flat[: MAX_LABEL - 1] + "…"
    for char, entity in _ENTITIES:
        flat = flat.replace(char, entity)
    return f'"{flat}"'
