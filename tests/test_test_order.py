"""The suite's own guards (tests/conftest.py): PyYAML's global tables cannot leak from one test
into the next, and ``KFDATA_TEST_ORDER_SEED`` shuffles the order reproducibly.

Each behaviour is checked on a small inner suite run by a fresh pytest, with and without the
conftest, so that what makes it pass is the guard and not the order the outer suite happens to
run in."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from tests.conftest import (
    ORDER_SEED_VARIABLE,
    PRISTINE_YAML,
    restore_yaml,
    shuffled,
    snapshot_yaml,
)
from tests.paths import ROOT

SAMPLE = {"script": "set -e\necho hi\n", "flag": "y", "n": 3, "list": ["a", "on"]}
# What a fresh interpreter's PyYAML writes for SAMPLE, with each writer hera and kfp use.
FRESH = """
import sys, yaml
sample = {"script": "set -e\\necho hi\\n", "flag": "y", "n": 3, "list": ["a", "on"]}
sys.stdout.write(yaml.dump(sample) + yaml.safe_dump(sample) + repr(yaml.safe_load("a: 2024-01-01")))
"""


def _in_process() -> str:
    return yaml.dump(SAMPLE) + yaml.safe_dump(SAMPLE) + repr(yaml.safe_load("a: 2024-01-01"))


def _fresh() -> str:
    return subprocess.run([sys.executable, "-c", FRESH], capture_output=True, text=True,
                          check=True, timeout=60).stdout


def test_each_test_starts_with_the_pyyaml_of_a_fresh_interpreter() -> None:
    # The snapshot was taken before any test module (hera, kfp) was imported.
    assert _in_process() == _fresh()


def test_restoring_undoes_what_hera_and_others_register() -> None:
    def block(dumper: yaml.Dumper, data: str) -> yaml.ScalarNode:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")

    # What hera/_yaml.py (hera 7.1.0) does at import, and a constructor and a resolver besides.
    yaml.add_representer(str, block)
    yaml.representer.SafeRepresenter.add_representer(str, block)
    yaml.SafeLoader.add_constructor("tag:yaml.org,2002:timestamp",
                                    yaml.SafeLoader.construct_yaml_str)
    yaml.add_implicit_resolver("!x", re.compile("x"), list("x"), Loader=yaml.SafeLoader)
    assert _in_process() != _fresh()
    restore_yaml(PRISTINE_YAML)
    assert _in_process() == _fresh()
    assert snapshot_yaml().keys() == PRISTINE_YAML.keys()


INNER_LEAK = """
import hera.workflows  # noqa: F401  (at collection, as a test module importing hera does)
import yaml


def test_a_registers() -> None:
    yaml.add_representer(str, lambda d, s: d.represent_scalar("tag:yaml.org,2002:str", s,
                                                              style="'"))
"""
INNER_CHECK = """
import yaml


def test_b_sees_pristine_pyyaml() -> None:
    assert yaml.dump({"a": "x\\ny", "b": "y", "c": "z"}) == "a: 'x\\n\\n  y'\\nb: y\\nc: z\\n"
