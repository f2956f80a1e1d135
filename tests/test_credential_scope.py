"""Capability-style credentials, checked on every golden output.

A step's own container (and its sidecars) never receives a store's or a type's Secret: only
Argo's executor does (artifact ``*Secret`` fields) or the kfdata init container that fetches the
data (``secretKeyRef`` env). Also: the dataset-type cases' pipeline.yaml files are byte-for-byte
copies of committed fixtures (so their provenance is that fixture's).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.paths import FIXTURES, GOLDEN

GOLDENS = sorted(GOLDEN.glob("*.yaml"))
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
WORKFLOW_KINDS = ("Workflow", "WorkflowTemplate", "CronWorkflow", "ClusterWorkflowTemplate")
COPIES = {
    "dvc-kfp-v1": "kfp-v1-sentiment",
    "dvc-hera": "hera-steps-script",
    "types-hera": "hera-dag",
    "pachyderm-hera": "hera-dag",
    "pachyderm-kfp-v1": "kfp-v1-display-names",
    "pachyderm-hera-steps": "hera-steps-script",
    "lakefs-kfp-v1": "kfp-v1-sentiment",
    "lakefs-hera": "hera-steps-script",
    "artifact-repo-kfp-v1": "kfp-v1-sentiment",
    "artifact-repo-hera": "hera-cron",
    "artifact-repo-default-hera": "hera-workflow-template",
    "err-types-schema": "kfp-v1-sentiment",
    "err-types-placeholders": "kfp-v1-sentiment",
    "err-types-datasets": "kfp-v1-sentiment",
    "err-artifact-repo-conflict": "hera-artifact-repo-ref",
    "err-all-at-once": "hera-steps-script",
}


def _secrets(spec: dict[str, Any]) -> set[str]:
    """Every Secret a spec names: its stores' and its types' credentials."""
    names = {
        config["credentials"]["secret"]
        for body in (spec.get("stores") or {}).values()
        for config in body.values()
        if isinstance(config, dict) and config.get("credentials")
    }
    names |= {t["credentials"]["secret"] for t in (spec.get("types") or {}).values()
              if t.get("credentials")}
    return names


def _templates(doc: dict[str, Any]) -> list[dict[str, Any]]:
    spec = doc["spec"]["workflowSpec"] if doc["kind"] == "CronWorkflow" else doc["spec"]
    return list(spec.get("templates") or [])  # a workflowTemplateRef Workflow has none


def _containers(template: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for key in ("container", "script"):
        if isinstance(template.get(key), dict):
            yield "main", template[key]
    for sidecar in template.get("sidecars") or []:
        yield "sidecar", sidecar
    for member in (template.get("containerSet") or {}).get("containers") or []:
        yield "main", member
    for init in template.get("initContainers") or []:
        yield "init", init


def _secret_refs(container: dict[str, Any]) -> set[str]:
    refs = {((var.get("valueFrom") or {}).get("secretKeyRef") or {}).get("name")
            for var in container.get("env") or []}
    refs |= {(source.get("secretRef") or {}).get("name") for source in container.get("envFrom") or []}
    return {r for r in refs if r}


def _outputs(golden: Path) -> Iterator[tuple[set[str], dict[str, Any]]]:
    spec = yaml.load((FIXTURES / golden.stem / "pipeline.kfdata.yaml").read_text(), LOADER)
    for doc in yaml.load_all(golden.read_text(), LOADER):
        if isinstance(doc, dict) and doc.get("kind") in WORKFLOW_KINDS:
            for template in _templates(doc):
                yield _secrets(spec), template


@pytest.mark.parametrize("golden", GOLDENS, ids=lambda p: p.stem)
def test_main_containers_and_sidecars_never_get_store_secrets(golden: Path) -> None:
    for secrets, template in _outputs(golden):
        for role, container in _containers(template):
            if role == "init" and str(container.get("name", "")).startswith("kfdata-"):
                continue  # the fetching init container is where credentials belong
            leaked = _secret_refs(container) & secrets
            assert not leaked, f"{role} container of {template['name']!r} gets {leaked}"
        for volume in template.get("volumes") or []:
            assert (volume.get("secret") or {}).get("secretName") not in secrets, volume


def test_init_containers_are_the_only_holders_and_the_check_is_not_vacuous() -> None:
    holders = set()
    for golden in GOLDENS:
        for secrets, template in _outputs(golden):
            for role, container in _containers(template):
                if _secret_refs(container) & secrets:
                    holders.add((role, str(container["name"]).startswith("kfdata-")))
    assert holders == {("init", True)}, f"Secret holders (role, ours): {holders or 'none'}"


@pytest.mark.parametrize(("case", "source"), sorted(COPIES.items()))
def test_dataset_type_cases_reuse_committed_pipelines(case: str, source: str) -> None:
    copy = (FIXTURES / case / "pipeline.yaml").read_bytes()
    assert copy == (FIXTURES / source / "pipeline.yaml").read_bytes(), (
        f"fixtures/{case}/pipeline.yaml must stay a copy of fixtures/{source}/pipeline.yaml")
