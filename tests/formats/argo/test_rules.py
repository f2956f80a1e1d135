"""Argo's rules (kfdata_compiler.rules): each bad snippet fires exactly one finding, where expected.

Snippets are the ``templates`` of a Workflow (plus optional extra spec fields); ``LEAF`` is a
plain container template any step or task may call.
"""

from __future__ import annotations

import copy
import textwrap
from typing import Any

import pytest
import yaml

from kfdata_compiler.diagnostics import Location, render_path
from kfdata_compiler.formats.argo import rules
from kfdata_compiler.formats.argo.lint import lint_document
from kfdata_compiler.formats.argo.rules.dag import depends_names, is_ancestor

LEAF = "- {name: leaf, container: {image: alpine}}"


def _doc(templates: str, spec: str = "", kind: str = "Workflow") -> dict[str, Any]:
    body: dict[str, Any] = yaml.safe_load(textwrap.dedent(spec)) or {}
    body["templates"] = (yaml.safe_load(textwrap.dedent(templates)) or []) + yaml.safe_load(LEAF)
    if kind == "CronWorkflow":
        body = {"schedules": ["0 * * * *"], "workflowSpec": body}
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": kind, "metadata": {"name": "wf"},
            "spec": body}


def _found(doc: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f.code, render_path(f.path)) for f in rules.check_document(doc)]


T0 = "$.spec.templates[0]"

