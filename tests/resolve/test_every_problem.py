"""Every problem in one run (issue 11): the spec's problems and what resolve finds in the parts of
the spec that have none, together; nothing reported twice over (no KF301 for a dataset that has
a problem of its own, no KF205 for a dataset on a store that has one).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kfdata_compiler.cli import main
from kfdata_compiler.compiler import compile_text
from kfdata_compiler.errors import KfdataError, ResolveError, SpecError
from tests.helpers import STORES, spec, workflow

PIPELINE = workflow("""\
- name: main
  dag: {tasks: [{name: prep-task, template: prep}, {name: train, template: train}]}
- {name: prep, container: {image: alpine}}
- {name: train, container: {image: python}}
""")
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
LEAKY = STORES.replace("secretKey: secretkey", f'secretKey: "{AWS_SECRET}"')
UNDER_INDENTED = """
stores:
  minio:
    s3:
    endpoint: minio:9000
"""


def _problems(spec_text: str, pipeline: str = PIPELINE) -> list[tuple[str, str]]:
    with pytest.raises(KfdataError) as caught:
        compile_text(pipeline.encode(), spec_text.encode(), "p.yaml", "s.yaml")
    return [(d.code, d.location.json_path) for d in caught.value.diagnostics]


@pytest.mark.parametrize(
    ("spec_text", "expected"),
    [
        pytest.param(
            spec("r: {uri: s3://b/r, store: minio}\nv: {uri: https://h/v}",
                 "- {step: trian, read: [r]}\n- {step: prep, read: [vocab]}", LEAKY),
            [("KF202", "$.stores.minio.s3.credentials.secretKey"), ("KF302", "$.bindings[0].step"),
             ("KF301", "$.bindings[1].read[0]")],
            id="secret-step-typo-dataset-typo"),
        pytest.param(
            spec("r: {uri: https://h/r, version: 3}", "- {step: prep, read: [r]}"),
            [("KF201", "$.datasets.r.version")], id="dataset-with-a-problem-is-not-unknown"),
        pytest.param(
            spec("r: {uri: s3://b/r, store: minio}", "- {step: prep, read: [r]}", UNDER_INDENTED),
            [("KF201", "$.stores.minio.endpoint")], id="store-with-a-problem-is-not-undeclared"),
        pytest.param(
            spec("r: {uri: https://h/r, type: fetch}\nd: {uri: dvc://github.com/o/r/p, "
                 "revision: main}", "- {step: prep, read: [r, d]}",
                 STORES + "types:\n  fetch: {image: alpine:3.20, args: [echo, '{uri}']}\n"
                 "  dvc: {image: alpine:3.20, args: [echo, '{uri}']}\n"),
            [("KF208", "$.types.fetch.args"), ("KF208", "$.types.dvc.args")],
            id="type-with-a-problem-is-not-unknown-nor-replaced-by-the-built-in"),
        pytest.param(
            spec("r: {uri: https://h/r}", "- {step: trian, read: [r]}", STORES + "mode: fast\n"),
            [("KF201", "$.mode"), ("KF302", "$.bindings[0].step")],
            id="unknown-top-level-field-and-a-binding-problem"),
        pytest.param(
            spec("r: {uri: https://h/r}", "- {step: trian, read: [r]}").replace(
                "datasets:", "dataset:"),
            [("KF201", "$.dataset"), ("KF302", "$.bindings[0].step")],
            id="misspelt-section-names-nothing-unknown"),
        pytest.param(
            spec("r: {uri: https://h/r}", "- {step: trian, read: [r], mode: fast}"),
            [("KF302", "$.bindings[0].step"), ("KF201", "$.bindings[0].mode")],
            id="binding-with-a-problem-still-has-its-step-checked"),
        pytest.param(
            spec("r: {uri: https://h/r, version: 3}\nv: {uri: https://h/v}",
                 "- {step: prep, read: [v, {dataset: v, env: OTHER}]}"),
            [("KF201", "$.datasets.r.version"), ("KF309", "$.bindings[0].read[1]")],
            id="the-rest-is-checked-as-usual"),
    ],
)
def test_every_problem_once(spec_text: str, expected: list[tuple[str, str]]) -> None:
    assert _problems(spec_text) == expected


def test_spec_problems_come_first_then_the_pipeline_s_each_in_line_order() -> None:
    pipeline = PIPELINE + "  - {name: train, container: {image: python}}\n"
    found = _problems(spec("r: {uri: https://h/r, version: 3}\nv: {uri: https://h/v}",
                           "- {step: train, read: [v]}\n- {step: trian, read: [v]}"), pipeline)
    assert found == [("KF201", "$.datasets.r.version"), ("KF302", "$.bindings[1].step"),
                     ("KF402", "$.spec.templates[3].name")]


def test_a_pipeline_that_cannot_be_loaded_stops_resolve_but_not_the_spec_checks() -> None:
    found = _problems(spec("r: {uri: https://h/r, version: 3}", "- {step: trian, read: [r]}"),
                      "kind: Workflow\nspec: {templates: [\n")
    assert [code for code, _ in found] == ["KF201", "KF101"]


@pytest.mark.parametrize(
    ("spec_text", "error"),
    [
        pytest.param(spec("r: {uri: https://h/r}", "- {step: trian, read: [r]}"), ResolveError,
                     id="resolve-only"),
        pytest.param(spec("r: {uri: https://h/r, version: 3}", "- {step: prep, read: [r]}"),
                     SpecError, id="spec-only"),
    ],
)
def test_one_stage_s_problems_keep_its_error_class(spec_text: str, error: type) -> None:
    with pytest.raises(KfdataError) as caught:
        compile_text(PIPELINE.encode(), spec_text.encode(), "p.yaml", "s.yaml")
    assert type(caught.value) is error


def test_warnings_ride_along_with_resolve_problems() -> None:
    types = STORES + "types:\n  fetch: {image: alpine, args: [cp, '{uri}', '{path}']}\n"
    found = _problems(spec("r: {uri: https://h/r, type: fetch}", "- {step: trian, read: [r]}",
                           types))
    assert [code for code, _ in found] == ["KF209", "KF302"]


@pytest.mark.parametrize(
    ("stores", "datasets", "hint"),
    [
        pytest.param("", "r: {uri: s3://b/r, store: minio}",
                     "the spec declares no stores: declare it, e.g. stores: {minio: {s3: {...}}}",
                     id="no-stores"),
        pytest.param("", "r: {uri: pvc://claim/x, store: minio}",
                     "the spec declares no stores, and pvc datasets need none: remove 'store'",
                     id="no-stores-none-needed"),
        pytest.param(STORES, "r: {uri: s3://b/r, store: other}",
                     "declared stores: minio (s3), gcp (gcs)", id="stores-with-their-kinds"),
        pytest.param("", "r: {uri: s3://b/r}",
                     "declare one under stores: (e.g. minio: {s3: {...}}) and add store: minio",
                     id="no-store-named-none-declared"),
    ],
)
def test_an_undeclared_store_hint_never_reads_as_a_glitch(stores: str, datasets: str,
                                                          hint: str) -> None:
    with pytest.raises(KfdataError) as caught:
        compile_text(PIPELINE.encode(), spec(datasets, "- {step: prep, read: [r]}",
                                             stores).encode(), "p.yaml", "s.yaml")
    (diag,) = caught.value.diagnostics
    assert (diag.code, diag.hint) == ("KF205", hint)


def test_an_unknown_dataset_with_none_declared() -> None:
    text = "apiVersion: kfdata.dev/v1alpha1\nkind: DataBindings\nbindings: [{step: prep, read: [r]}]\n"
    with pytest.raises(KfdataError) as caught:
        compile_text(PIPELINE.encode(), text.encode(), "p.yaml", "s.yaml")
    (diag,) = caught.value.diagnostics
    assert diag.hint == "the spec declares no datasets: declare it, e.g. datasets: {r: {uri: ...}}"


def test_cli_reports_every_problem_of_the_issue_at_once(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The issue's spec: a literal secret, a step typo, a dataset typo, an under-indented store
    body, a misspelt field; each reported once, the secret never echoed."""
    (tmp_path / "p.yaml").write_text(PIPELINE)
    (tmp_path / "p.kfdata.yaml").write_text(f"""\
apiVersion: kfdata.dev/v1alpha1
kind: DataBindings
stores:
  minio:
    s3:
    endpoint: minio:9000
    credentials: {{secret: minio-creds, accessKey: accesskey, secretKey: secretkey}}
  aws:
    s3: {{endpoint: s3.amazonaws.com, regoin: eu-west-1,
         credentials: {{secret: aws, accessKey: accesskey, secretKey: "{AWS_SECRET}"}}}}
datasets:
  reviews: {{uri: s3://datasets/reviews, store: minio}}
  model: {{uri: s3://models/m, store: aws}}
  vocab: {{uri: https://example.org/vocab.txt}}
bindings:
  - step: trian
    read: [reviews]
  - step: prep-task
    read: [vocab, vocabb]
    write: [model]
""")
    assert main([str(tmp_path / "p.yaml")]) == 1
    captured = capsys.readouterr()
    spec_file = tmp_path / "p.kfdata.yaml"
    assert captured.out == "" and AWS_SECRET not in captured.err
    assert captured.err == (
        f"{spec_file}:6:5: error[KF201]: 'endpoint' and 'credentials' belong to 's3' but are "
        "not indented under it\n"
        "  at: $.stores.minio.endpoint\n"
        "  hint: indent them under 's3' (YAML nests a mapping by indentation), e.g.\n"
        "          s3:\n"
        "            endpoint: ...\n"
        "            credentials: ...\n"
        f"{spec_file}:9:38: error[KF201]: unknown field 'regoin'\n"
        "  at: $.stores.aws.s3.regoin\n"
        "  hint: did you mean 'region'?\n"
        "        allowed fields here: credentials, endpoint, insecure, region\n"
        f"{spec_file}:10:59: error[KF202]: literal credential in the spec: 'secretKey' must "
        "name a key inside the Secret, not hold the credential\n"
        "  at: $.stores.aws.s3.credentials.secretKey\n"
        "  hint: the spec only names Secrets: store the value with `kubectl create secret "
        "generic <secret> --from-literal=<key>=<value>` and write the key's name here (e.g. "
        "secretKey: secretkey). Then rotate the leaked credential.\n"
        f"{spec_file}:16:5: error[KF302]: step 'trian' matches no template\n"
        "  at: $.bindings[0].step\n"
        "  hint: did you mean 'train'?\n"
        "        available steps: prep, train\n"
        "        steps and tasks: prep-task (calls prep)\n"
        f"{spec_file}:19:19: error[KF301]: unknown dataset 'vocabb'\n"
        "  at: $.bindings[1].read[1]\n"
        "  hint: did you mean 'vocab'?\n"
    )


