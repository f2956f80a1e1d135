"""benchmarks/bench_compile.py still runs end to end (its figures are not checked: noisy machines)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_benchmark_runs_and_prints_every_target() -> None:
    argv = [sys.executable, str(ROOT / "benchmarks/bench_compile.py"), "--sizes", "10,200",
            "--repeat", "1", "--budget", "1", "--kustomize-size", "5"]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    targets = result.stdout.split("\nTargets:\n")[1].splitlines()
    assert [line.split("  ")[1].strip() for line in targets] == [
        "compile / (PyYAML C load + dump), 2,000 templates",
        "scaling exponent of compile time, 200 -> 5,000 templates",
        "CLI cold start / python -c 'import yaml, click, jsonschema'",
        "compile / kubectl kustomize with the same JSON patches",
    ]
    assert "CLI cold start, 10 templates: kfdata-compile" in result.stdout


def test_the_wide_step_benchmark_runs_and_prints_its_target() -> None:
    argv = [sys.executable, str(ROOT / "benchmarks/bench_wide_step.py"), "--sizes", "5,20",
            "--repeat", "1"]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "scaling exponent, 5 -> 20 datasets on one step" in result.stdout


def test_the_datums_benchmark_runs_and_prints_its_targets() -> None:
    argv = [sys.executable, str(ROOT / "benchmarks/bench_datums.py"), "--sizes", "5,20",
            "--repeat", "1", "--per-doc", "10"]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    targets = result.stdout.split("\nTargets:\n")[1].splitlines()
    assert [line.split(", ")[1] for line in targets] == [
        "one workflow", "workflows of 10", "incremental"]
    assert all("5 -> 20 templates bound per datum" in line for line in targets)