BAD = [
    # KF401: template, step and task names.
    pytest.param("- {name: my_t, container: {image: a}}", "", "KF401", f"{T0}.name",
                 id="template-name-underscore"),
    pytest.param(f"- {{name: {'a' * 129}, container: {{image: a}}}}", "", "KF401", f"{T0}.name",
                 id="template-name-too-long"),
    pytest.param("- {name: m, dag: {tasks: [{name: a.b, template: leaf}]}}", "", "KF401",
                 f"{T0}.dag.tasks[0].name", id="task-name-dot"),
    pytest.param("- {name: m, steps: [[{name: -s, template: leaf}]]}", "", "KF401",
                 f"{T0}.steps[0][0].name", id="step-name-leading-dash"),
    # KF402: duplicates.
    pytest.param("- {name: leaf, script: {image: a, source: x}}", "", "KF402",
                 "$.spec.templates[1].name", id="template-name-twice"),
    pytest.param("- {name: m, steps: [[{name: s, template: leaf}], [{name: s, template: leaf}]]}",
                 "", "KF402", f"{T0}.steps[1][0].name", id="step-name-twice-across-groups"),
    pytest.param("- {name: m, dag: {tasks: [{name: a, template: leaf}, "
                 "{name: a, template: leaf}]}}",
                 "", "KF402", f"{T0}.dag.tasks[1].name", id="task-name-twice"),
    # KF403: parameter and artifact names.
    pytest.param("- {name: t, container: {image: a}, inputs: {parameters: [{name: a b}]}}", "",
                 "KF403", f"{T0}.inputs.parameters[0].name", id="parameter-name-space"),
    pytest.param("- {name: t, container: {image: a}, "
                 "outputs: {artifacts: [{name: a.b, path: /o}]}}",
                 "", "KF403", f"{T0}.outputs.artifacts[0].name", id="artifact-name-dot"),
    pytest.param("""
        - name: m
          dag:
            tasks: [{name: a, template: leaf, arguments: {parameters: [{name: x/y, value: v}]}}]
        """, "", "KF403", f"{T0}.dag.tasks[0].arguments.parameters[0].name",
                 id="argument-parameter-name"),
    pytest.param("- {name: t, container: {image: a}}",
                 "arguments: {artifacts: [{name: a b, raw: {data: x}}]}", "KF403",
                 "$.spec.arguments.artifacts[0].name", id="workflow-argument-artifact-name"),
    # KF404: a name twice in one list.
    pytest.param("- {name: t, container: {image: a}, inputs: {parameters: [{name: p}, {name: p}]}}",
                 "", "KF404", f"{T0}.inputs.parameters[1].name", id="input-parameter-twice"),
    pytest.param("""
        - name: m
          steps:
          - - name: s
              template: leaf
              arguments: {artifacts: [{name: d, raw: {data: x}}, {name: d, raw: {data: y}}]}
        """, "", "KF404", f"{T0}.steps[0][0].arguments.artifacts[1].name",
                 id="step-argument-artifact-twice"),
    # KF405: template types.
    pytest.param("- {name: t}", "", "KF405", T0, id="no-template-type"),
    pytest.param("- {name: t, container: {image: a}, script: {image: a, source: x}}", "", "KF405",
                 f"{T0}.script", id="two-template-types"),
    # KF406: at most one location.
    pytest.param("""
        - name: t
          container: {image: a}
          outputs: {artifacts: [{name: o, path: /o, s3: {key: k}, gcs: {bucket: b, key: k}}]}
        """, "", "KF406", f"{T0}.outputs.artifacts[0].gcs", id="two-locations"),
    pytest.param("""
        - name: m
          dag:
            tasks:
            - {name: a, template: leaf}
            - name: b
              template: leaf
              dependencies: [a]
              arguments:
                artifacts:
                - {name: d, from: "{{tasks.a.outputs.artifacts.o}}",
                   fromExpression: "tasks.a.outputs.artifacts.o"}
        """, "", "KF406", f"{T0}.dag.tasks[1].arguments.artifacts[0].fromExpression",
                 id="from-and-fromExpression"),
    pytest.param("- {name: t, container: {image: a}, "
                 "archiveLocation: {s3: {key: k}, oss: {key: k}}}",
                 "", "KF406", f"{T0}.archiveLocation.oss", id="archive-two-locations"),
    pytest.param("- {name: m, steps: [[{name: a, template: leaf, "
                 "arguments: {artifacts: [{name: d}]}}]]}",
                 "", "KF406", f"{T0}.steps[0][0].arguments.artifacts[0]",
                 id="argument-without-source"),
    # KF407: s3 complete or key-only.
    pytest.param("""
        - name: t
          container: {image: a}
          inputs: {artifacts: [{name: d, path: /d, s3: {bucket: b, key: k}}]}
        """, "", "KF407", f"{T0}.inputs.artifacts[0].s3", id="s3-bucket-without-endpoint"),
    pytest.param("""
        - name: t
          container: {image: a}
          outputs: {artifacts: [{name: o, path: /o, s3: {endpoint: e:9000, key: k}}]}
        """, "", "KF407", f"{T0}.outputs.artifacts[0].s3", id="s3-endpoint-without-bucket"),
    pytest.param("- {name: t, container: {image: a}}",
                 "arguments: {artifacts: [{name: d, s3: {endpoint: e, bucket: b}}]}", "KF407",
                 "$.spec.arguments.artifacts[0].s3", id="workflow-argument-s3-without-key"),
    # KF408: input artifacts.
    pytest.param("- {name: t, container: {image: a}, "
                 "inputs: {artifacts: [{name: d, raw: {data: x}}]}}",
                 "", "KF408", f"{T0}.inputs.artifacts[0]", id="leaf-input-without-path"),
    pytest.param("""
        - name: t
          container: {image: a}
          inputs: {artifacts: [{name: d, path: /d, from: "{{workflow.outputs.artifacts.x}}"}]}
        """, "", "KF408", f"{T0}.inputs.artifacts[0].from", id="input-with-from"),
    pytest.param("""
        - name: m
          inputs: {artifacts: [{name: d, path: /d}]}
          dag: {tasks: [{name: a, template: leaf}]}
        """, "", "KF408", f"{T0}.inputs.artifacts[0].path", id="dag-input-with-path"),
    # KF409: paths used twice.
    pytest.param("""
        - name: t
          volumes: [{name: v, emptyDir: {}}, {name: w, emptyDir: {}}]
          container: {image: a, volumeMounts: [{name: v, mountPath: /m}, {name: w, mountPath: /m}]}
        """, "", "KF409", f"{T0}.container.volumeMounts[1].mountPath", id="mount-path-twice"),
    pytest.param("""
        - name: t
          volumes: [{name: v, emptyDir: {}}]
          container: {image: a, volumeMounts: [{name: v, mountPath: /m}]}
          inputs: {artifacts: [{name: d, path: /m}]}
        """, "", "KF409", f"{T0}.inputs.artifacts[0].path", id="input-artifact-on-mount"),
    pytest.param("""
        - name: t
          script: {image: a, source: x}
          inputs: {artifacts: [{name: d, path: /in}, {name: e, path: /in}]}
        """, "", "KF409", f"{T0}.inputs.artifacts[1].path", id="two-inputs-one-path"),
    # KF410: mounts name volumes (main, init containers, sidecars).
    pytest.param("- {name: t, container: {image: a, volumeMounts: [{name: v, mountPath: /m}]}}", "",
                 "KF410", f"{T0}.container.volumeMounts[0].name", id="main-mount-no-volume"),
    pytest.param("""
        - name: t
          container: {image: a}
          initContainers: [{name: prep, image: a, volumeMounts: [{name: v, mountPath: /m}]}]
        """, "", "KF410", f"{T0}.initContainers[0].volumeMounts[0].name",
                 id="init-mount-no-volume"),
    pytest.param("""
        - name: t
          container: {image: a}
          sidecars: [{name: db, image: a, volumeMounts: [{name: v, mountPath: /m}]}]
        """, "volumes: [{name: w, emptyDir: {}}]", "KF410",
                 f"{T0}.sidecars[0].volumeMounts[0].name", id="sidecar-mount-no-volume"),
    # KF411/KF412: env names.
    pytest.param("- {name: t, container: {image: a, env: [{name: 1X, value: v}]}}", "", "KF411",
                 f"{T0}.container.env[0].name", id="env-name-leading-digit"),
    pytest.param("- {name: t, container: {image: a}, "
                 "sidecars: [{name: s, image: a, env: [{name: A=B}]}]}",
                 "", "KF411", f"{T0}.sidecars[0].env[0].name", id="sidecar-env-name-equals"),
    pytest.param("""
        - name: t
          container: {image: a}
          initContainers: [{name: i, image: a, env: [{name: A, value: '1'}, {name: A, value: '2'}]}]
        """, "", "KF412", f"{T0}.initContainers[0].env[1].name", id="init-env-twice"),
    # KF413: Argo's reserved names.
    pytest.param("- {name: t, container: {image: a}, sidecars: [{name: wait, image: a}]}", "",
                 "KF413", f"{T0}.sidecars[0].name", id="sidecar-named-wait"),
    pytest.param("- {name: t, container: {image: a}, initContainers: [{name: main, image: a}]}", "",
                 "KF413", f"{T0}.initContainers[0].name", id="init-named-main"),
    pytest.param("- {name: t, container: {image: a}, "
                 "volumes: [{name: var-run-argo, emptyDir: {}}]}",
                 "", "KF413", f"{T0}.volumes[0].name", id="template-volume-var-run-argo"),
    pytest.param("- {name: t, container: {image: a}}",
                 "volumes: [{name: argo-staging, emptyDir: {}}]", "KF413", "$.spec.volumes[0].name",
                 id="spec-volume-argo-staging"),
    pytest.param("- {name: t, containerSet: {containers: [{name: init, image: a}]}}", "", "KF413",
                 f"{T0}.containerSet.containers[0].name", id="container-set-named-init"),
    # KF414: dependencies.
    pytest.param("- {name: m, dag: {tasks: [{name: a, template: leaf, dependencies: [b]}]}}", "",
                 "KF414", f"{T0}.dag.tasks[0].dependencies[0]", id="dependency-unknown"),
    pytest.param("""
        - name: m
          dag:
            tasks:
            - {name: a, template: leaf}
            - {name: b, template: leaf, depends: "(a.Succeeded || c.Failed) && !a.Skipped"}
        """, "", "KF414", f"{T0}.dag.tasks[1].depends", id="depends-unknown"),
    pytest.param("""
        - name: m
          dag:
            tasks:
            - {name: a, template: leaf, depends: c}
            - {name: b, template: leaf, depends: a}
            - {name: c, template: leaf, depends: b}
        """, "", "KF414", f"{T0}.dag.tasks[0].name", id="dependency-cycle"),
    # KF415: tasks.X names an ancestor, steps.X an earlier step.
    pytest.param("""
        - name: m
          dag:
            tasks:
            - {name: a, template: leaf}
            - {name: b, template: leaf, when: "{{tasks.a.status}} == Succeeded"}
        """, "", "KF415", f"{T0}.dag.tasks[1].when", id="task-not-an-ancestor"),
    pytest.param("""
        - name: m
          dag:
            tasks:
            - name: a
              template: leaf
              arguments: {parameters: [{name: p, value: "{{tasks.z.ip}}"}]}
        """, "", "KF415", f"{T0}.dag.tasks[0].arguments.parameters[0].value", id="task-unknown"),
    pytest.param("""
        - name: m
          steps:
          - - {name: a, template: leaf}
            - {name: b, template: leaf, when: "{{steps.a.outputs.result}} == x"}
        """, "", "KF415", f"{T0}.steps[0][1].when", id="step-same-group"),
    pytest.param("""
        - name: m
          steps:
          - - {name: a, template: leaf, when: "{{steps.b.status}} == x"}
          - - {name: b, template: leaf}
        """, "", "KF415", f"{T0}.steps[0][0].when", id="step-later-group"),
    pytest.param("- {name: t, container: {image: a, args: ['{{tasks.a.outputs.result}}']}}", "",
                 "KF415", f"{T0}.container.args[0]", id="tasks-in-a-container"),
    # KF416: inputs/outputs references.
    pytest.param("""
        - name: t
          container: {image: a, args: ["{{inputs.parameters.nope}}"]}
          inputs: {parameters: [{name: p}]}
        """, "", "KF416", f"{T0}.container.args[0]", id="unknown-input-parameter"),
    pytest.param("""
        - name: t
          container: {image: a, command: [cat, "{{ inputs.artifacts.dataa.path }}"]}
          inputs: {artifacts: [{name: data, path: /d}]}
        """, "", "KF416", f"{T0}.container.command[1]", id="unknown-input-artifact"),
    pytest.param("""
        - name: t
          container: {image: a, args: ["{{inputs.artifacts.data.url}}"]}
          inputs: {artifacts: [{name: data, path: /d}]}
        """, "", "KF416", f"{T0}.container.args[0]", id="input-artifact-bad-field"),
    pytest.param("""
        - name: t
          container: {image: a, args: ["{{outputs.parameters.nope.path}}"]}
          outputs: {parameters: [{name: p, valueFrom: {path: /p}}]}
        """, "", "KF416", f"{T0}.container.args[0]", id="unknown-output-parameter"),
    # KF417: called templates exist.
    pytest.param("- {name: m, dag: {tasks: [{name: a, template: nope}]}}", "", "KF417",
                 f"{T0}.dag.tasks[0].template", id="task-template-missing"),
    pytest.param("- {name: m, steps: [[{name: a}]]}", "", "KF417", f"{T0}.steps[0][0]",
                 id="step-calls-nothing"),
    pytest.param("- {name: m, dag: {tasks: [{name: a, template: leaf, "
                 "hooks: {exit: {template: x}}}]}}",
                 "", "KF417", f"{T0}.dag.tasks[0].hooks.exit.template", id="hook-template-missing"),
    pytest.param("- {name: t, container: {image: a}}", "entrypoint: main", "KF417",
                 "$.spec.entrypoint", id="entrypoint-missing"),
    pytest.param("- {name: t, container: {image: a}}", "onExit: bye", "KF417", "$.spec.onExit",
                 id="on-exit-missing"),
    # KF418: the CRDs' CEL rules.
    pytest.param("""
        - name: m
          dag:
            tasks:
            - {name: a, template: leaf}
            - {name: b, template: leaf, depends: a, dependencies: [a]}
        """, "", "KF418", f"{T0}.dag.tasks[1]", id="depends-and-dependencies"),
    pytest.param("""
        - name: m
          dag:
            tasks:
            - {name: a, template: leaf}
            - {name: b, template: leaf, depends: a, continueOn: {failed: true}}
        """, "", "KF418", f"{T0}.dag.tasks[1]", id="continueOn-with-depends"),
    pytest.param("- {name: m, dag: {tasks: [{name: a, template: leaf}, "
                 "{name: 1b, template: leaf, depends: a}]}}",
                 "", "KF418", f"{T0}.dag.tasks[1].name", id="task-name-digit-with-depends"),
    pytest.param("- {name: m, steps: [[{name: a, template: leaf, "
                 "withSequence: {count: '3', end: '5'}}]]}",
                 "", "KF418", f"{T0}.steps[0][0].withSequence", id="sequence-count-and-end"),
    pytest.param("- {name: m, timeout: 1h, dag: {tasks: [{name: a, template: leaf}]}}", "", "KF418",
                 f"{T0}.timeout", id="timeout-on-dag"),
    pytest.param("- {name: m, activeDeadlineSeconds: 60, steps: [[{name: a, template: leaf}]]}", "",
                 "KF418", f"{T0}.activeDeadlineSeconds", id="deadline-on-steps"),
    pytest.param("""
        - name: t
          resource: {action: create, manifest: "kind: X", manifestFrom: {artifact: {name: m}}}
        """, "", "KF418", f"{T0}.resource", id="manifest-and-manifestFrom"),
    pytest.param("""
        - name: t
          container: {image: a}
          metrics:
            prometheus:
            - {name: m, help: h, gauge: {realtime: true, value: "{{resourcesDuration.cpu}}"}}
        """, "", "KF418", f"{T0}.metrics.prometheus[0].gauge", id="realtime-resources-duration"),
    # KF419: by the target Argo release (tests/formats/argo/test_version_rules.py has the rest).
    pytest.param("- {name: t, container: {image: a}, parallelism: 2}", "", "KF419",
                 f"{T0}.parallelism", id="parallelism-on-a-leaf"),
    pytest.param("[]", "parallelism: 0", "KF419", "$.spec.parallelism",
                 id="workflow-parallelism-0"),
]


