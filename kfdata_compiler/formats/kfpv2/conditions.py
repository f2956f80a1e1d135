"""A KFP v2 task's ``triggerPolicy.condition`` (CEL) as people read it, for ``explain``.

    condition-1:
      triggerPolicy:
        condition: "inputs.parameter_values['pipelinechannel--flip-coin-Output'] == 'heads'"
      inputs: {parameters: {pipelinechannel--flip-coin-Output: {taskOutputParameter:
          {producerTask: flip-coin, outputParameterKey: Output}}}}
    ->  "flip-coin.Output == 'heads'"

kfp 2.17.0 ``sdk/python/kfp/compiler/pipeline_spec_builder.py`` (``_resolve_condition_operands``)
writes each operand that is a pipeline channel as ``inputs.parameter_values['<input>']``, an
input of the condition task itself, wrapped in ``int(...)`` for an integer and ``double(...)``
when compared with a float, negated ``!(...)`` for an elif/else, joined with `` && ``. Each
reference is followed to where its value comes from, through the task's input and up the DAGs
that hand it down (``componentInputParameter``):

- a task's output (``taskOutputParameter``): ``<task>.<output>``;
- an input of the pipeline (the root DAG's ``componentInputParameter``): ``pipeline.<name>``;
- the item of a ``ParallelFor`` (a loop's ``parameterIterator.itemInput``): ``<loop>.item``, a
  field of it (``parameterExpressionSelector: parseJson(string_value)["a"]``) ``<loop>.item.a``.

The casts around a reference are dropped (``int(x) > 5`` reads ``x > 5``); text inside string
literals is left alone. Anything else (another selector, a constant, a reference that leads
nowhere, an unbalanced quote) leaves the whole condition as written.
"""

from __future__ import annotations

import re

from kfdata_compiler.formats.kfpv2 import ir

# A reference to one of the task's inputs, or a string literal (kept as it is), left to right.
_TOKEN = re.compile(r"""inputs\.parameter_values\[(?:'([^'\\]*)'|"([^"\\]*)")\]"""
                    r"""|'(?:[^'\\\n]|\\.)*'"""
                    r'|"(?:[^"\\\n]|\\.)*"')
_MARK = "\x00{}\x00"
_CAST = re.compile("\\b(?:int|double)\\((\x00\\d+\x00)\\)")
_FIELD = re.compile(r"""^parseJson\(string_value\)\[(?:"([^"\\]*)"|'([^'\\]*)')\]$""")


def _source(refs: dict[str, ir.TaskRef], path: str, channel: str, depth: int = 0) -> str | None:
    """What the input ``channel`` of the task at ``path`` reads, as people name it."""
    ref = refs.get(path)
    if ref is None or depth > len(refs):
        return None
    found = ir.mapping(ref.task, "inputs", "parameters").get(channel)
    if not isinstance(found, dict):
        item = ir.mapping(ref.task, "parameterIterator").get("itemInput")
        return f"{ref.key}.item" if item == channel else None
    output = found.get("taskOutputParameter")
    if isinstance(output, dict):
        task, key = output.get("producerTask"), output.get("outputParameterKey")
        return f"{task}.{key}" if isinstance(task, str) and isinstance(key, str) else None
    name = found.get("componentInputParameter")
    if not isinstance(name, str):
        return None  # a constant or a runtime value: said as written
    suffix = ""
    selector = found.get("parameterExpressionSelector")
    if selector is not None:
        field = _FIELD.match(str(selector))
        if field is None:
            return None
        suffix = "." + (field.group(1) if field.group(1) is not None else field.group(2))
    if ref.parent is None:
        return f"pipeline.{name}{suffix}"
    parent = path.rpartition("/")[0]
    # The DAG's input is handed down by the task that runs the DAG (or is its loop's item).
    above = _source(refs, parent, name, depth + 1)
    return None if above is None else above + suffix


def readable(refs: dict[str, ir.TaskRef], path: str, condition: str) -> str:
    """The condition of the task at ``path`` (``refs``: every task by path, :func:`ir.walk`) as
    people read it (see the module's docstring); as written when it cannot be read."""
    said: list[str] = []  # what each mark stands for: a name, or a literal as written
    failed = False

    def mark(match: re.Match[str]) -> str:
        nonlocal failed
        channel = match.group(1) if match.group(1) is not None else match.group(2)
        if channel is None:  # a string literal
            said.append(match.group(0))
            return _MARK.format(len(said) - 1)
        name = _source(refs, path, channel)
        failed = failed or name is None
        said.append(name or "")
        return _MARK.format(len(said) - 1)

    marked = _TOKEN.sub(mark, condition)
    if failed or "'" in marked or '"' in marked or "inputs." in marked:
        return condition
    unwrapped = _CAST.sub(r"\1", marked)
    while unwrapped != marked:  # double(int(x)) -> x; a cast of a literal stays
        marked, unwrapped = unwrapped, _CAST.sub(r"\1", unwrapped)
    for index, text in enumerate(said):
        marked = marked.replace(_MARK.format(index), text)
    return marked
