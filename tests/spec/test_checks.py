"""check_spec: every problem of a spec, and the parts it leaves out of resolution (issue 11).

A store, dataset, type or binding with a problem of its own is left out; everything else is kept
for resolve to check in the same run.
"""

from __future__ import annotations

import textwrap

import pytest

from kfdata_compiler.diagnostics import Severity
from kfdata_compiler.errors import SpecError
from kfdata_compiler.load import load_source
from kfdata_compiler.spec import Checked, check_spec, credentials, parse_spec

HEAD = "apiVersion: kfdata.dev/v1alpha1\nkind: DataBindings\n"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def _check(body: str) -> Checked:
    return check_spec(load_source("spec.yaml", (HEAD + textwrap.dedent(body)).encode()))


@pytest.mark.parametrize(
    ("body", "codes", "left_out"),
    [
        pytest.param("""\
            datasets:
              reviews: {uri: https://h/r, version: 3}
              vocab: {uri: https://h/v}
            """, ["KF201"], {("datasets", "reviews")}, id="dataset-schema"),
        pytest.param(f"""\
            stores:
              minio: {{s3: {{endpoint: 'm:9000', credentials: {{secret: c, accessKey: a,
                                                              secretKey: "{AWS_SECRET}"}}}}}}
              gcp: {{gcs: {{}}}}
            """, ["KF202"], {("stores", "minio")}, id="store-credential"),
        pytest.param("""\
            stores:
              minio:
                s3:
                endpoint: 'm:9000'
            """, ["KF201"], {("stores", "minio")}, id="store-under-indented"),
        pytest.param("""\
            datasets:
              a-b: {uri: https://h/a}
              a_b: {uri: https://h/b}
            """, ["KF201", "KF203"], {("datasets", "a_b")}, id="env-stem-collision"),
        pytest.param("""\
            bindings:
              - {step: a, read: [x], mode: fast}
              - {step: b, read: [vocab]}
            """, ["KF201"], {("bindings", 0)}, id="binding-schema"),
        pytest.param("""\
            types:
              fetch: {image: alpine:3.20, args: [echo, "{uri}"]}
              good: {image: alpine:3.20, args: [cp, "{uri}", "{path}"]}
            """, ["KF208"], {("types", "fetch")}, id="type-check"),
        pytest.param("""\
            types:
              fetch: {image: alpine, args: [cp, "{uri}", "{path}"]}
            """, ["KF209"], set(), id="a-warning-leaves-nothing-out"),
        pytest.param("datasets: [a, b]\n", ["KF201"], {("datasets",)}, id="section-wrong-type"),
        # A misspelt section: what it declares is unknown, not undeclared (no KF301 for each use).
        pytest.param("dataset: {a: {uri: https://h/a}}\n", ["KF201"], {("datasets",)},
                     id="misspelt-section"),
        pytest.param("metadata: {name: x}\n", ["KF201"], set(), id="unknown-top-level-field"),
    ],
)
def test_parts_left_out(body: str, codes: list[str], left_out: set[tuple[object, ...]]) -> None:
    checked = _check(body)
    assert [d.code for d in checked.problems] == codes
    assert checked.bindings.left_out == left_out
    assert checked.failed == any(d.severity is Severity.ERROR for d in checked.problems)


def test_a_spec_that_is_not_one_mapping_has_no_parts() -> None:
    with pytest.raises(SpecError) as caught:
        check_spec(load_source("spec.yaml", b"- a\n- b\n"))
    assert [d.code for d in caught.value.diagnostics] == ["KF109"]


def test_the_parts_without_problems_are_kept() -> None:
    checked = _check(f"""\
        stores:
          minio: {{s3: {{endpoint: 'm:9000', credentials: {{secret: c, accessKey: a,
                                                          secretKey: "{AWS_SECRET}"}}}}}}
          gcp: {{gcs: {{}}}}
        datasets:
          reviews: {{uri: s3://b/r, store: minio}}
          vocab: {{uri: https://h/v, bogus: 1}}
        bindings:
          - {{step: a, read: [reviews, vocab]}}
          - {{step: b, read: [nope], mode: fast}}
        """)
    spec = checked.bindings
    assert (list(spec.stores), list(spec.datasets), [b.step for b in spec.bindings]) == (
        ["gcp"], ["reviews"], ["a"])
    assert (spec.is_left_out("stores", "minio"), spec.is_left_out("stores", "gcp")) == (True, False)
    assert spec.declared("datasets") == ["reviews", "vocab"]


def test_a_left_out_type_does_not_fall_back_to_the_built_in_one() -> None:
    checked = _check("""\
        types:
          dvc: {image: alpine:3.20, args: [echo, "{uri}"]}
        """)
    assert "dvc" not in checked.bindings.types and "pachctl" in checked.bindings.types


def test_no_secret_is_quoted_and_parse_spec_still_raises() -> None:
    body = f"""\
        stores:
          minio: {{s3: {{endpoint: 'm:9000', credentials: {{secret: c, accessKey: a,
                                                          secretKey: "{AWS_SECRET}"}}}}}}
        """
    checked = _check(body)
    assert AWS_SECRET in checked.bindings.secrets and AWS_SECRET not in repr(checked.bindings)
    assert all(AWS_SECRET not in d.message + d.hint for d in checked.problems)
    with pytest.raises(SpecError):
        parse_spec(load_source("spec.yaml", (HEAD + textwrap.dedent(body)).encode()))


@pytest.mark.parametrize(
    ("field", "example"),
    [
        pytest.param("accessKey", "(e.g. accessKey: accesskey)", id="access-key"),
        pytest.param("secretKey", "(e.g. secretKey: secretkey)", id="secret-key"),
        pytest.param("password", "(e.g. password: password)", id="password"),
        pytest.param("AWS_ACCESS_KEY_ID", "(e.g. AWS_ACCESS_KEY_ID: aws_access_key_id)",
                     id="env-var"),
        pytest.param("secret", "write the Secret's name here (e.g. secret: minio-creds)",
                     id="secret-name"),
        pytest.param(3, "(e.g. accessKey: accesskey)", id="not-a-name"),
        pytest.param("AKIAIOSFODNN7EXAMPLE", "(e.g. accessKey: accesskey)",
                     id="a-pasted-key-is-not-echoed"),
    ],
)
def test_kf202_hint_shows_the_field_it_is_about(field: object, example: str) -> None:
    assert example in credentials.key_hint(field)


def test_kf202_for_secret_key_shows_a_secret_key_example() -> None:
    checked = _check(f"""\
        stores:
          minio: {{s3: {{endpoint: 'm:9000', credentials: {{secret: c, accessKey: a,
                                                          secretKey: "{AWS_SECRET}"}}}}}}
        """)
    (diag,) = checked.problems
    assert diag.code == "KF202" and diag.location.json_path == "$.stores.minio.s3.credentials.secretKey"
    assert "(e.g. secretKey: secretkey)" in diag.hint
