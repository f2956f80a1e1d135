"""The bundled example agrees with itself and with the README: each step of
fixtures/kfp-v1-sentiment reads exactly the env vars its bound output sets (nothing unset, like
the `REVIEWS_DIR` it once read, and nothing set that it ignores), and the variables the README
names are the ones its example spec sets and the example's code reads."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from kfdata_compiler.compiler import compile_text
from tests.paths import FIXTURES, GOLDEN, ROOT

CASE = FIXTURES / "kfp-v1-sentiment"
# Every way the components read the environment, by literal name.
READ = re.compile(r"""os\.(?:environ\[|environ\.get\(|getenv\()\s*["']([A-Za-z_]\w*)["']""")
ANY_READ = re.compile(r"\benviron\b|\bgetenv\b")


def _templates(text: str) -> dict[str, dict[str, Any]]:
    (doc,) = [d for d in yaml.safe_load_all(text) if d]
    return {t["name"]: t for t in doc["spec"]["templates"]}


def _env(template: dict[str, Any]) -> set[str]:
    return {e["name"] for e in (template.get("container") or {}).get("env") or []}


def _reads(template: dict[str, Any]) -> set[str]:
    """The env var names the step's code reads: its container's command and args (for a KFP
    lightweight component, the function's source is one of them)."""
    container = template.get("container") or {}
    code = "\n".join(map(str, [*container.get("command", []), *container.get("args", [])]))
    names = READ.findall(code)
    # Every access is one READ sees: no name built at run time slips past the check.
    assert len(names) == len(ANY_READ.findall(code)), code
    return set(names)


GOLDEN_TEMPLATES = _templates((GOLDEN / "kfp-v1-sentiment.yaml").read_text())


def test_the_example_binds_the_steps_it_should() -> None:
    bound = sorted(name for name, t in GOLDEN_TEMPLATES.items() if _env(t))
    assert bound == ["eval-accuracy", "eval-fairness", "preprocess", "train-model"]


@pytest.mark.parametrize("name", sorted(GOLDEN_TEMPLATES))
def test_each_step_reads_exactly_the_variables_it_is_given(name: str) -> None:
    template = GOLDEN_TEMPLATES[name]
    assert _reads(template) == {n for n in _env(template) if n.startswith("KFDATA_")}


def test_env_renames_the_stem_in_code_and_output() -> None:
    # `env: REVIEWS_DIR` on "Train model": KFDATA_REVIEWS_DIR_*, never a bare REVIEWS_DIR.
    train = GOLDEN_TEMPLATES["train-model"]
    assert {"KFDATA_REVIEWS_DIR_PATH", "KFDATA_REVIEWS_DIR_URI"} <= _env(train) & _reads(train)
    assert not any("REVIEWS_DIR" in _reads(t) | _env(t) for t in GOLDEN_TEMPLATES.values())


def _readme_spec_section() -> tuple[str, str]:
    """The README's "The spec" section: its example spec and the prose after it."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## The spec\n", 1)[1].split("\n## ", 1)[0]
    example = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert example is not None
    return example.group(1), section[example.end():]


def test_the_readme_example_compiles_on_the_bundled_pipeline_and_names_what_it_sets() -> None:
    spec, prose = _readme_spec_section()
    result = compile_text((CASE / "pipeline.yaml").read_bytes(), spec.encode(),
                          "pipeline.yaml", "README.md")
    templates = _templates(result.output)
    named = set(re.findall(r"\$(KFDATA_\w+)", prose))
    assert {"KFDATA_REVIEWS_PATH", "KFDATA_REVIEWS_DIR_PATH"} <= named
    # Each variable the README names is set by its example, on the step it says ...
    assert named <= _env(templates["preprocess"]) | _env(templates["train-model"])
    assert "KFDATA_REVIEWS_DIR_PATH" in _env(templates["train-model"])
    assert "KFDATA_REVIEWS_PATH" in _env(templates["preprocess"])
    # ... and read by the bundled example's code there.
    reads = _reads(GOLDEN_TEMPLATES["preprocess"]) | _reads(GOLDEN_TEMPLATES["train-model"])
    assert named <= reads
