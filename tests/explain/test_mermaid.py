"""Mermaid that any name survives: safe ids, escaped labels, and a checker that catches breaks."""

from __future__ import annotations

import pytest

from kfdata_compiler.compiler import plan_text
from kfdata_compiler.explain import build, render
from kfdata_compiler.explain.names import Ids, quote
from tests.explain.mermaid_check import parse
from tests.helpers import spec, workflow


def test_ids_are_plain_words_never_keywords_and_unique() -> None:
    ids = Ids()
    made = [ids.new("s", n) for n in ("end", "train-model", "train model", "ö", "", "x--o")]
    assert made == ["s_end", "s_train_model", "s_train_model_2", "s", "s_2", "s_x_o"]


def test_labels_quote_what_mermaid_or_html_would_read() -> None:
    assert quote('a "b" <c> #1 & `d` | e') == (
        '"a #quot;b#quot; #lt;c#gt; #35;1 #amp; #96;d#96; #124; e"')
    assert quote("two\nlines") == '"two lines"'
    assert quote("x" * 100) == '"' + "x" * 79 + '…"'


def test_hostile_names_give_a_sound_chart() -> None:
    pipeline = workflow("""
    - name: end
      dag:
        tasks:
        - {name: subgraph, template: class}
        - {name: x--o, template: class, dependencies: [subgraph], when: "'{{item}}' == \\"|\\""}
    - name: class
      container: {image: i}
      metadata:
        annotations:
          pipelines.kubeflow.org/task_display_name: "Say \\"hi\\" <br> #x; `y` | z"
    """, "entrypoint: end")
    text = spec("web: {uri: 'https://h/x'}", "- {step: class, read: [web]}")
    facts = build(*plan_text(pipeline.encode(), text.encode()))
    chart = parse(render(facts, "mermaid"))
    assert set(chart.subgraphs) == {"g_end"}
    assert chart.nodes["s_subgraph"][1] == (
        "Say #quot;hi#quot; #lt;br#gt; #35;x; #96;y#96; #124; z")
    assert ("c_x_o", "-->", "s_x_o", None) in chart.edges


@pytest.mark.parametrize(("broken", "why"), [
    ("flowchart TD\n  subgraph g_a [\"a\"]\n  s_b[\"b\"]\n", "left open"),
    ("flowchart TD\n  end\n", "end without"),
    ("flowchart TD\n  s_a[\"a\"]\n  s_a --> s_b\n", "undeclared"),
    ("flowchart TD\n  s_a[\"a\"]\n  s_a(\"b\")\n", "id twice"),
    ("flowchart TD\n  s_a[\"say \"hi\"\"]\n", "not a line"),
    ("flowchart TD\n  s_a[\"a\")\n", "brackets"),
    ("flowchart TD\n  end[\"a\"]\n", "keyword"),
    ("flowchart TD\n  s_a[\"#1\"]\n", "bare #"),
    ("flowchart TD\n  s_a[\"a\"]\n  class s_a bound\n", "class not defined"),
])
def test_the_checker_catches_broken_charts(broken: str, why: str) -> None:
    with pytest.raises(AssertionError, match=why):
        parse(broken)
