"""The incremental cache key: its digest is the design note's worked value, every golden's key
recomputes from its template, and the whole key has a Python twin of what Argo evaluates."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import pytest
import yaml

from kfdata_compiler.formats.argo.datums.memoize import digest
from tests.helpers import parse
from tests.paths import FIXTURES, GOLDEN, SHARED

# The note's Example 1 template (docs/datums.md and ../shared/design/datums.md), without its
# memoize and metadata: what the digest covers.
EXAMPLE_1 = parse("""
    name: preprocess-images
    container:
      args: [--batch-size, '{{inputs.parameters.batch_size}}']
      command: [python3, -m, prep.images]
      image: registry.example.com/prep:1.4.2
      env:
      - {name: KFDATA_IMAGES_PATH, value: /kfdata/images}
      - {name: KFDATA_IMAGES_URI, value: 's3://datasets/images/{{inputs.parameters.kfdata-datum-images}}'}
      - {name: KFDATA_IMAGES_VERSION, value: 'sha256:aa3fc38b883f439a65566fb6fde24e09981ce8676c1a8aa2146eedb53a5e9c40'}
      - {name: KFDATA_IMAGES_DATUM, value: '{{inputs.parameters.kfdata-datum-images}}'}
      - {name: KFDATA_FEATURES_PATH, value: /kfdata/features}
      - {name: KFDATA_FEATURES_URI, value: 's3://datasets/features/v3/{{inputs.parameters.kfdata-datum-images}}'}
    inputs:
      parameters:
      - {name: batch_size}
      - {name: kfdata-datum-images}
      artifacts:
      - {name: kfdata-images, path: /kfdata/images}
    outputs:
      artifacts:
      - name: kfdata-features
        path: /kfdata/features
        s3:
          endpoint: minio-service.kubeflow:9000
          bucket: datasets
          key: 'features/v3/{{inputs.parameters.kfdata-datum-images}}'
          insecure: true
          accessKeySecret: {name: mlpipeline-minio-artifact, key: accesskey}
          secretKeySecret: {name: mlpipeline-minio-artifact, key: secretkey}
        archive: {none: {}}
""")
EXAMPLE_1_DATASET = {"glob": "/*", "name": "images", "uri": "s3://datasets/images",
                     "version": "sha256:aa3fc38b883f439a65566fb6fde24e09981ce8676c1a8aa2146eedb53a5e9c40"}
WORKED = "e33c3cd44d02f015bf0ff6b4697c002a38ebc7d937f481027d75b41f54cc017d"


def test_the_digest_is_the_notes_worked_value() -> None:
    assert digest(EXAMPLE_1_DATASET, EXAMPLE_1) == WORKED


def test_the_embedded_example_is_the_notes() -> None:
    note = SHARED / "design" / "datums.md"
    if not note.is_file():
        pytest.skip(f"{note} not found")
    text = note.read_text(encoding="utf-8")
    assert WORKED in text
    output = yaml.safe_load(text[text.index("## Example 1"):].split("```yaml")[2].split("```")[0])
    template = next(t for t in output["spec"]["templates"] if t["name"] == "preprocess-images")
    assert {k: v for k, v in template.items() if k not in ("memoize", "metadata")} == EXAMPLE_1


def go_json(value: Any) -> str:
    """Go's json.Marshal of a map of strings: sorted keys, no spaces, <>& and U+2028/9 escaped."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def memo_key(s: str, namespace: str, parameters: dict[str, str] | None) -> str:
    """What Argo computes from the emitted key for one node (sprig.sha256sum is hex sha256)."""
    text = f"kfdata/v1:{s}:{namespace}" + (f":{go_json(parameters)}" if parameters is not None
                                          else "")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_the_key_twin() -> None:
    # Only the datum and the step's own inputs tell two nodes of one (template, version) apart.
    a = memo_key(WORKED, "kubeflow", {"batch_size": "32", "kfdata-datum-images": "cat"})
    b = memo_key(WORKED, "kubeflow", {"batch_size": "32", "kfdata-datum-images": "dog"})
    assert a != b and len(a) == 64
    assert go_json({"b": "<&>", "a": "x"}) == '{"a":"x","b":"\\u003c\\u0026\\u003e"}'


