"""Literal credentials in a spec: every shape refused (KF202), warned about (KF211) or allowed.

Each row of ``SHAPES`` is compiled for real (``compile_text``): a value, where it appears, and
the verdict. An error stops the compile and a warning does not; neither may quote the secret.
docs/credentials.md describes the same table.
"""

from __future__ import annotations

import doctest
import json
from pathlib import Path
from types import ModuleType

import pytest

from kfdata_compiler.spec import credentials, secret_shapes
from kfdata_compiler.cli import main
from kfdata_compiler.compiler import compile_text
from kfdata_compiler.diagnostics import FORMATTERS, Diagnostic, Severity
from kfdata_compiler.errors import KfdataError

PIPELINE = (b"apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: w}\nspec:\n"
            b"  entrypoint: main\n  templates:\n  - name: main\n    container: {image: alpine}\n")

# Secrets used below: none of them may appear in any diagnostic.
RANDOM = "Zx81kQ0pLm42Wt7Yb3Rv"
WORD = "hunter2swordfish"
AWS_ID = "AKIAIOSFODNN7EXAMPLE"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
HEX40 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b"
HEX32 = "5d41402abc4b2a76b9719d911017c592"
HEX64 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
UUID = "123e4567-e89b-12d3-a456-426614174000"
GITHUB = "ghp_" + "R4nd0mT0k3nV4lu3" * 2 + "abcd"
GITHUB_PAT = "github_pat_11ABCDEFG0" + "a1B2c3D4e5F6g7H8i9J0" * 3
GITLAB = "glpat-" + "x1Y2z3W4v5U6t7S8r9Q0"
SLACK = "xoxb-123456789012-1234567890123-" + "AbCdEfGhIjKlMnOpQrStUvWx"
SLACK_HOOK = "https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/" + "XyZ1" * 6
OPENAI = "sk-" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6l"
OPENAI_PROJECT = "sk-proj-" + "Ab3dEf6hIj9kLm2n_Op5qRs8tUv1w-Xy4zAb7cDe0fGh3iJk6l"
ANTHROPIC = "sk-ant-api03-" + "Ab3dEf6hIj9kLm2n_Op5qRs8tUv1w-Xy4zAb7cDe0fGh3iJk6l" + "AA"
HUGGING_FACE = "hf_" + "AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh"
STRIPE = "sk_live_" + "51H8xYzAbCdEfGhIjKlMnOpQrSt"
STRIPE_RESTRICTED = "rk_live_" + "51H8xYzAbCdEfGhIjKlMnOpQrSt"
GOOGLE_API = "AIza" + "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q"
GOOGLE_OAUTH = "ya29." + "a0AfH6SMBx1Y2z3W4v5U6t7S8r9Q0"
NPM = "npm_" + "a1B2c3D4e5F6g7H8i9J0" + "k1L2m3N4o5P6q7R8"
DATABRICKS = "dapi" + HEX32
SENDGRID = "SG." + "AbCdEfGhIjKlMnOp" + "." + "QrStUvWxYz012345"
JWT = ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
       "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U")
PEM = "-----BEGIN RSA PRIVATE KEY-----"
PGP = "-----BEGIN PGP PRIVATE KEY BLOCK-----"
SECRETS = [RANDOM, WORD, AWS_ID, AWS_SECRET, HEX40, HEX32, HEX64, UUID, GITHUB, GITHUB_PAT, GITLAB,
           SLACK, SLACK_HOOK, OPENAI, OPENAI_PROJECT, ANTHROPIC, HUGGING_FACE, STRIPE,
           STRIPE_RESTRICTED, GOOGLE_API, GOOGLE_OAUTH, NPM, DATABRICKS, SENDGRID, JWT, PEM, PGP]

