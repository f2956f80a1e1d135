"""set_artifact_repository: the workflow references the repository its key-only artifacts use."""

from __future__ import annotations

import pytest

from kfdata_compiler.errors import ResolveError
from kfdata_compiler.formats.argo.paths import workflow_spec
from kfdata_compiler.rewrite.repository import set_artifact_repository
from tests.helpers import plan, run_pass, spec, workflow

STORES = """
stores:
  repo: {artifactRepository: {configMap: artifact-repositories, key: minio}}
  by-key: {artifactRepository: {key: minio}}
  other: {artifactRepository: {configMap: team, key: gcs}}
  home: {artifactRepository: {default: true}}
  minio: {s3: {endpoint: "minio:9000"}}
"""
STEPS = """
- {name: a, container: {image: python}}
- {name: b, container: {image: python}}
"""


CRON = """apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata: {name: wf}
spec:
  schedule: '0 * * * *'
  workflowSpec:
    templates:
    - {name: a, container: {image: python}}
"""


def bound(datasets: str, bindings: str, extra_spec: str = "", pipeline: str = "") -> dict:
    pipeline = pipeline or workflow(STEPS, extra_spec)
    docs, edits = run_pass(set_artifact_repository, pipeline, spec(datasets, bindings, STORES))
    return {"spec": workflow_spec(docs[0]), "ops": edits.ops.get((0, None), [])}


def test_adds_the_reference_once() -> None:
    found = bound("x: {uri: 'artifact://k/x', store: repo}\nz: {uri: 'artifact://k/y', store: repo}",
                  "- {step: a, read: [x]}\n- {step: b, read: [z], write: [x]}")
    assert found["spec"]["artifactRepositoryRef"] == {"configMap": "artifact-repositories",
                                                      "key": "minio"}
    assert found["ops"] == [["add", ["spec", "artifactRepositoryRef"]]]


def test_cron_workflows_get_it_in_their_workflow_spec() -> None:
    found = bound("x: {uri: 'artifact://k/x', store: by-key}", "- {step: a, read: [x]}",
                  pipeline=CRON)
    assert found["spec"]["artifactRepositoryRef"] == {"key": "minio"}
    assert found["ops"] == [["add", ["spec", "workflowSpec", "artifactRepositoryRef"]]]


@pytest.mark.parametrize(
    ("datasets", "extra_spec"),
    [
        pytest.param("x: {uri: 'artifact://k/x', store: home}", "", id="default-repository"),
        pytest.param("x: {uri: 's3://b/k', store: minio}", "", id="no-key-only-artifact"),
        pytest.param("x: {uri: 'artifact://k/x', store: repo}",
                     "artifactRepositoryRef: {key: minio}", id="same-repository-already"),
        pytest.param("x: {uri: 'artifact://k/x', store: home}",
                     "artifactRepositoryRef: {configMap: team, key: gcs}", id="default-with-a-ref"),
    ],
)
def test_noop(datasets: str, extra_spec: str) -> None:
    found = bound(datasets, "- {step: a, read: [x]}", extra_spec)
    assert found["ops"] == []
    assert found["spec"].get("artifactRepositoryRef") == (
        {"key": "minio"} if "minio" in extra_spec else
        {"configMap": "team", "key": "gcs"} if extra_spec else None)


@pytest.mark.parametrize(
    ("datasets", "bindings", "extra_spec", "message", "where"),
    [
        pytest.param("x: {uri: 'artifact://k/x', store: repo}", "- {step: a, read: [x]}",
                     "artifactRepositoryRef: {configMap: team, key: gcs}",
                     "already references artifact repository team/gcs, not "
                     "artifact-repositories/minio", "$.spec.artifactRepositoryRef",
                     id="workflow-names-another"),
        pytest.param("x: {uri: 'artifact://k/x', store: repo}\nz: {uri: 'artifact://k/y', store: other}",
                     "- {step: a, read: [x]}\n- {step: b, read: [z]}", "",
                     "two artifact repositories (artifact-repositories/minio, team/gcs)",
                     "$.bindings[1].read[0]", id="two-stores"),
        pytest.param("x: {uri: 'artifact://k/x', store: home}\nz: {uri: 'artifact://k/y', store: other}",
                     "- {step: a, read: [x, z]}", "",
                     "two artifact repositories (the workflow's default repository, team/gcs)",
                     "$.bindings[0].read[1]", id="default-and-a-named-one"),
    ],
)
def test_conflicts(datasets: str, bindings: str, extra_spec: str, message: str,
                   where: str) -> None:
    with pytest.raises(ResolveError) as caught:
        plan(workflow(STEPS, extra_spec), spec(datasets, bindings, STORES))
    (diag,) = caught.value.diagnostics
    assert (diag.code, diag.location.json_path) == ("KF312", where)
    assert message in diag.message
