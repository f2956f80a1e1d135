"""add_init_containers: a dataset type's fetcher runs before the step, after the user's own."""

from __future__ import annotations

import pytest

from kfdata_compiler.formats.argo import ARGO
from kfdata_compiler.plan.paths import Named
from kfdata_compiler.rewrite.apply import place
from kfdata_compiler.rewrite.init_containers import add_init_containers
from tests.helpers import parse, plan, spec, workflow
from tests.rewrite.tables import after, template, untouched

DVC = 'f: {uri: "dvc://github.com/org/reg/features", revision: 4f2a9c1}'
CASES = [
    pytest.param(
        "- {name: step, initContainers: [{name: warm, image: busybox}], container: {image: python}}",
        DVC, "- {step: step, read: [f]}",
        """
        - {name: warm, image: busybox}
        - name: kfdata-f
          image: iterativeai/cml:0-dvc3-base1
          command: [dvc, get, https://github.com/org/reg, features, --rev, 4f2a9c1, -o,
                    /kfdata-stage/data]
          volumeMounts: [{name: kfdata-f, mountPath: /kfdata-stage}]
        """,
        id="after-the-users-own",
    ),
]
STEPS = "- {name: step, container: {image: python}}\n- {name: other, container: {image: python}}"
UNCHANGED = [
    pytest.param("d: {uri: https://h/d}", template("step"), id="an-artifact-dataset-adds-none"),
    pytest.param("d: {uri: pvc://claim}", template("step"), id="a-volume-dataset-adds-none"),
    pytest.param(DVC.replace("f:", "d:"), template("other"), id="an-unbound-template"),
]


@pytest.mark.parametrize(("templates", "datasets", "bindings", "expected"), CASES)
def test_add_init_containers(templates: str, datasets: str, bindings: str, expected: str) -> None:
    step = after(add_init_containers, templates, datasets, bindings)
    assert step["initContainers"] == parse(expected)  # the built-in dvc type's image and argv


@pytest.mark.parametrize(("datasets", "pick"), UNCHANGED)
def test_add_init_containers_leaves_alone(datasets: str, pick: object) -> None:
    untouched(add_init_containers, workflow(STEPS), datasets, "- {step: step, read: [d]}",
              pick)  # type: ignore[arg-type]


def test_one_journal_entry_per_container() -> None:
    docs, the_plan = plan(workflow("- {name: step, container: {image: python}}"),
                          spec(DVC, "- {step: step, read: [f]}"))
    edits, _ = place(docs, tuple(add_init_containers(docs, the_plan)), ARGO)
    assert edits.ops[(0, "step")] == [["add", ["initContainers"]]]
    docs, the_plan = plan(workflow("- {name: step, initContainers: [{name: w, image: b}], "
                                   "container: {image: python}}"), spec(DVC, "- {step: step, read: [f]}"))
    edits, _ = place(docs, tuple(add_init_containers(docs, the_plan)), ARGO)
    assert edits.ops[(0, "step")] == [["add", ["initContainers", Named("kfdata-f")]]]