H = "https://example.org/data.csv"
S3 = "https://b.s3.amazonaws.com/k"
GCS = "https://storage.googleapis.com/b/k"
# (value, where it appears, expected). where: "uri" (a dataset's uri), "accessKey" (a key field
# of a store's credentials), "region" (an s3 store's), "env NAME" (a type's env var), "arg" (an
# element of a type's args), "after FLAG" (the element after FLAG in a type's args).
SHAPES: list[tuple[str, str, str]] = [
    # --- the four URIs the fuzzing campaign compiled, and their relatives
    (f"https://gitlab.example.com/api/v4/projects/1/repository/files/x/raw?private_token={RANDOM}",
     "uri", "error"),
    (f"https://example.org/x?client_id=a&client_secret={RANDOM}", "uri", "error"),
    (f"{S3}?Expires=1700000000&Signature={RANDOM}", "uri", "error"),  # SigV2 presigned
    (f"https://example.org/x#access_token={RANDOM}", "uri", "error"),
    (f"https://example.org/cb#id_token={JWT}&token_type=Bearer", "uri", "error"),
    (f"https://example.org/app#/callback?access_token={RANDOM}", "uri", "error"),
    (f"{S3}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=x%2F20240101&X-Amz-Date=20240101T0"
     f"00000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature={HEX64}", "uri", "error"),
    (f"{S3}?X-Amz-Security-Token={RANDOM}", "uri", "error"),
    (f"{GCS}?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=sa%40p.iam&X-Goog-Signature="
     f"{HEX64}", "uri", "error"),
    (f"{GCS}?GoogleAccessId=sa@p.iam.gserviceaccount.com&Expires=1700000000&Signature={RANDOM}",
     "uri", "error"),  # GCS V2 signed URL
    (f"https://acct.blob.core.windows.net/c/k?sv=2022-11-02&ss=b&sp=r&se=2030-01-01&sig={RANDOM}",
     "uri", "error"),  # Azure SAS
    (f"https://d111.cloudfront.net/k?Expires=1700000000&Signature={RANDOM}&Key-Pair-Id=K2JCJMD",
     "uri", "error"),
    (f"https://example.org/x?api_key={WORD}", "uri", "error"),
    (f"https://example.org/x?apikey={WORD}", "uri", "error"),
    (f"https://example.org/x?apiKey={WORD}", "uri", "error"),
    (f"https://example.org/x?x-api-key={WORD}", "uri", "error"),
    (f"https://example.org/x?password={WORD}", "uri", "error"),
    (f"https://example.org/x?token={WORD}", "uri", "error"),
    (f"https://example.org/x?TOKEN={WORD}", "uri", "error"),
    (f"https://example.org/x?key={RANDOM}", "uri", "error"),  # ?key= with a random value
    (f"https://example.org/x?key={HEX32}", "uri", "error"),
    (f"https://maps.example.org/x?key={GOOGLE_API}", "uri", "error"),
    (f"https://robot:{WORD}@files.example.org/x", "uri", "error"),  # user info
    (f"https://{GITHUB}@github.com/o/r", "uri", "error"),
    (f"git+https://bot:{WORD}@github.com/o/r.git", "uri", "error"),
    (SLACK_HOOK, "uri", "error"),
    ("https://example.org/x?key=reviews", "uri", "warning"),  # an API key or an object key?
    ("https://example.org/x?auth=basic", "uri", "warning"),
    ("https://example.org/x?key=datasets/reviews/2024.csv", "uri", "ok"),
    ("https://example.org/x?key=part-0.parquet", "uri", "ok"),
    ("https://example.org/x?monkey=1&keyword=sentiment&hotkey=f", "uri", "ok"),
    ("https://example.org/x?page_token_size=3&pageToken=abc&continuation-token=x", "uri", "ok"),
    ("https://example.org/x?token_type=bearer&SignatureVersion=2&X-Amz-SignedHeaders=host", "uri",
     "ok"),
    (f"{S3}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=900", "uri", "ok"),
    ("https://acct.blob.core.windows.net/c/k?sv=2022-11-02&se=2030-01-01", "uri", "ok"),  # no sig
    ("https://example.org/x?client_id=abc&version=3&sort=asc", "uri", "ok"),
    ("https://example.org/cb?code=4c2f9a&state=xyz", "uri", "ok"),  # an OAuth code is no key
    ("https://example.org/x?token=&sig=", "uri", "ok"),  # nothing in them
    ("https://example.org/x?token={{workflow.parameters.token}}", "uri", "ok"),  # Argo's to fill
    ("https://example.org/docs#section-2", "uri", "ok"),
    ("git+ssh://git@github.com/org/eval.git", "uri", "ok"),
    (f"https://example.org/{HEX40}/data.csv", "uri", "ok"),  # a content hash in a path
    # --- key fields name a key inside a Secret
    (HEX40, "accessKey", "error"),
    (HEX32, "accessKey", "error"),
    (HEX64, "accessKey", "error"),
    (UUID, "accessKey", "error"),
    (STRIPE, "accessKey", "error"),
    (GITHUB, "accessKey", "error"),
    (AWS_ID, "accessKey", "error"),
    (AWS_SECRET, "accessKey", "error"),
    (RANDOM, "accessKey", "error"),
    (f"{WORD} with spaces", "accessKey", "error"),
    ("accesskey", "accessKey", "ok"),
    ("AWS_SECRET_ACCESS_KEY", "accessKey", "ok"),
    ("access_key_id", "accessKey", "ok"),
    ("root-password", "accessKey", "ok"),
    ("key.json", "accessKey", "ok"),
    ("a" * 40, "accessKey", "ok"),  # long, but no one's random string
    # --- a store's region
    (AWS_ID, "region", "error"),
    (HEX40, "region", "error"),
    (RANDOM, "region", "error"),
    ("a1b2c3d4e5f6g7h8i9j0", "region", "error"),
    ("us-east-1/" + WORD, "region", "error"),
    (WORD + "+=", "region", "error"),
    ("us east 1", "region", "error"),
    *[(r, "region", "ok") for r in ("us-east-1", "eu-west-1", "us-gov-west-1", "cn-north-1",
                                    "europe-west4", "northamerica-northeast1", "US", "EU",
                                    "my-region", "my_region", "default")],
    # --- a type's argv: flags
    (WORD, "after --password", "error"),
    (WORD, "after --pass", "error"),
    (WORD, "after --token", "error"),
    (WORD, "after --api-key", "error"),
    (WORD, "after --client-secret", "error"),
    (WORD, "after -password", "error"),  # Go-style single-dash flags
    (WORD, "after --oauth2-bearer", "error"),
    (f"admin:{WORD}", "after -u", "error"),  # curl
    (f"admin:{WORD}", "after --user", "error"),
    (RANDOM, "after -p", "error"),  # -p and a random value
    (WORD, "after -p", "warning"),  # -p is also --port, --parents, --project...
    (WORD, "after --key", "warning"),
    (WORD, "after --auth", "warning"),
    ("8080", "after -p", "ok"),
    ("8080:80", "after -p", "ok"),
    ("/tmp/x", "after -p", "ok"),
    ("$(DB_PASSWORD)", "after --password", "ok"),
    ("{revision}", "after --token", "ok"),
    ("{{workflow.parameters.token}}", "after --token", "ok"),
    ("/var/run/secrets/token", "after --token", "ok"),
    ("token.txt", "after --token-file", "ok"),
    ("env:DB_PASS", "after -pass", "ok"),  # openssl
    ("registry.example.com", "after --password-stdin", "ok"),
    ("fetch", "after --no-password", "ok"),
    ("data/x.csv", "after --key", "ok"),
    ("1000:1000", "after -u", "ok"),
    ("admin", "after --user", "ok"),
    ("/data", "after --path", "ok"),
    ("default", "after --project", "ok"),
    # --- a type's argv: whole elements
    (f"--password={WORD}", "arg", "error"),
    (f"--token={WORD}", "arg", "error"),
    (f"-p{RANDOM}", "arg", "error"),  # mysql -pPASSWORD
    (f"Authorization: Bearer {WORD}", "arg", "error"),
    (f"Authorization: Basic {WORD}", "arg", "error"),
    (f"--header=Authorization: Bearer {WORD}", "arg", "error"),
    (f"Proxy-Authorization: Basic {WORD}", "arg", "error"),
    (f"PRIVATE-TOKEN: {WORD}", "arg", "error"),  # GitLab
    (f"X-API-Key: {WORD}", "arg", "error"),
    (f"https://example.org/x?apikey={WORD}", "arg", "error"),
    (f"DefaultEndpointsProtocol=https;AccountName=a;AccountKey={RANDOM}==;", "arg", "error"),
    (f"Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=r;SharedAccessKey={RANDOM}",
     "arg", "error"),
    (f"BlobEndpoint=https://a.blob.core.windows.net;SharedAccessSignature=sv=2022&sig={RANDOM}",
     "arg", "error"),
    (f"Server=db;User Id=sa;Password={WORD};", "arg", "error"),
    (f"Server=db;Uid=sa;Pwd={WORD};", "arg", "error"),
    (f"host=db user=u password={WORD}", "arg", "error"),
    *[(f"--from={t}", "arg", "error") for t in (
        AWS_ID, GITHUB, GITHUB_PAT, GITLAB, SLACK, OPENAI, OPENAI_PROJECT, ANTHROPIC,
        HUGGING_FACE, STRIPE, STRIPE_RESTRICTED, GOOGLE_API, GOOGLE_OAUTH, NPM, DATABRICKS,
        SENDGRID, JWT)],  # well-known token shapes anywhere in a value
    ("Authorization: Bearer $(TOKEN)", "arg", "ok"),
    ("Content-Type: application/json", "arg", "ok"),
    ("--header=Accept: */*", "arg", "ok"),
    ("host=db port=5432 dbname=reviews", "arg", "ok"),
    ("--rev", "arg", "ok"),
    ("{uri}", "arg", "ok"),
    ("sk-learn-benchmarks-2024", "arg", "ok"),  # not an OpenAI key
    ("risk-assessment-dataset-2024", "arg", "ok"),
    ("hf_datasets_cache", "arg", "ok"),
    ("task-Abcdefghijklmnop1234567", "arg", "ok"),
    ("ghcr.io/org/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2024", "arg", "ok"),
    ("xoxo-greetings-from-the-team", "arg", "ok"),
    # --- a type's env
    (WORD, "env AWS_SECRET_ACCESS_KEY", "error"),
    (WORD, "env AWS_ACCESS_KEY_ID", "error"),
    (WORD, "env HF_TOKEN", "error"),
    (WORD, "env PGPASSWORD", "error"),
    (WORD, "env MYSQL_PWD", "error"),
    (WORD, "env OPENAI_API_KEY", "error"),
    (WORD, "env SECRET_VALUE", "error"),
    (f"DefaultEndpointsProtocol=https;AccountName=a;AccountKey={RANDOM}==",
     "env AZURE_STORAGE_CONNECTION_STRING", "error"),
    (f"Authorization: Bearer {WORD}", "env EXTRA_HEADER", "error"),
    (PEM, "env SSH_KEY", "error"),
    (PGP, "env SIGNING", "error"),
    (WORD, "env MAPS_KEY", "warning"),
    ("/var/run/secrets/t", "env TOKEN_FILE", "ok"),
    ("eu", "env REGION", "ok"),
    ("my-secret", "env SECRET_NAME", "ok"),
    ("/var/secrets/key.json", "env GOOGLE_APPLICATION_CREDENTIALS", "ok"),
    ("key.json", "env GOOGLE_APPLICATION_CREDENTIALS", "ok"),
    ("{dataset}", "env DATASET", "ok"),
    ("$(TOKEN)", "env GITHUB_TOKEN", "ok"),
    ("arn:aws:kms:us-east-1:1:key/x", "env KMS_KEY_ID", "ok"),
    ("/work", "env PWD", "ok"),
]


