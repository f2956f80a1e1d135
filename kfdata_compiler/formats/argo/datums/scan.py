"""The strings of a node with their JSON paths, and the ``{{...}}`` tags in them: what the
per-datum checks read (consumers of a step's outputs, a template's own ``{{workflow.*}}``).

    strings({"args": ["{{pod.name}}", "x"]}, ("container",))
    ->  [(("container", "args", 0), "{{pod.name}}")]
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Iterator
from typing import Any

from kfdata_compiler import lazy
from kfdata_compiler.diagnostics import JsonPath
from kfdata_compiler.formats.argo import paths as argo

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
    group ``kind`` is ``artifacts``, ``parameters`` or ``result``. The definition
    :func:`output_reads` answers for every call at once."""
    name = re.escape(call)
    return re.compile(rf"(?:tasks|steps)(?:\.{name}|\[['\"]{name}['\"]\])\.outputs\."
                      r"(?P<kind>artifacts|parameters|result)\b")


_PREFIX = re.compile(r"(?:tasks|steps)(?:\.|\[['\"])")
_SUFFIXES = {".": re.compile(r"\.outputs\.(?P<kind>artifacts|parameters|result)\b"),
             "[": re.compile(r"['\"]\]\.outputs\.(?P<kind>artifacts|parameters|result)\b")}


def output_reads(text: str, calls: Collection[str]) -> dict[str, str]:
    """Each of ``calls`` whose outputs ``text`` reads, with the kind its first read names:
    what ``output_reference(call).search(text)`` finds for each call, in one pass over the text
    instead of one per call.

    >>> output_reads("{{tasks.a.outputs.result}} {{=tasks['b'].outputs.parameters.x}}",
    ...              {"a", "b", "c"})
    {'a': 'result', 'b': 'parameters'}
    """
    if ".outputs." not in text or not calls:
        return {}
    longest = max(map(len, calls))
    ends = {form: [(m.start(), m.group("kind")) for m in suffix.finditer(text)]
            for form, suffix in _SUFFIXES.items()}
    found: dict[str, str] = {}
    for prefix in _PREFIX.finditer(text):  # leftmost first, as ``search`` picks
        start = prefix.end()
        form = ends["." if text[start - 1] == "." else "["]
        for end, kind in form[bisect.bisect_left(form, (start, "")):]:
            if end - start > longest:
                break  # the ends are in order: no call's name reaches further ones
            if text[start:end] in calls:
                found.setdefault(text[start:end], kind)
    return found


class OutputReads:
    """The strings of each calling template that read one of its calls' outputs, indexed by
    that call's name: each template is scanned once, however many of its calls fan out."""

    def __init__(self) -> None:
        self._by_template: dict[int, dict[str, list[tuple[JsonPath, str, str]]]] = {}

    def of(self, template: dict[str, Any], call: str) -> list[tuple[JsonPath, str, str]]:
        """(path in the template, the string, the kind read) of each string of ``template``
        that reads the outputs of its call ``call``, in document order."""
        key = id(template)  # the template lives in the documents as long as this index does
        if key not in self._by_template:
            names = {str(c.get("name")) for _, c, _ in argo.located_calls(template)}
            index: dict[str, list[tuple[JsonPath, str, str]]] = {}
            for where, text in strings(template):
                for name, kind in output_reads(text, names).items():
                    index.setdefault(name, []).append((where, text, kind))
            self._by_template[key] = index
        return self._by_template[key].get(call, [])
