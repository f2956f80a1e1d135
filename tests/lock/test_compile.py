"""The compile with a lock: a fresh entry is the dataset's version everywhere a declared one
goes (env, lineage with "locked", KFP's cache), and git/pachyderm/lakeFS read the pinned commit.
Stale, missing and extra entries warn by default and fail with --locked; --frozen wants every
read dataset pinned. A lock that fails its schema is reported at file:line:col."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from kfdata_compiler.compiler import compile_file
from kfdata_compiler.diagnostics import Severity
from kfdata_compiler.errors import KfdataError
from kfdata_compiler.load import load_source
from kfdata_compiler.lock import lock_path
from kfdata_compiler.lock.lockfile import render
from kfdata_compiler.lock.model import KINDS, MANIFEST_KINDS, MANIFEST_VERSION, Entry, Lock, Pin
from kfdata_compiler.lock.select import floating, input_digest
from kfdata_compiler.spec import parse_spec
from tests.lock.conftest import write_spec
from tests.paths import FIXTURES

SHA = "0123456789abcdef0123456789abcdef01234567"
VOCAB = "sha256:" + "92ca03fd" * 8
CORPUS = "sha256:" + "5b1e0c2a" * 8
NO_CACHE = "pipelines.kubeflow.org/max_cache_staleness"


def make_lock(spec: Path, pins: dict[str, Pin]) -> Path:
    """The lock ``kfdata-compile lock`` would write had the stores answered ``pins``."""
    bindings = parse_spec(load_source(str(spec), spec.read_bytes()))
    entries = {item.name: Entry(item.dataset.uri, KINDS[str(item.kind)], pins[item.name].version,
                                input_digest(item), pins[item.name].ref,
                                pins[item.name].objects, pins[item.name].bytes,
                                MANIFEST_VERSION if KINDS[str(item.kind)] in MANIFEST_KINDS
                                else None)
               for item in floating(bindings) if item.name in pins}
    path = lock_path(spec)
    path.write_text(render(Lock(spec.name, entries)))
    return path


def _templates(output: str) -> dict[str, Any]:
    return {t["name"]: t for t in yaml.safe_load(output)["spec"]["templates"]}


def _env(template: dict[str, Any]) -> dict[str, str]:
    return {e["name"]: e["value"] for e in template["container"].get("env", [])}


def _lineage(output: str) -> dict[str, Any]:
    doc = yaml.safe_load(output)
    return json.loads(doc["metadata"]["annotations"]["kfdata.dev/bindings"])  # type: ignore[no-any-return]


@pytest.fixture
def sentiment(tmp_path: Path) -> Path:
    """A copy of the bundled example (its fixture belongs to the golden tests)."""
    shutil.copytree(FIXTURES / "kfp-v1-sentiment", tmp_path / "p")
    return tmp_path / "p"


def test_the_bundled_example_with_a_lock(sentiment: Path) -> None:
    spec = sentiment / "pipeline.kfdata.yaml"
    assert [i.name for i in floating(parse_spec(load_source(str(spec), spec.read_bytes())))] \
        == ["vocab", "corpus", "eval-code"]  # reviews has a version; model is written
    unlocked = compile_file(sentiment / "pipeline.yaml")
    make_lock(spec, {"vocab": Pin(VOCAB, bytes=11), "corpus": Pin(CORPUS, objects=3, bytes=9),
                     "eval-code": Pin(SHA, ref="v1.2.0")})
    result = compile_file(sentiment / "pipeline.yaml")
    assert result.warnings == unlocked.warnings
    templates = _templates(result.output)
    assert _env(templates["preprocess"])["KFDATA_VOCAB_VERSION"] == VOCAB
    for name in ("eval-accuracy", "eval-fairness"):
        assert _env(templates[name])["KFDATA_EVAL_CODE_VERSION"] == SHA
        (git,) = [a["git"] for a in templates[name]["inputs"]["artifacts"] if "git" in a]
        assert git["revision"] == SHA  # the pod checks out the pinned commit
    assert _env(templates["train-model"])["KFDATA_CORPUS_VERSION"] == CORPUS
    for template in templates.values():  # every read is versioned: KFP's cache stays on
        assert NO_CACHE not in template.get("metadata", {}).get("annotations", {})
    assert any(NO_CACHE in t.get("metadata", {}).get("annotations", {})
               for t in _templates(unlocked.output).values())
    lineage = _lineage(result.output)
    assert lineage["vocab"]["version"] == VOCAB and lineage["vocab"]["locked"] is True
    assert lineage["eval-code"] == {**lineage["eval-code"], "version": SHA, "locked": True}
    assert "locked" not in lineage["reviews"] and "locked" not in lineage["model"]


PACH = ("pach: {pachyderm: {endpoint: pachd.pachyderm, "
        "credentials: {secret: pach-auth, token: auth-token}}}\n"
        "lake: {lakefs: {endpoint: 'lakefs.lakefs:8000', "
        "credentials: {secret: lakefs-creds, accessKey: access, secretKey: secret}}}")


def test_pachyderm_and_lakefs_read_the_pinned_commit(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, """\
        images: {uri: "pach://vision/images@master:/train", store: pach}
        reviews: {uri: "lakefs://reviews/main/2024/06/", store: lake}""", PACH,
                      "- {step: train, read: [images, reviews]}")
    commit, lake = "a" * 32, "1" * 64
    make_lock(spec, {"images": Pin(commit, ref="master"), "reviews": Pin(lake, ref="main")})
    train = _templates(compile_file(tmp_path / "pipeline.yaml").output)["train"]
    s3 = {a["name"]: a["s3"] for a in train["inputs"]["artifacts"]}
    assert s3["kfdata-images"]["bucket"] == f"{commit}.master.images.vision"
    assert (s3["kfdata-reviews"]["bucket"], s3["kfdata-reviews"]["key"]) == (
        "reviews", f"{lake}/2024/06")  # no final /: issue 18 §1
    env = _env(train)
    assert env["KFDATA_IMAGES_VERSION"] == commit and env["KFDATA_REVIEWS_VERSION"] == lake
    assert env["KFDATA_IMAGES_URI"] == f"pach://vision/images@master={commit}:/train"


HTTP = "d: {uri: 'https://example.org/v.txt'}\ne: {uri: 'https://example.org/e.txt'}"


def _http_spec(tmp_path: Path) -> Path:
    return write_spec(tmp_path, HTTP, bindings="- {step: train, read: [d, e]}")


def test_stale_missing_and_extra_entries_warn_and_float(tmp_path: Path) -> None:
    spec = _http_spec(tmp_path)
    make_lock(spec, {"d": Pin(VOCAB, bytes=1)})
    lock = lock_path(spec)
    text = lock.read_text().replace("  d:\n", "  gone:\n", 1)
    lock.write_text(text + text.split("datasets:\n")[1].replace("  gone:", "  d:"))
    spec.write_text(spec.read_text().replace("v.txt", "v2.txt"))  # d's entry is stale now
    result = compile_file(tmp_path / "pipeline.yaml")
    found = {d.code: d for d in result.warnings}
    assert set(found) == {"KF503", "KF504", "KF505"}
    assert all(d.severity is Severity.WARNING for d in found.values())
    assert found["KF503"].message.startswith("dataset 'd' changed in the spec since "
                                             "pipeline.kfdata.lock pinned it: it floats")
    assert found["KF503"].location.file == str(lock) and found["KF503"].location.line > 0
    assert found["KF504"].location.file == str(spec)  # 'e': at the dataset in the spec
    assert "'gone'" in found["KF505"].message
    assert "kfdata-compile lock" in found["KF503"].hint
    train = _templates(result.output)["train"]
    assert "KFDATA_D_VERSION" not in _env(train)
    assert train["metadata"]["annotations"][NO_CACHE] == "P0D"


@pytest.mark.parametrize("mode", ["locked", "frozen"])
def test_locked_makes_them_errors(tmp_path: Path, mode: str) -> None:
    spec = _http_spec(tmp_path)
    make_lock(spec, {"d": Pin(VOCAB, bytes=1)})  # e is missing
    with pytest.raises(KfdataError) as failed:
        compile_file(tmp_path / "pipeline.yaml", lock_mode=mode)
    (problem,) = [d for d in failed.value.diagnostics if d.severity is Severity.ERROR]
    assert problem.code == "KF504" and problem.message == ("dataset 'e' is not in "
                                                           "pipeline.kfdata.lock")
    make_lock(spec, {"d": Pin(VOCAB, bytes=1), "e": Pin(CORPUS, bytes=2)})
    assert compile_file(tmp_path / "pipeline.yaml", lock_mode=mode).warnings == ()


def test_locked_without_a_lock_file(tmp_path: Path) -> None:
    _http_spec(tmp_path)
    with pytest.raises(KfdataError) as failed:
        compile_file(tmp_path / "pipeline.yaml", lock_mode="locked")
    (problem,) = failed.value.diagnostics
    assert (problem.code, problem.message) == (
        "KF504", "no lock file pipeline.kfdata.lock beside the spec (--locked)")


def test_frozen_wants_every_read_dataset_pinned(tmp_path: Path) -> None:
    write_spec(tmp_path, "d: {uri: 'pvc://claim/sets'}\nv: {uri: 'pvc://claim/v', version: '1'}",
               bindings="- {step: train, read: [d, v]}")
    lock = tmp_path / "pipeline.kfdata.lock"
    lock.write_text("lockVersion: 1\nspec: pipeline.kfdata.yaml\ndatasets: {}\n")
    assert compile_file(tmp_path / "pipeline.yaml", lock_mode="locked").warnings == ()
    with pytest.raises(KfdataError) as failed:
        compile_file(tmp_path / "pipeline.yaml", lock_mode="frozen")
    (problem,) = failed.value.diagnostics
    assert problem.code == "KF506"
    assert problem.message == ("dataset 'd' is not pinned: pvc datasets cannot be locked: only "
                               "gcs, git, http, lakefs, pachyderm, s3 can")


@pytest.mark.parametrize(("text", "code", "where"), [
    ("lockVersion: 7\nspec: pipeline.kfdata.yaml\ndatasets: {}\n", "KF501", ":1:1"),
    ("lockVersion: 1\nspec: pipeline.kfdata.yaml\ndatasets:\n  d: {uri: x}\n", "KF501", ":4:3"),
    ("lockVersion: 1\nspec: other.kfdata.yaml\ndatasets: {}\n", "KF502", ":2:1"),
])
def test_a_broken_lock_fails_the_compile_at_its_position(tmp_path: Path, text: str, code: str,
                                                         where: str, cli: Any) -> None:
    _http_spec(tmp_path)
    lock = tmp_path / "pipeline.kfdata.lock"
    lock.write_text(text)
    with pytest.raises(KfdataError) as failed:
        compile_file(tmp_path / "pipeline.yaml")
    problem = failed.value.diagnostics[0]
    assert problem.code == code
    assert f"{problem.location.file}:{problem.location.line}:{problem.location.col}" == \
        f"{lock}{where}"
    run = cli("lock", tmp_path / "pipeline.kfdata.yaml")  # and lock refuses to overwrite it
    assert run.status == 1 and f"{lock}{where}: error[{code}]" in run.err
    assert lock.read_text() == text


def test_explain_and_bind_use_the_lock_as_a_compile_does(sentiment: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from kfdata_compiler.api import bind
    from kfdata_compiler.cli import main

    spec = sentiment / "pipeline.kfdata.yaml"
    make_lock(spec, {"vocab": Pin(VOCAB, bytes=11), "corpus": Pin(CORPUS, objects=3, bytes=9),
                     "eval-code": Pin(SHA, ref="v1.2.0")})
    assert main(["explain", str(sentiment / "pipeline.yaml"), "--format", "json"]) == 0
    facts = json.loads(capsys.readouterr().out)
    versions = {d["dataset"]: d["version"] for s in facts["steps"] for d in s["datasets"]}
    assert versions["vocab"] == VOCAB and versions["eval-code"] == SHA
    bound = bind(sentiment / "pipeline.yaml")
    assert bound.to_yaml() == compile_file(sentiment / "pipeline.yaml").output


@pytest.mark.parametrize("flag", ["--locked", "--frozen"])
def test_the_cli_flags(tmp_path: Path, flag: str, capsys: pytest.CaptureFixture[str]) -> None:
    from kfdata_compiler.cli import main

    spec = _http_spec(tmp_path)
    out = tmp_path / "out.yaml"
    assert main([str(tmp_path / "pipeline.yaml"), "-o", str(out)]) == 0  # default: floats
    assert main([str(tmp_path / "pipeline.yaml"), flag, "-o", str(out), "--write"]) == 1
    assert "error[KF504]: no lock file pipeline.kfdata.lock beside the spec" in capsys.readouterr().err
    make_lock(spec, {"d": Pin(VOCAB, bytes=1), "e": Pin(CORPUS, bytes=2)})
    out.unlink()
    assert main([str(tmp_path / "pipeline.yaml"), flag, "-o", str(out)]) == 0
    assert VOCAB in out.read_text()  # KFDATA_D_VERSION: the pin