@pytest.mark.parametrize(
    "pipeline",
    [pytest.param("kind: Workflow\nspec: {templates: [\n", id="invalid-yaml"),
     pytest.param(PIPELINE.replace("metadata:\n  name: wf\n", "metadata:\n  name: wf\n  "
                                   "annotations: {kfdata.dev/edits: 'not a journal'}\n"),
                  id="a-journal-edited-by-hand")],
)
def test_a_pipeline_that_stops_resolve_leaves_the_spec_s_datasets_and_uses_checked(
        pipeline: str) -> None:
    found = _problems(spec("r: {uri: ftp://h/r}\nv: {uri: https://h/v}",
                           "- {step: trian, read: [r, vocabb, {dataset: v, path: rel}]}"),
                      pipeline)
    assert [(c, p) for c, p in found if p.startswith("$.datasets") or p.startswith("$.bind")] == [
        ("KF204", "$.datasets.r.uri"), ("KF301", "$.bindings[0].read[1]"),
        ("KF207", "$.bindings[0].read[2].path")]
    assert {c for c, _ in found} - {"KF204", "KF301", "KF207"} <= {"KF101", "KF111"}


def test_a_dataset_with_a_problem_of_its_own_is_not_reported_again_at_its_uses() -> None:
    found = _problems(spec("r: {uri: ftp://h/r}\nq: {uri: 'https://h/q', version: 3}",
                           "- {step: prep, read: [r, q]}\n- {step: trian, read: [r, q]}"))
    assert found == [("KF204", "$.datasets.r.uri"), ("KF201", "$.datasets.q.version"),
                     ("KF302", "$.bindings[1].step")]
