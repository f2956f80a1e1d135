"""schemas: with every ``$ref`` inlined, a packaged schema finds exactly what jsonschema finds."""

from __future__ import annotations

import textwrap
from typing import Any

import jsonschema
import pytest
import yaml

from kfdata_compiler import schemas
from kfdata_compiler.compiler import compile_text
from kfdata_compiler.diagnostics import Location
from kfdata_compiler.errors import KfdataError

ARGO = "argo-workflows.strict.schema.json"
SPEC = "databindings.schema.json"
TEMPLATE = "io.argoproj.workflow.v1alpha1.Template"


def _plain(name: str, definition: str | None) -> Any:
    """jsonschema's own validator, resolving each ``$ref`` as it goes."""
    schema = schemas.load_schema(name)
    if definition is not None:
        schema = {"$schema": schema["$schema"], "$ref": f"#/$defs/{definition}",
                  "$defs": schema["$defs"]}
    return jsonschema.validators.validator_for(schema)(schema)


def _errors(validator: Any, instance: Any) -> list[tuple[list[Any], str, str]]:
    found = validator.iter_errors(instance)
    return sorted((list(e.absolute_path), str(e.validator), e.message) for e in found)


# A DAG task's inline template is a Template again: the recursion stays a $ref.
NESTED = {"name": "outer", "dag": {"tasks": [{"name": "t", "inline": {
    "container": {"image": "python", "bogus": 1},
    "dag": {"tasks": [{"name": "u", "inline": {"container": {"image": 3}}}]}}}]}}
CASES = [
    pytest.param(ARGO, TEMPLATE, NESTED, id="recursive-template"),
    pytest.param(ARGO, TEMPLATE, {"name": "t", "container": {"image": "i"}}, id="valid-template"),
    pytest.param(ARGO, None, {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
                              "metadata": {"name": "w"}, "spec": {"templates": [NESTED]}},
                 id="whole-workflow"),
    pytest.param(ARGO, "io.k8s.api.core.v1.EnvVar", {"name": "A", "valueFrom": {"x": 1}},
                 id="env-var"),
    # "version" is a $ref with a sibling keyword (maxLength): both still apply.
    pytest.param(SPEC, None, {"apiVersion": "kfdata.dev/v1alpha1", "kind": "DataBindings",
                              "datasets": {"d": {"uri": "s3://b/k", "version": "v" * 300},
                                           "e": {"uri": "s3://b/k", "version": "a\tb"}},
                              "bindings": [{"step": "s", "read": ["d", {"dataset": 3}]}]},
                 id="spec-ref-with-siblings"),
]


@pytest.mark.parametrize(("name", "definition", "instance"), CASES)
def test_inlined_finds_what_jsonschema_finds(name: str, definition: str | None,
                                             instance: Any) -> None:
    inlined = schemas._validator(name, definition)
    assert _errors(inlined, instance) == _errors(_plain(name, definition), instance)


def test_recursive_definitions_are_checked_at_every_depth() -> None:
    found = schemas.check(NESTED, ARGO, lambda path: Location("t.yaml", 1, 1, repr(path)),
                          definition=TEMPLATE)
    paths = sorted(d.location.json_path for d in found)
    assert paths == [
        repr(("dag", "tasks", 0, "inline", "container", "bogus")),
        repr(("dag", "tasks", 0, "inline", "dag", "tasks", 0, "inline", "container", "image")),
    ]


def test_a_ref_with_siblings_keeps_both() -> None:
    spec = {"apiVersion": "kfdata.dev/v1alpha1", "kind": "DataBindings",
            "datasets": {"d": {"uri": "s3://b/k", "version": "v" * 300}},
            "bindings": [{"step": "s", "read": ["d"]}]}
    (diag,) = schemas.check(spec, SPEC, lambda path: Location("s.yaml", 1, 1, repr(path)))
    assert diag.message == "'version' has 300 characters; at most 253 allowed"


WORKFLOW = (b"apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: w}\n"
            b"spec:\n  entrypoint: s\n  templates:\n  - {name: s, container: {image: python}}\n")


@pytest.mark.parametrize(
    ("item", "message", "json_path"),
    [
        pytest.param("3", "item 0 must be a string or a mapping, not 3", "$.bindings[0].read[0]",
                     id="number"),
        pytest.param("[raw]", "item 0 must be a string or a mapping, not a list",
                     "$.bindings[0].read[0]", id="list"),
        # The schema's errorMessage (the hint) says what is allowed: no raw regex.
        pytest.param("Raw", "'Raw' does not match the allowed form",
                     "$.bindings[0].read[0]", id="bad-name"),
        pytest.param("{dataset: Raw}", "'Raw' does not match the allowed form",
                     "$.bindings[0].read[0].dataset", id="bad-name-in-mapping"),
        pytest.param("{dataset: raw, bogus: 1}", "unknown field 'bogus'",
                     "$.bindings[0].read[0].bogus", id="unknown-field"),
        pytest.param("{path: /x}", "'dataset' is required", "$.bindings[0].read[0]",
                     id="no-dataset"),
    ],
)
def test_a_bad_access_item_is_reported_in_its_own_form(item: str, message: str,
                                                       json_path: str) -> None:
    # Only the form given (a name, or a mapping) is checked: no guessing between the two.
    spec = ("apiVersion: kfdata.dev/v1alpha1\nkind: DataBindings\n"
            f"datasets:\n  raw: {{uri: 'https://h/x'}}\nbindings:\n- {{step: s, read: [{item}]}}\n")
    with pytest.raises(KfdataError) as caught:
        compile_text(WORKFLOW, spec.encode(), "p.yaml", "s.yaml")
    assert [(d.code, d.message, d.location.json_path) for d in caught.value.diagnostics] == [
        ("KF201", message, json_path)]


