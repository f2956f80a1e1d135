"""How fast kfdata-compile is on KFP-v1-shaped workflows, against PyYAML, Python and kustomize.

    .venv/bin/python benchmarks/bench_compile.py            # ~4 minutes; always exits 0
    .venv/bin/python benchmarks/bench_compile.py --strict   # exit 1 if a target is missed
    .venv/bin/python benchmarks/bench_compile.py --sizes 200,2000 --repeat 5 --profile 2000

Every figure is a ratio of two timings taken in the same run (best of --repeat), so it means the
same on a slow laptop and a fast CI runner. See benchmarks/README.md for what each one measures.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import math
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from kfdata_compiler import compiler
from kfdata_compiler.compiler import compile_text
from kfdata_compiler.yamlio import dump_documents, load_documents

# Ratio -> target; lower is better for all of them.
TARGETS = {
    "compile / (PyYAML C load + dump), 2,000 templates": 0.75,
    "scaling exponent of compile time, 200 -> 5,000 templates": 1.05,
    "CLI cold start / python -c 'import yaml, click, jsonschema'": 1.3,
    "compile / kubectl kustomize with the same JSON patches": 0.4,
}
SCRIPT = '''def {fn}(input_path, output_path, num_rows = 10):
    """Copy the first rows of the input, upper-cased."""
    import os
    os.makedirs(os.path.dirname(output_path), exist_ok=True)
    with open(input_path) as f, open(output_path, 'w') as out:
        for i, line in enumerate(f):
            if i >= num_rows:
                break
            out.write(line.upper())

import argparse
_parser = argparse.ArgumentParser(prog='{title}', description='')
_parser.add_argument("--input", dest="input_path", type=str, default=argparse.SUPPRESS)
_parser.add_argument("--output", dest="output_path", type=str, default=argparse.SUPPRESS)
_parser.add_argument("--num-rows", dest="num_rows", type=int, default=argparse.SUPPRESS)
_parsed_args = vars(_parser.parse_args())

_outputs = {fn}(**_parsed_args)
'''
LAUNCH = ('program_path=$(mktemp)\nprintf "%s" "$0" > "$program_path"\n'
          'python3 -u "$program_path" "$@"\n')
CLI_RUNS = 20  # runs of each command in the cold-start comparison (alternated)
SMALL_RUNS = 10  # runs of each measurement below 1,000 templates
KFP = "pipelines.kubeflow.org/"


def _leaf(i: int, previous: str | None) -> dict[str, Any]:
    name = f"step-{i}"
    script = SCRIPT.format(fn=f"step_{i}", title=f"Step {i}")
    args = ["--output", "/tmp/outputs/output/data", "--num-rows", "10"]
    if previous:
        args = ["--input", "/tmp/inputs/input/data", *args]
    component = {"implementation": {"container": {
        "args": ["--input", {"inputPath": "input"}, "--output", {"outputPath": "output"}],
        "command": ["sh", "-ec", LAUNCH, script], "image": "python:3.7"}},
        "inputs": [{"name": "input"}, {"name": "num_rows", "type": "Integer", "default": "10"}],
        "name": f"Step {i}", "outputs": [{"name": "output"}]}
    template: dict[str, Any] = {
        "name": name,
        "container": {"args": args, "command": ["sh", "-ec", LAUNCH, script],
                      "image": "python:3.7"},
    }
    if previous:
        template["inputs"] = {"artifacts": [{"name": f"{previous}-output",
                                             "path": "/tmp/inputs/input/data"}]}
    template["outputs"] = {"artifacts": [{"name": f"{name}-output",
                                          "path": "/tmp/outputs/output/data"}]}
    template["metadata"] = {
        "labels": {KFP + "kfp_sdk_version": "1.8.22", KFP + "pipeline-sdk-type": "kfp",
                   KFP + "enable_caching": "true"},
        "annotations": {KFP + "component_spec": json.dumps(component, sort_keys=True),
                        KFP + "component_ref": "{}",
                        KFP + "arguments.parameters": '{"num_rows": "10"}'},
    }
    return template


def workflow(templates: int) -> tuple[str, list[str]]:
    """A KFP v1 ``dsl-compile``-shaped Workflow with a DAG over ``templates - 1`` container steps.

    Written as KFP v1 writes it (PyYAML, flow style for short collections, width 80), with
    ``metadata.name`` instead of ``generateName`` so that kustomize can patch it too.
    """
    steps = max(templates - 1, 1)
    names = [f"step-{i}" for i in range(steps)]
    tasks: list[dict[str, Any]] = []
    for i, name in enumerate(names):
        task: dict[str, Any] = {"name": name, "template": name}
        if i:
            previous = names[i - 1]
            task["dependencies"] = [previous]
            task["arguments"] = {"artifacts": [{
                "name": f"{previous}-output",
                "from": f"{{{{tasks.{previous}.outputs.artifacts.{previous}-output}}}}"}]}
        tasks.append(task)
    doc = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": {
            "name": "bench",
            "annotations": {KFP + "kfp_sdk_version": "1.8.22",
                            KFP + "pipeline_spec": json.dumps({"name": "bench"})},
            "labels": {KFP + "kfp_sdk_version": "1.8.22"},
        },
        "spec": {
            "entrypoint": "bench",
            "templates": [{"name": "bench", "dag": {"tasks": tasks}},
                          *(_leaf(i, names[i - 1] if i else None) for i in range(steps))],
            "arguments": {"parameters": []},
            "serviceAccountName": "pipeline-runner",
        },
    }
    text = yaml.dump(doc, Dumper=yaml.CSafeDumper, default_flow_style=None, sort_keys=False)
    return text, names


def spec(names: list[str]) -> bytes:
    """A DataBindings spec binding three datasets, by template name, to every leaf."""
    head = (
        "apiVersion: kfdata.dev/v1alpha1\nkind: DataBindings\n"
        "stores:\n  minio:\n    s3: {endpoint: 'minio:9000', credentials: "
        "{secret: minio-creds, accessKey: accesskey, secretKey: secretkey}}\n"
        "datasets:\n  raw: {uri: 's3://lake/raw/', store: minio}\n"
        "  vocab: {uri: 'https://example.org/vocab.txt'}\n"
        "  lexicon: {uri: 's3://lake/lexicon/v3/', store: minio, version: '3'}\n"
        "bindings:\n"
    )
    return (head + "".join(f"- {{step: {n}, read: [raw, vocab, lexicon]}}\n"
                           for n in names)).encode()


def interleaved(runs: dict[Any, Callable[[], object]], repeat: int,
                budget: float) -> dict[Any, tuple[float, int]]:
    """The fastest of up to ``repeat`` runs of each, and how many ran.

    The runs take turns, round after round, so that a spell of noise on a shared machine slows
    one round of everything rather than every run of one measurement (which would skew the
    ratios). A measurement stops repeating once its runs have taken ``budget`` seconds.
    """
    times: dict[Any, list[float]] = {key: [] for key in runs}
    for _ in range(repeat):
        for key, run in runs.items():
            if times[key] and sum(times[key]) >= budget:
                continue
            start = time.perf_counter()
            run()
            times[key].append(time.perf_counter() - start)
    return {key: (min(spent), len(spent)) for key, spent in times.items()}


def pyyaml_round_trip(text: str) -> None:
    """The baseline: PyYAML's default C load and dump of the same text."""
    yaml.dump(yaml.load(text, Loader=yaml.CSafeLoader), Dumper=yaml.CSafeDumper)


