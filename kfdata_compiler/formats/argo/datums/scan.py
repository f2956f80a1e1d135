"""The strings of a node with their JSON paths, and the ``{{...}}`` tags in them: what the
per-datum checks read (consumers of a step's outputs, a template's own ``{{workflow.*}}``).

    strings({"args": ["{{pod.name}}", "x"]}, ("container",))
    ->  [(("container", "args", 0), "{{pod.name}}")]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from kfdata_compiler import lazy
from kfdata_compiler.diagnostics import JsonPath

TAG = lazy.compile(r"\{\{([^{}]*)\}\}")
_GLOBAL = lazy.compile(r"(?<![\w.\]])(workflow|pod)\.")


def strings(node: Any, path: JsonPath = (), skip: frozenset[str] = frozenset()
            ) -> Iterator[tuple[JsonPath, str]]:
    """Every string under ``node`` that holds ``{{``, with its path; mapping keys in ``skip``
    are not entered."""
    if isinstance(node, str):
        if "{{" in node:
            yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            if key not in skip:
                yield from strings(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from strings(value, (*path, index))


def globals_read(text: str) -> list[str]:
    """The ``{{workflow.*}}`` and ``{{pod.*}}`` tags of ``text``, expressions included.

    >>> globals_read("run {{workflow.uid}} on {{=pod.name + 'x'}} with {{inputs.parameters.a}}")
    ['{{workflow.uid}}', "{{=pod.name + 'x'}}"]
    """
    found = []
    for match in TAG.finditer(text):
        tag = match.group(1).strip()
        direct = tag.startswith(("workflow.", "pod."))
        if direct or (tag.startswith("=") and _GLOBAL.search(tag)):
            found.append(match.group(0))
    return found


def output_reference(call: str) -> re.Pattern[str]:
    """What reads the outputs of the task or step ``call``: ``tasks.<call>.outputs.*``,
    ``steps.<call>.outputs.*``, and the expression form ``tasks['<call>'].outputs.*``; the
    group ``kind`` is ``artifacts``, ``parameters`` or ``result``."""
    name = re.escape(call)
    return re.compile(rf"(?:tasks|steps)(?:\.{name}|\[['\"]{name}['\"]\])\.outputs\."
                      r"(?P<kind>artifacts|parameters|result)\b")