"""


def _inner(tmp_path: Path, files: dict[str, str], *args: str, conftest: bool = True,
           seed: str | None = None) -> subprocess.CompletedProcess[str]:
    for name, text in files.items():
        (tmp_path / name).write_text(textwrap.dedent(text))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    if conftest:
        shutil.copy(ROOT / "tests" / "conftest.py", tmp_path / "conftest.py")
    env = {k: v for k, v in os.environ.items() if k != ORDER_SEED_VARIABLE}
    if seed is not None:
        env[ORDER_SEED_VARIABLE] = seed
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
                           "-p", "no:randomly", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.skipif(importlib.util.find_spec("hera") is None, reason="hera is not installed")
def test_a_test_importing_hera_does_not_change_the_next_one(tmp_path: Path) -> None:
    files = {"test_a_leak.py": INNER_LEAK, "test_b_check.py": INNER_CHECK}
    guarded = _inner(tmp_path, files, "test_a_leak.py", "test_b_check.py")
    assert guarded.returncode == 0, guarded.stdout[-3000:]
    (tmp_path / "conftest.py").unlink()
    unguarded = _inner(tmp_path, files, "test_a_leak.py", "test_b_check.py", conftest=False)
    assert unguarded.returncode == 1  # the inner check can fail: the guard is what passes it
    assert "1 failed, 1 passed" in unguarded.stdout


INNER_MODULES = {
    f"test_m{m}.py": "\n".join(
        [f"def test_{m}_{t}() -> None:\n    pass\n" for t in range(4)]
        + [f"class TestK{m}:\n"
           + "".join(f"    def test_k{m}_{t}(self) -> None:\n        pass\n" for t in range(3))])
    for m in range(4)}


def _order(run: subprocess.CompletedProcess[str]) -> list[str]:
    assert run.returncode == 0, run.stdout[-3000:]
    return re.findall(r"^(test_m\S+) PASSED", run.stdout, re.M)


def test_a_seed_shuffles_modules_and_tests_and_is_printed(tmp_path: Path) -> None:
    plain = _order(_inner(tmp_path, INNER_MODULES, "-v"))
    first = _inner(tmp_path, INNER_MODULES, "-v", seed="12345")
    again = _inner(tmp_path, INNER_MODULES, "-v", seed="12345")
    assert f"test order: shuffled, {ORDER_SEED_VARIABLE}=12345" in first.stdout
    assert f"rerun it with {ORDER_SEED_VARIABLE}=12345" in first.stdout
    assert _order(first) == _order(again)  # reproducible
    assert sorted(_order(first)) == sorted(plain) and _order(first) != plain
    picked = _inner(tmp_path, INNER_MODULES, "-v", seed="random")
    seed = re.search(rf"{ORDER_SEED_VARIABLE}=(\d+)", picked.stdout)
    assert seed is not None
    assert _order(picked) == _order(_inner(tmp_path, INNER_MODULES, "-v", seed=seed.group(1)))


def test_without_a_seed_the_order_is_pytest_s(tmp_path: Path) -> None:
    run = _inner(tmp_path, INNER_MODULES, "-v")
    assert "test order" not in run.stdout
    assert _order(run) == sorted(_order(run), key=lambda nodeid: (
        nodeid.split("::")[0], "::" in nodeid.split("::", 1)[1], nodeid))


def _items() -> list[SimpleNamespace]:
    class A:
        pass

    class B:
        pass

    items = []
    for module in ("m1", "m2", "m3"):
        items += [SimpleNamespace(path=Path(module), cls=None, nodeid=f"{module}::t{i}")
                  for i in range(5)]
        items += [SimpleNamespace(path=Path(module), cls=cls, nodeid=f"{module}::{cls.__name__}"
                                  f"::t{i}") for cls in (A, B) for i in range(3)]
    return items


@pytest.mark.parametrize("seed", [0, 1, 2, 99])
def test_modules_and_classes_stay_together(seed: int) -> None:
    items = _items()
    order = shuffled(items, seed)
    assert sorted(id(i) for i in order) == sorted(id(i) for i in items)  # a permutation

    def runs(key: object) -> int:
        keys = [key(i) for i in order]  # type: ignore[operator]
        return sum(1 for a, b in zip([None, *keys], keys, strict=False) if a != b)

    assert runs(lambda i: i.path) == 3  # each module once, in one piece
    for module in ("m1", "m2", "m3"):
        classes = [i.cls for i in order if str(i.path) == module and i.cls is not None]
        assert sum(1 for a, b in zip([None, *classes], classes, strict=False) if a is not b) == 2
    assert [i.nodeid for i in order] != [i.nodeid for i in items]
    assert [i.nodeid for i in shuffled(_items(), seed)] == [i.nodeid for i in order]