@pytest.mark.parametrize(("templates", "spec", "code", "json_path"), BAD)
def test_rule_fires(templates: str, spec: str, code: str, json_path: str) -> None:
    assert _found(_doc(templates, spec)) == [(code, json_path)]


GOOD = [
    pytest.param("""
        - name: t
          volumes: [{name: out, emptyDir: {}}]
          container: {image: a, volumeMounts: [{name: out, mountPath: /out}]}
          outputs: {artifacts: [{name: o, path: /out}]}
        """, "", id="output-artifact-on-a-mount"),
    pytest.param("""
        - name: t
          container: {image: a, volumeMounts: [{name: v, mountPath: /v}, {name: c, mountPath: /c}]}
          inputs: {artifacts: [{name: a, path: /a, s3: {key: k}},
                               {name: b, path: /b, s3: {endpoint: e, bucket: b, key: k}},
                               {name: c, path: /in, optional: true}]}
        """, "volumes: [{name: v, emptyDir: {}}]\nvolumeClaimTemplates: [{metadata: {name: c}}]",
                 id="s3-key-only-and-complete-spec-volumes-and-claims"),
    pytest.param("- {name: t, containerSet: {containers: [{name: main, image: a}, "
                 "{name: b, image: a}]}}",
                 "", id="container-set-main"),
    pytest.param("""
        - name: m
          dag:
            tasks:
            - {name: a, template: leaf}
            - {name: b, template: leaf, depends: "a.Succeeded || a.Failed"}
            - name: c
              template: leaf
              depends: "(b && !a.Skipped)"
              when: "{{tasks.a.outputs.result}} == x"
              hooks:
                exit:
                  template: leaf
                  arguments: {parameters: [{name: s, value: "{{tasks.c.status}}"}]}
            - {name: d, templateRef: {name: other, template: x}}
            - {name: e, inline: {container: {image: a}}}
            - {name: f, template: leaf, arguments: {parameters: [
                {name: p, value: "{{tasks.name}} {{item}} {{pod.name}} {{workflow.parameters.x}}"},
                {name: q, value: "{{=tasks.a.outputs.result}} {{inputs.parameters}} {{retries}}"}]}}
          inputs: {parameters: [{name: x}]}
          outputs: {parameters: [{name: r, valueFrom: {parameter: "{{tasks.f.outputs.result}}"}}]}
        """, "", id="dag-references-and-calls"),
    pytest.param("""
        - name: m
          steps:
          - {name: a, template: leaf}
          - - {name: b, template: leaf, when: "{{steps.a.outputs.result}} == x"}
            - name: c
              template: leaf
              arguments: {parameters: [{name: n, value: "{{steps.name}}"}]}
          outputs: {parameters: [{name: r, valueFrom: {parameter: "{{steps.c.outputs.result}}"}}]}
        """, "", id="steps-bare-and-grouped"),
    pytest.param("""
        - name: t
          container:
            image: a
            args: ["{{inputs.parameters.p}}", "{{inputs.artifacts.d.path}}", "{{outputs.result}}",
                   "{{outputs.parameters.o.path}}", "{{outputs.artifacts.r.path}}"]
            env: [{name: a.b-c_D, value: x}, {name: _X, value: y}]
          inputs: {parameters: [{name: p}], artifacts: [{name: d, path: /d}]}
          outputs:
            parameters: [{name: o, valueFrom: {path: /o}}]
            artifacts: [{name: r, path: /r}]
        """, "", id="own-references-and-env-names"),
    pytest.param("- {name: t, container: {image: a}}",
                 "entrypoint: t\nonExit: leaf\nhooks: {exit: {template: leaf}}",
                 id="spec-templates"),
]