@contextmanager
def stage_clock(found: dict[str, float]) -> Iterator[None]:
    """Time the stages compile_text calls (its module-level names and the format's methods)."""
    from kfdata_compiler.formats.argo import ARGO

    names = ("load_source", "check_spec", "resolve", "rewrite")
    methods = ("check", "undo", "validate", "emit")
    saved = {n: getattr(compiler, n) for n in names if hasattr(compiler, n)}

    def clocked(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return real(*args, **kwargs)
            finally:
                found[name] = found.get(name, 0.0) + time.perf_counter() - start
        return run

    for name, real in saved.items():
        setattr(compiler, name, clocked(name, real))
    for name in methods:  # an instance attribute shadows the method until it is deleted
        setattr(ARGO, name, clocked(name, getattr(ARGO, name)))
    try:
        yield
    finally:
        for name, real in saved.items():
            setattr(compiler, name, real)
        for name in methods:
            delattr(ARGO, name)


def gc_time(run: Callable[[], object]) -> tuple[int, float]:
    """How many cyclic-GC collections ``run`` triggers, and the time spent in them."""
    spans: list[float] = []
    started: list[float] = []

    def watch(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started.append(time.perf_counter())
        elif started:
            spans.append(time.perf_counter() - started.pop())

    gc.collect()
    gc.callbacks.append(watch)
    try:
        run()
    finally:
        gc.callbacks.remove(watch)
    return len(spans), sum(spans)


def peak_memory(run: Callable[[], object]) -> int:
    """Peak bytes allocated by Python during ``run`` (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _pointer(part: str | int) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def json_patch(before: Any, after: Any, path: str = "") -> list[dict[str, Any]]:
    """RFC 6902 operations turning ``before`` into ``after`` (adds, appends, replacements)."""
    if isinstance(before, dict) and isinstance(after, dict) and before.keys() <= after.keys():
        ops: list[dict[str, Any]] = []
        for key, value in after.items():
            where = f"{path}/{_pointer(key)}"
            ops += json_patch(before[key], value, where) if key in before else [
                {"op": "add", "path": where, "value": value}]
        return ops
    if (isinstance(before, list) and isinstance(after, list) and len(before) <= len(after)
            and after[: len(before)] == before):
        return [{"op": "add", "path": f"{path}/-", "value": v} for v in after[len(before):]]
    if before == after:
        return []
    return [{"op": "replace", "path": path, "value": after}]


def template_patches(text: str, output: str) -> list[tuple[str, list[dict[str, Any]]]]:
    """The JSON 6902 operations compile applied, per template (and one for metadata)."""
    (before,), (after,) = load_documents(text, "in.yaml"), load_documents(output, "out.yaml")
    templates = before["spec"]["templates"]
    found = [(f"template {i}", json_patch(templates[i], t, f"/spec/templates/{i}"))
             for i, t in enumerate(after["spec"]["templates"])]
    found.append(("metadata", json_patch(before["metadata"], after["metadata"], "/metadata")))
    return [(what, ops) for what, ops in found if ops]


def kustomize_seconds(text: str, patches: list[list[dict[str, Any]]], repeat: int,
                      budget: float) -> tuple[float, int]:
    """``kubectl kustomize`` applying ``patches`` (JSON 6902, each its own entry) to ``text``."""
    kubectl = shutil.which("kubectl")
    assert kubectl is not None
    name = yaml.load(text, Loader=yaml.CSafeLoader)["metadata"]["name"]
    target = {"group": "argoproj.io", "version": "v1alpha1", "kind": "Workflow", "name": name}
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "pipeline.yaml").write_text(text)
        Path(tmp, "kustomization.yaml").write_text(yaml.safe_dump({
            "resources": ["pipeline.yaml"],
            "patches": [{"target": target, "patch": json.dumps(ops)} for ops in patches],
        }, sort_keys=False))

        def run() -> None:
            subprocess.run([kubectl, "kustomize", tmp], check=True, capture_output=True)

        return interleaved({"kustomize": run}, repeat, budget)["kustomize"]


def cli_seconds(text: str, names: list[str], repeat: int) -> tuple[float, float, str]:
    """kfdata-compile on a small pipeline, and ``python -c "import yaml, click, jsonschema"``."""
    script = Path(sys.executable).with_name("kfdata-compile")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "kfdata_compiler"]
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "small.yaml").write_text(text)
        Path(tmp, "small.kfdata.yaml").write_bytes(spec(names))

        # As installed by pip (and by pre-commit), modules have bytecode: allow writing it, and
        # warm it once, or an environment with PYTHONDONTWRITEBYTECODE=1 would time our 60-odd
        # modules being compiled from source on every run while yaml/click/jsonschema are not.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

        def compile_cli() -> None:
            subprocess.run([*command, "small.yaml"], cwd=tmp, check=True, capture_output=True,
                           env=env)

        def imports() -> None:
            subprocess.run([sys.executable, "-c", "import yaml, click, jsonschema"], check=True,
                           env=env)

        compile_cli()
        # A run takes ~0.2 s, the size of a noisy machine's hiccups: take many.
        found = interleaved({"ours": compile_cli, "base": imports}, max(repeat, CLI_RUNS), 60)
    return found["ours"][0], found["base"][0], " ".join(Path(c).name for c in command)


def verdict(name: str, value: float) -> str:
    target = TARGETS[name]
    return f"{value:7.3f}  target <= {target:<5}  {'PASS' if value <= target else 'MISS'}"


class Case:
    """One generated pipeline: its text, spec, compile output and timings."""

    def __init__(self, templates: int) -> None:
        self.templates = templates
        self.text, self.names = workflow(templates)
        self.data, self.spec = self.text.encode(), spec(self.names)
        self.output = ""

    def compile(self) -> None:
        self.output = compile_text(self.data, self.spec).output


def scaling(cases: list[Case], args: argparse.Namespace,
            results: dict[str, float]) -> dict[int, float]:
    print(f"{'templates':>9} {'YAML bytes':>11} {'compile s':>10} {'PyYAML s':>9} {'ratio':>6}"
          f" {'runs':>5}   {'yamlio load+dump / PyYAML':>25}")
    times: dict[int, float] = {}
    yaml_layer: dict[int, float] = {}
    for case in cases:
        docs = load_documents(case.text, "p.yaml")
        runs: dict[str, Callable[[], object]] = {
            "compile": case.compile,
            "pyyaml": partial(pyyaml_round_trip, case.text),
            "load": partial(load_documents, case.text, "p.yaml"),
            "dump": partial(dump_documents, docs),
        }
        case.compile()  # warm: the first run of a size pays for first-time allocations
        # Small sizes run well under a second: more runs make their minimum as trustworthy as
        # the large sizes' (a noise spell there can only raise the exponent, never lower it).
        repeat = args.repeat if case.templates >= 1000 else max(args.repeat, SMALL_RUNS)
        # Keep the cyclic GC from walking this harness's own fixtures in the PyYAML runs.
        gc.freeze()
        found = interleaved(runs, repeat, args.budget)
        gc.unfreeze()
        (ours, count), base = found["compile"], found["pyyaml"][0]
        mine = found["load"][0] + found["dump"][0]
        times[case.templates] = ours
        yaml_layer[case.templates] = mine
        print(f"{case.templates:>9} {len(case.data):>11,} {ours:>10.3f} {base:>9.3f}"
              f" {ours / base:>6.2f} {count:>5}   {mine / base:>25.2f}")
        if case.templates == 2000:
            results["compile / (PyYAML C load + dump), 2,000 templates"] = ours / base
        del docs, runs, found
    if 200 in times and 5000 in times:
        slope = math.log(times[5000] / times[200]) / math.log(5000 / 200)
        results["scaling exponent of compile time, 200 -> 5,000 templates"] = slope
        layer = math.log(yaml_layer[5000] / yaml_layer[200]) / math.log(5000 / 200)
        print(f"  scaling exponent 200 -> 5,000: compile {slope:.2f}; yamlio load + dump alone"
              f" {layer:.2f} (informational)")
    return times


def breakdown(case: Case) -> None:
    stages: dict[str, float] = {}
    with stage_clock(stages):
        count, spent = gc_time(case.compile)
    print(f"\nStages of one compile at {case.templates:,} templates (s): "
          + ", ".join(f"{k} {v:.3f}" for k, v in stages.items()))
    print(f"  cyclic GC during it: {count} collections, {spent:.3f} s")


def memory(case: Case) -> None:
    # tracemalloc slows Python ~3x; the ratio hardly moves with size (11.6 at 200 and 2,000).
    peak = peak_memory(case.compile)
    base_peak = peak_memory(lambda: pyyaml_round_trip(case.text))
    print(f"\nPeak memory at {case.templates:,} templates; size = the pipeline's YAML text, UTF-8"
          f" bytes ({len(case.data):,} B):\n  compile {peak / len(case.data):.1f} x size"
          f" ({peak / 2**20:.0f} MiB); PyYAML load + dump {base_peak / len(case.data):.1f} x size"
          " (informational, no target)")


def kustomize(args: argparse.Namespace, middle: Case, compiled: float,
              results: dict[str, float]) -> None:
    if not shutil.which("kubectl"):
        print("\nkubectl not found: the kustomize comparison is skipped")
        return
    # kustomize re-reads the resource for every patch: N patches take ~N^2 time (100 templates:
    # ~20 s), so the per-template comparison runs at --kustomize-size.
    case = Case(args.kustomize_size)
    ours = interleaved({"compile": case.compile}, args.repeat, args.budget)["compile"][0]
    patches = [ops for _, ops in template_patches(case.text, case.output)]
    seconds, runs = kustomize_seconds(case.text, patches, args.repeat, args.budget * 2)
    print(f"\nkubectl kustomize, {case.templates} templates, {len(patches)} JSON 6902 patches"
          f" (one per bound template): {seconds:.3f} s ({runs} runs); compile {ours:.3f} s")
    results["compile / kubectl kustomize with the same JSON patches"] = ours / seconds
    joined = [op for _, ops in template_patches(middle.text, middle.output) for op in ops]
    seconds = kustomize_seconds(middle.text, [joined], 1, 0)[0]
    print(f"  informational: all {len(joined):,} operations as one patch at {middle.templates:,}"
          f" templates: kustomize {seconds:.3f} s, compile {compiled:.3f} s")


def profile(templates: int) -> None:
    case = Case(templates)
    run = cProfile.Profile()
    run.runcall(case.compile)
    out = io.StringIO()
    pstats.Stats(run, stream=out).sort_stats("cumulative").print_stats(30)
    print(f"\ncProfile of compile at {templates:,} templates:\n{out.getvalue()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,200,2000,5000",
                        help="templates per workflow (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=5, help="best of N runs (default: 5)")
    parser.add_argument("--budget", type=float, default=30.0,
                        help="stop repeating a measurement after this many seconds (default: 30)")
    parser.add_argument("--kustomize-size", type=int, default=50, metavar="SIZE",
                        help="templates in the kustomize comparison (default: %(default)s)")
    parser.add_argument("--profile", type=int, metavar="SIZE",
                        help="also print cProfile's top functions for compile at SIZE")
    parser.add_argument("--strict", action="store_true", help="exit 1 if any target is missed")
    args = parser.parse_args(argv)
    results: dict[str, float] = {}
    print(f"Python {sys.version.split()[0]}, PyYAML {yaml.__version__}; best of {args.repeat}\n")
    cases = [Case(int(size)) for size in args.sizes.split(",")]
    times = scaling(cases, args, results)
    middle = next((c for c in cases if c.templates == 2000), cases[-1])
    breakdown(middle)
    memory(next((c for c in cases if c.templates >= 200), middle))

    small = Case(10)
    ours, base, how = cli_seconds(small.text, small.names, max(args.repeat, 5))
    print(f"\nCLI cold start, 10 templates: {how} {ours:.3f} s; python -c 'import yaml, click,"
          f" jsonschema' {base:.3f} s")
    results["CLI cold start / python -c 'import yaml, click, jsonschema'"] = ours / base
    kustomize(args, middle, times[middle.templates], results)
    if args.profile:
        profile(args.profile)

    print("\nTargets:")
    missed = False
    for name in TARGETS:
        if name in results:
            print(f"  {name:<62} {verdict(name, results[name])}")
            missed |= results[name] > TARGETS[name]
        else:
            print(f"  {name:<62} not measured (sizes or kubectl missing)")
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
