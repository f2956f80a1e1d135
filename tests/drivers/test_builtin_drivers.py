"""What each dataset kind injects (the driver's Need), and what it refuses."""

from __future__ import annotations

import pytest

from kfdata_compiler.drivers.need import Need
from kfdata_compiler.errors import ResolveError
from tests.helpers import STORES, plan, spec, workflow

STEP = workflow("""
- name: step
  inputs: {artifacts: [{name: tokens, path: /tmp/tokens}]}
  container: {image: python}
""")
GIT_STORES = STORES + """
  github:
    git: {insecureIgnoreHostKey: true, credentials: {secret: git-creds, sshPrivateKey: id_ed25519}}
  web:
    http: {credentials: {secret: web-creds, username: user, password: pass}}
"""
S3 = {"endpoint": "minio:9000", "insecure": True,
      "accessKeySecret": {"name": "minio-creds", "key": "accesskey"},
      "secretKeySecret": {"name": "minio-creds", "key": "secretkey"}}
NONE = {"none": {}}


def need(dataset: str, use: str) -> Need:
    _, the_plan = plan(STEP, spec(dataset, f"- {{step: step, {use}}}", GIT_STORES))
    (target,) = the_plan.targets
    (access,) = target.accesses
    return access.need


CASES = [
    pytest.param(
        "d: {uri: s3://bucket/a/b.csv, store: minio}", "read: [d]",
        Need(input_artifacts=({"name": "kfdata-d", "path": "/kfdata/d",
                                   "s3": {**S3, "bucket": "bucket", "key": "a/b.csv"}, "archive": NONE},)),
        id="s3-read"),
    pytest.param(
        "d: {uri: gs://bucket/prefix/, store: gcp}", "write: [d]",
        Need(output_artifacts=({"name": "kfdata-d", "path": "/kfdata/d",
                                    "gcs": {"bucket": "bucket", "key": "prefix/", "serviceAccountKeySecret":
                                            {"name": "gcp-sa", "key": "key.json"}}, "archive": NONE},),
                 volumes=({"name": "kfdata-d", "emptyDir": {}},),
                 mounts=({"name": "kfdata-d", "mountPath": "/kfdata/d"},)),
        id="gcs-write-keeps-trailing-slash"),
    pytest.param(
        "d: {uri: https://h.example/x.txt, store: web}", "read: [d]",
        Need(input_artifacts=({"name": "kfdata-d", "path": "/kfdata/d", "http": {
            "url": "https://h.example/x.txt", "auth": {"basicAuth": {
                "usernameSecret": {"name": "web-creds", "key": "user"},
                "passwordSecret": {"name": "web-creds", "key": "pass"}}}}, "archive": NONE},)),
        id="http-basic-auth"),
    pytest.param(
        "d: {uri: 'git+ssh://git@github.com/org/r.git', revision: main, store: github}", "read: [d]",
        Need(input_artifacts=({"name": "kfdata-d", "path": "/kfdata/d", "git": {
            "repo": "ssh://git@github.com/org/r.git", "revision": "main",
            "sshPrivateKeySecret": {"name": "git-creds", "key": "id_ed25519"},
            "insecureIgnoreHostKey": True}, "archive": NONE},)),
        id="git-ssh"),
    pytest.param(
        "d: {uri: 'pvc://claim/a/b/'}", "read: [{dataset: d, path: /data}]",
        Need(volumes=({"name": "kfdata-d", "persistentVolumeClaim": {"claimName": "claim", "readOnly": True}},),
                 mounts=({"name": "kfdata-d", "mountPath": "/data", "subPath": "a/b", "readOnly": True},)),
        id="pvc-read"),
    pytest.param(
        "d: {uri: s3://bucket/k, store: minio}", "read: [{dataset: d, into: tokens}]",
        Need(location={"s3": {**S3, "bucket": "bucket", "key": "k"}, "archive": NONE}),
        id="into-is-a-location-only"),
]


@pytest.mark.parametrize(("dataset", "use", "expected"), CASES)
def test_fragment(dataset: str, use: str, expected: Need) -> None:
    found = need(dataset, use)
    assert found._replace(env=()) == expected._replace(env=())


def test_s3_without_credentials_uses_the_executors_identity() -> None:
    stores = "stores:\n  aws:\n    s3: {endpoint: s3.amazonaws.com, region: eu-west-1}\n"
    _, the_plan = plan(STEP, spec("d: {uri: s3://b/k, store: aws}", "- {step: step, read: [d]}", stores))
    s3 = the_plan.targets[0].accesses[0].need.input_artifacts[0]["s3"]
    assert s3 == {"endpoint": "s3.amazonaws.com", "bucket": "b", "key": "k", "region": "eu-west-1",
                  "useSDKCreds": True}


@pytest.mark.parametrize(
    ("dataset", "use", "code"),
    [
        pytest.param("d: {uri: https://h/x}", "write: [d]", "KF308", id="http-write"),
        pytest.param("d: {uri: 'git+https://h/o/r.git'}", "write: [d]", "KF308", id="git-write"),
        pytest.param("d: {uri: pvc://claim}", "read: [{dataset: d, into: tokens}]", "KF308", id="pvc-into"),
        pytest.param("d: {uri: pvc://Bad_Claim}", "read: [d]", "KF204", id="pvc-bad-claim"),
        pytest.param("d: {uri: 'pvc://claim/../etc'}", "read: [d]", "KF204", id="pvc-dotdot"),
        pytest.param("d: {uri: 'git+https://github.com'}", "read: [d]", "KF204", id="git-no-repo"),
        pytest.param("d: {uri: 'https:///x'}", "read: [d]", "KF204", id="http-no-host"),
        pytest.param("d: {uri: gs://bucket, store: gcp}", "read: [d]", "KF204", id="gcs-no-key"),
        pytest.param("d: {uri: pvc://c, store: minio}", "read: [d]", "KF206", id="pvc-takes-no-store"),
        pytest.param("d: {uri: s3://d\u0430ta/x, store: minio}", "read: [d]", "KF204",
                     id="s3-look-alike-bucket"),
        pytest.param("d: {uri: 'gs://my bucket/x', store: gcp}", "read: [d]", "KF204",
                     id="gcs-space-in-bucket"),
    ],
)
def test_refused(dataset: str, use: str, code: str) -> None:
    with pytest.raises(ResolveError) as caught:
        plan(STEP, spec(dataset, f"- {{step: step, {use}}}", GIT_STORES))
    assert [d.code for d in caught.value.diagnostics] == [code]


def test_a_look_alike_letter_in_a_bucket_is_named() -> None:
    with pytest.raises(ResolveError) as caught:
        plan(STEP, spec("d: {uri: s3://d\u0430ta/x, store: minio}", "- {step: step, read: [d]}",
                        GIT_STORES))
    (diag,) = caught.value.diagnostics
    assert "CYRILLIC SMALL LETTER A" in diag.message and "look-alike" in diag.hint
    assert diag.location.json_path == "$.datasets.d.uri" and diag.location.line > 0
