"""A template bound per datum that another resource of the file runs: KF325 at that caller.

A ``templateRef`` task or step gets the template alone and passes only its own arguments
(``templateresolution.Context.GetTemplateFromRef``, Argo v3.5.14/v3.7.18/v4.0.10), never the
``kfdata-datum-<ds>`` parameter and artifact the fan-out adds to the calls it rewires; a
``workflowTemplateRef`` Workflow runs its entrypoint once. Either would fail at submission.
"""

from __future__ import annotations

import textwrap

import pytest
import yaml

from kfdata_compiler.compiler import compile_text
from kfdata_compiler.errors import KfdataError
from tests.formats.argo import argo_arguments as twin
from tests.helpers import spec

LIB = """\
apiVersion: argoproj.io/v1alpha1
kind: {kind}
metadata:
  name: lib
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {{name: embed, template: embed}}
  - name: embed
    container: {{image: alpine:3.19}}
  - name: other
    container: {{image: alpine:3.19}}
"""
CALLER = """\
---
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: caller-
spec:
  entrypoint: main
  templates:
  - name: main
{body}
"""
READ = "images: {uri: s3://datasets/images, store: minio, version: '1'}"
PER_DATUM = "- {step: embed, read: [{dataset: images, datum: {glob: '/*'}}]}"
STEP = "    steps:\n    - - {name: run, templateRef: %s}"
TASK = "    dag:\n      tasks:\n      - {name: run, templateRef: %s}"


def _compile(text: str) -> str:
    return compile_text(text.encode(), spec(READ, PER_DATUM).encode(), "p.yaml",
                        "s.yaml").output


def _refused(text: str) -> list[tuple[str, int, str]]:
    with pytest.raises(KfdataError) as caught:
        _compile(text)
    return [(d.code, d.location.line, d.location.json_path) for d in caught.value.diagnostics]


def _line(text: str, marker: str) -> int:
    """The 1-based line of the caller document's first line holding ``marker``."""
    lines = text.splitlines()
    start = lines.index("kind: Workflow")
    return next(i for i, line in enumerate(lines[start:], start + 1) if marker in line)


REFUSED = [
    pytest.param("WorkflowTemplate", STEP % "{name: lib, template: embed}",
                 "$.spec.templates[0].steps[0][0].templateRef", id="a-step"),
    pytest.param("WorkflowTemplate", TASK % "{name: lib, template: embed}",
                 "$.spec.templates[0].dag.tasks[0].templateRef", id="a-task"),
    pytest.param("ClusterWorkflowTemplate",
                 STEP % "{name: lib, template: embed, clusterScope: true}",
                 "$.spec.templates[0].steps[0][0].templateRef", id="a-cluster-template"),
]


@pytest.mark.parametrize(("kind", "body", "expected"), REFUSED)
def test_a_templateref_caller_is_refused_where_it_calls(kind: str, body: str,
                                                         expected: str) -> None:
    text = LIB.format(kind=kind) + CALLER.format(body=body)
    assert _refused(text) == [("KF325", _line(text, "templateRef"), expected)]


def test_a_workflow_template_ref_running_it_as_entrypoint_is_refused() -> None:
    text = LIB.format(kind="WorkflowTemplate") + textwrap.dedent("""\
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata: {generateName: whole-}
        spec:
          entrypoint: embed
          workflowTemplateRef: {name: lib}
        """)
    assert _refused(text) == [("KF325", _line(text, "entrypoint"), "$.spec.entrypoint")]


UNRELATED = [
    pytest.param(STEP % "{name: lib, template: other}", id="another-template"),
    pytest.param(STEP % "{name: elsewhere, template: embed}", id="another-resource"),
    pytest.param(STEP % "{name: lib, template: embed, clusterScope: true}",
                 id="a-cluster-template-of-that-name"),
]


@pytest.mark.parametrize("body", UNRELATED)
def test_callers_of_something_else_compile_and_supply_what_they_call(body: str) -> None:
    docs = list(yaml.safe_load_all(_compile(LIB.format(kind="WorkflowTemplate")
                                            + CALLER.format(body=body))))
    for _label, call in twin.ref_calls(docs):
        ref = call["templateRef"]
        if ref["name"] == "lib" and not ref.get("clusterScope"):
            callee = twin.template_from_ref(docs, ref)
            assert twin.missing_inputs(callee, call.get("arguments")) == []
