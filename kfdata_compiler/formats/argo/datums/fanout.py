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
from collections.abc import Iterator
from typing import Any

from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.formats.argo.datums import location, names
from kfdata_compiler.formats.argo.datums.listing import list_template
from kfdata_compiler.formats.argo.datums.location import Source
from kfdata_compiler.formats.argo.datums.needs import fanned
from kfdata_compiler.plan import Access, Plan
from kfdata_compiler.plan.actions import Action, AddNode, Inject, Rewire
from kfdata_compiler.plan.paths import EditPath


def uses_depends(dag_template: argo.Document) -> bool:
    """Whether a DAG writes its edges as ``depends`` expressions (Argo refuses a mix)."""
    return any(isinstance(t.get("depends"), str) and t["depends"]
               for _, t in argo.located(dag_template, ("dag", "tasks")))


def _edges(caller: argo.Document, call: argo.Document, listed: str) -> tuple[str, Any]:
    """The caller's new ``depends`` or ``dependencies``: its own, and the list."""
    depends, dependencies = call.get("depends"), call.get("dependencies")
    if isinstance(depends, str) and depends.strip():
        return "depends", f"({depends}) && {listed}"
    if isinstance(dependencies, list) and dependencies:
        return "dependencies", [*dependencies, listed]
    if uses_depends(caller):
        return "depends", listed
    return "dependencies", [listed]


def _list_call(call: argo.Document, listed: str, template: str, dag: bool) -> dict[str, Any]:
    node: dict[str, Any] = {"name": listed, "template": template}
    for key in ("depends", "dependencies", "when") if dag else ("when",):
        if call.get(key) not in (None, "", []):
            node[key] = copy.deepcopy(call[key])  # its own: the caller's are rewired
    return node


def _wire(doc: int, caller: argo.Document, path: EditPath, call: argo.Document, read: Access,
          where: Source, template: str) -> Iterator[Action]:
    owner = (doc, str(caller.get("name")))
    listed = names.list_call(str(call.get("name")))
    dag = path[0] == "dag"
    if dag:
        yield AddNode(owner, "dag_task", _list_call(call, listed, template, dag=True))
        key, value = _edges(caller, call, listed)
        yield Rewire(owner, "call_field", value, key=key, at=path)
    else:
        yield AddNode(owner, "steps_group", [_list_call(call, listed, template, dag=False)],
                      before=str(call.get("name")))
    result = names.result("tasks" if dag else "steps", listed)
    yield Rewire(owner, "call_field", result, key="withParam", at=path)
    dataset = read.dataset.name
    yield Inject(owner, "argument_parameter",
                 {"name": names.parameter(dataset), "value": names.ITEM}, at=path)
    artifact = str(read.need.input_artifacts[0]["name"])
    yield Inject(owner, "argument_artifact", location.per_item(where, artifact), at=path)


def fan_out(docs: list[Any], plan: Plan) -> Iterator[Action]:
    """The list template (once per document), its task or step per caller, and the callers
    rewired to run once per datum (slots ``template``, ``dag_task``, ``steps_group``,
    ``call_field``, ``argument_parameter``, ``argument_artifact``, ``input_parameter``)."""
    listed: set[tuple[int, str]] = set()
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
        for caller, path, call in argo.callers(docs[target.doc], target.node):
            yield from _wire(target.doc, caller, path, call, read, where, template["name"])