@pytest.mark.parametrize(("templates", "spec"), GOOD)
def test_rule_does_not_fire(templates: str, spec: str) -> None:
    assert _found(_doc(templates, spec)) == []


def test_workflow_template_ref_needs_no_templates() -> None:
    doc = _doc("[]", "entrypoint: main\nworkflowTemplateRef: {name: shared}")
    doc["spec"]["templates"] = []
    assert _found(doc) == []


@pytest.mark.parametrize("kind", ["WorkflowTemplate", "ClusterWorkflowTemplate"])
def test_a_workflow_templates_mounts_may_name_its_callers_volumes(kind: str) -> None:
    # Called through templateRef, its templates run with the calling Workflow's volumes.
    mount = "- {name: t, container: {image: a, volumeMounts: [{name: v, mountPath: /m}]}}"
    assert _found(_doc(mount, kind=kind)) == []
    assert _found(_doc(mount)) == [("KF410", f"{T0}.container.volumeMounts[0].name")]


def test_cron_workflow_paths_go_through_workflow_spec() -> None:
    doc = _doc("- {name: my_t, container: {image: a}}", kind="CronWorkflow")
    assert _found(doc) == [("KF401", "$.spec.workflowSpec.templates[0].name")]


def test_paths_count_every_template_entry() -> None:
    doc = _doc("- {name: t, container: {image: a, env: [{name: A}, {name: A}]}}")
    doc["spec"]["templates"].insert(0, "not a template")  # the schema reports this one
    assert _found(doc) == [("KF412", "$.spec.templates[1].container.env[1].name")]


