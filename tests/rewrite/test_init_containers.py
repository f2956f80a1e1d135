from __future__ import annotations

from kfdata_compiler.formats.argo import ARGO
from kfdata_compiler.plan.paths import Named
from kfdata_compiler.rewrite.apply import place
from kfdata_compiler.rewrite.init_containers import add_init_containers
from tests.helpers import plan, spec, template, workflow


def test_appends_after_the_users_init_containers() -> None:
    pipeline = workflow("""
- name: step
  initContainers: [{name: warm, image: busybox}]
  container: {image: python}
""")
    docs, the_plan = plan(pipeline, spec("a: {uri: https://h/a}", "- {step: step, read: [a]}"))
    # No built-in driver stages through an init container yet: give the access one.
    staging = {"name": "kfdata-a", "image": "fetcher:1", "args": ["get", "a"]}
    access = the_plan.targets[0].accesses[0]
    access = access._replace(need=access.need._replace(init_containers=(staging,)))
    target = the_plan.targets[0]._replace(accesses=(access,))
    the_plan = the_plan._replace(targets=(target,))
    edits, _ = place(docs, tuple(add_init_containers(docs, the_plan)), ARGO)
    assert template(docs, "step")["initContainers"] == [{"name": "warm", "image": "busybox"}, staging]
    assert edits.ops[(0, "step")] == [["add", ["initContainers", Named("kfdata-a")]]]
