"""fan_out: every task or step calling a step bound per datum runs it once per datum.

    dag: {tasks: [{name: prep, template: prep, dependencies: [fetch]}]}
    ->  dag: {tasks: [
          {name: prep, template: prep, dependencies: [fetch, kfdata-list-prep],
           withParam: '{{tasks.kfdata-list-prep.outputs.result}}',
           arguments: {parameters: [{name: kfdata-datum-images, value: '{{item}}'}],
                       artifacts: [{name: kfdata-images, s3: {..., key: 'images/{{item}}'},
                                    archive: {none: {}}}]}},
          {name: kfdata-list-prep, template: kfdata-list-images-766e0153,
           dependencies: [fetch]}]}
        + the list template, and input parameter kfdata-datum-images on the bound template

The list task copies the caller's ``depends``/``dependencies`` and ``when``, so data written
upstream is listed after it is written; the caller then also waits for the list, in the DAG's
own style: ``dependencies: [..., list]``, or ``depends: "(<old>) && list"``. In ``steps``, the
list is a group of its own just before the caller's group, with the caller's ``when``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any

from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.argo.callindex import CallIndex, indexes
from kfdata_compiler.formats.argo.datums import location, names
from kfdata_compiler.formats.argo.datums.empty import accept_empty
from kfdata_compiler.formats.argo.datums.listing import list_template
from kfdata_compiler.formats.argo.datums.location import Source
from kfdata_compiler.formats.argo.datums.needs import fanned
from kfdata_compiler.plan import Access, Plan
from kfdata_compiler.plan.actions import Action, AddNode, Inject, Rewire
from kfdata_compiler.plan.paths import EditPath


def uses_depends(dag_template: argo.Document) -> bool:
    """Whether a DAG writes its edges as ``depends`` expressions (Argo refuses a mix; an empty
    ``depends`` is absent to Argo: ``Depends != ""`` in ``validate.go``)."""
    return any(isinstance(t.get("depends"), str) and t["depends"]
               for _, t in argo.located(dag_template, ("dag", "tasks")))


def _edges(in_depends: bool, call: argo.Document, listed: str,
           lists: Mapping[str, str]) -> tuple[str, Any]:
    """The caller's new ``depends`` or ``dependencies``: its own, and the list (``in_depends``:
    whether its DAG :func:`uses_depends`)."""
    depends, dependencies = call.get("depends"), call.get("dependencies")
    if isinstance(depends, str) and depends.strip():
        return "depends", f"({accept_empty(depends, lists)}) && {listed}"
    if isinstance(dependencies, list) and dependencies:
        return "dependencies", [*dependencies, listed]
    if in_depends:
        return "depends", listed
    return "dependencies", [listed]


def _list_call(call: argo.Document, listed: str, template: str, dag: bool,
               lists: Mapping[str, str]) -> dict[str, Any]:
    node: dict[str, Any] = {"name": listed, "template": template}
    for key in ("depends", "dependencies", "when") if dag else ("when",):
        if call.get(key) not in (None, "", []):
            node[key] = copy.deepcopy(call[key])  # its own: the caller's are rewired
    if isinstance(node.get("depends"), str):
        node["depends"] = accept_empty(node["depends"], lists)
    return node


def _wire(doc: int, caller: argo.Document, path: EditPath, call: argo.Document, read: Access,
          where: Source, template: str, lists: Mapping[str, str],
          styles: dict[int, bool]) -> Iterator[Action]:
    owner = (doc, str(caller.get("name")))
    listed = names.list_call(str(call.get("name")))
    dag = path[0] == "dag"
    if dag:
        yield AddNode(owner, "dag_task", _list_call(call, listed, template, True, lists))
        if id(caller) not in styles:  # once per DAG, not once per task it fans out
            styles[id(caller)] = uses_depends(caller)
        key, value = _edges(styles[id(caller)], call, listed, lists)
        yield Rewire(owner, "call_field", value, key=key, at=path)
    else:
        yield AddNode(owner, "steps_group", [_list_call(call, listed, template, False, lists)],
                      before=str(call.get("name")))
    result = names.result("tasks" if dag else "steps", listed)
    yield Rewire(owner, "call_field", result, key="withParam", at=path)
    dataset = read.dataset.name
    yield Inject(owner, "argument_parameter",
                 {"name": names.parameter(dataset), "value": names.ITEM}, at=path)
    artifact = str(read.need.input_artifacts[0]["name"])
    yield Inject(owner, "argument_artifact", location.per_item(where, artifact), at=path)


def _fanned_calls(plan: Plan, calls: Mapping[int, CallIndex]
                  ) -> dict[tuple[int, str], dict[str, str]]:
    """Per DAG (document, template name): its tasks that fan out -> their list tasks."""
    out: dict[tuple[int, str], dict[str, str]] = {}
    for target in plan.targets:
        if fanned(target) is None:
            continue
        for caller, path, call in calls[target.doc].callers(target.node):
            if path[0] == "dag":
                name = str(call.get("name"))
                out.setdefault((target.doc, str(caller.get("name"))), {})[name] = \
                    names.list_call(name)
    return out


def _dependents(docs: list[Any], fans: dict[tuple[int, str], dict[str, str]]
                ) -> Iterator[Action]:
    """The other tasks of those DAGs whose ``depends`` reads a fanned task's ``Succeeded``."""
    named: dict[int, dict[str, argo.Document]] = {}  # each document's templates by name, once
    for (doc, name), lists in fans.items():
        if doc not in named:
            named[doc] = {}
            for each in argo.templates(docs[doc]):
                if isinstance(each.get("name"), str):  # as ``==`` against the caller's name
                    named[doc].setdefault(each["name"], each)
        template = named[doc].get(name)
        if template is None:
            continue
        for path, task in argo.calls(template):
            depends = task.get("depends")
            if str(task.get("name")) in lists or not isinstance(depends, str):
                continue
            wider = accept_empty(depends, lists)
            if wider != depends:
                yield Rewire((doc, name), "call_field", wider, key="depends", at=path)


def fan_out(docs: list[Any], plan: Plan) -> Iterator[Action]:
    """The list template (once per document), its task or step per caller, and the callers
    rewired to run once per datum (slots ``template``, ``dag_task``, ``steps_group``,
    ``call_field``, ``argument_parameter``, ``argument_artifact``, ``input_parameter``); the
    ``X.Succeeded`` of a fanned ``X`` in any ``depends`` of its DAG also holds for no datum
    (:mod:`.empty`)."""
    calls = indexes(docs)  # each document's calls, walked once (issue 19 §5)
    fans = _fanned_calls(plan, calls)
    listed: set[tuple[int, str]] = set()
    styles: dict[int, bool] = {}  # id(DAG template) -> whether it uses depends
    for target in plan.targets:
        found = fanned(target)
        if found is None:
            continue
        read, where = found
        template = list_template(read, where)
        if (target.doc, template["name"]) not in listed:
            listed.add((target.doc, template["name"]))
            yield AddNode((target.doc, None), "template", template)
        yield Inject((target.doc, target.node), "input_parameter",
                     {"name": names.parameter(read.dataset.name)})
        for caller, path, call in calls[target.doc].callers(target.node):
            lists = fans.get((target.doc, str(caller.get("name"))), {})
            yield from _wire(target.doc, caller, path, call, read, where, template["name"],
                             lists, styles)
    yield from _dependents(docs, fans)
