"""Hypothesis strategies: random valid Argo workflows, and DataBindings specs bound to them.

    pipelines()              -> Pipeline(docs=[{kind: Workflow, ...}, ...], text=b"...")
    bound_specs(docs)        -> Spec(doc={kind: DataBindings, ...}, text=b"...", expect=Expectation)
    loose_specs(docs)        -> Spec(...)  schema-valid, but it may well not resolve (unknown steps,
                                           colliding paths, a write to an https dataset, ...)

``bound_specs`` is valid by construction: it keeps its own model of what ``resolve`` accepts
(``_Model``), written from the docs and the spec schema, not from ``kfdata_compiler.resolve``, so
a valid spec that the compiler refuses is a finding. ``Expectation`` says which templates the
spec binds and what each must end up with (env vars, ``into`` targets, KFP cache annotation).

Hypothesis settings live here too: ``PROFILE`` (``kfdata``) keeps CI fast; set
``KFDATA_HYPOTHESIS_EXAMPLES=2000`` for a long local run (the per-test counts scale with it).
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from kfdata_compiler.yamlio import dump_documents

# --- hypothesis settings --------------------------------------------------------------------------

DEFAULT_EXAMPLES = 60
EXAMPLES = int(os.environ.get("KFDATA_HYPOTHESIS_EXAMPLES", DEFAULT_EXAMPLES))
settings.register_profile(
    "kfdata",
    max_examples=EXAMPLES,
    deadline=None,  # one compile is ~3 ms, but deepdiff and CI machines are not
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,  # a failure prints @reproduce_failure(...) to replay it
    # In CI the same examples every run, so a submission's result does not depend on luck;
    # local runs keep exploring new ones (and KFDATA_HYPOTHESIS_EXAMPLES explores more).
    derandomize=bool(os.environ.get("CI")),
)
PROFILE = settings.get_profile("kfdata")


def scaled(fraction: float) -> settings:
    """The profile with a fraction of its examples (for tests that run subprocesses)."""
    return settings(PROFILE, max_examples=max(1, int(EXAMPLES * fraction)))


# --- vocabulary -----------------------------------------------------------------------------------

_WORDS = ("train", "eval", "prep", "fetch", "tokenize", "model", "split", "score", "export",
          "merge", "clean", "label", "shard", "report", "a", "b", "x1", "v2")
_DATASET_WORDS = ("reviews", "vocab", "corpus", "labels", "holdout", "images", "code", "events",
                  "snap", "path", "argo", "home", "d", "v2", "x9")
# Strings whose plain YAML spelling Go and PyYAML read differently, or not as a string at all.
TRICKY = ("yes", "no", "n", "Y", "off", "1e3", "0o17", "012", "0x1F", "12:30", "2024-01-01",
          "~", "null", "", " lead", "trail ", "a: b", "#x", "- x", "{x}", "[x]", "*x", "&x",
          "!x", "%x", "@x", "`x", "'", '"', "tab\there", "héllo", "日本語", "🚀", "1_000", ".5",
          "+1", "-.inf", ".NaN", "<<", "=", "?", "x\ny", "line1\nline2\n", "  indented\nx",
          "trailing space \nx")
_IMAGES = ("python:3.11-slim", "alpine:3.19", "ghcr.io/example/trainer:1.4.0",
           "gcr.io/ml-pipeline/ml-pipeline-gcp@sha256:" + "a" * 64)


def _dashed(words: tuple[str, ...], max_words: int = 3) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(words), min_size=1, max_size=max_words).map("-".join)


template_names = _dashed(_WORDS)
dataset_names = _dashed(_DATASET_WORDS, 2)  # [a-z][a-z0-9-]*, never '--': stems stay distinct
artifact_names = _dashed(_WORDS, 2)
env_names = st.from_regex(r"[A-Z][A-Z0-9_]{0,8}", fullmatch=True).filter(
    lambda n: not n.startswith("KFDATA"))
tricky_text = st.one_of(st.sampled_from(TRICKY), st.text(max_size=12))


def _title(name: str) -> str:
    """``train-model`` -> ``Train model``: a KFP component name (never a template name)."""
    words = name.split("-")
    return " ".join([words[0].capitalize(), *words[1:]])


# --- workflows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pipeline:
    """Generated pipeline documents and their YAML text."""

    docs: list[Any]
    text: bytes
    style: str


@st.composite
def _main_container(draw: st.DrawFn, kind: str, mounts: list[dict[str, Any]]) -> dict[str, Any]:
    body: dict[str, Any] = {"image": draw(st.sampled_from(_IMAGES))}
    if kind == "script":
        body["command"] = ["python"]
        body["source"] = draw(st.sampled_from((
            "import os\nprint(os.environ.get('KFDATA_REVIEWS_PATH'))\n",
            "print('hi')",
            "x = 1  \nprint(x)\n",  # a trailing space: no '|' block for this one
            "\n\nprint('leading blank lines')\n",
        )))
    else:
        if draw(st.booleans()):
            body["command"] = ["python", "-m", draw(template_names).replace("-", "_")]
        if draw(st.booleans()):
            body["args"] = draw(st.lists(tricky_text, max_size=3))
    env = draw(st.lists(env_names, max_size=3, unique=True))
    if env:
        body["env"] = []
        for name in env:
            if draw(st.integers(0, 4)) == 0:
                body["env"].append({"name": name, "valueFrom": {"secretKeyRef": {
                    "name": "app-secret", "key": name.lower()}}})
            else:
                body["env"].append({"name": name, "value": draw(tricky_text)})
    if mounts:
        body["volumeMounts"] = mounts
    if draw(st.integers(0, 5)) == 0:
        body["resources"] = {"limits": {"cpu": "500m", "memory": "1Gi"}}
    keys = list(body)
    order = draw(st.permutations(keys))
    return {k: body[k] for k in order}


@st.composite
def _leaf(draw: st.DrawFn, name: str, kfp: bool, spec_volumes: list[str]) -> dict[str, Any]:
    kind = draw(st.sampled_from(("container", "container", "script")))
    template: dict[str, Any] = {"name": name}
    volumes: list[dict[str, Any]] = []
    mounts: list[dict[str, Any]] = []
    if draw(st.integers(0, 3)) == 0:
        volumes.append({"name": "scratch", "emptyDir": {}})
        mounts.append({"name": "scratch", "mountPath": "/scratch"})
    if spec_volumes and draw(st.booleans()):
        mounts.append({"name": spec_volumes[0], "mountPath": "/cache/" + spec_volumes[0]})
    main = draw(_main_container(kind, mounts))
    parts: dict[str, Any] = {kind: main}
    inputs = draw(st.lists(artifact_names, max_size=2, unique=True))
    outputs = draw(st.lists(artifact_names, max_size=2, unique=True))
    in_arts = []
    for input_name in inputs:
        art: dict[str, Any] = {"name": f"{input_name}-in" if not kfp else f"up-{input_name}"}
        art["path"] = (f"/tmp/inputs/{input_name}/data" if kfp or draw(st.booleans())
                       else f"/tmp/in-{input_name}")
        source = draw(st.sampled_from(("none", "none", "s3", "http", "raw")))
        if source == "s3":
            # Complete (endpoint, bucket, key) or key-only: Argo reads nothing else.
            art["s3"] = draw(st.sampled_from((
                {"endpoint": "minio:9000", "bucket": "old-bucket", "key": f"old/{input_name}"},
                {"key": f"old/{input_name}"})))
        elif source == "http":
            art["http"] = {"url": f"https://old.example.org/{input_name}"}
        elif source == "raw":
            art["raw"] = {"data": draw(tricky_text)}
        if draw(st.integers(0, 4)) == 0:
            art["optional"] = True
        in_arts.append(art)
    if draw(st.booleans()):
        params = [{"name": p} for p in draw(st.lists(artifact_names, max_size=2, unique=True))]
        if params or in_arts:
            parts["inputs"] = {**({"parameters": params} if params else {}),
                               **({"artifacts": in_arts} if in_arts else {})}
    elif in_arts:
        parts["inputs"] = {"artifacts": in_arts}
    if outputs:
        parts["outputs"] = {"artifacts": [
            {"name": f"{name}-{o}" if kfp else o, "path": f"/tmp/outputs/{o}/data"}
            for o in outputs]}
    if volumes:
        parts["volumes"] = volumes
    if draw(st.integers(0, 4)) == 0:
        parts["initContainers"] = [{"name": "warm-cache", "image": "busybox:1.36",
                                    "command": ["sh", "-c", "true"]}]
    metadata: dict[str, Any] = {}
    if kfp or draw(st.integers(0, 3)) == 0:
        metadata["labels"] = {"pipelines.kubeflow.org/kfp_sdk_version": "1.8.22",
                              "pipelines.kubeflow.org/enable_caching": "true"}
        annotations: dict[str, Any] = {}
        if draw(st.booleans()):
            annotations["pipelines.kubeflow.org/component_spec"] = json.dumps(
                {"name": _title(name), "implementation": {"container": {"image": main["image"]}}})
        if draw(st.integers(0, 3)) == 0:
            annotations["pipelines.kubeflow.org/task_display_name"] = draw(st.sampled_from(
                ("Shared display", _title(name) + " step")))
        if draw(st.integers(0, 2)) == 0:
            annotations["pipelines.kubeflow.org/max_cache_staleness"] = draw(st.sampled_from(
                ("P30D", "P0D")))
        if annotations:
            metadata["annotations"] = annotations
    if metadata:
        parts["metadata"] = metadata
    if draw(st.integers(0, 5)) == 0:
        parts["retryStrategy"] = {"limit": 2}
    order = draw(st.permutations(list(parts)))
    template.update({k: parts[k] for k in order})
    return template


def _arguments(callee: dict[str, Any], producer: str | None, outputs: list[str],
               step: bool) -> dict[str, Any]:
    arts = []
    for art in (callee.get("inputs") or {}).get("artifacts", []):
        if any(k in art for k in ("s3", "http", "raw")) or art.get("optional"):
            continue
        if producer and outputs:
            ref = "steps" if step else "tasks"
            arts.append({"name": art["name"],
                         "from": f"{{{{{ref}.{producer}.outputs.artifacts.{outputs[0]}}}}}"})
        else:
            arts.append({"name": art["name"], "raw": {"data": "placeholder"}})
    params = [{"name": p["name"], "value": "1"}
              for p in (callee.get("inputs") or {}).get("parameters", [])]
    out: dict[str, Any] = {}
    if params:
        out["parameters"] = params
    if arts:
        out["artifacts"] = arts
    return out


@st.composite
def _parent(draw: st.DrawFn, name: str, leaves: list[dict[str, Any]]) -> dict[str, Any]:
    callees = draw(st.lists(st.sampled_from(leaves), min_size=1, max_size=4))
    as_steps = draw(st.booleans())
    calls: list[dict[str, Any]] = []
    previous: tuple[str, list[str]] | None = None
    for i, callee in enumerate(callees):
        call: dict[str, Any] = {"name": f"{callee['name']}-{i}", "template": callee["name"]}
        outputs = [a["name"] for a in (callee.get("outputs") or {}).get("artifacts", [])]
        args = _arguments(callee, previous[0] if previous else None,
                          previous[1] if previous else [], as_steps)
        refers = any("from" in a for a in args.get("artifacts", []))
        if previous and not as_steps and (refers or draw(st.booleans())):
            call["depends"] = previous[0]  # {{tasks.X}} must name an ancestor
        if args:
            call["arguments"] = args
        calls.append(call)
        previous = (call["name"], outputs)
    if as_steps:
        groups: list[list[dict[str, Any]]] = []
        for call in calls:
            if groups and draw(st.integers(0, 2)) == 0 and not call.get("arguments"):
                groups[-1].append(call)  # a parallel step
            else:
                groups.append([call])
        return {"name": name, "steps": groups}
    return {"name": name, "dag": {"tasks": calls}}


@st.composite
def workflow_docs(draw: st.DrawFn) -> dict[str, Any]:
    """One Workflow, WorkflowTemplate, ClusterWorkflowTemplate or CronWorkflow document."""
    kind = draw(st.sampled_from(("Workflow", "Workflow", "WorkflowTemplate", "CronWorkflow",
                                 "ClusterWorkflowTemplate")))
    kfp = kind == "Workflow" and draw(st.booleans())
    names = draw(st.lists(template_names, min_size=1, max_size=7, unique=True))
    n_leaves = draw(st.integers(1, len(names)))
    spec_volumes = ["shared"] if draw(st.integers(0, 3)) == 0 else []
    leaves = [draw(_leaf(n, kfp, spec_volumes)) for n in names[:n_leaves]]
    parents = [draw(_parent(n, leaves)) for n in names[n_leaves:]]
    templates = draw(st.permutations(leaves + parents))
    entry = (parents or leaves)[0]["name"]
    spec: dict[str, Any] = {"entrypoint": entry}
    if draw(st.integers(0, 3)) == 0:
        spec["arguments"] = {"parameters": [{"name": "epochs", "value": "3"}]}
    if spec_volumes:
        spec["volumes"] = [{"name": "shared", "persistentVolumeClaim": {"claimName": "shared"}}]
    if draw(st.integers(0, 4)) == 0:
        spec["serviceAccountName"] = "pipeline-runner"
    spec["templates"] = list(templates)
    if draw(st.booleans()):  # hera writes templates last, KFP writes them before volumes
        spec = {k: spec[k] for k in draw(st.permutations(list(spec)))}
    name = draw(template_names)
    metadata: dict[str, Any]
    if kfp:
        metadata = {"generateName": "pipeline-", "annotations": {
            "pipelines.kubeflow.org/kfp_sdk_version": "1.8.22",
            "pipelines.kubeflow.org/pipeline_spec": json.dumps({"name": name}),
        }, "labels": {"pipelines.kubeflow.org/kfp_sdk_version": "1.8.22"}}
    elif kind == "Workflow" and draw(st.booleans()):
        metadata = {"generateName": name + "-"}
    else:
        metadata = {"name": name}
    doc: dict[str, Any] = {"apiVersion": "argoproj.io/v1alpha1", "kind": kind, "metadata": metadata}
    if kind == "CronWorkflow":
        doc["spec"] = {"schedules": ["0 * * * *"], "concurrencyPolicy": "Forbid",
                       "workflowSpec": spec}
    else:
        doc["spec"] = spec
    return doc


_CONFIG_MAP = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"},
               "data": {"mode": "yes", "ratio": "1e3"}}


class _QuotingDumper(yaml.SafeDumper):
    """PyYAML with every string quoted: whatever it writes, Go and PyYAML read the same."""


def _quoted_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    # A literal block only for plain lines: PyYAML writes NEL, LS, PS or CR raw in one, where a
    # reader takes them for line breaks (the text would no longer say what the documents hold).
    block = ("\n" in data and all(line == line.rstrip() for line in data.split("\n"))
             and "\r" not in data and not _NOT_YAML_PRINTABLE.search(data))
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|" if block else '"')


_QuotingDumper.add_representer(str, _quoted_str)


def to_text(docs: list[Any], style: str) -> bytes:
    """Serialise documents in one of the input styles this module generates."""
    if style == "canonical":  # what kfdata-compile itself writes
        return dump_documents(docs).encode()
    if style == "json":
        text = "---\n".join(json.dumps(d, indent=2, ensure_ascii=False) + "\n" for d in docs)
        # JSON leaves DEL, C1 controls and U+2028/9 raw; YAML needs them escaped (NEL, LS and
        # PS are line breaks to YAML 1.1).
        return _NOT_YAML_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text).encode()
    flow = style == "flow"
    return yaml.dump_all(docs, Dumper=_QuotingDumper, sort_keys=False, allow_unicode=True,
                         default_flow_style=flow, width=60 if flow else 1000,
                         explicit_start=len(docs) > 1).encode()


STYLES = ("canonical", "json", "block", "flow")
_NOT_YAML_PRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


@st.composite
def pipelines(draw: st.DrawFn, styles: tuple[str, ...] = STYLES) -> Pipeline:
    """One to three workflow documents (sometimes with a ConfigMap among them), as YAML."""
    docs: list[Any] = draw(st.lists(workflow_docs(), min_size=1, max_size=3))
    if draw(st.integers(0, 5)) == 0:
        docs.insert(draw(st.integers(0, len(docs))), dict(_CONFIG_MAP))
    style = draw(st.sampled_from(styles))
    return Pipeline(docs, to_text(docs, style), style)


# --- a model of the templates, independent of kfdata_compiler -------------------------------------


def spec_of(doc: dict[str, Any]) -> dict[str, Any]:
    """The workflow spec of a document (``spec.workflowSpec`` for a CronWorkflow)."""
    spec = doc.get("spec") or {}
    return (spec.get("workflowSpec") or {}) if doc.get("kind") == "CronWorkflow" else spec


def templates_of(doc: Any) -> list[dict[str, Any]]:
    """The templates of a workflow document ([] for anything else)."""
    if not isinstance(doc, dict) or doc.get("kind") not in (
            "Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow"):
        return []
    return [t for t in spec_of(doc).get("templates") or [] if isinstance(t, dict)]


def main_key(template: dict[str, Any]) -> str | None:
    """``container`` or ``script`` for a leaf template."""
    return next((k for k in ("container", "script") if isinstance(template.get(k), dict)), None)


def calls_of(template: dict[str, Any]) -> list[dict[str, Any]]:
    """The DAG tasks or steps of a template."""
    out = list((template.get("dag") or {}).get("tasks") or [])
    for group in template.get("steps") or []:
        out.extend(group if isinstance(group, list) else [group])
    return [c for c in out if isinstance(c, dict)]


def callers_of(doc: dict[str, Any], name: str) -> set[str]:
    """Names of the templates that call template ``name``."""
    return {str(t.get("name")) for t in templates_of(doc)
            if any(c.get("template") == name for c in calls_of(t))}


def _annotations(template: dict[str, Any]) -> dict[str, Any]:
    return ((template.get("metadata") or {}).get("annotations")) or {}


def _component_name(template: dict[str, Any]) -> str | None:
    raw = _annotations(template).get("pipelines.kubeflow.org/component_spec")
    try:
        name = json.loads(raw).get("name") if isinstance(raw, str) else None
    except (ValueError, AttributeError):
        return None
    return name if isinstance(name, str) else None


def select(docs: list[Any], pattern: str) -> list[tuple[int, dict[str, Any]]]:
    """Templates a ``step`` pattern selects: per document, exact name, else KFP name, else glob."""
    out = []
    for index, doc in enumerate(docs):
        templates = templates_of(doc)
        for rule in (
            lambda t: t.get("name") == pattern,
            lambda t: pattern in (_component_name(t), _annotations(t).get(
                "pipelines.kubeflow.org/task_display_name")),
            lambda t: any(c in pattern for c in "*?[") and fnmatch.fnmatchcase(
                str(t.get("name")), pattern),
        ):
            chosen = [t for t in templates if rule(t)]
            if chosen:
                out.extend((index, t) for t in chosen)
                break
    return out


def _overlaps(a: str, b: str) -> bool:
    return a == b or a.startswith(b.rstrip("/") + "/") or b.startswith(a.rstrip("/") + "/")


@dataclass(frozen=True)
class Access:
    """What one dataset use on one template must produce."""

    dataset: str
    mode: str
    path: str
    stem: str
    uri: str
    version: str | None
    into: str | None  # the template's input artifact name the dataset feeds


@dataclass
class Expectation:
    """What a valid spec binds: (document index, template name) -> accesses, in plan order."""

    targets: dict[tuple[int, str], list[Access]] = field(default_factory=dict)

    def into_names(self, doc: int) -> set[str]:
        """Input artifact names fed through ``into`` in document ``doc``."""
        return {a.into for (d, _), accs in self.targets.items() if d == doc
                for a in accs if a.into}

    def datasets_annotation(self, key: tuple[int, str]) -> str:
        """The ``kfdata.dev/datasets`` value a bound template gets."""
        return ",".join(dict.fromkeys(a.dataset for a in self.targets[key]))

    def needs_no_cache(self, key: tuple[int, str]) -> bool:
        """True when an unversioned read must switch KFP caching off (P0D)."""
        return any(a.mode == "read" and a.version is None for a in self.targets[key])


@dataclass(frozen=True)
class Dataset:
    """A generated dataset: its spec body and the facts the model needs."""

    name: str
    kind: str  # s3, gcs, http, git, pvc
    body: dict[str, Any]

    @property
    def version(self) -> str | None:
        """Declared version, else a git commit revision."""
        if "version" in self.body:
            return str(self.body["version"])
        revision = self.body.get("revision")
        if self.kind == "git" and revision and re.fullmatch(r"[0-9a-f]{7,40}", revision):
            return str(revision)
        return None


MODES = {"s3": {"read", "write", "into"}, "gcs": {"read", "write", "into"},
         "http": {"read", "into"}, "git": {"read", "into"}, "pvc": {"read", "write"}}


def _stem(name: str) -> str:
    return name.upper().replace("-", "_")


class _Model:
    """Per bound template, what is taken, so that only uses ``resolve`` must accept are added."""

    def __init__(self, doc: dict[str, Any], template: dict[str, Any]) -> None:
        key = main_key(template)
        main = template[key] if key else {}
        self.leaf = key is not None
        self.template = template
        arts_in = list((template.get("inputs") or {}).get("artifacts") or [])
        arts_out = list((template.get("outputs") or {}).get("artifacts") or [])
        self.paths = [str(m.get("mountPath")) for m in main.get("volumeMounts") or []]
        self.paths += [str(a.get("path")) for a in arts_in + arts_out if a.get("path")]
        self.names = {str(a.get("name")) for a in arts_in + arts_out}
        spec = spec_of(doc)
        self.names |= {str(v.get("name")) for v in (template.get("volumes") or [])
                       + (spec.get("volumes") or [])}
        self.names |= {str((v.get("metadata") or {}).get("name"))
                       for v in spec.get("volumeClaimTemplates") or []}
        self.names |= {str(c.get("name")) for c in (template.get("initContainers") or [])
                       + (template.get("sidecars") or [])}
        self.env = {str(e.get("name")): e for e in main.get("env") or []}
        self.inputs = arts_in
        self.accesses: dict[str, Access] = {}
        self.stems: set[str] = set()
        self.fed: set[str] = set()

    def into_artifact(self, into: str) -> dict[str, Any] | None:
        found = next((a for a in self.inputs if a.get("name") == into), None)
        if found is None:
            found = next((a for a in self.inputs
                          if a.get("path") == f"/tmp/inputs/{into}/data"), None)
        return found if found is not None and isinstance(found.get("path"), str) else None

    def admits(self, access: Access) -> bool:
        old = self.accesses.get(access.dataset)
        if old is not None:
            return old == access  # an identical repeat is merged; anything else is a conflict
        if access.stem in self.stems:
            return False
        if access.into is not None:
            if access.into in self.fed:
                return False
        else:
            taken = self.paths + [a.path for a in self.accesses.values() if a.into is None]
            if any(_overlaps(access.path, p) for p in taken):
                return False
            if f"kfdata-{access.dataset}" in self.names:
                return False
        for suffix, value in (("PATH", access.path), ("URI", access.uri),
                              ("VERSION", access.version)):
            existing = self.env.get(f"KFDATA_{access.stem}_{suffix}")
            if existing is not None and existing != {"name": f"KFDATA_{access.stem}_{suffix}",
                                                     "value": value}:
                return False
        return True

    def add(self, access: Access) -> None:
        if access.dataset in self.accesses:
            return
        self.accesses[access.dataset] = access
        self.stems.add(access.stem)
        if access.into is not None:
            self.fed.add(access.into)


# --- specs ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """A generated DataBindings spec, its text, and (for valid ones) what it must do."""

    doc: dict[str, Any]
    text: bytes
    expect: Expectation | None


_BUCKET = st.sampled_from(("datasets", "models", "raw-events", "corp.example.data"))
_KEY = st.lists(st.sampled_from(("reviews", "2024-06", "en", "{{workflow.uid}}", "part-0",
                                 "v1.json")), min_size=1, max_size=3).map("/".join)


@st.composite
def _dataset(draw: st.DrawFn, name: str, kind: str) -> Dataset:
    if kind == "s3":
        uri = f"s3://{draw(_BUCKET)}/{draw(_KEY)}{draw(st.sampled_from(('', '/')))}"
    elif kind == "gcs":
        uri = f"gs://{draw(_BUCKET)}/{draw(_KEY)}/"
    elif kind == "http":
        uri = draw(st.sampled_from(("https://example.org/vocab.txt",
                                    "http://files.internal:8080/a/b.tar.gz",
                                    "https://data.example.com/x?version=3")))
    elif kind == "git":
        uri = draw(st.sampled_from(("git+https://github.com/org/eval.git",
                                    "git+ssh://git@github.com/org/eval.git",
                                    "git+http://gitea.local/team/data")))
    else:
        uri = "pvc://" + draw(st.sampled_from(("holdout-claim", "data.v1"))) + draw(
            st.sampled_from(("", "/sets/2024", "/a/")))
    body: dict[str, Any] = {"uri": uri}
    if draw(st.booleans()):
        body["version"] = draw(st.sampled_from(("v3", "2024-06-01", "1.0", "n", "yes", "0o17",
                                                "release candidate 2")))
    if kind == "git" and draw(st.booleans()):
        body["revision"] = draw(st.sampled_from(("main", "v1.2.0", "deadbee", "0" * 40)))
    if draw(st.integers(0, 4)) == 0:
        body["description"] = draw(tricky_text)
    return Dataset(name, kind, body)


@st.composite
def _stores(draw: st.DrawFn, kinds: set[str]) -> dict[str, dict[str, Any]]:
    stores: dict[str, dict[str, Any]] = {}
    wanted = set(kinds) | set(draw(st.sets(st.sampled_from(("s3", "gcs", "git", "http")))))
    for kind in sorted(wanted):
        name = {"s3": "minio", "gcs": "gcp", "git": "github", "http": "files"}[kind]
        config: dict[str, Any] = {}
        creds = draw(st.booleans())
        if kind == "s3":
            config["endpoint"] = draw(st.sampled_from(("minio-service.kubeflow:9000",
                                                        "s3.amazonaws.com")))
            if draw(st.booleans()):
                config["insecure"] = True
            if draw(st.booleans()):
                config["region"] = "us-east-1"
            if creds:
                config["credentials"] = {"secret": "minio-creds", "accessKey": "accesskey",
                                         "secretKey": "secretkey"}
        elif kind == "gcs" and creds:
            config["credentials"] = {"secret": "gcp-sa", "serviceAccountKey": "key.json"}
        elif kind == "git":
            if creds and draw(st.booleans()):
                config["credentials"] = {"secret": "git-creds", "sshPrivateKey": "id_ed25519"}
            elif creds:
                config["credentials"] = {"secret": "git-creds", "username": "user",
                                         "password": "token"}
            if draw(st.integers(0, 3)) == 0:
                config["insecureIgnoreHostKey"] = True
        elif kind == "http" and creds:
            config["credentials"] = {"secret": "http-creds", "username": "user",
                                     "password": "password"}
        stores[name] = {kind: config}
    return stores


_STORE_OF = {"s3": "minio", "gcs": "gcp", "git": "github", "http": "files"}


@st.composite
def _datasets(draw: st.DrawFn) -> tuple[list[Dataset], dict[str, Any]]:
    names = draw(st.lists(dataset_names, min_size=1, max_size=5, unique=True))
    datasets = [draw(_dataset(n, draw(st.sampled_from(("s3", "gcs", "http", "git", "pvc")))))
                for n in names]
    stores = draw(_stores({d.kind for d in datasets if d.kind in ("s3", "gcs")}))
    out = []
    for d in datasets:
        store = _STORE_OF.get(d.kind)
        if store in stores and (d.kind in ("s3", "gcs") or draw(st.booleans())):
            body = {"uri": d.body["uri"], "store": store,
                    **{k: v for k, v in d.body.items() if k != "uri"}}
            d = Dataset(d.name, d.kind, body)
        out.append(d)
    return out, stores


def _pattern_choices(template: dict[str, Any]) -> list[str]:
    """Step patterns aimed at ``template``: its name, KFP names, and two globs."""
    name = str(template["name"])
    out = [name]
    component = _component_name(template)
    if component:
        out.append(component)
    display = _annotations(template).get("pipelines.kubeflow.org/task_display_name")
    if isinstance(display, str):
        out.append(display)
    out.append(name[: max(1, len(name) // 2)] + "*")
    if len(name) > 2:
        out.append(name[0] + "?" + name[2:])
    return out


def _into_candidates(model: _Model) -> list[str]:
    """Input artifact names, and KFP input names (``/tmp/inputs/<name>/data``)."""
    names = {str(a["name"]) for a in model.inputs if isinstance(a.get("path"), str)}
    for art in model.inputs:
        parts = str(art.get("path", "")).split("/")
        if len(parts) == 5 and parts[:3] == ["", "tmp", "inputs"] and parts[4] == "data":
            names.add(parts[3])
    return sorted(names)


@st.composite
def _use(draw: st.DrawFn, dataset: Dataset, first: _Model) -> tuple[str, dict[str, Any]]:
    """A mode and a use item (``{dataset, path?, env?, into?}``) for one dataset."""
    mode = draw(st.sampled_from(sorted(MODES[dataset.kind] - {"into"})))
    item: dict[str, Any] = {"dataset": dataset.name}
    candidates = _into_candidates(first)
    if mode == "read" and "into" in MODES[dataset.kind] and candidates and draw(st.booleans()):
        item["into"] = draw(st.sampled_from(candidates))
    elif draw(st.integers(0, 2)) == 0:
        item["path"] = draw(st.sampled_from((f"/data/{dataset.name}",
                                             f"/srv/kf/{dataset.name}/v1")))
    if draw(st.integers(0, 2)) == 0:
        item["env"] = _stem(dataset.name) + "__" + draw(st.sampled_from(
            ("DIR", "PATH", "ARGO", "HOME")))
    return mode, item


def _access(model: _Model, dataset: Dataset, mode: str, item: dict[str, Any]) -> Access | None:
    """What ``item`` does on the template of ``model``, or None when it cannot be bound there."""
    stem = item.get("env") or _stem(dataset.name)
    into: str | None = None
    if "into" in item:
        art = model.into_artifact(item["into"])
        if art is None:
            return None
        path, into = str(art["path"]), str(art["name"])
    else:
        path = item.get("path") or f"/kfdata/{dataset.name}"
    access = Access(dataset.name, mode, path, stem, dataset.body["uri"], dataset.version, into)
    return access if model.admits(access) else None


@st.composite
def bound_specs(draw: st.DrawFn, docs: list[Any]) -> Spec:
    """A spec that binds datasets to leaf templates of ``docs`` and that must compile."""
    datasets, stores = draw(_datasets())
    leaves = [(i, t) for i, d in enumerate(docs) for t in templates_of(d) if main_key(t)]
    models: dict[tuple[int, str], _Model] = {}
    bindings: list[dict[str, Any]] = []
    # sampled_from shrinks towards its first element: "some bindings" is the usual case.
    count = 0 if not leaves or draw(st.sampled_from((False,) * 9 + (True,))) else draw(
        st.integers(1, 4))
    for _ in range(count):
        _, target = draw(st.sampled_from(leaves))
        pattern = draw(st.sampled_from(_pattern_choices(target)))
        selected = select(docs, pattern)
        if any(main_key(t) is None for _, t in selected):
            pattern = str(target["name"])
            selected = select(docs, pattern)
            if any(main_key(t) is None for _, t in selected):
                continue  # the same name is a DAG in another document
        keys = [(i, str(t["name"])) for i, t in selected]
        for (i, t), key in zip(selected, keys, strict=True):
            models.setdefault(key, _Model(docs[i], t))
        binding: dict[str, Any] = {"step": pattern}
        chosen = draw(st.lists(st.sampled_from(datasets), min_size=draw(st.sampled_from((1, 1, 0))),
                                max_size=3, unique_by=lambda d: d.name))
        for dataset in chosen:
            mode, item = draw(_use(dataset, models[keys[0]]))
            accesses = [_access(models[key], dataset, mode, item) for key in keys]
            if any(a is None for a in accesses):
                continue  # not valid on every selected template: leave it out
            for key, access in zip(keys, accesses, strict=True):
                assert access is not None
                models[key].add(access)
            short = set(item) == {"dataset"} and draw(st.booleans())
            binding.setdefault(mode, []).append(dataset.name if short else item)
        if "read" not in binding and "write" not in binding:
            binding["read"] = []  # selects, binds nothing: still valid
        bindings.append(binding)
    expect = Expectation({key: _plan_order(model, bindings, docs, key)
                          for key, model in models.items() if model.accesses})
    doc: dict[str, Any] = {"apiVersion": "kfdata.dev/v1alpha1", "kind": "DataBindings"}
    if stores or draw(st.booleans()):
        doc["stores"] = stores
    doc["datasets"] = {d.name: d.body for d in datasets}
    if bindings or draw(st.booleans()):
        doc["bindings"] = bindings
    return Spec(doc, to_text([doc], draw(st.sampled_from(STYLES))), expect)


def _plan_order(model: _Model, bindings: list[dict[str, Any]], docs: list[Any],
                key: tuple[int, str]) -> list[Access]:
    """Accesses in the order the compiler plans them: binding by binding, reads then writes."""
    out: list[Access] = []
    for binding in bindings:
        if key not in {(i, str(t["name"])) for i, t in select(docs, binding["step"])}:
            continue
        for mode in ("read", "write"):
            for item in binding.get(mode, []):
                access = model.accesses[item if isinstance(item, str) else item["dataset"]]
                if access not in out:
                    out.append(access)
    return out


# --- loose specs: schema-valid, anything else goes ------------------------------------------------

_LOOSE_PATHS = ("/kfdata/x", "/data/a", "/data/a/b", "/scratch", "/scratch/sub", "/tmp",
                "/tmp/inputs/x/data", "/var/run/argo", "/cache/shared", "relative/p",
                "/data/../etc", "/data//x", "/data/a/", "/run/argo", "/usr/bin")


@st.composite
def loose_specs(draw: st.DrawFn, docs: list[Any]) -> Spec:
    """A schema-valid spec that may refer to steps, artifacts and paths that are not there."""
    datasets, stores = draw(_datasets())
    if draw(st.integers(0, 3)) == 0 and stores:
        # Point a dataset at a store of the wrong kind, or at none.
        victim = draw(st.sampled_from(datasets))
        victim.body["store"] = draw(st.sampled_from(sorted(stores) + ["missing"]))
    names = [str(t.get("name")) for d in docs for t in templates_of(d)] or ["main"]
    patterns = st.one_of(st.sampled_from(names), st.sampled_from(names).map(lambda n: n[:2] + "*"),
                         template_names, st.just("*"))
    inputs = sorted({str(a.get("name")) for d in docs for t in templates_of(d)
                     for a in (t.get("inputs") or {}).get("artifacts") or []} | {"nope"})
    item = st.fixed_dictionaries(
        {"dataset": st.one_of(st.sampled_from([d.name for d in datasets]), dataset_names)},
        optional={"path": st.sampled_from(_LOOSE_PATHS),
                  "env": st.sampled_from(("PATH", "X", "REVIEWS", "A_B", "HOME")),
                  "into": st.sampled_from(inputs)})
    uses = st.lists(st.one_of(item, st.sampled_from([d.name for d in datasets])), max_size=3)
    bindings = draw(st.lists(st.fixed_dictionaries(
        {"step": patterns}, optional={"read": uses, "write": uses}).filter(
        lambda b: "read" in b or "write" in b), max_size=4))
    doc = {"apiVersion": "kfdata.dev/v1alpha1", "kind": "DataBindings", "stores": stores,
           "datasets": {d.name: d.body for d in datasets}, "bindings": bindings}
    return Spec(doc, to_text([doc], draw(st.sampled_from(STYLES))), None)

