"""Argo's rules that a JSON Schema cannot say, checked on plain dicts.

Each rule is a function ``(template, ctx) -> Iterator[Finding]`` listed in ``TEMPLATE_RULES``;
a finding is a code, a message and a path relative to the template::

    {name: train, container: {env: [{name: A}, {name: A}]}}
    ->  Finding("KF405", "env var 'A' appears twice in container 'main'", ("container", "env", 1))
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from kfdata_compiler import argo
from kfdata_compiler.diagnostics import Diagnostic, JsonPath, Location

TEMPLATE_NAME = re.compile(r"[a-zA-Z0-9][-a-zA-Z0-9]*")
ARTIFACT_NAME = re.compile(r"[-a-zA-Z0-9_]+")
DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
# Kubernetes validates env names with IsEnvVarName: [-._a-zA-Z][-._a-zA-Z0-9]* (since 1.8).
ENV_NAME = re.compile(r"[-._a-zA-Z][-._a-zA-Z0-9]*")
RESERVED_CONTAINERS = frozenset({"init", "wait", "main"})
RESERVED_VOLUMES = frozenset({"var-run-argo", "tmp-dir-argo", "input-artifacts", "argo-staging"})
LOCATION_KEYS = tuple(k for k in argo.ARTIFACT_SOURCES if k not in ("from", "fromExpression"))


@dataclass(frozen=True)
class Finding:
    """A rule violation inside one template (path relative to the template)."""

    code: str
    message: str
    path: JsonPath = ()


@dataclass(frozen=True)
class Context:
    """What a template rule may look at besides the template: the workflow's volume names."""

    spec_volumes: frozenset[str]


TemplateRule = Callable[[argo.Document, Context], Iterator[Finding]]


def _containers(template: argo.Document) -> Iterator[tuple[JsonPath, argo.Document, str]]:
    key = argo.main_container_key(template)
    if key:
        yield (key,), template[key], "main"
    for group in ("initContainers", "sidecars"):
        for i, c in enumerate(argo.named_list(template, group)):
            yield (group, i), c, str(c.get("name"))


def template_name(template: argo.Document, ctx: Context) -> Iterator[Finding]:
    """Template names match ``[a-zA-Z0-9][-a-zA-Z0-9]*`` and are at most 128 characters."""
    name = template.get("name")
    if not isinstance(name, str) or not TEMPLATE_NAME.fullmatch(name) or len(name) > 128:
        yield Finding("KF401", f"template name {name!r} is not a valid Argo name", ("name",))


def artifact_names(template: argo.Document, ctx: Context) -> Iterator[Finding]:
    """Artifact names are valid and unique per list; exactly one location each; leaf inputs have a path."""
    leaf = argo.template_type(template) in argo.LEAF_TYPES
    for side in ("inputs", "outputs"):
        seen: set[str] = set()
        for i, art in enumerate(argo.named_list(template.get(side), "artifacts")):
            here = (side, "artifacts", i)
            name = art.get("name")
            if not isinstance(name, str) or not ARTIFACT_NAME.fullmatch(name):
                yield Finding("KF402", f"artifact name {name!r} is not valid", (*here, "name"))
            elif name in seen:
                yield Finding("KF402", f"artifact {name!r} appears twice in {side}", here)
            seen.add(str(name))
            locations = [k for k in LOCATION_KEYS if art.get(k) is not None]
            if len(locations) > 1:
                yield Finding("KF403", f"artifact {name!r} has {len(locations)} locations "
                              f"({', '.join(locations)}); Argo allows one", here)
            if side == "inputs" and leaf:
                if not art.get("path"):
                    yield Finding("KF403", f"input artifact {name!r} of a container template "
                                  "has no path", here)
                if art.get("from") is not None:
                    yield Finding("KF403", f"input artifact {name!r} uses 'from', which only "
                                  "arguments may", here)


def mounts_and_paths(template: argo.Document, ctx: Context) -> Iterator[Finding]:
    """No two mounts or input artifact paths are equal; every volumeMount names a declared volume."""
    volumes = {str(v.get("name")) for v in argo.template_volumes(template)} | ctx.spec_volumes
    for i, vol in enumerate(argo.template_volumes(template)):
        if vol.get("name") in RESERVED_VOLUMES:
            yield Finding("KF406", f"volume name {vol.get('name')!r} is reserved by Argo", ("volumes", i))
    for path, container, label in _containers(template):
        seen: dict[str, str] = {}
        for i, mount in enumerate(argo.volume_mounts(container)):
            if mount.get("name") not in volumes:
                yield Finding("KF404", f"volumeMount {mount.get('name')!r} of container {label!r} "
                              "names no volume", (*path, "volumeMounts", i))
            where = str(mount.get("mountPath"))
            if where in seen:
                yield Finding("KF404", f"{where!r} is mounted twice in container {label!r}",
                              (*path, "volumeMounts", i))
            seen[where] = "mount"
        if label != "main":
            continue
        # Input artifacts are placed into the container: one path each, never over a mount.
        # (An output artifact may well sit on a mount: that is how a volume's data is collected.)
        for i, art in enumerate(argo.input_artifacts(template)):
            where = art.get("path")
            if isinstance(where, str) and where in seen:
                yield Finding("KF404", f"input artifact path {where!r} is already used in "
                              f"template {template.get('name')!r}", ("inputs", "artifacts", i))
            if isinstance(where, str):
                seen[where] = "input"


def env_and_containers(template: argo.Document, ctx: Context) -> Iterator[Finding]:
    """Env names are valid and unique per container; container names avoid Argo's own."""
    for path, container, label in _containers(template):
        if path[0] != argo.main_container_key(template) and label in RESERVED_CONTAINERS:
            yield Finding("KF406", f"container name {label!r} is reserved by Argo", path)
        seen: set[str] = set()
        for i, var in enumerate(argo.env_vars(container)):
            name = var.get("name")
            if not isinstance(name, str) or not ENV_NAME.fullmatch(name):
                yield Finding("KF405", f"env var name {name!r} is not valid", (*path, "env", i))
            elif name in seen:
                yield Finding("KF405", f"env var {name!r} appears twice in container {label!r}",
                              (*path, "env", i))
            seen.add(str(name))


TEMPLATE_RULES: tuple[TemplateRule, ...] = (
    template_name,
    artifact_names,
    mounts_and_paths,
    env_and_containers,
)


def check_templates(doc: argo.Document, names: set[str] | None,
                    locate: Callable[[JsonPath], Location]) -> list[Diagnostic]:
    """Run the template rules on a workflow document (only ``names`` when given)."""
    ctx = Context(frozenset(argo.spec_volume_names(doc)))
    out = []
    for index, template in enumerate(argo.templates(doc)):
        if names is not None and template.get("name") not in names:
            continue
        base = argo.template_path(doc, index)
        for rule in TEMPLATE_RULES:
            for finding in rule(template, ctx):
                out.append(Diagnostic(finding.code, finding.message, locate((*base, *finding.path))))
    return out


def unique_template_names(doc: argo.Document, locate: Callable[[JsonPath], Location]) -> list[Diagnostic]:
    """Template names are unique within a workflow."""
    seen: set[Any] = set()
    out = []
    for index, template in enumerate(argo.templates(doc)):
        name = template.get("name")
        if name in seen:
            out.append(Diagnostic("KF401", f"template name {name!r} appears twice",
                                  locate((*argo.template_path(doc, index), "name"))))
        seen.add(name)
    return out
