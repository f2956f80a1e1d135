"""Dataset types in the spec: parsing, the checks a schema cannot say, placeholders, secrets."""

from __future__ import annotations

import pytest

from kfdata_compiler.compiler import compile_text
from kfdata_compiler.diagnostics import Location, Severity
from kfdata_compiler.errors import SpecError
from kfdata_compiler.load import load_source
from kfdata_compiler.spec import DataBindings, builtin_types, credentials, parse_spec, placeholders
from kfdata_compiler.spec.datatypes import ARGO_KINDS, DatasetType, check_types
from tests.paths import FIXTURES


def parse(text: str) -> DataBindings:
    head = "apiVersion: kfdata.dev/v1alpha1\nkind: DataBindings\n"
    return parse_spec(load_source("spec.yaml", (head + text).encode()))


def problems(text: str) -> list[tuple[str, str, int, int]]:
    with pytest.raises(SpecError) as caught:
        parse(text)
    return [(d.code, d.location.json_path, d.location.line, d.location.col)
            for d in caught.value.diagnostics]


def test_builtin_types_parse_and_are_overridden_by_name() -> None:
    assert set(builtin_types()) == {"dvc", "pachctl"}
    assert all(t.builtin for t in builtin_types().values())
    assert not set(builtin_types()) & ARGO_KINDS
    spec = parse("types:\n  dvc: {image: 'x/dvc:3', args: [dvc, get, '{uri}', '{path}']}\n")
    assert spec.types["dvc"] == DatasetType("dvc", "x/dvc:3", ("dvc", "get", "{uri}", "{path}"))
    assert spec.types["pachctl"] == builtin_types()["pachctl"]


def test_a_type_parses_to_values() -> None:
    spec = parse("""types:
  fetch:
    image: curlimages/curl:8.8.0
    args: [curl, -o, "{path}", "{uri}"]
    env: {NO_PROXY: "{uri.host}"}
    credentials: {secret: fetch-creds, env: {NETRC_USER: user}}
""")
    assert spec.types["fetch"] == DatasetType(
        "fetch", "curlimages/curl:8.8.0", ("curl", "-o", "{path}", "{uri}"),
        (("NO_PROXY", "{uri.host}"),), "fetch-creds", (("NETRC_USER", "user"),))
    assert spec.types["fetch"].placeholders == {"path", "uri", "uri.host"}
    assert spec.warnings == ()


def test_unknown_placeholders_are_located_at_their_argument() -> None:
    found = problems("types:\n  t:\n    image: a:1\n    args:\n      - get\n"
                     "      - '{uri.repository}'\n      - '{path}'\n")
    assert found == [("KF208", "$.types.t.args[1]", 8, 9)]


@pytest.mark.parametrize(
    ("body", "where"),
    [
        pytest.param("{image: a:1, args: [echo, '{uri}']}", "$.types.t.args", id="no-path"),
        pytest.param("{image: a:1, args: [get, '{store.endpoint}', '{path}']}",
                     "$.types.t.args[1]", id="store-placeholder-without-store"),
        pytest.param("{image: a:1, args: [get, '{store.pachd}', '{path}'], store: lakefs}",
                     "$.types.t.args[1]", id="pachd-from-a-lakefs-store"),
        pytest.param("{image: a:1, args: [get, '{path}'], env: {U: x}, "
                     "credentials: {secret: s, env: {U: u}}}", "$.types.t.env.U", id="env-twice"),
    ],
)
def test_types_that_cannot_work(body: str, where: str) -> None:
    assert [(c, p) for c, p, _, _ in problems(f"types:\n  t: {body}\n")] == [("KF208", where)]


def test_a_type_may_not_take_an_argo_driver_name() -> None:
    found = problems("types:\n  lakefs: {image: a:1, args: [get, '{path}']}\n")
    assert [(c, p) for c, p, _, _ in found] == [("KF208", "$.types.lakefs")]


