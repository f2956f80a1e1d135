"""A spec written for the other format gives one KF355, not a KF302 per binding each repeating
the whole step list (issue 20 §2; the rule: resolve/foreign.py)."""

from __future__ import annotations

import pytest

from kfdata_compiler.compiler import compile_text
from kfdata_compiler.errors import KfdataError
from tests.helpers import spec
from tests.paths import FIXTURES

ARGO = (FIXTURES / "kfp-v1-sentiment" / "pipeline.yaml").read_text()
KFPV2 = (FIXTURES / "kfpv2-flat" / "pipeline.yaml").read_text()
DATASETS = "r: {uri: https://h/r}\nq: {uri: https://h/q}"


def _found(pipeline: str, spec_text: str) -> list[tuple[str, str]]:
    with pytest.raises(KfdataError) as caught:
        compile_text(pipeline.encode(), spec_text.encode(), "p.yaml", "s.yaml")
    return [(d.code, d.location.json_path) for d in caught.value.diagnostics]


@pytest.mark.parametrize("steps", [
    pytest.param(("train_model", "eval_accuracy"), id="python-functions"),
    pytest.param(("comp-train-model", "exec-tokenize"), id="component-and-executor-names"),
    pytest.param(("for-loop-2/train-modle", "condition-1/tokenise"), id="task-paths"),
])
def test_kfp_v2_names_on_an_argo_file_are_one_diagnostic(steps: tuple[str, str]) -> None:
    bindings = "\n".join(f"- {{step: {s}, read: [r, nowhere]}}" for s in steps)
    with pytest.raises(KfdataError) as caught:
        compile_text(ARGO.encode(), spec(DATASETS, bindings).encode(), "p.yaml", "s.yaml")
    found = [(d.code, d.location.json_path) for d in caught.value.diagnostics]
    # One KF355 at the first step, no KF302; the uses' own problems are still reported.
    assert found == [("KF355", "$.bindings[0].step"), ("KF301", "$.bindings[0].read[1]"),
                     ("KF301", "$.bindings[1].read[1]")]
    (mismatch,) = [d for d in caught.value.diagnostics if d.code == "KF355"]
    assert "KFP v2" in mismatch.message and "available steps: " in mismatch.hint
    assert "train-model" in mismatch.hint.rsplit("available steps: ", 1)[1]


def test_the_hint_names_the_argo_template_a_kfp_v2_name_stands_for() -> None:
    with pytest.raises(KfdataError) as caught:
        compile_text(ARGO.encode(), spec(DATASETS, "- {step: train_model, read: [r]}\n"
                                         "- {step: comp-tokenize, read: [q]}").encode())
    (mismatch,) = caught.value.diagnostics
    assert "the same tasks here: train_model -> train-model, comp-tokenize -> tokenize" \
        in mismatch.hint


@pytest.mark.parametrize(("bindings", "expected"), [
    pytest.param("- {step: train_model, read: [r]}\n- {step: tokenize, read: [q]}",
                 [("KF302", "$.bindings[0].step")], id="one-step-matches"),
    pytest.param("- {step: train_model, read: [r]}\n- {step: tokenise, read: [q]}",
                 [("KF302", "$.bindings[0].step"), ("KF302", "$.bindings[1].step")],
                 id="a-step-argo-could-name"),
])
def test_a_spec_for_this_format_keeps_its_kf302s(bindings: str,
                                                 expected: list[tuple[str, str]]) -> None:
    assert _found(ARGO, spec(DATASETS, bindings)) == expected


def test_an_argo_spec_on_a_kfp_v2_file_is_one_diagnostic() -> None:
    text = spec("r: {uri: 's3://b/r', store: minio}\nq: {uri: https://h/q}",
                "- {step: train-model, read: [{dataset: r, datum: {glob: '/*'}}]}\n"
                "- {step: eval-accuracy, read: [q]}") + "argoVersion: '3.7'\n"
    found = _found(KFPV2, text)
    assert ("KF355", "$.bindings[0].step") in found
    assert not any(code == "KF302" for code, _ in found)


def test_kfp_v2_names_that_match_nothing_on_a_kfp_v2_file_are_kf302s() -> None:
    found = _found(KFPV2, spec(DATASETS, "- {step: train_modle, read: [r]}\n"
                                         "- {step: evaluat, read: [q]}"))
    assert found == [("KF302", "$.bindings[0].step"), ("KF302", "$.bindings[1].step")]
