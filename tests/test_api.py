"""``kfdata_compiler.bind``: hera workflows, dicts, YAML text, paths; errors as the CLI's."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from kfdata_compiler import BindResult, KfdataError, bind
from kfdata_compiler.cli import main
from kfdata_compiler.compiler import compile_file, compile_text
from kfdata_compiler.yamlio import dump_documents, load_documents
from tests.explain.mermaid_check import parse
from tests.paths import FIXTURES

SENTIMENT = FIXTURES / "kfp-v1-sentiment"
PIPELINE, SPEC = SENTIMENT / "pipeline.yaml", SENTIMENT / "pipeline.kfdata.yaml"
SPEC_DICT: dict[str, Any] = {
    "apiVersion": "kfdata.dev/v1alpha1",
    "kind": "DataBindings",
    "datasets": {"reviews": {"uri": "https://example.org/reviews.csv", "version": "2024-06"},
                 "vocab": {"uri": "https://example.org/vocab.txt"}},
    "bindings": [{"step": "train", "read": ["reviews", "vocab"]}],
}


def hera_workflow() -> Any:
    """A real hera Workflow (hera is a test dependency; the library never imports it)."""
    hera = pytest.importorskip("hera.workflows")
    with hera.Workflow(generate_name="reviews-", entrypoint="main") as w:
        prep = hera.Container(name="prep", image="python:3.12", command=["python", "-c", "1"])
        train = hera.Container(name="train", image="python:3.12", command=["python", "-c", "2"],
                               env=[hera.Env(name="EPOCHS", value="3")])
        with hera.DAG(name="main"):
            prep(name="prep") >> train(name="train")
    return w


def _env(result: BindResult, template: str) -> dict[str, str]:
    found = next(t for t in result.to_dict()["spec"]["templates"] if t["name"] == template)
    return {e["name"]: e.get("value") for e in found["container"]["env"]}


def test_a_hera_workflow_is_bound_without_importing_hera_here() -> None:
    result = bind(hera_workflow(), SPEC_DICT)
    assert result.changed
    env = _env(result, "train")
    assert env["EPOCHS"] == "3"  # what the step had stays
    assert env["KFDATA_REVIEWS_PATH"] == "/kfdata/reviews"
    assert env["KFDATA_REVIEWS_VERSION"] == "2024-06"
    assert env["KFDATA_VOCAB_URI"] == "https://example.org/vocab.txt"
    (step,) = result.bindings["steps"]
    assert (step["template"], step["selected_by"][0]["via"]) == ("train", "template name")
    assert [u["dataset"] for u in step["datasets"]] == ["reviews", "vocab"]
    assert result.bindings["unbound_steps"] == [{"doc": 0, "template": "prep", "label": "prep"}]
    assert load_documents(result.to_yaml(), "x") == [result.to_dict()]
    parse(result.explain("mermaid"))


def test_every_kind_of_input_gives_the_same_result(tmp_path: Path) -> None:
    workflow = hera_workflow().to_dict()
    text, spec_text = dump_documents([workflow]), dump_documents([SPEC_DICT])
    path, spec_path = tmp_path / "wf.yaml", tmp_path / "wf.kfdata.yaml"
    path.write_text(text)
    spec_path.write_text(spec_text)  # the spec's text is in the output (its sha256): keep it
    expected = compile_text(text.encode(), spec_text.encode()).output
    for given, spec in [(hera_workflow(), SPEC_DICT), (workflow, spec_text),
                        (text, spec_text.encode()), (text.encode(), spec_path),
                        (json.dumps(workflow), SPEC_DICT), (path, str(spec_path)),
                        (str(path), SPEC_DICT), (path, None), (str(path), None)]:
        result = bind(given, spec)
        assert (result.output, result.changed) == (expected, True), (type(given), type(spec))


def test_the_bindings_summary_is_explain_json(capsys: pytest.CaptureFixture[str]) -> None:
    result = bind(PIPELINE)  # the spec found beside it, as the CLI finds it
    assert result.output == compile_file(PIPELINE).output
    assert main(["explain", str(PIPELINE), "--format", "json"]) == 0
    assert result.bindings == json.loads(capsys.readouterr().out)


def test_several_documents_and_to_dict_picks_the_workflow() -> None:
    config = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}
    result = bind([config, hera_workflow()], SPEC_DICT)
    assert [d["kind"] for d in result.to_dicts()] == ["ConfigMap", "Workflow"]
    assert result.to_dict()["kind"] == "Workflow"
    assert result.bindings["steps"][0]["doc"] == 1


def test_nothing_to_bind_changes_nothing() -> None:
    text = PIPELINE.read_text()
    result = bind(text, {"apiVersion": "kfdata.dev/v1alpha1", "kind": "DataBindings"})
    assert (result.output, result.changed, result.bindings["steps"]) == (text, False, [])


def test_errors_are_the_compilers_with_positions_in_the_yaml() -> None:
    broken = dict(SPEC_DICT, bindings=[{"step": "trian", "read": ["reveiws"]}])
    with pytest.raises(KfdataError) as from_dict:
        bind(hera_workflow(), broken)
    with pytest.raises(KfdataError) as from_text:
        compile_text(dump_documents([hera_workflow().to_dict()]).encode(),
                     dump_documents([broken]).encode(), "<workflow as YAML>", "<spec as YAML>")
    assert from_dict.value.diagnostics == from_text.value.diagnostics
    (where,) = {d.location for d in from_dict.value.diagnostics if d.code == "KF302"}
    # A dict is compiled as kfdata's own YAML of it: the position points into that text.
    line = dump_documents([broken]).splitlines()[where.line - 1]
    assert where.file == "<spec as YAML>" and line[where.col - 1:].startswith("step: trian")


def test_a_path_keeps_its_name_and_the_size_limit(tmp_path: Path) -> None:
    shutil.copy(PIPELINE, tmp_path / "p.yaml")
    (tmp_path / "p.kfdata.yaml").write_text("kind: Nope\n")
    with pytest.raises(KfdataError) as caught:
        bind(tmp_path / "p.yaml")
    assert {d.location.file for d in caught.value.diagnostics} == {
        str(tmp_path / "p.kfdata.yaml")}
    with pytest.raises(KfdataError) as too_big:
        bind(PIPELINE, SPEC, max_input_size=1024)
    assert [d.code for d in too_big.value.diagnostics] == ["KF112"]


@pytest.mark.parametrize("given", [42, {"spec": {"x": {1, 2}}}, {1: "a"}])
def test_what_is_not_a_workflow_is_a_type_error(given: Any) -> None:
    with pytest.raises(TypeError):
        bind(given, SPEC_DICT)


def test_a_spec_is_needed_unless_the_workflow_is_a_file() -> None:
    with pytest.raises(TypeError, match="needs a spec"):
        bind(PIPELINE.read_text())


def test_the_readme_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("hera.workflows")
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    library = readme[readme.index("## Library\n"):]
    code = library[library.index("```python\n") + 10:library.index("```\n", 10)]
    assert "bind(w, spec)" in code
    exec(compile(code, "README.md", "exec"), {})  # our own README's example
    out = capsys.readouterr().out
    assert "['KFDATA_REVIEWS_PATH', 'KFDATA_REVIEWS_URI', 'KFDATA_REVIEWS_VERSION']" in out
    parse(out[out.index("flowchart TD"):].rstrip("\n") + "\n")  # print added a newline
