"""An empty datum list is "nothing to do" in both DAG styles (issue 18 §3).

A twin of Argo's DAG edges: a fanned task with no datum is Skipped ("Skipped, empty params",
``dag.go``); ``dependencies: [X]`` and a bare ``X`` in ``depends`` mean
``X.Succeeded || X.Skipped || X.Daemoned`` (``expandDependency``, ``workflow/common/ancestry.go``),
an explicit ``X.Succeeded`` means what it says. The twin runs the golden's DAG with each phase.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from kfdata_compiler.formats.argo.datums.empty import accept_empty
from tests.formats.argo.datums.test_fanout import _compiled
from tests.paths import GOLDEN

RESULTS = ("Succeeded", "Skipped", "Daemoned", "Failed", "Errored", "Omitted")


def holds(depends: str, phases: dict[str, str]) -> bool:
    """Whether Argo runs a task with this ``depends`` once the tasks have these phases."""
    def result(match: re.Match[str]) -> str:
        task, what = match.group(1), match.group(2)
        if what is None:  # a bare name
            return str(phases.get(task) in ("Succeeded", "Skipped", "Daemoned"))
        return str(phases.get(task) == what)

    text = re.sub(r"([A-Za-z0-9][-A-Za-z0-9]*)(?:\.(" + "|".join(RESULTS) + r"))?(?![-\w])",
                  result, depends)
    text = text.replace("&&", " and ").replace("||", " or ").replace("!", " not ")
    return bool(eval(text, {"__builtins__": {}}))  # noqa: S307 - built from our own tokens


def _tasks(case: str) -> dict[str, Any]:
    doc = yaml.safe_load((GOLDEN / f"{case}.yaml").read_text(encoding="utf-8"))
    main = next(t for t in doc["spec"]["templates"] if "dag" in t and
                any("kfdata-list" in x["name"] for x in t["dag"]["tasks"]))
    return {t["name"]: t for t in main["dag"]["tasks"]}


BASE = {"prep": "Succeeded", "check": "Succeeded", "index": "Succeeded",
        "kfdata-list-index": "Succeeded", "kfdata-list-score": "Succeeded"}


@pytest.mark.parametrize(("score", "listed", "runs"), [
    pytest.param("Succeeded", "Succeeded", True, id="datums-processed"),
    pytest.param("Skipped", "Succeeded", True, id="no-datum-is-nothing-to-do"),
    pytest.param("Skipped", "Skipped", False, id="skipped-by-its-when-stops-as-written"),
    pytest.param("Failed", "Succeeded", False, id="a-failed-datum-still-stops"),
])
def test_a_dependent_of_an_empty_fan_out_runs(score: str, listed: str, runs: bool) -> None:
    publish = _tasks("datum-depends")["publish"]["depends"]
    phases = {**BASE, "score": score, "kfdata-list-score": listed}
    assert holds(publish, phases) is runs


def test_both_styles_agree_on_an_empty_list() -> None:
    # KFP v1's dependencies style already runs the dependents of a Skipped task.
    phases = {**BASE, "score": "Skipped"}
    assert holds("score", phases) and holds(accept_empty("score.Succeeded", {
        "score": "kfdata-list-score"}), phases)


def test_only_the_fanned_task_is_widened() -> None:
    lists = {"a": "kfdata-list-a"}
    assert accept_empty("aa.Succeeded && a-b.Succeeded && !a.Failed", lists) == \
        "aa.Succeeded && a-b.Succeeded && !a.Failed"
    assert accept_empty("a.Succeeded", lists) == \
        "(a.Succeeded || (a.Skipped && kfdata-list-a.Succeeded))"


def test_a_fanned_tasks_own_list_and_edges_are_widened_too() -> None:
    templates = _compiled("""
        - name: main
          dag: {tasks: [{name: u, template: t}, {name: v, template: t, depends: u.Succeeded}]}
        """)
    tasks = {t["name"]: t for t in next(t for t in templates if t["name"] == "main")["dag"]["tasks"]}
    wide = "(u.Succeeded || (u.Skipped && kfdata-list-u.Succeeded))"
    assert tasks["kfdata-list-v"]["depends"] == wide
    assert tasks["v"]["depends"] == f"({wide}) && kfdata-list-v"
    phases = {"u": "Skipped", "kfdata-list-u": "Succeeded", "kfdata-list-v": "Succeeded"}
    assert holds(tasks["kfdata-list-v"]["depends"], phases)
    assert holds(tasks["v"]["depends"], phases)


# Issue 19 §1: `depends: ""` is absent to Argo (`Depends != ""`: getTaskDependsLogic in
# workflow/common/ancestry.go, usingDepends in workflow/validate/validate.go).
def test_an_empty_depends_on_a_bound_task_is_no_edge() -> None:
    templates = _compiled("""
        - name: main
          dag: {tasks: [{name: a, template: t, depends: ""}]}
        """)
    task = next(t for t in next(t for t in templates if t["name"] == "main")["dag"]["tasks"]
                if t["name"] == "a")
    assert task["dependencies"] == ["kfdata-list-a"]
    assert task.get("depends", "") == ""


def test_lint_reads_an_empty_depends_as_absent() -> None:
    from kfdata_compiler.formats.argo import rules

    doc = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "metadata": {"name": "w"},
           "spec": {"entrypoint": "main", "templates": [
               {"name": "main", "dag": {"tasks": [
                   {"name": "a", "template": "leaf"},
                   {"name": "b", "template": "leaf", "depends": "", "dependencies": ["a"]}]}},
               {"name": "leaf", "container": {"image": "alpine"}}]}}
    assert "KF418" not in [f.code for f in rules.check_document(doc)]
    doc["spec"]["templates"][0]["dag"]["tasks"][1]["depends"] = "a"
    assert "KF418" in [f.code for f in rules.check_document(doc)]
