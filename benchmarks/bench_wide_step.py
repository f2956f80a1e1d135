"""One step reading many datasets: compile time against the number of datasets, and its
scaling exponent (target <= 1.1 from 100 to 3,200 datasets).

The bundled KFP v1 example's `preprocess` reads N versioned s3 datasets of one store (each use
adds a mount, an artifact and four env vars). Best of --repeat runs per size; the exponent is
the slope of log(time) against log(N) between the smallest and largest size::

    .venv/bin/python benchmarks/bench_wide_step.py                 # 100,1000,3200
    .venv/bin/python benchmarks/bench_wide_step.py --sizes 10,50 --repeat 1
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

TARGET = 1.1


def spec(n: int) -> bytes:
    """A spec binding ``n`` versioned s3 datasets to the one step ``preprocess``."""
    lines = ["apiVersion: kfdata.dev/v1alpha1", "kind: DataBindings", "stores:",
             "  minio: {s3: {endpoint: 'minio-service.kubeflow:9000', insecure: true}}",
             "datasets:"]
    lines += [f"  d{i}: {{uri: 's3://datasets/d{i}', store: minio, version: 'v1'}}"
              for i in range(n)]
    lines += ["bindings:", "  - step: preprocess",
              "    read: [" + ", ".join(f"d{i}" for i in range(n)) + "]"]
    return ("\n".join(lines) + "\n").encode()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,3200")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pipeline = (ROOT / "fixtures/kfp-v1-sentiment/pipeline.yaml").read_bytes()
    times = {}
    for n in sorted(int(s) for s in args.sizes.split(",")):
        text = spec(n)
        best = math.inf
        for _ in range(args.repeat):
            start = time.perf_counter()
            compile_text(pipeline, text)
            best = min(best, time.perf_counter() - start)
        times[n] = best
        print(f"{n:6d} datasets on one step: {best:.3f} s")
    low, high = min(times), max(times)
    exponent = math.log(times[high] / times[low]) / math.log(high / low)
    verdict = "PASS" if exponent <= TARGET else "MISS"
    print(f"\nTargets:\n{verdict}  scaling exponent, {low} -> {high} datasets on one step: "
          f"{exponent:.2f} (target <= {TARGET})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