def test_a_wrong_type_names_the_field_shortens_the_value_and_keeps_the_description() -> None:
    container = {"name": "c", "image": "i", "ports": [{"containerPort": "x" * 200}]}
    (diag,) = schemas.check(container, ARGO, lambda path: Location("p.yaml", 1, 1, repr(path)),
                            definition="io.k8s.api.core.v1.Container")
    assert diag.message == f"'containerPort' must be an integer, not '{'x' * 74}...'"
    assert diag.hint.startswith("Number of port to expose")


# --- issue 11: one problem per cause, and a did-you-mean for every unknown field -----------------

def _store(body: str) -> dict[str, Any]:
    """A spec with one store ``minio`` whose body is the YAML ``body`` (dedented)."""
    return {"apiVersion": "kfdata.dev/v1alpha1", "kind": "DataBindings",
            "stores": {"minio": yaml.safe_load(textwrap.dedent(body))}}


INDENT_HINT = "indent {} under 's3' (YAML nests a mapping by indentation), e.g.\n  s3:\n{}"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            """\
            s3:
            endpoint: minio:9000
            credentials: {secret: creds, accessKey: ak, secretKey: sk}
            """,
            [(("stores", "minio", "endpoint"),
              "'endpoint' and 'credentials' belong to 's3' but are not indented under it",
              INDENT_HINT.format("them", "    endpoint: ...\n    credentials: ..."))],
            id="whole-body-under-indented"),
        pytest.param(
            """\
            s3:
              endpoint: minio:9000
            credentials: {secret: creds, accessKey: ak, secretKey: sk}
            """,
            [(("stores", "minio", "credentials"),
              "'credentials' belongs to 's3' but is not indented under it",
              INDENT_HINT.format("it", "    credentials: ..."))],
            id="last-field-dedented"),
        pytest.param(
            """\
            s3:
              insecure: true
            endpoint: minio:9000
            """,
            [(("stores", "minio", "endpoint"),
              "'endpoint' belongs to 's3' but is not indented under it",
              INDENT_HINT.format("it", "    endpoint: ..."))],
            id="required-field-dedented"),
        pytest.param(
            """\
            s3:
            endpoint: minio:9000
            bogus: 1
            """,
            [(("stores", "minio", "endpoint"),
              "'endpoint' belongs to 's3' but is not indented under it",
              INDENT_HINT.format("it", "    endpoint: ...")),
             (("stores", "minio", "bogus"), "unknown field 'bogus'",
              "allowed fields here: artifactRepository, gcs, git, http, lakefs, pachyderm, s3")],
            id="misplaced-and-unknown"),
        pytest.param(
            "s3: {endpoint: 'minio:9000', regoin: eu-west-1}",
            [(("stores", "minio", "s3", "regoin"), "unknown field 'regoin'",
              "did you mean 'region'?\nallowed fields here: credentials, endpoint, insecure, "
              "region")],
            id="did-you-mean"),
        pytest.param(
            "{endpoint: 'minio:9000'}",
            [(("stores", "minio", "endpoint"), "unknown field 'endpoint'",
              "'endpoint' is a field of 'lakefs', 'pachyderm' and 's3': write it under one of "
              "them\nallowed fields here: artifactRepository, gcs, git, http, lakefs, pachyderm, "
              "s3")],
            id="field-of-a-kind-with-no-kind"),
        pytest.param(
            "{s3: {endpoint: 'minio:9000'}, bogus: 1, other: 2}",
            [(("stores", "minio", "bogus"), "unknown field 'bogus'",
              "allowed fields here: artifactRepository, gcs, git, http, lakefs, pachyderm, s3"),
             (("stores", "minio", "other"), "unknown field 'other'",
              "allowed fields here: artifactRepository, gcs, git, http, lakefs, pachyderm, s3")],
            id="each-unknown-field-apart-and-not-too-many-fields"),
        pytest.param(
            "{s3: {endpoint: 'minio:9000'}, gcs: {}}",
            [(("stores", "minio"), "'minio' has 2 fields; at most 1 allowed", "")],
            id="two-kinds-is-still-too-many"),
    ],
)
def test_one_problem_per_cause(body: str, expected: list[tuple[Any, str, str]]) -> None:
    found = schemas.problems(_store(body), SPEC)
    assert [(p.path, p.message, p.hint) for p in found] == expected


def test_an_unknown_top_level_field_suggests_the_section() -> None:
    spec = {"apiVersion": "kfdata.dev/v1alpha1", "kind": "DataBindings", "dataset": {}}
    (problem,) = schemas.problems(spec, SPEC)
    assert (problem.path, problem.message) == (("dataset",), "unknown field 'dataset'")
    assert problem.hint.startswith("did you mean 'datasets'?\nallowed fields here: apiVersion,")


def test_an_unknown_argo_field_gets_a_did_you_mean_too() -> None:
    template = {"name": "t", "container": {"image": "i", "imagePullPolice": "Always"}}
    (problem,) = schemas.problems(template, ARGO, TEMPLATE)
    assert problem.path == ("container", "imagePullPolice")
    assert problem.hint.startswith("did you mean 'imagePullPolicy'?\nallowed fields here: args,")


def test_a_template_body_not_indented_under_its_container() -> None:
    template = {"name": "t", "container": None, "image": "alpine", "command": ["sh"]}
    (problem,) = schemas.problems(template, ARGO, TEMPLATE)
    assert (problem.path, problem.message) == (
        ("image",), "'image' and 'command' belong to 'container' but are not indented under it")
