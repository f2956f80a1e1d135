"""Fuzzing datum specs over files whose WorkflowTemplates other documents call (issue 19 §3).

Each case is a file holding template resources (WorkflowTemplate, ClusterWorkflowTemplate) and
the Workflows that reach them (``templateRef`` tasks and steps, ``workflowTemplateRef``): the
corpus's own, where ../shared/corpus exists, and generated ones. The spec binds their templates,
per datum (every glob shape, incremental or not) and whole (plain, ``into``). Whatever it is:

- the compile ends with exit 0 or a located exit 1 (a diagnostic with a line), never exit 3;
- on exit 0, no ``templateRef`` caller and no ``workflowTemplateRef`` Workflow of the output
  lacks an input of what it runs that it supplied in the input: the twin of Argo's
  ``ProcessArgs`` (tests/formats/argo/argo_arguments.py) would run it as before.

The number of examples follows ``KFDATA_HYPOTHESIS_EXAMPLES``; under ``CI`` they are
derandomized (tests/strategies.py).
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st

from kfdata_compiler.compiler import compile_text
from kfdata_compiler.errors import InternalError, KfdataError
from kfdata_compiler.yamlio import dump_documents, load_documents
from tests.formats.argo import argo_arguments as twin
from tests.paths import CORPUS
from tests.strategies import scaled

RESOURCE_KINDS = ("WorkflowTemplate", "ClusterWorkflowTemplate")
STORES = {
    "minio": {"s3": {"endpoint": "minio-service.kubeflow:9000", "insecure": True,
                     "credentials": {"secret": "minio", "accessKey": "a", "secretKey": "s"}}},
    "gcp": {"gcs": {"credentials": {"secret": "gcp-sa", "serviceAccountKey": "key.json"}}},
    "pach": {"pachyderm": {"endpoint": "pachd.pachyderm:30600", "insecure": True,
                           "credentials": {"secret": "pach", "token": "t"}}},
}
DATASETS = {
    "images": {"uri": "s3://datasets/images", "store": "minio", "version": "1"},
    "corpus": {"uri": "gs://corpora/en", "store": "gcp", "version": "2"},
    "frames": {"uri": "pach://frames@master=0123456789abcdef0123456789abcdef:/raw",
               "store": "pach"},
    "vocab": {"uri": "https://example.org/vocab.txt"},
}
GLOBS = ("/", "/*", "/*/*", "/**", "/a*", "/dt=*")


@functools.cache
def _corpus() -> tuple[tuple[Any, ...], ...]:
    """Each argo-examples file's documents (empty when ../shared/corpus is absent)."""
    folder = CORPUS / "argo-examples"
    out = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            docs = tuple(load_documents(Path(path).read_text(encoding="utf-8"), str(path)))
        except Exception:  # noqa: BLE001 - files the compile refuses are not this test's input
            continue
        if all(isinstance(d, dict) for d in docs):
            out.append(docs)
    return tuple(out)


def _resources(docs: Any) -> list[dict[str, Any]]:
    return [d for d in docs if d.get("kind") in RESOURCE_KINDS]


def _refs(docs: Any) -> set[str]:
    """The resource names a file's documents refer to (templateRef, workflowTemplateRef)."""
    out: set[str] = set()
    for doc in docs:
        spec = doc.get("spec") if isinstance(doc.get("spec"), dict) else {}
        wtr = spec.get("workflowTemplateRef")
        if isinstance(wtr, dict):
            out.add(str(wtr.get("name")))
        for template in _templates(doc):
            for call in _calls(template):
                ref = call.get("templateRef")
                if isinstance(ref, dict):
                    out.add(str(ref.get("name")))
    return out


@functools.cache
def _corpus_callers() -> tuple[tuple[tuple[Any, ...], frozenset[str]], ...]:
    """Each corpus file with the resource names it refers to."""
    return tuple((f, frozenset(_refs(f))) for f in _corpus())


def _calls(template: dict[str, Any]) -> list[dict[str, Any]]:
    dag = template.get("dag") if isinstance(template.get("dag"), dict) else {}
    tasks = dag.get("tasks") if isinstance(dag.get("tasks"), list) else []
    steps = template.get("steps") if isinstance(template.get("steps"), list) else []
    flat = [s for g in steps for s in (g if isinstance(g, list) else [g])]
    return [c for c in [*tasks, *flat] if isinstance(c, dict)]