def _spec(value: str, where: str) -> bytes:
    uri, stores, types = "https://example.org/data.csv", "", ""
    if where == "uri":
        uri = value
    elif where in ("accessKey", "region"):
        config: dict[str, object] = {"endpoint": "minio:9000"}
        if where == "region":
            config["region"] = value
        else:
            config["credentials"] = {"secret": "c", "accessKey": value, "secretKey": "secretkey"}
        stores = "stores:\n  m:\n    s3: " + json.dumps(config) + "\n"
    else:
        kind, _, name = where.partition(" ")
        body: dict[str, object] = {"image": "busybox:1.36", "args": ["fetch", "-o", "{path}"]}
        if kind == "env":
            body["env"] = {name: value}
        elif kind == "arg":
            body["args"] = ["fetch", value, "-o", "{path}"]
        else:
            body["args"] = ["fetch", name, value, "-o", "{path}"]
        types = "types:\n  t: " + json.dumps(body) + "\n"
    return (f"apiVersion: kfdata.dev/v1alpha1\nkind: DataBindings\n{types}{stores}datasets:\n"
            f"  d: {{uri: {json.dumps(uri)}}}\nbindings:\n- step: main\n  read: [d]\n").encode()


def _shown(diagnostics: tuple[Diagnostic, ...]) -> str:
    return "".join(formatter(diagnostics) for formatter in FORMATTERS.values())


