"""The incremental key resolves on every release datums allow: a Python twin of the scopes of
Argo's substitution passes (issue 18 §7).

``common.ProcessArgs`` -> ``SubstituteParams`` (``workflow/common/util.go``) replaces the tags of
a template's JSON in two passes, both allowing what they cannot resolve: first the globals and
locals (``workflow.namespace`` is a global), then the inputs. Up to v3.5.14, v3.6.7 and v3.4.18
the second pass starts from ``replaceMap = make(map[string]string)``: the globals are gone, so an
expression naming both ``workflow.namespace`` and ``inputs`` is never resolved, and the
controller refuses the literal key ("invalid cache key": ``cacheKeyRegex``
``^[a-zA-Z0-9][-a-zA-Z0-9]*$``, ``workflow/controller/cache/configmap_cache.go``). v3.5.15,
v3.6.8 and v3.7.0 dropped that line (commits dd63684662, 6fe7eaa4ac: "ensure variable sub and
processing is performed", #14444): the second pass keeps the globals.
"""

from __future__ import annotations

import hashlib
import json
import re
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from kfdata_compiler.compiler import compile_text
from kfdata_compiler.formats.argo import versions
from kfdata_compiler.formats.argo.versions import ArgoVersion
from tests.formats.argo.datums.test_memoize import go_json, memo_key
from tests.paths import FIXTURES

CACHE_KEY = re.compile(r"^[a-zA-Z0-9][-a-zA-Z0-9]*$")  # cache.go, v3.4.17 to v4.0.10
TAG = re.compile(r"\{\{(=?)([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}\}")
NAMESPACE = "team-a"
# The first release of each line whose second pass keeps the globals (util.go at the tags).
MERGED = {(3, 5): ArgoVersion(3, 5, 15), (3, 6): ArgoVersion(3, 6, 8)}
RELEASES = ["3.4.17", "3.4.18", "3.5.0", "3.5.14", "3.5.15", "3.6.0", "3.6.7", "3.6.8",
            "3.6.19", "3.7.0", "3.7.3", "3.7.18", "4.0.5", "4.0.10"]


def keeps_globals(release: ArgoVersion) -> bool:
    """Whether the inputs pass of ``SubstituteParams`` still sees the globals."""
    if release >= ArgoVersion(3, 7, 0):
        return True
    first = MERGED.get((release.major, release.minor))
    return first is not None and release >= first


class _Sprig:
    @staticmethod
    def sha256sum(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @staticmethod
    def substr(start: int, end: int, text: str) -> str:
        return text[start:end]


class _Parameters(dict[str, str]):
    """``inputs.parameters``: indexable by name; toJson gives Go's marshalling of the map."""


def _evaluate(expression: str, env: dict[str, Any]) -> str | None:
    """An expression tag's value, or None when it names what the pass does not have (Argo
    leaves it as written). Only the operators kfdata emits are needed: calls, ``+``, ``[]``
    and slices, which Python spells alike."""
    scope = {"sprig": _Sprig, "toJson": lambda v: go_json(dict(v)), **env}
    try:
        value = eval(expression, {"__builtins__": {}}, scope)  # noqa: S307 - our own text
    except (NameError, AttributeError):
        return None
    return str(value)


def _replace(text: str, env: dict[str, Any], simple: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        if match.group(1) == "=":
            value = _evaluate(match.group(2), env)
        else:
            value = simple.get(match.group(2).strip())
        return match.group(0) if value is None else value

    return TAG.sub(one, text)


def substitute(template: dict[str, Any], arguments: dict[str, str],
               release: ArgoVersion) -> dict[str, Any]:
    """The template as ``ProcessArgs`` leaves it for the memoize lookup on ``release``."""
    resolved = json.loads(json.dumps(template))
    for parameter in resolved.get("inputs", {}).get("parameters", []):
        if parameter["name"] in arguments:  # overwriteWithArguments
            parameter["value"] = arguments[parameter["name"]]
        elif "default" in parameter:  # overwriteWithDefaultParams
            parameter["value"] = parameter["default"]
    workflow = SimpleNamespace(namespace=NAMESPACE)
    globals_env = {"workflow": workflow}
    first = json.loads(_replace(json.dumps(resolved), globals_env,
                                {"workflow.namespace": NAMESPACE}))
    parameters = _Parameters({p["name"]: p["value"] for p in first["inputs"]["parameters"]})
    env: dict[str, Any] = {"inputs": SimpleNamespace(parameters=parameters)}
    simple = {f"inputs.parameters.{k}": v for k, v in parameters.items()}
    if keeps_globals(release):
        env.update(globals_env)
        simple["workflow.namespace"] = NAMESPACE
    return dict(json.loads(_replace(json.dumps(first), env, simple)))


def _bound(case: str) -> dict[str, Any]:
    pipeline, spec = FIXTURES / case / "pipeline.yaml", FIXTURES / case / "pipeline.kfdata.yaml"
    lock = spec.with_suffix(".lock")
    out = compile_text(pipeline.read_bytes(), spec.read_bytes(), str(pipeline), str(spec),
                       lock.read_bytes() if lock.is_file() else None, str(lock)).output
    doc = yaml.safe_load(out)
    spec_of = doc["spec"].get("workflowSpec", doc["spec"])
    return next(t for t in spec_of["templates"] if "memoize" in t)


OLD_SHAPE = {
    "name": "t",
    "inputs": {"parameters": [{"name": "kfdata-datum-images"}]},
    "memoize": {"key": "{{=sprig.sha256sum('kfdata/v1:S:' + workflow.namespace + ':' + "
                       "toJson(inputs.parameters))}}"},
}


@pytest.mark.parametrize("release", RELEASES)
def test_the_twin_has_upstreams_two_scopes(release: str) -> None:
    # The shape kfdata emitted before: the key names a global and the inputs.
    target = versions.parse(release)
    key = substitute(OLD_SHAPE, {"kfdata-datum-images": "cat"}, target)["memoize"]["key"]
    assert bool(CACHE_KEY.match(key)) == keeps_globals(target)
    assert not keeps_globals(versions.parse("3.6.7")) and keeps_globals(versions.parse("3.6.8"))


@pytest.mark.parametrize("release", RELEASES)
@pytest.mark.parametrize(("case", "arguments", "datum"), [
    pytest.param("datum-kfp-v1", {"batch_size": "32", "kfdata-datum-images": "cat"},
                 "kfdata-datum-images", id="kfp-v1-16-shards"),
    pytest.param("datum-whole", {}, None, id="whole-dataset-no-inputs-of-its-own"),
])
def test_the_emitted_key_resolves_on_every_release(release: str, case: str,
                                                   arguments: dict[str, str],
                                                   datum: str | None) -> None:
    template = _bound(case)
    done = substitute(template, arguments, versions.parse(release))
    key = done["memoize"]["key"]
    assert CACHE_KEY.match(key), key
    s = re.search(r"kfdata/v1:([0-9a-f]{64}):", template["memoize"]["key"])
    assert s is not None
    parameters = {p["name"]: p.get("value", arguments.get(p["name"]))
                  for p in template["inputs"]["parameters"]}
    parameters["kfdata-namespace"] = NAMESPACE
    assert key == memo_key(s.group(1), NAMESPACE, parameters)
    name = done["memoize"]["cache"]["configMap"]["name"]
    assert "{{" not in name
    if datum is not None:
        digit = hashlib.sha256(arguments[datum].encode()).hexdigest()[:1]
        assert name == f"kfdata-memo-{s.group(1)[:16]}-{digit}"
