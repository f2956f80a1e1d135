"""The README's per-datum example compiles: its spec lines, added to the bundled example's
spec, give a bound pipeline holding every output line the README shows, in that order."""

from __future__ import annotations

import re

import yaml

from kfdata_compiler.compiler import compile_text
from tests.paths import FIXTURES, ROOT

SPEC = re.compile(r"```yaml\n# added to fixtures/kfp-v1-sentiment/pipeline.kfdata.yaml\n(.*?)```",
                  re.S)
OUTPUT = re.compile(r"```yaml\n# kfdata-compile fixtures/kfp-v1-sentiment/pipeline.yaml, "
                    r"essential lines:\n(.*?)```", re.S)
CASE = FIXTURES / "kfp-v1-sentiment"


def _readme() -> tuple[dict[str, dict[str, object]], list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    spec, output = SPEC.search(text), OUTPUT.search(text)
    assert spec and output, "README.md has no per-datum example"
    lines = [re.sub(r"\s+# .*$", "", line).rstrip() for line in output.group(1).splitlines()]
    return yaml.safe_load(spec.group(1)), lines


def test_the_readme_example_compiles_to_what_it_shows() -> None:
    added, shown = _readme()
    spec = yaml.safe_load((CASE / "pipeline.kfdata.yaml").read_text(encoding="utf-8"))
    spec["datasets"].update(added["datasets"])
    spec["bindings"].extend(added["bindings"])
    out = compile_text((CASE / "pipeline.yaml").read_bytes(), yaml.safe_dump(spec).encode(),
                       "pipeline.yaml", "pipeline.kfdata.yaml").output.splitlines()
    at = 0
    for line in shown:
        assert line in out[at:], f"{line!r} is not in the output (after line {at})"
        at = out.index(line, at) + 1
