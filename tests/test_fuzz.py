"""Fuzzing through the CLI over ../shared/corpus: whatever the spec and the pipeline, the user sees
exit 0 or 1, never exit 3, never a traceback, and nothing is written when the compile fails.

Specs are generated loosely on purpose (steps that match nothing, DAG templates, ``into`` names
that may not exist, URIs with ``{{...}}`` tags the template may lack, every dataset kind), and
pipelines are mutated the ways hand edits break them (duplicate names, wrong types, a forged
edit journal). The number of examples follows ``KFDATA_HYPOTHESIS_EXAMPLES``; under ``CI`` the
examples are derandomized (tests/strategies.py), so a submission's result does not depend on luck.
Skipped when ../shared/corpus is absent.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from kfdata_compiler.cli import main
from kfdata_compiler.yamlio import dump_documents, load_documents
from tests.paths import CORPUS
from tests.strategies import scaled

FOLDERS = ("argo-examples", "kfp-v1-argo", "kfp-v2-argo")
FILES = sorted(p for f in FOLDERS for p in (CORPUS / f).glob("*.yaml")) if CORPUS.is_dir() else []
pytestmark = pytest.mark.skipif(not FILES, reason="../shared/corpus is not present")
WORKFLOW_KINDS = {"Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow"}

STORES = {
    "minio": {"s3": {"endpoint": "minio-service.kubeflow:9000", "insecure": True,
                     "credentials": {"secret": "mlpipeline-minio-artifact",
                                     "accessKey": "accesskey", "secretKey": "secretkey"}}},
    "gcp": {"gcs": {"credentials": {"secret": "gcp-sa", "serviceAccountKey": "key.json"}}},
    "pach": {"pachyderm": {"endpoint": "pachd.pachyderm:30600",
                           "credentials": {"secret": "pach-s3", "token": "auth-token"}}},
    "lake": {"lakefs": {"endpoint": "lakefs.lakefs:8000",
                        "credentials": {"secret": "lakefs", "accessKey": "accesskey",
                                        "secretKey": "secretkey"}}},
    "repo": {"artifactRepository": {"configMap": "artifact-repositories", "key": "minio"}},
}
# URIs by kind, with the store they need ({} for none); {tag} may become a {{...}} reference.
URIS = (
    ("s3://datasets/reviews{tag}/2024", "minio"),
    ("gs://corpora/en{tag}/", "gcp"),
    ("https://example.org/vocab{tag}.txt", None),
    ("git+https://github.com/org/repo.git{tag}", None),
    ("pvc://claim/sub{tag}", None),
    ("pach://images@master:/raw{tag}", "pach"),
    ("lakefs://repo/main/path{tag}", "lake"),
    ("artifact://models/m{tag}", "repo"),
    ("dvc://github.com/org/registry/features{tag}", None),
    ("ftp://nowhere/x{tag}", None),
)
TAGS = ("", "", "/{{workflow.uid}}", "/{{inputs.parameters.%s}}", "/{{inputs.artifacts.%s.path}}",
        "/{{steps.%s.outputs.result}}", "/{{tasks.%s.outputs.result}}", "/{{=sprig.trim('x')}}",
        "/{{item}}", "/{{pod.name}}")
FORGED_JOURNALS = ('[["add",["spec"]]]', "not json", '[["set",["container","image"],"x"]]',
                   '[["add",["inputs",{"name":"user"}]]]', "[[1,2,3,4]]", '{"a":1}')


@functools.cache
def _corpus(path: Path) -> tuple[bytes, tuple[Any, ...]]:
    data = path.read_bytes()
    try:
        docs = tuple(load_documents(data.decode(), str(path)))
    except Exception:  # noqa: BLE001 - a corpus file we refuse on purpose is still input
        docs = ()
    return data, docs


def _templates(doc: Any) -> list[dict[str, Any]]:
    if not isinstance(doc, dict) or doc.get("kind") not in WORKFLOW_KINDS:
        return []
    spec = doc.get("spec") or {}
    if doc.get("kind") == "CronWorkflow":
        spec = spec.get("workflowSpec") or {}
    found = spec.get("templates") if isinstance(spec, dict) else None
    return [t for t in found if isinstance(t, dict)] if isinstance(found, list) else []


def _names(docs: tuple[Any, ...]) -> dict[str, list[str]]:
    """What a spec could name: templates, KFP names, step/task names, parameter/artifact names."""
    out: dict[str, list[str]] = {"steps": [], "params": [], "artifacts": [], "calls": []}
    for doc in docs:
        for t in _templates(doc):
            out["steps"].append(str(t.get("name")))
            meta = t.get("metadata") if isinstance(t.get("metadata"), dict) else {}
            annotations = meta.get("annotations") if isinstance(meta.get("annotations"), dict) else {}
            display = annotations.get("pipelines.kubeflow.org/task_display_name")
            if isinstance(display, str):
                out["steps"].append(display)
            inputs = t.get("inputs") if isinstance(t.get("inputs"), dict) else {}
            for key, into in (("parameters", "params"), ("artifacts", "artifacts")):
                entries = inputs.get(key) if isinstance(inputs.get(key), list) else []
                out[into] += [str(e.get("name")) for e in entries if isinstance(e, dict)]
            dag = t.get("dag") if isinstance(t.get("dag"), dict) else {}
            tasks = dag.get("tasks") if isinstance(dag.get("tasks"), list) else []
            out["calls"] += [str(c.get("name")) for c in tasks if isinstance(c, dict)]
    return {k: v or ["x"] for k, v in out.items()}


@st.composite
def _mutated(draw: st.DrawFn, docs: tuple[Any, ...]) -> list[Any] | None:
    """A hand edit that breaks the pipeline (None: keep the file's own bytes)."""
    kind = _rarely(draw, ["none"], ["duplicate", "rename", "retype", "journal",
                                   "drop-container", "duplicate-call"])
    out = copy.deepcopy(list(docs))
    templates = [t for d in out for t in _templates(d)]
    if kind == "none" or not templates:
        return None
    victim = draw(st.sampled_from(templates))
    if kind == "duplicate":
        spec_templates = next(_raw_list(d) for d in out if victim in _templates(d))
        spec_templates.append(copy.deepcopy(victim))
    elif kind == "rename":
        victim["name"] = str(draw(st.sampled_from(templates)).get("name"))
    elif kind == "retype":
        field = draw(st.sampled_from(("inputs", "outputs", "container", "metadata", "volumes")))
        victim[field] = draw(st.sampled_from(("text", 3, ["a"], None, {"artifacts": "x"})))
    elif kind == "journal":
        meta = victim.setdefault("metadata", {})
        if isinstance(meta, dict):
            annotations = meta.setdefault("annotations", {})
            if isinstance(annotations, dict):
                annotations["kfdata.dev/edits"] = draw(st.sampled_from(FORGED_JOURNALS))
    elif kind == "drop-container":
        victim.pop("container", None)
        victim.pop("script", None)
    elif kind == "duplicate-call":
        dag = victim.get("dag")
        tasks = dag.get("tasks") if isinstance(dag, dict) else None
        if isinstance(tasks, list) and tasks:
            tasks.append(copy.deepcopy(tasks[0]))
    return out


def _raw_list(doc: Any) -> list[Any]:
    spec = doc["spec"]["workflowSpec"] if doc.get("kind") == "CronWorkflow" else doc["spec"]
    found: list[Any] = spec["templates"]
    return found


def _rarely(draw: st.DrawFn, choices: list[Any], odd: list[Any]) -> Any:
    """One of ``choices``, or one of ``odd`` about one time in sixteen: enough broken input to
    reach every error path, and enough sound input to reach the rewrite and validate stages."""
    # Not st.integers(): hypothesis draws its bounds far more often than one time in sixteen.
    if odd and draw(st.sampled_from(range(16))) == 5:
        return draw(st.sampled_from(odd))
    return draw(st.sampled_from(choices))


def _leaf_steps(docs: tuple[Any, ...]) -> list[str]:
    return [str(t.get("name")) for d in docs for t in _templates(d)
            if isinstance(t.get("container"), dict) or isinstance(t.get("script"), dict)]


@st.composite
def _spec(draw: st.DrawFn, docs: tuple[Any, ...]) -> dict[str, Any]:
    """A schema-shaped spec whose bindings usually fit the pipeline, and sometimes do not."""
    names = _names(docs)
    datasets: dict[str, Any] = {}
    for name in draw(st.lists(st.sampled_from(("d", "reviews", "model", "e-2")), min_size=1,
                              max_size=3, unique=True)):
        uri, store = _rarely(draw, list(URIS[:-1]), [URIS[-1]])
        tag = _rarely(draw, ["", "/{{workflow.uid}}", "/{{pod.name}}"], list(TAGS[3:]))
        if "%s" in tag:
            pool = names["params"] if "parameters" in tag else (
                names["artifacts"] if "artifacts" in tag else names["calls"])
            tag %= draw(st.sampled_from([*pool, "nope"]))
        body: dict[str, Any] = {"uri": uri.format(tag=tag)}
        if uri.startswith("dvc:") and _rarely(draw, [True], [False]):
            body["revision"] = "v1.2"
        if store and _rarely(draw, [True], [False]):
            body["store"] = store
        if draw(st.booleans()):
            body["version"] = _rarely(draw, ["v1", "{{workflow.uid}}"],
                                      ["{{inputs.parameters.v}}"])
        datasets[name] = body
    leaves = _leaf_steps(docs) or names["steps"]
    bindings = []
    for _ in range(draw(st.integers(1, 3))):
        step = _rarely(draw, leaves, [*names["steps"], *names["calls"], "*", "*-*", "nope"])
        binding: dict[str, Any] = {"step": step}
        for mode in _rarely(draw, [("read",)], [("write",), ("read", "write")]):
            items: list[Any] = []
            for dataset in draw(st.lists(st.sampled_from(list(datasets)), min_size=1,
                                         max_size=2, unique=True)):
                dataset = "missing" if draw(st.sampled_from(range(32))) == 5 else dataset
                shape = _rarely(draw, ["plain", "plain", "path", "env", "datum"], ["into"])
                if shape == "plain":
                    items.append(dataset)
                elif shape == "path":
                    path = _rarely(draw, ["/data/x", "/mnt/data/y"],
                                   ["/tmp", "relative", "/kfdata/d/e"])
                    items.append({"dataset": dataset, "path": path})
                elif shape == "env":
                    items.append({"dataset": dataset, "env": "DATA"})
                elif shape == "datum":  # docs/datums.md: fan-out, lists, memoize
                    glob = draw(st.sampled_from(("/", "/*", "/**", "/*/*", "/a?", "bad glob")))
                    items.append({"dataset": dataset, "datum": {
                        "glob": glob, "incremental": draw(st.booleans())}})
                else:
                    items.append({"dataset": dataset,
                                  "into": draw(st.sampled_from([*names["artifacts"], "nope"]))})
            binding[mode] = items
        bindings.append(binding)
    return {"apiVersion": "kfdata.dev/v1alpha1", "kind": "DataBindings", "stores": STORES,
            "datasets": datasets, "bindings": bindings}


@st.composite
def cases(draw: st.DrawFn) -> tuple[bytes, bytes]:
    """(pipeline bytes, spec bytes) for one fuzz run."""
    path = draw(st.sampled_from(FILES))
    data, docs = _corpus(path)
    mutated = draw(_mutated(docs)) if docs else None
    pipeline = data if mutated is None else dump_documents(mutated).encode()
    spec = yaml.safe_dump(draw(_spec(docs)), sort_keys=False).encode()
    return pipeline, spec


def _run_cli(pipeline: bytes, spec: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "p.yaml").write_bytes(pipeline)
        (root / "s.yaml").write_bytes(spec)
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            status = main([str(root / "p.yaml"), "--spec", str(root / "s.yaml"),
                           "-o", str(root / "out.yaml")])
        err = stderr.getvalue()
        assert status in (0, 1), err
        assert "Traceback" not in err and "internal error" not in err, err
        left = sorted(p.name for p in root.iterdir())
        if status == 1:
            assert left == ["p.yaml", "s.yaml"], (left, err)  # nothing written, no temp file
        else:
            assert left == ["out.yaml", "p.yaml", "s.yaml"], (left, err)


@scaled(3)
@given(case=cases())
def test_compile_never_crashes_and_never_half_writes(case: tuple[bytes, bytes]) -> None:
    _run_cli(*case)


@scaled(0.1)
@given(case=cases())
def test_the_process_never_crashes(case: tuple[bytes, bytes]) -> None:
    """The same through a real ``kfdata-compile`` process (its own start-up and exit path)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "p.yaml").write_bytes(case[0])
        (root / "s.yaml").write_bytes(case[1])
        run = subprocess.run(
            [sys.executable, "-m", "kfdata_compiler", "p.yaml", "--spec", "s.yaml", "-o", "o.yaml"],
            cwd=root, capture_output=True, text=True, timeout=60,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        )
        assert run.returncode in (0, 1), run.stderr
        assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
        assert (root / "o.yaml").exists() == (run.returncode == 0)
