"""The facts explain shows: how each step was selected, how data gets there, what is left."""

from __future__ import annotations

from kfdata_compiler.compiler import plan_text
from kfdata_compiler.explain import Facts, build, render
from kfdata_compiler.explain.facts import DatasetUse
from kfdata_compiler.explain.text import version_text
from tests.helpers import spec, workflow
from tests.paths import FIXTURES, GOLDEN


def _facts(case: str) -> Facts:
    pipeline, sidecar = FIXTURES / case / "pipeline.yaml", FIXTURES / case / "pipeline.kfdata.yaml"
    return build(*plan_text(pipeline.read_bytes(), sidecar.read_bytes()))


def _via(facts: Facts) -> dict[str, list[tuple[str, str]]]:
    return {s.template: [(x.pattern, x.via) for x in s.selected_by] for s in facts.steps}


def test_each_step_says_which_binding_named_it_and_how() -> None:
    assert _via(_facts("kfp-v1-display-names")) == {
        "clean-shard": [("Clean shard", "KFP component name")],
        "download-reviews": [("Load reviews", "KFP display name")],
        "publish-report": [("publish-report", "template name")],
        "score-split": [("Score split", "KFP component name")],
        "score-split-2": [("Score split", "KFP component name")],
    }
    labels = {s.template: s.label for s in _facts("kfp-v1-display-names").steps}
    assert labels["score-split-2"] == "Score test split"


def test_delivery_follows_what_the_driver_needs() -> None:
    def deliveries(case: str) -> set[tuple[str, str]]:
        return {(u.dataset, u.delivery) for s in _facts(case).steps for u in s.uses}

    assert ("holdout", "volume") in deliveries("kfp-v1-pvc")  # pvc://
    assert ("corpus", "init container") in deliveries("dvc-hera")  # a DVC type
    assert ("model", "artifact") in deliveries("kfp-v1-sentiment")  # an s3 write
    assert ("corpus", "input artifact") in deliveries("kfp-v1-sentiment")  # into: tokens


def test_unbound_steps_unused_datasets_and_steps_bound_twice() -> None:
    pipeline = workflow("""
    - name: main
      dag:
        tasks:
        - {name: a, template: prep}
        - {name: b, template: train, dependencies: [a]}
        - {name: c, template: report, dependencies: [b]}
    - {name: prep, container: {image: i}}
    - {name: train, container: {image: i}}
    - {name: report, container: {image: i}}
    """, "entrypoint: main")
    text = spec("""
    web: {uri: "https://h/x"}
    pinned: {uri: "https://h/y", version: "3"}
    spare: {uri: "https://h/z"}
    """, """
    - {step: "tr*", read: [web]}
    - {step: train, read: [pinned]}
    """)
    facts = build(*plan_text(pipeline.encode(), text.encode()))
    (train,) = facts.steps
    assert [(s.pattern, s.via) for s in train.selected_by] == [
        ("tr*", "glob"), ("train", "template name")]
    assert [u.dataset for u in train.uses] == ["web", "pinned"] and train.cache_off
    assert [s.template for s in facts.unbound] == ["prep", "report"]
    assert facts.unused_datasets == ("spare",)
    out = render(facts, "text")
    assert "\ntrain  (b)\n" in out  # the task that calls it
    assert out.endswith(
        "steps no binding selects: prep (a), report (c)\ndatasets no binding uses: spare\n")


def test_version_text() -> None:
    use = DatasetUse("d", "read", "artifact", "/p", None, (), None, None, "https://h/x")
    assert version_text(use) == "floating (cache off)"
    assert version_text(use._replace(mode="write")) == "floating"
    assert version_text(use._replace(version="7")) == "7"


def test_several_workflows_are_named() -> None:
    facts = _facts("multi-doc")
    assert [w.graph.name for w in facts.workflows] == ["nightly-train-", "evaluate"]
    assert "\ntrain  in nightly-train-\n" in render(facts, "text")


def test_a_kfp_v2_workspace_read_is_shown_as_the_lineage_names_it() -> None:
    """Issue 20 §6: explain said "artifact" where the bound pipeline's lineage says
    ``via: workspace``; an importer's read stays an artifact."""
    from kfdata_compiler.compiler import plan_text
    from kfdata_compiler.explain import build

    case = FIXTURES / "kfpv2-flat-workspace"
    facts = build(*plan_text((case / "pipeline.yaml").read_bytes(),
                             (case / "pipeline.kfdata.yaml").read_bytes()))
    shown = {u.dataset: u.delivery for s in facts.steps for u in s.uses}
    lineage = (GOLDEN / "kfpv2-flat-workspace.yaml").read_text()
    assert "reviews:\n          read:\n          - train\n" in lineage
    assert "via:\n          - workspace\n" in lineage
    assert shown == {"corpus": "artifact", "reviews": "workspace"}
