"""A structural check of the Mermaid ``explain`` writes (there is no Mermaid parser offline).

It accepts exactly the subset explain emits, so anything else is a finding: the header,
balanced ``subgraph``/``end``, node declarations with matching brackets and quoted labels, edges
between declared ids, ``classDef``/``class`` lines. Ids are plain words that are no keyword and
are declared once.
"""

from __future__ import annotations

import re
from typing import NamedTuple

ID = r"[A-Za-z][A-Za-z0-9_]*"
LABEL = r'"([^"<>`|\n]*)"'  # quotes, tags, backticks and pipes only as entity codes (#quot;)
SHAPES = {"[[": "]]", "[(": ")]", "([": "])", "[": "]", "(": ")", "{": "}"}
NODE = re.compile(rf"^({ID})(\[\[|\[\(|\(\[|\[|\(|\{{){LABEL}(\]\]|\)\]|\]\)|\]|\)|\}})$")
SUBGRAPH = re.compile(rf"^subgraph ({ID}) \[{LABEL}\]$")
EDGE = re.compile(rf"^({ID}) (-->|-\.->)(?:\|{LABEL}\|)? ({ID})$")
CLASSDEF = re.compile(r"^classDef (\w+) [\w:#,.-]+$")
CLASS = re.compile(rf"^class ({ID}(?:,{ID})*) (\w+)$")
KEYWORDS = {"end", "subgraph", "graph", "flowchart", "style", "class", "classDef", "click",
            "linkStyle", "call", "href", "default", "direction"}
ENTITY = re.compile(r"#[A-Za-z0-9]+;")


class Chart(NamedTuple):
    """What a chart declares: node id -> (shape, label), subgraph id -> (title, parent), edges."""

    nodes: dict[str, tuple[str, str, str | None]]
    subgraphs: dict[str, tuple[str, str | None]]
    edges: list[tuple[str, str, str, str | None]]


def _label_ok(label: str, line: str) -> None:
    # A '#' only as the start of an entity code: Mermaid would read '#x;' as one.
    assert "#" not in ENTITY.sub("", label), f"bare # in label: {line}"


def parse(text: str) -> Chart:
    """The chart's declarations; AssertionError naming the first line that breaks the rules."""
    lines = text.split("\n")
    assert lines[0] == "flowchart TD" and lines[-1] == "", "header or trailing newline"
    chart = Chart({}, {}, [])
    stack: list[str] = []
    classes: set[str] = set()
    for line in lines[1:-1]:
        body = line.strip()
        if body == "end":
            assert stack, f"end without subgraph: {line}"
            stack.pop()
        elif m := SUBGRAPH.match(body):
            new = m.group(1)
            assert new not in chart.nodes and new not in chart.subgraphs, f"id twice: {new}"
            _label_ok(m.group(2), line)
            chart.subgraphs[new] = (m.group(2), stack[-1] if stack else None)
            stack.append(new)
        elif m := NODE.match(body):
            new, left, label, right = m.groups()
            assert SHAPES[left] == right, f"brackets do not match: {line}"
            assert new not in chart.nodes and new not in chart.subgraphs, f"id twice: {new}"
            _label_ok(label, line)
            chart.nodes[new] = (left + right, label, stack[-1] if stack else None)
        elif m := EDGE.match(body):
            source, arrow, label, target = m.groups()
            if label is not None:
                _label_ok(label, line)
            chart.edges.append((source, arrow, target, label))
        elif m := CLASSDEF.match(body):
            classes.add(m.group(1))
        elif m := CLASS.match(body):
            assert m.group(2) in classes, f"class not defined: {line}"
            for name in m.group(1).split(","):
                assert name in chart.nodes, f"class of an undeclared node: {line}"
        else:
            raise AssertionError(f"not a line explain writes: {line!r}")
    assert not stack, f"subgraphs left open: {stack}"
    ids = chart.nodes.keys() | chart.subgraphs.keys()
    assert not ids & KEYWORDS, f"keyword as an id: {ids & KEYWORDS}"
    for source, _, target, _ in chart.edges:
        assert source in ids and target in ids, f"edge to an undeclared id: {source} {target}"
    return chart