@pytest.mark.parametrize(
    ("image", "pinned"),
    [("python", False), ("python:latest", False), ("registry:5000/team/tool", False),
     ("registry:5000/team/tool:latest", False), ("python:3.11", True),
     ("registry:5000/team/tool:1.2", True), ("tool@sha256:" + "0" * 64, True),
     ("ghcr.io/org/tool:latest@sha256:" + "0" * 64, True)],
)
def test_unpinned_images_are_warnings(image: str, pinned: bool) -> None:
    section = {"t": {"image": image, "args": ["get", "{path}"]}}
    found = check_types(section, lambda path: Location("s.yaml"))
    assert [(d.code, d.severity) for d in found] == ([] if pinned else
                                                     [("KF209", Severity.WARNING)])


def test_warnings_reach_the_compile_result() -> None:
    spec = (b"apiVersion: kfdata.dev/v1alpha1\nkind: DataBindings\n"
            b"types: {t: {image: 'curlimages/curl', args: [curl, -o, '{path}', '{uri}']}}\n"
            b"datasets: {d: {uri: 'https://h/x', type: t}}\n"
            b"bindings: [{step: preprocess, read: [d]}]\n")
    pipeline = (FIXTURES / "kfp-v1-sentiment" / "pipeline.yaml").read_bytes()
    result = compile_text(pipeline, spec, "p.yaml", "s.yaml")
    assert [(d.code, d.location.json_path) for d in result.warnings] == [
        ("KF209", "$.types.t.image")]


@pytest.mark.parametrize(
    ("text", "names", "unknown"),
    [
        ("{uri}", ["uri"], []),
        ("{uri.repo}@{uri.ref}:{uri.path}", ["uri.repo", "uri.ref", "uri.path"], []),
        ("{{workflow.uid}}/{path}", ["path"], []),
        ("{}", [], []),
        ('{"json": 1}', [], []),
        ("{revison}-{PATH}-{uri.repository}", ["revison", "PATH", "uri.repository"],
         ["revison", "PATH", "uri.repository"]),
    ],
)
def test_placeholder_tokens(text: str, names: list[str], unknown: list[str]) -> None:
    assert placeholders.used(text) == names
    assert placeholders.unknown(text) == unknown


def test_substitution_is_one_pass() -> None:
    values = {"uri": "{path}", "path": "/out", "revision": "$(X) ;`id`"}
    assert placeholders.substitute("{uri}|{path}|{revision}|{{x}}", values) == \
        "{path}|/out|$(X) ;`id`|{{x}}"


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"env": {"AWS_SECRET_ACCESS_KEY": "abc"}}, ("env", "AWS_SECRET_ACCESS_KEY")),
        ({"env": {"github_token": "x"}}, ("env", "github_token")),
        ({"args": ["get", "--token", "abc", "{path}"]}, ("args", 2)),
        ({"args": ["get", "--API-KEY=abc", "{path}"]}, ("args", 1)),
        ({"args": ["get", "--password", "$(PW)", "--token-file", "/run/t", "{path}"]}, None),
        ({"args": ["get", "--token", "{uri.host}", "--secret", "--verbose"]}, None),
        ({"env": {"TOKEN_FILE": "/var/run/secrets/t", "REGION": "eu"}}, None),
    ],
)
def test_literal_secrets_in_a_type(body: dict[str, object], where: tuple[object, ...] | None) -> None:
    found = [path for path, _ in credentials.find_literal_credentials({"types": {"t": body}})]
    assert found == ([("types", "t", *where)] if where else [])


@pytest.mark.parametrize("module", ["kfdata_compiler.spec.placeholders", "kfdata_compiler.drivers.need",
                                    "kfdata_compiler.spec.credentials",
                                    "kfdata_compiler.drivers.pachyderm",
                                    "kfdata_compiler.drivers.lakefs"])
def test_docstring_examples_hold(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted and not result.failed
