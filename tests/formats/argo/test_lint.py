"""``kfdata-compile lint``: formats, exit codes, positions, skipped documents, and the corpus."""

from __future__ import annotations

import json
import re
import textwrap
import time
from pathlib import Path

import pytest

from kfdata_compiler.cli import main
from kfdata_compiler.compiler import lint_file
from kfdata_compiler.errors import KfdataError
from tests.paths import CORPUS, FIXTURES, GOLDEN
from tests.formats.argo.test_argo_schema import EXPECTED_FINDINGS as SCHEMA_FINDINGS
from tests.formats.argo.test_argo_schema import PARALLELISM_0
from tests.formats.argo.test_argo_schema import SIGNATURES as SCHEMA_SIGNATURES

BAD = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: bad-}
spec:
  entrypoint: main
  templates:
  - name: main
    container:
      image: alpine
      imagePullPolice: Always
      env:
      - {name: A, value: '1'}
      - {name: A, value: '2'}
"""
CLEAN = BAD.replace("      imagePullPolice: Always\n", "").replace("{name: A, value: '2'}",
                                                                 "{name: B, value: '2'}")


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def test_clean_file_exits_0_with_one_line(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    # As ruff does: one line on stderr, nothing on stdout (issue 20 §6).
    assert main(["lint", str(_write(tmp_path, "ok.yaml", CLEAN))]) == 0
    assert capsys.readouterr() == ("", "kfdata-compile: 1 file checked: no problems\n")


def test_text_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "bad.yaml", BAD)
    assert main(["lint", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        f"{path}:10:7: error[KF400]: unknown field 'imagePullPolice'\n"
        "  at: $.spec.templates[0].container.imagePullPolice\n"
        "  hint: did you mean 'imagePullPolicy'?\n"
        "        allowed fields here: args, command, env, envFrom, image, imagePullPolicy,"
    )
    assert err.endswith(
        f"{path}:13:10: error[KF412]: env var 'A' appears twice in container 'main'\n"
        "  at: $.spec.templates[0].container.env[1].name\n"
    )


def test_github_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "bad.yaml", BAD)
    assert main(["lint", "--error-format", "github", str(path)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[1] == (f"::error file={path},line=13,col=10,title=KF412::env var 'A' appears "
                        "twice in container 'main' ($.spec.templates[0].container.env[1].name)")
    assert lines[0].startswith(f"::error file={path},line=10,col=7,title=KF400::unknown field")


def test_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "bad.yaml", BAD)
    assert main(["lint", "--error-format", "json", str(path)]) == 1
    found = json.loads(capsys.readouterr().out)  # one document on stdout (docs/cli-output.md)
    assert [(d["code"], d["line"], d["col"], d["json_path"]) for d in found] == [
        ("KF400", 10, 7, "$.spec.templates[0].container.imagePullPolice"),
        ("KF412", 13, 10, "$.spec.templates[0].container.env[1].name"),
    ]
    assert found[1]["file"] == str(path) and found[1]["severity"] == "error"


def test_several_files_exit_1_if_any_has_problems(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    ok, bad = _write(tmp_path, "ok.yaml", CLEAN), _write(tmp_path, "bad.yaml", BAD)
    assert main(["lint", str(ok), str(bad), str(ok)]) == 1
    assert str(ok) not in capsys.readouterr().err


def test_a_rule_and_the_schema_on_one_value_report_once(tmp_path: Path) -> None:
    path = _write(tmp_path, "wf.yaml", CLEAN.replace("name: main\n", "name: my_main\n")
                  .replace("entrypoint: main", "entrypoint: my_main"))
    found = [(d.code, d.location.json_path) for d in lint_file(path)]
    assert found == [("KF401", "$.spec.templates[0].name")]  # the schema's pattern error is dropped


def test_other_kinds_are_skipped_and_documents_located(tmp_path: Path) -> None:
    config_map = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nbogus: [1]\n"
    path = _write(tmp_path, "multi.yaml", f"{config_map}---\n{CLEAN}---\n{BAD}")
    found = [(d.code, d.location.line) for d in lint_file(path)]
    offset = config_map.count("\n") + CLEAN.count("\n") + 2  # two '---' lines
    assert found == [("KF400", offset + 10), ("KF412", offset + 13)]


def test_kfp_v2_pipeline_spec_is_refused_like_compile(capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path) -> None:
    # A whole IR file is the KFP v2 format's (tests/formats/kfpv2); a part of one is no one's.
    path = tmp_path / "partial.yaml"
    path.write_text("pipelineInfo: {name: x}\ncomponents: {}\n")
    assert main(["lint", str(path)]) == 1
    assert "error[KF108]: a KFP v2 pipeline spec kfdata-compile cannot take" in capsys.readouterr().err


@pytest.mark.parametrize(("text", "code"), [
    pytest.param(None, "KF100", id="missing-file"),
    pytest.param("a: [\n", "KF101", id="malformed-yaml"),
    pytest.param("", "KF107", id="empty"),
])
def test_unreadable_files(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str | None,
                          code: str) -> None:
    path = tmp_path / "x.yaml"
    if text is not None:
        path.write_text(text)
    with pytest.raises(KfdataError) as raised:
        lint_file(path)
    assert [d.code for d in raised.value.diagnostics] == [code]
    assert main(["lint", str(path)]) == 1
    assert f"error[{code}]" in capsys.readouterr().err


# Corpus files that genuinely break a rule, with the reason; each must still fail, and only so.
# The schema's own table (tests/test_argo_schema.py) lists the KFP ParallelFor files.
DUPLICATE_KEY = (
    "Argo's own example repeats `metadata.annotations`; YAML forbids duplicate keys and "
    "kubectl (sigs.k8s.io/yaml, strict) rejects the file"
)
EXPECTED: dict[str, str] = {**SCHEMA_FINDINGS, "argo-examples/k8s-patch-json-workflow.yaml":
                            DUPLICATE_KEY}
# The strict schema (Argo 4.1's) says `parallelism: 0` breaks `minimum: 1`; lint leaves it to
# KF419, which knows what the target release does with it: at the default target (3.7) a
# warning, since Argo 3.x runs it as "no limit" (tests/formats/argo/test_version_rules.py).
PARALLELISM_0_BY_VERSION = (r"KF419 \$\.spec\.templates\[\d+\]\.parallelism: parallelism: 0 on "
                            r"template '[-\w]+' means no limit on Argo 3\.7\.0, and Argo 4\.0 "
                            r"rejects it")
SIGNATURES: dict[str, str] = {
    **{reason: rf"KF400 {pattern}" for reason, pattern in SCHEMA_SIGNATURES.items()},
    PARALLELISM_0: PARALLELISM_0_BY_VERSION,
    DUPLICATE_KEY: r"KF102 \$: duplicate key 'annotations' \(first defined at line 6, column 3\)",
}
CORPUS_DIRS = ("argo-examples", "kfp-v1-argo", "kfp-v2-argo")
CORPUS_BUDGET_SECONDS = 15.0


def _lint(path: Path) -> list[str]:
    try:
        found = lint_file(path)
    except KfdataError as exc:
        found = list(exc.diagnostics)
    return [f"{d.code} {d.location.json_path}: {d.message}" for d in found]


@pytest.fixture(scope="module")
def corpus() -> dict[str, list[str]]:
    if not all((CORPUS / folder).is_dir() for folder in CORPUS_DIRS):
        pytest.skip(f"corpus not found under {CORPUS}")
    start = time.perf_counter()
    out = {f"{folder}/{path.name}": _lint(path)
           for folder in CORPUS_DIRS for path in sorted((CORPUS / folder).glob("*.y*ml"))}
    elapsed = time.perf_counter() - start
    assert elapsed < CORPUS_BUDGET_SECONDS, f"linting {len(out)} files took {elapsed:.1f} s"
    return out


def test_corpus_lints_clean(corpus: dict[str, list[str]]) -> None:
    assert len(corpus) > 450
    unexpected = {name: found[:5] for name, found in corpus.items()
                  if found and name not in EXPECTED}
    assert unexpected == {}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_expected_corpus_findings_still_fail(corpus: dict[str, list[str]], name: str) -> None:
    reason = EXPECTED[name]
    assert corpus[name], f"{name} now passes; remove it from the table ({reason})"
    signature = re.compile(SIGNATURES[reason])
    assert [f for f in corpus[name] if not signature.fullmatch(f)] == []


# Goldens whose input fixture already breaks a rule (validate() never blames the compile for it).
GOLDEN_FINDINGS: dict[str, list[str]] = {
    "kfp-v1-display-names.yaml": [
        # KFP 1.8's ParallelFor writes `parallelism: 0` (see tests/test_argo_schema.py): a
        # warning at the default target, Argo 3.7 (KF419 owns it; the schema's KF400 is dropped).
        "KF419 $.spec.templates[3].parallelism: parallelism: 0 on template 'for-loop-2' means no "
        "limit on Argo 3.7.0, and Argo 4.0 rejects it",
    ],
}
# Dataset-type cases whose pipeline.yaml is a byte-for-byte copy of those inputs.
for _copy, _source in (("pachyderm-kfp-v1", "kfp-v1-display-names"),):
    GOLDEN_FINDINGS[f"{_copy}.yaml"] = GOLDEN_FINDINGS[f"{_source}.yaml"]


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.yaml")), ids=lambda p: p.name)
def test_goldens_lint_clean_but_for_their_inputs(path: Path) -> None:
    assert _lint(path) == GOLDEN_FINDINGS.get(path.name, [])


def test_size_limits_are_reported_without_echoing_the_value(tmp_path: Path) -> None:
    # The full CRDs allow 200 DAG tasks; jsonschema alone would print all 201 of them.
    tasks = "".join(f"      - {{name: t{i}, template: main}}\n" for i in range(201))
    text = CLEAN.replace("  - name: main\n", "  - name: d\n    dag:\n      tasks:\n"
                         + tasks + "  - name: main\n")
    found = [(d.code, d.location.json_path, d.message) for d in lint_file(
        _write(tmp_path, "wf.yaml", text))]
    assert found == [("KF400", "$.spec.templates[0].dag.tasks", "'tasks' has 201 items; "
                      "at most 200 allowed")]
