from __future__ import annotations

import pytest

from kfdata_compiler.rewrite.volumes import add_volumes
from tests.helpers import parse, run_pass, spec, template, workflow

CASES = [
    pytest.param(
        """
        - name: step
          container:
            image: python
            volumeMounts: [{name: cache, mountPath: /cache}]
          volumes: [{name: cache, emptyDir: {}}]
        """,
        "h: {uri: pvc://holdout-claim/sets/2024}", "- {step: step, read: [h]}",
        """
        name: step
        container:
          image: python
          volumeMounts:
          - {name: cache, mountPath: /cache}
          - {name: kfdata-h, mountPath: /kfdata/h, subPath: sets/2024, readOnly: true}
        volumes:
        - {name: cache, emptyDir: {}}
        - {name: kfdata-h, persistentVolumeClaim: {claimName: holdout-claim, readOnly: true}}
        """,
        id="pvc-read-is-read-only-with-subpath",
    ),
    pytest.param(
        "- {name: step, script: {image: python, source: 'print(1)'}}",
        "h: {uri: pvc://scratch}", "- {step: step, write: [{dataset: h, path: /out}]}",
        """
        name: step
        script:
          image: python
          source: print(1)
          volumeMounts: [{name: kfdata-h, mountPath: /out}]
        volumes: [{name: kfdata-h, persistentVolumeClaim: {claimName: scratch}}]
        """,
        id="pvc-write-on-script-is-read-write",
    ),
    pytest.param(
        "- {name: step, container: {image: python}}",
        "m: {uri: s3://b/m, store: minio}", "- {step: step, write: [m]}",
        """
        name: step
        container:
          image: python
          volumeMounts: [{name: kfdata-m, mountPath: /kfdata/m}]
        volumes: [{name: kfdata-m, emptyDir: {}}]
        """,
        id="object-store-write-gets-an-emptydir-so-the-path-exists",
    ),
]

NOOP = [
    pytest.param("s: {uri: s3://b/k, store: minio}", id="s3-read"),
    pytest.param("s: {uri: https://h/x}", id="http-read"),
    pytest.param("s: {uri: git+https://h/o/r.git}", id="git-read"),
]


@pytest.mark.parametrize(("templates", "datasets", "bindings", "expected"), CASES)
def test_add_volumes(templates: str, datasets: str, bindings: str, expected: str) -> None:
    docs, _ = run_pass(add_volumes, workflow(templates), spec(datasets, bindings))
    assert template(docs, "step") == parse(expected)


@pytest.mark.parametrize("datasets", NOOP)
def test_add_volumes_noop(datasets: str) -> None:
    templates = "- {name: step, container: {image: python}}"
    docs, edits = run_pass(add_volumes, workflow(templates), spec(datasets, "- {step: step, read: [s]}"))
    assert template(docs, "step") == parse(templates)[0]
    assert not edits.ops
