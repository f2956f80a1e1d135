"""The DataBindings schema speaks to people: editors (yaml-language-server) show its
descriptions on hover and its ``errorMessage`` in place of "String does not match the pattern
of "^[a-z]…$"", and kfdata-compile's own KF201 says the same instead of printing the regex."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest

from kfdata_compiler import schemas
from kfdata_compiler.diagnostics import Location
from tests.paths import ROOT

SPEC = "databindings.schema.json"
SCHEMA = schemas.load_schema(SPEC)
# Keywords of the editors' vocabulary (yaml-language-server, VS Code): annotations to jsonschema.
EDITOR_WORDS = ("errorMessage", "markdownDescription")


def _nodes(node: Any, path: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object in the file, with a JSON pointer-ish path for messages."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            if key not in ("const", "enum"):  # values there are data, not schemas
                yield from _nodes(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _nodes(value, f"{path}/{i}")


PATTERNS = [pytest.param(node, id=path) for path, node in _nodes(SCHEMA) if "pattern" in node]
PROPERTIES = [
    pytest.param(schema, id=f"{path}/{name}")
    for path, node in _nodes(SCHEMA) if isinstance(node.get("properties"), dict)
    for name, schema in node["properties"].items()
]


def test_the_walk_finds_the_patterns_and_properties() -> None:
    assert len(PATTERNS) >= 13 and len(PROPERTIES) >= 60


@pytest.mark.parametrize("node", PATTERNS)
def test_every_pattern_says_in_words_what_it_allows(node: dict[str, Any]) -> None:
    for word in ("description", "errorMessage"):
        text = node.get(word)
        assert isinstance(text, str) and len(text) > 20, f"{word} missing or too short"
        assert node["pattern"] not in text, f"{word} repeats the regex"
    # The editor's error names an example that the pattern accepts.
    assert "e.g." in node["errorMessage"] or "Expected" in node["errorMessage"]


@pytest.mark.parametrize("node", PROPERTIES)
def test_every_property_has_a_description(node: dict[str, Any]) -> None:
    # Its own, not only its $ref's: hover shows the field's meaning, and a shared definition
    # (secretKey, hostPort) cannot say which key or which endpoint this one is.
    assert isinstance(node.get("description"), str) and node["description"].strip()


def test_definitions_carry_no_markdown_description() -> None:
    # yaml-language-server merges a $ref'd definition under the field's own keywords and shows
    # markdownDescription before description: one on a definition would hide the description
    # of every field that uses it. So it is used only inline, beside a field's description.
    for name, definition in SCHEMA["$defs"].items():
        assert "markdownDescription" not in definition, name
    inline = [node for _, node in _nodes(SCHEMA) if "markdownDescription" in node]
    assert inline and all("description" in node for node in inline)


def test_the_editor_vocabulary_is_ignored_by_validation() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    validator = schemas._validator(SPEC)
    assert not set(EDITOR_WORDS) & set(type(validator).VALIDATORS)
    spec = {"apiVersion": "kfdata.dev/v1alpha1", "kind": "DataBindings",
            "datasets": {"d": {"uri": "s3://b/k"}}, "bindings": [{"step": "s", "read": ["d"]}]}
    assert list(validator.iter_errors(spec)) == []


def _defn(name: str) -> dict[str, Any]:
    found: dict[str, Any] = SCHEMA["$defs"][name]
    return found


ACCESS = _defn("access")["else"]["properties"]
BAD = [
    pytest.param({"datasets": {"Bad_Name": {"uri": "s3://b/k"}}}, _defn("datasetName"),
                 id="dataset-name"),
    pytest.param({"stores": {"9lives": {"gcs": {}}}}, _defn("storeName"), id="store-name"),
    pytest.param({"datasets": {"d": {"uri": "s3://b/k", "revision": "--upload-pack=x"}}},
                 _defn("dataset")["properties"]["revision"], id="revision"),
    pytest.param({"stores": {"m": {"s3": {"endpoint": "http://minio:9000"}}}}, _defn("hostPort"),
                 id="endpoint"),
    pytest.param({"bindings": [{"step": "s", "read": [{"dataset": "d", "env": "reviews"}]}]},
                 ACCESS["env"], id="env-stem"),
    pytest.param({"bindings": [{"step": "s", "read": [{"dataset": "d", "into": "a b"}]}]},
                 ACCESS["into"], id="into"),
]


@pytest.mark.parametrize(("fragment", "node"), BAD)
def test_kf201_gives_the_error_message_not_the_regex(fragment: dict[str, Any],
                                                     node: dict[str, Any]) -> None:
    spec = {"apiVersion": "kfdata.dev/v1alpha1", "kind": "DataBindings", **fragment}
    found = schemas.check(spec, SPEC, lambda path: Location("s.yaml", 1, 1, repr(path)))
    (diag,) = [d for d in found if "allowed form" in d.message]
    assert node["pattern"] not in diag.message + diag.hint
    assert diag.hint == node["errorMessage"]


def test_the_schemas_beside_the_sources_are_the_packaged_ones() -> None:
    # Only kfdata_compiler/_schemas/ is installed; schemas/*.json are symlinks to it, for the
    # paths people know. A regular file there would not ship, and an editor that saves by
    # replacing a link would silently fork the schema: both fail here.
    packaged = ROOT / "kfdata_compiler" / "_schemas"
    assert SPEC in {p.name for p in packaged.glob("*.json")}
    for link in sorted((ROOT / "schemas").glob("*.json")):
        assert link.is_symlink(), f"{link.name}: put it in kfdata_compiler/_schemas/ and link it"
        target = packaged / link.name
        assert target.is_file() and not target.is_symlink()
        assert link.resolve() == target.resolve()
