"""fan_out: each caller of a step bound per datum waits for its own list and runs once per
datum; the list task copies the caller's edges and `when`; the DAG's style is kept. A table of
callers before and after, and a table of what is left alone."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest
import yaml

from kfdata_compiler.compiler import compile_text
from tests.helpers import parse, spec, workflow

BOUND = "- {name: t, container: {image: alpine:3.19}}"
READ = "images: {uri: s3://datasets/images, store: minio, version: '1'}"
PER_DATUM = "- {step: t, read: [{dataset: images, datum: {glob: '/*'}}]}"


def _compiled(templates: str, bindings: str = PER_DATUM, datasets: str = READ) -> list[Any]:
    text = textwrap.dedent(templates).strip() + "\n" + BOUND
    out = compile_text(workflow(text, "entrypoint: main").encode(),
                       spec(datasets, bindings).encode(), "p.yaml", "s.yaml").output
    docs = yaml.safe_load(out)["spec"]["templates"]
    return [{k: v for k, v in t.items() if k != "metadata"} for t in docs]


def _calls(templates: list[Any], name: str = "main") -> Any:
    main = next(t for t in templates if t["name"] == name)
    if "dag" in main:
        return [{k: v for k, v in t.items() if k != "arguments"} for t in main["dag"]["tasks"]]
    return [[{k: v for k, v in s.items() if k != "arguments"} for s in g] for g in main["steps"]]


CASES = [
    pytest.param("""
        - name: main
          dag: {tasks: [{name: a, template: t}]}
        """, """
        - {name: a, template: t, dependencies: [kfdata-list-a],
           withParam: '{{tasks.kfdata-list-a.outputs.result}}'}
        - {name: kfdata-list-a, template: kfdata-list-images-766e0153}
        """, id="dag-without-edges-gets-dependencies"),
    pytest.param("""
        - name: main
          dag: {tasks: [{name: u, template: u}, {name: a, template: t, dependencies: [u],
                         when: '{{tasks.u.status}} == Succeeded'}]}
        - {name: u, container: {image: alpine:3.19}}
        """, """
        - {name: u, template: u}
        - {name: a, template: t, dependencies: [u, kfdata-list-a],
           when: '{{tasks.u.status}} == Succeeded',
           withParam: '{{tasks.kfdata-list-a.outputs.result}}'}
        - {name: kfdata-list-a, template: kfdata-list-images-766e0153, dependencies: [u],
           when: '{{tasks.u.status}} == Succeeded'}
        """, id="dependencies-and-when-are-copied"),
    pytest.param("""
        - name: main
          dag: {tasks: [{name: u, template: u}, {name: a, template: t, depends: u.Failed || u.Skipped}]}
        - {name: u, container: {image: alpine:3.19}}
        """, """
        - {name: u, template: u}
        - {name: a, template: t, depends: (u.Failed || u.Skipped) && kfdata-list-a,
           withParam: '{{tasks.kfdata-list-a.outputs.result}}'}
        - {name: kfdata-list-a, template: kfdata-list-images-766e0153,
           depends: u.Failed || u.Skipped}
        """, id="depends-is-combined"),
    pytest.param("""
        - name: main
          dag: {tasks: [{name: u, template: u}, {name: v, template: u, depends: u},
                        {name: a, template: t}]}
        - {name: u, container: {image: alpine:3.19}}
        """, """
        - {name: u, template: u}
        - {name: v, template: u, depends: u}
        - {name: a, template: t, depends: kfdata-list-a,
           withParam: '{{tasks.kfdata-list-a.outputs.result}}'}
        - {name: kfdata-list-a, template: kfdata-list-images-766e0153}
        """, id="a-depends-dag-keeps-its-style"),
    pytest.param("""
        - name: main
          steps:
          - - {name: u, template: u}
          - - {name: a, template: t, when: '{{steps.u.exitCode}} == 0'}
            - {name: b, template: u}
        - {name: u, container: {image: alpine:3.19}}
        """, """
        - - {name: u, template: u}
        - - {name: kfdata-list-a, template: kfdata-list-images-766e0153,
             when: '{{steps.u.exitCode}} == 0'}
        - - {name: a, template: t, when: '{{steps.u.exitCode}} == 0',
             withParam: '{{steps.kfdata-list-a.outputs.result}}'}
          - {name: b, template: u}
        """, id="steps-get-a-group-just-before"),
]


@pytest.mark.parametrize(("templates", "expected"), CASES)
def test_callers_fan_out(templates: str, expected: str) -> None:
    assert _calls(_compiled(templates)) == parse(expected)


def test_the_callers_arguments_and_the_template() -> None:
    found = _compiled("- {name: main, dag: {tasks: [{name: a, template: t}]}}")
    task = next(t for t in found[0]["dag"]["tasks"] if t["name"] == "a")
    assert task["arguments"] == parse("""
        parameters: [{name: kfdata-datum-images, value: '{{item}}'}]
        artifacts:
        - name: kfdata-images
          s3: {endpoint: 'minio:9000', bucket: datasets, key: 'images/{{item}}', insecure: true,
               accessKeySecret: {name: minio-creds, key: accesskey},
               secretKeySecret: {name: minio-creds, key: secretkey}}
          archive: {none: {}}
        """)
    bound = next(t for t in found if t["name"] == "t")
    assert bound["inputs"] == parse("""
        parameters: [{name: kfdata-datum-images}]
        artifacts: [{name: kfdata-images, path: /kfdata/images}]
        """)
    assert [t["name"] for t in found].count("kfdata-list-images-766e0153") == 1


def test_two_callers_share_one_list_template_and_get_a_list_each() -> None:
    found = _compiled("""
        - name: main
          dag: {tasks: [{name: a, template: t}, {name: b, template: t}]}
        """)
    assert [t["name"] for t in found] == ["main", "t", "kfdata-list-images-766e0153"]
    assert [t["name"] for t in found[0]["dag"]["tasks"]] == [
        "a", "b", "kfdata-list-a", "kfdata-list-b"]


LEFT_ALONE = [
    pytest.param("- {step: t, read: [images]}", id="no-datum"),
    pytest.param("- {step: t, read: [{dataset: images, datum: {glob: /}}]}", id="whole-dataset"),
]


@pytest.mark.parametrize("bindings", LEFT_ALONE)
def test_calls_are_left_alone(bindings: str) -> None:
    before = "- {name: main, dag: {tasks: [{name: a, template: t}]}}"
    found = _compiled(before, bindings)
    assert found[0] == parse(before)[0]
    assert [t["name"] for t in found] == ["main", "t"]


def test_a_long_caller_name_keeps_the_list_within_argos_limit() -> None:
    long = "a" * 125
    found = _compiled(f"- {{name: main, dag: {{tasks: [{{name: {long}, template: t}}]}}}}")
    names = [t["name"] for t in found[0]["dag"]["tasks"]]
    assert len(names[1]) == 128 and names[1].startswith("kfdata-list-aaa")


def test_a_format_that_compiles_no_datums_refuses_them(monkeypatch: pytest.MonkeyPatch) -> None:
    from kfdata_compiler.errors import ResolveError
    from kfdata_compiler.formats.argo import ARGO

    monkeypatch.setattr(ARGO, "name", "kfp-v2")  # resolve asks the format's name, nothing else
    with pytest.raises(ResolveError) as refused:
        _compiled("- {name: main, dag: {tasks: [{name: a, template: t}]}}")
    assert [d.code for d in refused.value.diagnostics] == ["KF322"]
    assert "compile to Argo workflows only" in refused.value.diagnostics[0].message