def _bound(case: str) -> tuple[dict[str, Any], dict[str, Any]]:
    doc = yaml.safe_load((GOLDEN / f"{case}.yaml").read_text(encoding="utf-8"))
    spec = doc["spec"].get("workflowSpec", doc["spec"])
    template = next(t for t in spec["templates"] if "memoize" in t)
    return doc, template


CASES = [
    # case, dataset (name, uri, glob), version in the key, shard digits
    pytest.param("datum-kfp-v1", ("images", "s3://datasets/images", "/*"),
                 "sha256:95996fc310781fe9d9d6fad9e838833c8c6db4f699b10bcfb3e1836f87b0e753", 1,
                 id="locked-version"),
    pytest.param("datum-two-callers", ("images", "pach://images@master=0123456789abcdef0123456789"
                 "abcdef:/train", "/*"), "0123456789abcdef0123456789abcdef", 2, id="pachyderm-256"),
    pytest.param("datum-whole", ("events", "s3://lake/events/2026-11", "/"), "2026-11-30", 0,
                 id="whole-dataset"),
    pytest.param("datum-immutable", ("clicks", "s3://lake/clicks", "/dt=*"), None, 1,
                 id="immutable-leaves-the-version-out"),
    pytest.param("datum-cron", ("events", "gs://events-raw/web/", "/*/*"), None, 1,
                 id="cron-immutable"),
]


@pytest.mark.parametrize(("case", "dataset", "version", "digits"), CASES)
def test_each_goldens_key_recomputes_from_its_template(
        case: str, dataset: tuple[str, str, str], version: str | None, digits: int) -> None:
    _, template = _bound(case)
    name, uri, glob = dataset
    covered = {k: v for k, v in template.items() if k not in ("memoize", "metadata")}
    if version is None:  # immutableDatums: no version in the key, nor in the env it covers
        main = covered["container"]
        stem = name.upper()
        main["env"] = [e for e in main["env"] if e["name"] != f"KFDATA_{stem}_VERSION"]
    s = digest({"glob": glob, "name": name, "uri": uri, "version": version}, covered)
    memoize = template["memoize"]
    assert f"'kfdata/v1:{s}:'" in memoize["key"]
    cache = memoize["cache"]["configMap"]["name"]
    assert cache.startswith(f"kfdata-memo-{s[:16]}")
    found = re.search(r"sprig\.substr\(0, (\d), sprig\.sha256sum\([^)]*\)\)\}\}$", cache)
    assert (int(found.group(1)) if found else 0) == digits
    # The namespace comes in as the template's own input (test_substitution.py says why).
    assert {"name": "kfdata-namespace", "value": "{{workflow.namespace}}"} in \
        template["inputs"]["parameters"]
    assert "inputs.parameters['kfdata-namespace']" in memoize["key"]
    assert "workflow." not in memoize["key"]


def test_a_spec_change_moves_the_key(tmp_path: Any) -> None:
    from kfdata_compiler.compiler import compile_text

    case = FIXTURES / "datum-immutable"
    spec = (case / "pipeline.kfdata.yaml").read_text(encoding="utf-8")
    pipeline = (case / "pipeline.yaml").read_bytes()

    def key(text: str) -> str:
        out = compile_text(pipeline, text.encode(), "p.yaml", "s.yaml").output
        return str(next(t for t in yaml.safe_load(out)["spec"]["templates"]
                        if "memoize" in t)["memoize"]["key"])

    base = key(spec)
    # immutableDatums: a new version keeps the key (datums seen are skipped across versions) ...
    assert key(spec.replace('version: "2026-11-30"', 'version: "2026-12-01"')) == base
    # ... another glob or another step does not.
    assert key(spec.replace('"/dt=*"', '"/dt=2026-*"')) != base
    assert key(spec.replace("write: [features]", "write: []")) != base
    # Without immutableDatums the version is part of it.
    mutable = spec.replace(", immutableDatums: true", "")
    assert key(mutable) != key(mutable.replace('"2026-11-30"', '"2026-12-01"'))
