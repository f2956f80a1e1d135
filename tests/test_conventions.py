from __future__ import annotations

from pathlib import Path

import pytest

from kfdata_compiler import conventions


@pytest.mark.parametrize(
    ("name", "spec", "output", "role"),
    [
        ("train.yaml", "train.kfdata.yaml", "train.bound.yaml", "pipeline"),
        ("train.yml", "train.kfdata.yml", "train.bound.yml", "pipeline"),
        ("train.kfdata.yaml", None, None, "spec"),
        ("train.bound.yaml", None, None, "output"),
        ("kfdata.yaml", None, None, "spec"),
        ("workflow.json", "workflow.json.kfdata.yaml", "workflow.json.bound.yaml", "pipeline"),
    ],
)
def test_names(name: str, spec: str | None, output: str | None, role: str) -> None:
    path = Path("dir") / name
    assert conventions.role(path) == role
    if spec:
        assert conventions.spec_candidates(path)[0] == Path("dir") / spec
        assert conventions.spec_candidates(path)[-1] == Path("dir/kfdata.yaml")
    if output:
        assert conventions.output_path(path) == Path("dir") / output


@pytest.mark.parametrize(
    ("name", "pipeline"),
    [("x.kfdata.yaml", "x.yaml"), ("x.bound.yml", "x.yml"), ("x.yaml", "x.yaml"), ("kfdata.yaml", None)],
)
def test_pipeline_for(name: str, pipeline: str | None) -> None:
    found = conventions.pipeline_for(Path(name))
    assert found == (Path(pipeline) if pipeline else None)


def test_find_spec_prefers_the_pipelines_own(tmp_path: Path) -> None:
    pipeline = tmp_path / "p.yaml"
    assert conventions.find_spec(pipeline) is None
    (tmp_path / "kfdata.yaml").write_text("x")
    assert conventions.find_spec(pipeline) == tmp_path / "kfdata.yaml"
    (tmp_path / "p.kfdata.yaml").write_text("x")
    assert conventions.find_spec(pipeline) == tmp_path / "p.kfdata.yaml"