def _verdict(value: str, where: str) -> tuple[str, tuple[Diagnostic, ...]]:
    try:
        result = compile_text(PIPELINE, _spec(value, where), "p.yaml", "s.yaml")
    except KfdataError as exc:
        assert "KF202" in {d.code for d in exc.diagnostics}, exc.diagnostics
        return "error", exc.diagnostics
    warned = [d for d in result.warnings if d.code == "KF211"]
    assert all(d.severity is Severity.WARNING for d in warned)
    return ("warning" if warned else "ok"), result.warnings


@pytest.mark.parametrize(("value", "where", "expected"), SHAPES,
                         ids=[f"{w}:{v[:60]}" for v, w, _ in SHAPES])
def test_shape(value: str, where: str, expected: str) -> None:
    verdict, diagnostics = _verdict(value, where)
    assert verdict == expected, _shown(diagnostics)
    text = _shown(diagnostics)
    assert not [s for s in SECRETS if s in value and s in text], text
    if where == "uri" and expected != "ok":
        assert "Secret" in diagnostics[0].hint and "dataset type" in diagnostics[0].hint


def test_every_secret_is_in_the_table() -> None:
    used = {s for s in SECRETS for value, _, expected in SHAPES if s in value}
    assert used == set(SECRETS)


REPRODUCERS = [v for v, where, _ in SHAPES[:4]]