def test_every_code_is_documented_and_tested() -> None:
    tested = {p.values[2] for p in BAD}
    assert tested | {"KF400"} == set(rules.CODES)


def test_only_limits_the_templates_but_not_the_document_rules() -> None:
    doc = _doc("- {name: my_t, container: {image: a}}\n- {name: leaf, container: {image: b}}")
    assert [f.code for f in rules.check_document(doc, only=[])] == ["KF402"]
    assert [f.code for f in rules.check_document(doc, only=[0])] == ["KF402", "KF401"]


def test_findings_are_located_from_the_document_root() -> None:
    doc = _doc("- {name: t, container: {image: a, env: [{name: A}, {name: A}]}}")
    found = rules.diagnose(rules.check_document(doc, only=[0]),
                           lambda p: Location("f", json_path=render_path(p)))
    assert [(d.code, d.location.json_path) for d in found] == [
        ("KF412", f"{T0}.container.env[1].name")
    ]


def test_depends_names() -> None:
    assert depends_names("(a || b-2.Failed) && !c.Succeeded") == ["a", "b-2", "c"]


def test_ancestry_is_transitive_and_cycle_safe() -> None:
    deps = {"a": [], "b": ["a"], "c": ["b"], "x": ["y"], "y": ["x"]}
    assert is_ancestor(deps, "c", "a") and not is_ancestor(deps, "a", "c")
    assert is_ancestor(deps, "x", "x") and not is_ancestor(deps, "x", "a")