def _templates(doc: dict[str, Any]) -> list[dict[str, Any]]:
    found = (doc.get("spec") or {}).get("templates")
    return [t for t in found if isinstance(t, dict)] if isinstance(found, list) else []


def _leaves(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in _templates(doc) if "container" in t or "script" in t]


_NAME = st.sampled_from(("embed", "prep", "train", "score", "fetch"))


@st.composite
def _leaf(draw: st.DrawFn, name: str) -> dict[str, Any]:
    leaf: dict[str, Any] = {"name": name, "container": {"image": "alpine:3.19"}}
    params = [{"name": f"p{i}", **draw(st.sampled_from(({}, {"value": "v"}, {"default": "d"})))}
              for i in range(draw(st.integers(0, 2)))]
    arts = [{"name": f"a{i}", "path": f"/in/a{i}",
             **draw(st.sampled_from(({}, {"optional": True},
                                     {"raw": {"data": "x"}})))}
            for i in range(draw(st.integers(0, 2)))]
    if params or arts:
        leaf["inputs"] = {k: v for k, v in (("parameters", params), ("artifacts", arts)) if v}
    return leaf


def _arguments(callee: dict[str, Any], full: bool) -> dict[str, Any]:
    """Arguments for each of ``callee``'s inputs (``full``: all of them, else none)."""
    inputs = callee.get("inputs") or {}
    params = [{"name": p["name"], "value": "x"} for p in inputs.get("parameters") or []]
    arts = [{"name": a["name"], "raw": {"data": "y"}} for a in inputs.get("artifacts") or []]
    if not full or not (params or arts):
        return {}
    return {"arguments": {k: v for k, v in (("parameters", params), ("artifacts", arts)) if v}}


def _group(style: str, calls: list[dict[str, Any]]) -> dict[str, Any]:
    if style == "dag":
        return {"dag": {"tasks": calls}}
    return {"steps": [[c] for c in calls]}


@st.composite
def _resource(draw: st.DrawFn, index: int) -> dict[str, Any]:
    """A generated template resource: leaves, and a main that calls some of them."""
    names = draw(st.lists(_NAME, min_size=1, max_size=3, unique=True))
    leaves = [draw(_leaf(n)) for n in names]
    called = draw(st.lists(st.sampled_from(leaves), max_size=3))
    calls = [{"name": f"c{i}", "template": t["name"], **_arguments(t, True)}
             for i, t in enumerate(called)]
    templates = leaves + ([{"name": "main", **_group(draw(st.sampled_from(("dag", "steps"))),
                                                      calls)}] if calls else [])
    spec: dict[str, Any] = {"templates": templates}
    if draw(st.booleans()):
        spec["entrypoint"] = draw(st.sampled_from([t["name"] for t in templates]))
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": draw(st.sampled_from(RESOURCE_KINDS)),
            "metadata": {"name": f"lib-{index}"}, "spec": spec}


@st.composite
def _caller(draw: st.DrawFn, resources: list[dict[str, Any]]) -> dict[str, Any]:
    """A Workflow reaching the resources' templates: templateRef calls, or workflowTemplateRef."""
    target = draw(st.sampled_from(resources))
    cluster = {"clusterScope": True} if target["kind"] == "ClusterWorkflowTemplate" else {}
    ref = {"name": target["metadata"]["name"], **cluster}
    meta = {"generateName": "caller-"}
    if draw(st.integers(0, 3)) == 0:
        spec: dict[str, Any] = {"workflowTemplateRef": ref}
        if draw(st.booleans()) and _templates(target):
            spec["entrypoint"] = draw(st.sampled_from([t["name"] for t in _templates(target)]))
        return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "metadata": meta,
                "spec": spec}
    pool = _templates(target) or [{"name": "missing"}]
    calls = []
    for i, callee in enumerate(draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3))):
        calls.append({"name": f"r{i}", "templateRef": {**ref, "template": callee["name"]},
                      **_arguments(callee, draw(st.booleans()))})
    main = {"name": "main", **_group(draw(st.sampled_from(("dag", "steps"))), calls)}
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "metadata": meta,
            "spec": {"entrypoint": "main", "templates": [main]}}


