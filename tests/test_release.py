"""The package is releasable the way PyPI projects are: one version, a changelog that names it,
an sdist and a wheel that build offline and install and run in an environment of their own."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import kfdata_compiler
from tests.paths import FIXTURES, GOLDEN, ROOT

pytest.importorskip("build")


def test_one_version_named_by_the_changelog_and_the_installed_metadata() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text()
    newest = re.search(r"^## (\d+\.\d+\.\d+\S*)", changelog, re.MULTILINE)
    assert newest and newest.group(1) == kfdata_compiler.__version__
    # pyproject reads the version from the package: it spells none of its own.
    pyproject = (ROOT / "pyproject.toml").read_text()
    project = pyproject.split("[project]", 1)[1].split("\n[", 1)[0]
    assert re.search(r"^version\s*=", project, re.MULTILINE) is None
    assert 'dynamic = ["version"]' in project
    assert 'version = { attr = "kfdata_compiler.__version__" }' in pyproject
    assert importlib.metadata.version("kfdata-compiler") == kfdata_compiler.__version__


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`python -m build` of this checkout: the sdist, then the wheel built from that sdist.

    --no-isolation: the test extra brings setuptools and wheel, so no build needs the network.
    Building the wheel from the sdist (build's default) proves the sdist holds everything.
    """
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out),
                           str(ROOT)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


def _one(dist: Path, pattern: str) -> Path:
    found = sorted(dist.glob(pattern))
    assert len(found) == 1, found
    return found[0]


def test_the_sdist_holds_what_a_build_and_a_reader_need(dist: Path) -> None:
    version = kfdata_compiler.__version__
    sdist = _one(dist, f"kfdata_compiler-{version}.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for needed in ("pyproject.toml", "README.md", "CHANGELOG.md", "LICENSE",
                   "kfdata_compiler/_schemas/databindings.schema.json",
                   "kfdata_compiler/spec/builtin_types.yaml", "kfdata_compiler/py.typed",
                   "docs/install.md"):
        assert needed in names, needed


def test_the_wheel_holds_the_package_and_its_data_and_nothing_else(dist: Path) -> None:
    wheel = _one(dist, f"kfdata_compiler-{kfdata_compiler.__version__}-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(info).decode()
        scripts = archive.read(info.replace("METADATA", "entry_points.txt")).decode()
    tops = {name.split("/", 1)[0] for name in names}
    assert tops == {"kfdata_compiler", f"kfdata_compiler-{kfdata_compiler.__version__}.dist-info"}
    assert "kfdata_compiler/_schemas/databindings.schema.json" in names
    assert "kfdata_compiler/spec/builtin_types.yaml" in names
    assert f"Version: {kfdata_compiler.__version__}" in metadata
    # The compile path's three dependencies and nothing heavier (hera, kfp: extras only).
    requires = sorted(line.split(":", 1)[1].strip() for line in metadata.splitlines()
                      if line.startswith("Requires-Dist:") and "extra ==" not in line)
    assert [re.split(r"[<>=! ]", r)[0] for r in requires] == ["click", "jsonschema", "pyyaml"]
    assert "kfdata-compile = kfdata_compiler.__main__:run" in scripts
    assert "kfdata-compiler = kfdata_compiler.__main__:run" in scripts  # `pipx run kfdata-compiler`


def test_the_installed_wheel_binds_the_bundled_example(dist: Path, tmp_path: Path) -> None:
    """The smoke test: the wheel alone (no checkout on the path) prints the bundled golden."""
    wheel = _one(dist, "*.whl")
    target = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                           "--no-index", "--target", str(target), str(wheel)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"}
    where = subprocess.run([sys.executable, "-c", "import kfdata_compiler; print(kfdata_compiler"
                            ".__file__)"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert Path(where.stdout.strip()).is_relative_to(target), where
    pipeline = FIXTURES / "kfp-v1-sentiment" / "pipeline.yaml"
    bound = subprocess.run([sys.executable, "-m", "kfdata_compiler", str(pipeline)], cwd=tmp_path,
                           env=env, capture_output=True, text=True, timeout=120)
    assert bound.returncode == 0, bound.stderr
    assert bound.stdout == (GOLDEN / "kfp-v1-sentiment.yaml").read_text()
    schema = subprocess.run([sys.executable, "-m", "kfdata_compiler", "schema", "--path"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert Path(schema.stdout.strip()).is_relative_to(target), schema
    version = subprocess.run([sys.executable, "-m", "kfdata_compiler", "--version"],
                             cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert kfdata_compiler.__version__ in version.stdout, version