def test_a_long_chain_is_linear() -> None:
    # 3,000 tasks in a chain, each reading its predecessor: no recursion, no quadratic sets.
    tasks = [{"name": "t0", "template": "leaf"}] + [
        {"name": f"t{i}", "template": "leaf", "depends": f"t{i - 1}",
         "arguments": {"parameters": [{"name": "p", "value": f"{{{{tasks.t{i - 1}.status}}}}"}]}}
        for i in range(1, 3000)
    ]
    doc = _doc("[]")
    doc["spec"]["templates"] = [{"name": "m", "dag": {"tasks": tasks[::-1]}},
                                {"name": "leaf", "container": {"image": "a"}}]
    assert _found(doc) == []


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*path, i))
    return out


def test_wrongly_shaped_values_never_crash_lint() -> None:
    # Every value of rich valid documents replaced, one at a time, by the wrong shape: the
    # schema reports those; the rules must simply go on.
    for templates, spec_extra in [(p.values[0], p.values[1]) for p in GOOD]:
        doc = _doc(str(templates), str(spec_extra))
        for path in _paths(doc["spec"])[1:]:
            for wrong in ([], {}, 7, None, ["x"], {"name": ["x"]}):
                broken = copy.deepcopy(doc)
                parent = broken["spec"]
                for key in path[:-1]:
                    parent = parent[key]
                parent[path[-1]] = wrong
                lint_document(broken, lambda p: Location("f"))  # the schema, then the rules
