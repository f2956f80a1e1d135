from __future__ import annotations

import pytest

from kfdata_compiler.rewrite.artifacts import add_artifacts
from tests.helpers import parse, run_pass, spec, template, workflow

LEAF = """
- name: step
  container: {image: python}
"""
LEAF_WITH_INPUTS = """
- name: step
  inputs:
    artifacts:
    - {name: tokens, path: /tmp/tokens}
  container: {image: python}
"""

CASES = [
    pytest.param(
        LEAF, "d: {uri: https://h/d.txt}", "- {step: step, read: [d]}",
        """
        name: step
        container: {image: python}
        inputs:
          artifacts:
          - {name: kfdata-d, path: /kfdata/d, http: {url: https://h/d.txt}, archive: {none: {}}}
        """,
        id="http-read-creates-inputs",
    ),
    pytest.param(
        LEAF_WITH_INPUTS, "d: {uri: s3://b/k/, store: minio}",
        "- {step: step, read: [{dataset: d, path: /data/d}]}",
        """
        name: step
        inputs:
          artifacts:
          - {name: tokens, path: /tmp/tokens}
          - name: kfdata-d
            path: /data/d
            s3: {endpoint: minio:9000, bucket: b, key: k, insecure: true,
                 accessKeySecret: {name: minio-creds, key: accesskey},
                 secretKeySecret: {name: minio-creds, key: secretkey}}
            archive: {none: {}}
        container: {image: python}
        """,
        id="s3-read-appends-after-existing",
    ),
    pytest.param(
        LEAF, "m: {uri: gs://b/models/, store: gcp}", "- {step: step, write: [m]}",
        """
        name: step
        container: {image: python}
        outputs:
          artifacts:
          - name: kfdata-m
            path: /kfdata/m
            gcs: {bucket: b, key: models/, serviceAccountKeySecret: {name: gcp-sa, key: key.json}}
            archive: {none: {}}
        """,
        id="gcs-write-is-an-output",
    ),
]

NOOP = [
    pytest.param(LEAF, "d: {uri: pvc://claim}", "- {step: step, read: [d]}", id="pvc-has-no-artifact"),
    pytest.param(LEAF_WITH_INPUTS, "d: {uri: https://h/d}",
                 "- {step: step, read: [{dataset: d, into: tokens}]}", id="into-adds-no-artifact"),
]


@pytest.mark.parametrize(("templates", "datasets", "bindings", "expected"), CASES)
def test_add_artifacts(templates: str, datasets: str, bindings: str, expected: str) -> None:
    docs, _ = run_pass(add_artifacts, workflow(templates), spec(datasets, bindings))
    assert template(docs, "step") == parse(expected)


@pytest.mark.parametrize(("templates", "datasets", "bindings"), NOOP)
def test_add_artifacts_noop(templates: str, datasets: str, bindings: str) -> None:
    docs, edits = run_pass(add_artifacts, workflow(templates), spec(datasets, bindings))
    assert template(docs, "step") == parse(templates)[0]
    assert not edits.ops