@st.composite
def documents(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A file of template resources and their callers, from the corpus or generated."""
    files = [f for f in _corpus() if _resources(f)]
    if files and draw(st.booleans()):
        own = draw(st.sampled_from(files))
        names = {d["metadata"]["name"] for d in _resources(own)}
        callers = [f for f, refs in _corpus_callers() if f is not own and names & refs]
        docs = [copy.deepcopy(d) for d in own]
        for extra in draw(st.lists(st.sampled_from(callers), max_size=2)) if callers else []:
            docs += [copy.deepcopy(d) for d in extra]
    else:
        docs = [draw(_resource(i)) for i in range(draw(st.integers(1, 2)))]
    for _ in range(draw(st.integers(0 if _refs(docs) else 1, 2))):
        docs.append(draw(_caller(_resources(docs))))
    return docs


@st.composite
def specs(draw: st.DrawFn, docs: list[dict[str, Any]]) -> dict[str, Any]:
    """Datum (and whole) bindings on the resources' leaf templates."""
    leaves = [t for d in _resources(docs) for t in _leaves(d)] or [{"name": "missing"}]
    bindings = []
    for leaf in draw(st.lists(st.sampled_from(leaves), min_size=1, max_size=2)):
        items: list[Any] = []
        for dataset in draw(st.lists(st.sampled_from(sorted(DATASETS)), min_size=1, max_size=2,
                                     unique=True)):
            shape = draw(st.sampled_from(("datum", "datum", "plain", "into")))
            arts = [a["name"] for a in (leaf.get("inputs") or {}).get("artifacts") or []]
            if shape == "datum":
                items.append({"dataset": dataset, "datum": {
                    "glob": draw(st.sampled_from(GLOBS)), "incremental": draw(st.booleans())}})
            elif shape == "into" and arts:
                items.append({"dataset": dataset, "into": draw(st.sampled_from(arts))})
            else:
                items.append(dataset)
        bindings.append({"step": leaf["name"], "read": items})
    return {"apiVersion": "kfdata.dev/v1alpha1", "kind": "DataBindings", "stores": STORES,
            "datasets": DATASETS, "bindings": bindings}


def _missing(docs: list[Any]) -> dict[str, list[str]]:
    """What each caller of the file would lack, by the twin of ProcessArgs."""
    resources = {(d["metadata"].get("name"), d["kind"]) for d in _resources(docs)}
    out: dict[str, list[str]] = {}
    for index, doc in enumerate(docs):
        for template in _templates(doc):
            for call in _calls(template):
                ref = call.get("templateRef")
                if not isinstance(ref, dict):
                    continue
                cluster = bool(ref.get("clusterScope"))
                if (ref.get("name"), RESOURCE_KINDS[cluster]) not in resources:
                    continue
                held = twin.resource(docs, ref["name"], cluster)
                callee = next((t for t in _templates(held) if t["name"] == ref.get("template")),
                              None)
                if callee is not None:
                    out[f"{index}/{template['name']}/{call['name']}"] = twin.missing_inputs(
                        callee, call.get("arguments"))
        wtr = (doc.get("spec") or {}).get("workflowTemplateRef")
        if doc.get("kind") == "Workflow" and wtr:
            kind = RESOURCE_KINDS[bool(wtr.get("clusterScope"))]
            if (wtr.get("name"), kind) not in resources:
                continue
            held = twin.resource(docs, wtr["name"], bool(wtr.get("clusterScope")))
            joined = twin.join_workflow_spec(doc["spec"], held["spec"])
            entry = next((t for t in _templates(joined)
                          if t["name"] == joined.get("entrypoint")), None)
            if entry is not None:
                out[f"{index}/workflowTemplateRef"] = twin.missing_inputs(
                    entry, joined["arguments"])
    return out


@scaled(1)
@given(data=st.data())
def test_templateref_callers_supply_what_they_call(data: st.DataObject) -> None:
    docs = data.draw(documents())
    spec = data.draw(specs(docs))
    before = _missing(docs)
    pipeline = dump_documents(docs).encode()
    try:
        out = compile_text(pipeline, yaml.safe_dump(spec, sort_keys=False).encode(),
                           "p.yaml", "s.yaml").output
    except InternalError as exc:  # exit 3
        raise AssertionError(exc.diagnostics) from None
    except KfdataError as exc:  # exit 1: each problem located
        assert exc.diagnostics
        for found in exc.diagnostics:
            assert found.location.line > 0, found
        return
    after = _missing(list(yaml.safe_load_all(out)))
    assert after.keys() == before.keys()
    for caller, lacks in after.items():
        assert set(lacks) <= set(before[caller]), (caller, lacks, before[caller])
