"""Datum bindings on many templates, each reading its own dataset per datum: compile time
against the number of templates, and the scaling exponent (target <= 1.1 from 100 to 3,200).

Each template ``t<i>`` is a container that a DAG entrypoint's task calls once; the spec gives it
its own s3 dataset ``d<i>``, read per top-level entry (``datum: {glob: "/*"}``): every binding
adds a list template, a list task and a fan-out of the task. Three shapes:

- **one workflow** of N templates. Past 99 the compile refuses it (KF330: Argo 4's CRDs allow
  200 templates and 200 tasks per DAG), after resolving every binding: the time to say so;
- **workflows of 50** (``--per-doc``): N templates in N/50 Workflows of one file, compiled;
- **incremental**: the same with ``incremental: true`` (and a version): ``memoize`` on each.

Best of --repeat runs per size, after one untimed compile; the exponent is the slope of
log(time) against log(N) between the smallest and largest size::

    .venv/bin/python benchmarks/bench_datums.py                 # 100,316,1000,3200
    .venv/bin/python benchmarks/bench_datums.py --sizes 5,20 --repeat 1
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kfdata_compiler.compiler import compile_text  # noqa: E402
from kfdata_compiler.errors import KfdataError  # noqa: E402

TARGET = 1.1


def pipeline(n: int, per_doc: int) -> bytes:
    """Workflows, ``per_doc`` templates each, whose DAG entrypoint calls each container template
    ``t<i>`` once: ``n`` in all (Argo 4's CRDs cap a workflow at 200 templates, KF330)."""
    lines: list[str] = []
    for first in range(0, n, per_doc):
        part = range(first, min(n, first + per_doc))
        lines += ["---", "apiVersion: argoproj.io/v1alpha1", "kind: Workflow",
                  f"metadata: {{generateName: datums-{first}-}}", "spec:", "  entrypoint: main",
                  "  templates:", "  - name: main", "    dag:", "      tasks:"]
        lines += [f"      - {{name: t{i}, template: t{i}}}" for i in part]
        for i in part:
            lines += [f"  - name: t{i}", "    container:",
                      "      image: registry.example.com/step:1.0.0",
                      f"      args: [--part, '{i}']"]
    return ("\n".join(lines) + "\n").encode()


def spec(n: int, incremental: bool = False) -> bytes:
    """A spec binding dataset ``d<i>`` per datum to template ``t<i>``, for each of ``n``."""
    version, more = (", version: v1", ", incremental: true") if incremental else ("", "")
    lines = ["apiVersion: kfdata.dev/v1alpha1", "kind: DataBindings", "stores:",
             "  minio: {s3: {endpoint: 'minio-service.kubeflow:9000', insecure: true}}",
             "datasets:"]
    lines += [f"  d{i}: {{uri: 's3://datasets/d{i}', store: minio{version}}}" for i in range(n)]
    lines += ["bindings:"]
    for i in range(n):
        lines += [f"  - step: t{i}", f"    read: [{{dataset: d{i}, datum: {{glob: '/*'{more}}}}}]"]
    return ("\n".join(lines) + "\n").encode()


def _compile(source: bytes, text: bytes, refused: bool) -> None:
    """One compile; a refused one must be refused for its size alone (KF330)."""
    try:
        compile_text(source, text)
    except KfdataError as exc:
        codes = {d.code for d in exc.diagnostics}
        if not refused or codes != {"KF330"}:
            raise
        return
    if refused:
        raise AssertionError("one workflow past 99 templates bound per datum compiled")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,316,1000,3200")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--per-doc", type=int, default=50,
                        help="templates per Workflow (a list template and task are added to each)")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    shapes = {
        "one workflow": lambda n: (pipeline(n, n), spec(n), n > 99),
        f"workflows of {args.per_doc}": lambda n: (pipeline(n, args.per_doc), spec(n), False),
        "incremental": lambda n: (pipeline(n, args.per_doc), spec(n, True), False),
    }
    verdicts = []
    for label, shape in shapes.items():
        _compile(*shape(min(sizes)))  # untimed: imports and first-use caches
        times = {}
        for n in sizes:
            source, text, refused = shape(n)
            best = math.inf
            for _ in range(args.repeat):
                start = time.perf_counter()
                _compile(source, text, refused)
                best = min(best, time.perf_counter() - start)
            times[n] = best
            what = " (refused, KF330)" if refused else ""
            print(f"{label:>16}: {n:6d} templates bound per datum: {best:.3f} s{what}")
        low, high = min(times), max(times)
        exponent = math.log(times[high] / times[low]) / math.log(high / low)
        verdict = "PASS" if exponent <= TARGET else "MISS"
        verdicts.append(f"{verdict}  scaling exponent, {label}, {low} -> {high} templates "
                        f"bound per datum: {exponent:.2f} (target <= {TARGET})")
    print("\nTargets:\n" + "\n".join(verdicts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
