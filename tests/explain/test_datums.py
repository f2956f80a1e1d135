"""explain on datum bindings (docs/datums.md): each step's env is exactly what the compile sets
(with ``KFDATA_<NAME>_DATUM`` on a per-datum step), the datum is said in every format."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from kfdata_compiler.cli import main
from tests.explain.mermaid_check import parse
from tests.paths import FIXTURES, GOLDEN

CASES = sorted(p.name for p in FIXTURES.glob("datum-*") if (GOLDEN / f"{p.name}.yaml").is_file())


def _explain(capsys: pytest.CaptureFixture[str], case: str, how: str) -> str:
    assert main(["explain", str(FIXTURES / case / "pipeline.yaml"), "--format", how]) == 0
    return capsys.readouterr().out


def _templates(doc: dict[str, Any]) -> dict[str, Any]:
    spec = doc["spec"].get("workflowSpec", doc["spec"])  # a CronWorkflow's
    return {t["name"]: t for t in spec["templates"]}


def test_every_datum_golden_is_covered() -> None:
    assert len(CASES) >= 7


@pytest.mark.parametrize("case", CASES)
def test_env_is_exactly_what_the_compile_sets(case: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(_explain(capsys, case, "json"))
    templates = _templates(yaml.safe_load((GOLDEN / f"{case}.yaml").read_text()))
    for step in data["steps"]:
        container = templates[step["template"]].get("container") or templates[
            step["template"]]["script"]
        compiled = [e["name"] for e in container.get("env", [])
                    if e["name"].startswith("KFDATA_")]
        shown = [name for use in step["datasets"] for name in use["env"]]
        assert sorted(shown) == sorted(compiled), step["template"]
        fanned = any(name.endswith("_DATUM") for name in compiled)  # one pod per datum
        assert (step["per_datum"] is not None) == fanned, step["template"]


def test_text_says_what_runs_per_datum(capsys: pytest.CaptureFixture[str]) -> None:
    text = _explain(capsys, "datum-kfp-v1", "text")
    block = text.split("\n\n")[1]  # Preprocess images
    assert "  read images  s3://datasets/images\n    delivery   artifact at /kfdata/images\n" \
           "    per datum  glob '/*': one pod per datum; incremental: a re-run skips datums" \
           " it processed\n" in block
    assert "KFDATA_IMAGES_DATUM" in block
    assert "    per datum  each datum's result under s3://datasets/features/v3/<datum>\n" in block
    train = text.split("\n\n")[2]  # reads features as a whole: nothing per datum
    assert train.startswith("train-model") and "per datum" not in train


def test_the_whole_dataset_as_one_datum(capsys: pytest.CaptureFixture[str]) -> None:
    text = _explain(capsys, "datum-whole", "text")
    assert ("    per datum  glob '/': the whole dataset as one datum; incremental: a re-run on"
            " data it processed is skipped\n") in text
    assert "_DATUM" not in text  # no fan-out: the step gets no datum of its own
    data = json.loads(_explain(capsys, "datum-whole", "json"))
    (step,) = data["steps"]
    assert step["per_datum"] is None
    read = next(u for u in step["datasets"] if u["mode"] == "read")
    assert read["datum"] == {"glob": "/", "incremental": True, "maxAge": "", "shards": 16}


def test_json_and_mermaid(capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(_explain(capsys, "datum-kfp-v1", "json"))
    per_datum = {s["template"]: s["per_datum"] for s in data["steps"]}
    assert per_datum == {"preprocess-images": "images", "train-model": None}
    writes = [u for s in data["steps"] for u in s["datasets"] if u["mode"] == "write"]
    assert writes and all(u["datum"] is None for u in writes)
    chart = _explain(capsys, "datum-kfp-v1", "mermaid")
    parse(chart)
    assert '  d_images -.->|"per datum"| s_preprocess_images\n' in chart
    assert "  d_features -.-> s_train_model\n" in chart
