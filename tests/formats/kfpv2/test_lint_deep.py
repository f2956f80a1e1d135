"""``kfdata-compile lint --deep``: kfp's own checks of KFP v2 IR files, as diagnostics at what
they checked (KF629), and a clear error naming the extra when kfp is missing (KF630)."""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from kfdata_compiler.cli import main
from kfdata_compiler.yamlio.kfpstyle import load_kfp_documents
from tests.paths import GOLDEN

HAVE_KFP = (importlib.util.find_spec("kfp") is not None
            and importlib.util.find_spec("kfp.kubernetes") is not None)
needs_kfp = pytest.mark.skipif(not HAVE_KFP, reason="kfp and kfp-kubernetes are not installed")
FLAT = GOLDEN / "kfpv2-flat.yaml"


def _lint(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict[str, Any]]]:
    status = main(["lint", "--deep", "--error-format", "json", *argv])
    out = capsys.readouterr().out
    return status, json.loads(out)  # the whole of stdout is the report, whatever a component prints


def _write(path: Path, docs: list[Any]) -> Path:
    path.write_text("---\n".join(yaml.safe_dump(d, sort_keys=True) for d in docs))
    return path


def _flat() -> list[Any]:
    return [d for d in load_kfp_documents(FLAT.read_text()) if d is not None]


@needs_kfp
def test_every_kfpv2_golden_passes(capsys: pytest.CaptureFixture[str]) -> None:
    goldens = sorted(str(p) for p in GOLDEN.glob("kfpv2-*.yaml"))
    assert len(goldens) >= 5
    assert _lint(capsys, *goldens) == (0, [])


@needs_kfp
def test_each_failing_check_is_reported_at_what_it_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = _flat()
    docs[0]["components"]["comp-train"]["inputDefinitions"]["artifacts"]["kfdata_x"] = {
        "artifactType": {"schemaTitle": "system.Dataset", "schemaVersion": "0.0.1"}}
    docs[0]["pipelineInfo"]["owner"] = "someone"  # no such field in PipelineInfo
    status, found = _lint(capsys, str(_write(tmp_path / "p.yaml", docs)))
    assert status == 1
    by_path = {d["json_path"]: d for d in found}
    assert {d["code"] for d in found} == {"KF629"}
    assert "has no field named \"owner\"" in by_path["$"]["message"]
    assert by_path["$.root"]["message"].startswith("kfp's load_component_from_file")
    executor = by_path["$.deploymentSpec.executors.exec-train"]
    assert "task 'train'" in executor["message"] and "KeyError: 'kfdata_x'" in executor["message"]
    assert executor["line"] > 1 and "does not take" in executor["hint"]


@needs_kfp
@pytest.mark.parametrize(("body", "error"), [
    ("return 1 / 0", "ZeroDivisionError"),
    ("print('noise'); raise SystemExit(4)", "SystemExit: 4"),  # ends neither the run nor stdout
])
def test_a_sound_file_with_one_bad_function_names_only_that_task(
    body: str, error: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = _flat()
    executor = docs[0]["deploymentSpec"]["executors"]["exec-train"]["container"]
    broken = copy.deepcopy(executor["command"])
    # The same signature (kfp reads it), a body that fails: the function's own error is reported.
    broken[-1] += ("\nimport functools\n_train = train\n\n@functools.wraps(_train)\n"
                   f"def train(*args, **kwargs):\n    {body}\n")
    executor["command"] = broken
    status, found = _lint(capsys, str(_write(tmp_path / "p.yaml", docs)))
    assert status == 1
    assert [(d["code"], d["json_path"]) for d in found] == [
        ("KF629", "$.deploymentSpec.executors.exec-train")]
    assert error in found[0]["message"]


def test_without_kfp_it_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "kfp.kubernetes", None)  # import kfp.kubernetes: ImportError
    status, found = _lint(capsys, str(FLAT))
    assert status == 1
    assert [d["code"] for d in found] == ["KF630"]
    assert "pip install 'kfdata-compiler[kfp]'" in found[0]["hint"]


def test_without_deep_kfp_is_never_imported(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "kfp.kubernetes", None)
    assert main(["lint", "--error-format", "json", str(FLAT)]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_argo_files_get_the_same_checks_with_or_without_deep(
    capsys: pytest.CaptureFixture[str]
) -> None:
    argo = str(GOLDEN / "kfp-v1-sentiment.yaml")
    assert main(["lint", "--error-format", "json", argo]) == 0
    plain = capsys.readouterr().out
    assert _lint(capsys, argo) == (0, json.loads(plain))


@needs_kfp
def test_the_graph_rules_come_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A broken graph is reported by the graph rules alone: kfp's checks would only repeat it."""
    docs = _flat()
    task = next(iter(docs[0]["root"]["dag"]["tasks"].values()))
    task["componentRef"]["name"] = "comp-nowhere"
    status, found = _lint(capsys, str(_write(tmp_path / "p.yaml", docs)))
    assert status == 1 and found and all(d["code"] != "KF629" for d in found)