@pytest.mark.parametrize("uri", REPRODUCERS)
def test_fuzzer_uris_are_refused_and_never_echoed(uri: str) -> None:
    with pytest.raises(KfdataError) as caught:
        compile_text(PIPELINE, _spec(uri, "uri"), "p.yaml", "s.yaml")
    (diag,) = caught.value.diagnostics
    assert diag.code == "KF202" and diag.severity is Severity.ERROR
    assert diag.location.json_path == "$.datasets.d.uri"
    assert RANDOM not in diag.message + diag.hint and RANDOM not in _shown((diag,))


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
@pytest.mark.parametrize("uri", REPRODUCERS)
def test_cli_refuses_fuzzer_uris(tmp_path: Path, capsys: pytest.CaptureFixture[str], uri: str,
                                 fmt: str) -> None:
    (tmp_path / "p.yaml").write_bytes(PIPELINE)
    (tmp_path / "p.kfdata.yaml").write_bytes(_spec(uri, "uri"))
    out = tmp_path / "p.bound.yaml"
    status = main([str(tmp_path / "p.yaml"), "-o", str(out), "--error-format", fmt])
    captured = capsys.readouterr()
    assert status == 1 and "KF202" in (captured.out if fmt == "json" else captured.err)
    assert RANDOM not in captured.err + captured.out
    assert not out.exists()


def test_a_warning_does_not_stop_the_compile_and_keeps_the_type_checks() -> None:
    spec = _spec(WORD, "after -p").replace(b"image: busybox:1.36", b"image: busybox")
    spec = spec.replace(b'"image": "busybox:1.36"', b'"image": "busybox"')
    result = compile_text(PIPELINE, spec, "p.yaml", "s.yaml")
    assert sorted(d.code for d in result.warnings) == ["KF209", "KF211"]
    assert WORD not in _shown(result.warnings)


def test_warnings_ride_along_with_errors_and_nothing_is_echoed() -> None:
    spec = _spec(WORD, "after -p").replace(b"datasets:", b"stores:\n  m:\n    s3: "
                                           b"{endpoint: 'm:9000', region: '" + AWS_ID.encode()
                                           + b"'}\ndatasets:")
    with pytest.raises(KfdataError) as caught:
        compile_text(PIPELINE, spec, "p.yaml", "s.yaml")
    codes = sorted(d.code for d in caught.value.diagnostics)
    assert codes == ["KF202", "KF211"]
    text = _shown(caught.value.diagnostics)
    assert WORD not in text and AWS_ID not in text


def test_sensitive_values_cover_fragments_and_flag_values() -> None:
    spec = json.loads(json.dumps({
        "datasets": {"d": {"uri": f"https://h/x#access_token={RANDOM}&state=1"}},
        "types": {"t": {"args": ["fetch", f"--password={WORD}", "-u", f"bot:{HEX32}"]}}}))
    secrets = credentials.sensitive_values(spec)
    assert {RANDOM, WORD, HEX32} <= secrets
    found = {tuple(f.path) for f in credentials.findings(spec)}
    assert found == {("datasets", "d", "uri"), ("types", "t", "args", 1),
                     ("types", "t", "args", 3)}


def test_region_values_fail_the_schema_too() -> None:
    # The schema spells the region grammar for editors; the compiler reports KF202 instead of
    # the schema's message, which would quote the value.
    with pytest.raises(KfdataError) as caught:
        compile_text(PIPELINE, _spec(f"{WORD}/x", "region"), "p.yaml", "s.yaml")
    assert [d.code for d in caught.value.diagnostics] == ["KF202"]


@pytest.mark.parametrize("module", [secret_shapes, credentials])
def test_docstring_examples_hold(module: ModuleType) -> None:
    result = doctest.testmod(module)
    assert result.attempted and not result.failed
