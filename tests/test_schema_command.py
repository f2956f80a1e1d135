"""``kfdata-compile schema [--path]``: the installed DataBindings schema, for editors; and the
package really contains it, however the source tree was checked out."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kfdata_compiler import schemas
from kfdata_compiler.cli import main
from kfdata_compiler.cli import schema as schema_command
from tests.paths import ROOT

NAME = "databindings.schema.json"
INSTALLED = Path(str(schema_command.installed_schema()))


def test_it_prints_the_installed_schema_byte_for_byte(
        capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["schema"]) == 0
    out, err = capsysbinary.readouterr()
    assert out == INSTALLED.read_bytes() and err == b""
    # ... which is the schema the compiler validates specs with.
    assert json.loads(out) == schemas.load_schema(NAME)


def test_path_prints_the_absolute_path_of_that_file(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--path"]) == 0
    printed = capsys.readouterr().out
    assert printed.endswith("\n") and printed.count("\n") == 1
    path = Path(printed.rstrip("\n"))
    assert path.is_absolute() and path.is_file() and path.name == NAME
    assert path.samefile(INSTALLED)
    assert path == path.resolve()  # no symlink on the way, e.g. through an editable install


@pytest.mark.parametrize(("argv", "status"), [
    pytest.param(["schema", "--help"], 0, id="help"),
    pytest.param(["schema", "extra"], 2, id="extra-argument"),
    pytest.param(["schema", "--bogus"], 2, id="unknown-option"),
])
def test_exit_codes(argv: list[str], status: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == status
    if status == 0:
        assert "yaml-language-server" in capsys.readouterr().out


def test_a_missing_schema_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(schema_command, "installed_schema", lambda: tmp_path / NAME)
    assert main(["schema", "--path"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "the schema is not installed" in err and "Traceback" not in err


def _run(*argv: str, cwd: Path,
         pythonpath: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    # The process itself, from a neutral directory: `python -m` puts the cwd on sys.path.
    return subprocess.run([sys.executable, "-m", "kfdata_compiler", *argv], cwd=cwd, env=env,
                          capture_output=True, timeout=60, check=False)


def test_the_process_prints_it(tmp_path: Path) -> None:
    done = _run("schema", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout == INSTALLED.read_bytes() and done.stderr == b""


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
def test_a_failing_stdout_is_one_line_and_exit_1(tmp_path: Path) -> None:
    with open("/dev/full", "wb") as full:
        failed = subprocess.run([sys.executable, "-m", "kfdata_compiler", "schema"], cwd=tmp_path,
                                stdout=full, stderr=subprocess.PIPE, timeout=60, check=False)
    assert failed.returncode == 1
    assert failed.stderr == b"kfdata-compile: cannot write output: No space left on device\n"


def _source_copy(dest: Path, links: bool) -> Path:
    """What a clone holds of the files a build reads; without ``links``, as git checks symlinks
    out with ``core.symlinks=false`` (Windows' default): a text file holding the target."""
    dest.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, dest / name)
    for folder in ("kfdata_compiler", "schemas"):
        shutil.copytree(ROOT / folder, dest / folder, symlinks=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    if not links:
        for path in sorted(dest.rglob("*")):
            if path.is_symlink():
                target = os.readlink(path)
                path.unlink()
                path.write_text(target)
    return dest


@pytest.mark.skipif(importlib.util.find_spec("setuptools") is None,
                    reason="setuptools is not in this venv (python >= 3.12 venvs lack it)")
@pytest.mark.parametrize("links", [True, False], ids=["symlinks", "core.symlinks=false"])
def test_a_build_from_a_fresh_checkout_ships_the_schema(tmp_path: Path, links: bool) -> None:
    # setuptools' build_py lays out exactly the files a wheel (and so `pip install .`) gets,
    # offline and in about a second; bdist_wheel would need the `wheel` package besides.
    source, lib = _source_copy(tmp_path / "src", links), tmp_path / "lib"
    build = ("import sys, setuptools; "
             f"sys.argv = ['setup.py', '-q', 'build_py', '--build-lib', {str(lib)!r}]; "
             "setuptools.setup()")
    done = subprocess.run([sys.executable, "-W", "ignore", "-c", build], cwd=source,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    shipped, packaged = lib / "kfdata_compiler" / "_schemas", ROOT / "kfdata_compiler" / "_schemas"
    names = sorted(p.name for p in packaged.glob("*.json"))
    assert NAME in names and "argo-workflows.strict.schema.json" in names
    # Every schema, byte for byte, and data only: no generator scripts from schemas/.
    assert sorted(p.name for p in shipped.iterdir()) == names
    for name in names:
        assert (shipped / name).read_bytes() == (packaged / name).read_bytes(), name
    # The built package, first on sys.path, finds its own copy.
    printed = _run("schema", "--path", cwd=tmp_path, pythonpath=lib)
    assert printed.returncode == 0, printed.stderr
    assert Path(printed.stdout.decode().strip()) == (shipped / NAME).resolve()
