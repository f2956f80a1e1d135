"""Instruction counts of a cold `kfdata-compile` on the bundled example, under callgrind.

Counts (not timings) repeat on a loaded machine. Prints each command's count and the ratio
`kfdata-compile <bundled example>` / `python -c "import yaml, click"` (target: <= 1.25).
Skipped (exit 0, says so) where valgrind is not installed::

    .venv/bin/python benchmarks/bench_startup.py
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.25


def instructions(argv: list[str]) -> int:
    """Instructions callgrind counts for one run of ``argv`` (children not followed)."""
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/out",
                               *argv], cwd=ROOT, capture_output=True, text=True, timeout=600)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or not found:
        raise SystemExit(f"callgrind failed: {done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> int:
    if shutil.which("valgrind") is None:
        print("skipped: valgrind is not installed (apt-get install valgrind)")
        return 0
    python = sys.executable
    # As pip installs a package: byte-compiled (PYTHONDONTWRITEBYTECODE would otherwise make
    # every run compile the generated validators' source again).
    subprocess.run([python, "-m", "compileall", "-q", str(ROOT / "kfdata_compiler")], check=True,
                   capture_output=True)
    rows = {
        "python -c pass": [python, "-c", "pass"],
        "python -c 'import yaml, click'": [python, "-c", "import yaml, click"],
        "python -c 'import yaml, click, jsonschema'": [
            python, "-c", "import yaml, click, jsonschema"],
        "kfdata-compile fixtures/kfp-v1-sentiment/pipeline.yaml": [
            python, "-m", "kfdata_compiler", "fixtures/kfp-v1-sentiment/pipeline.yaml"],
    }
    counts = {name: instructions(argv) for name, argv in rows.items()}
    for name, count in counts.items():
        print(f"{count / 1e6:10.1f} M  {name}")
    ratio = counts["kfdata-compile fixtures/kfp-v1-sentiment/pipeline.yaml"] / counts[
        "python -c 'import yaml, click'"]
    verdict = "PASS" if ratio <= TARGET else "MISS"
    print(f"\nTargets:\n{verdict}  kfdata-compile / python -c 'import yaml, click': "
          f"{ratio:.2f} (target <= {TARGET})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
