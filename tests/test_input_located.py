"""Issue 19 §1: an input broken where the compile rewrites it is the input's problem.

Whatever ``kfdata-compile lint`` says about the parts of the input a compile changes is said of
the input, at its line and column, exit 1: never as KF900 ("kfdata-compile produced output that
breaks rule ...", exit 3) about the output the rewrite carried the problem into.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kfdata_compiler.cli import main
from kfdata_compiler.compiler import compile_text, lint_text
from kfdata_compiler.errors import InternalError, KfdataError
from tests.paths import ROOT

STORES = """\
stores:
  minio:
    s3: {endpoint: "minio:9000", insecure: true,
         credentials: {secret: minio-creds, accessKey: accesskey, secretKey: secretkey}}
"""
WHOLE = ("apiVersion: kfdata.dev/v1alpha1\nkind: DataBindings\n" + STORES
         + "datasets:\n  d: {uri: 's3://bucket/x/', store: minio}\n"
         + "bindings:\n  - step: 'STEP'\n    read: [d]\n")
PER_DATUM = WHOLE.replace("read: [d]", "read: [{dataset: d, datum: {glob: '/*'}}]")


def bind(spec: str, step: str) -> str:
    """The spec binding ``step``."""
    return spec.replace("STEP", step)


def dag(task: str, leaf: str = "a", call: str = "a") -> str:
    """A workflow whose DAG calls ``leaf`` twice: task ``x`` and ``task`` (a flow mapping's
    body, after ``template``)."""
    return textwrap.dedent(f"""\
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata: {{name: wf}}
        spec:
          entrypoint: main
          templates:
          - name: main
            dag:
              tasks:
              - {{name: x, template: {call}}}
              - {{template: {call}, {task}}}
          - name: {leaf}
            container: {{image: alpine}}
        """)


STEPS = textwrap.dedent("""\
    apiVersion: argoproj.io/v1alpha1
    kind: Workflow
    metadata: {name: wf}
    spec:
      entrypoint: main
      templates:
      - name: main
        steps:
        - - {name: x, template: a, when: 5}
      - name: a
        container: {image: alpine}
    """)
IR = (ROOT / "fixtures/kfpv2-flat/pipeline.yaml").read_text()
IR_SPEC = (ROOT / "fixtures/kfpv2-flat/pipeline.kfdata.yaml").read_text()
# evaluate (bound) waits for prepare and train; it now also names a task that does not exist.
IR_MISSING = IR.replace("        - prepare\n        - train\n",
                        "        - prepare\n        - train\n        - nosuch\n", 1)

# name -> (pipeline, spec, the code lint reports, its line and column in the pipeline: the
# field's key, or the list entry at fault)
CASES: dict[str, tuple[str, str, str, int, int]] = {
    "dependencies-a-string": (dag("name: b, dependencies: x"), bind(PER_DATUM, "a"),
                              "KF400", 11, 32),
    "when-a-number": (dag("name: b, when: 5"), bind(PER_DATUM, "a"), "KF400", 11, 32),
    "depends-a-list": (dag("name: b, depends: [x]"), bind(PER_DATUM, "a"), "KF400", 11, 32),
    "dependencies-a-number": (dag("name: b, dependencies: [1]"), bind(PER_DATUM, "a"),
                              "KF400", 11, 47),
    "task-named-item": (dag("name: '{{item}}'"), bind(PER_DATUM, "a"), "KF401", 11, 23),
    "template-named-a-number": (dag("name: b", leaf="123", call="123"),
                                bind(WHOLE, "123"), "KF401", 12, 5),
    "steps-when-a-number": (STEPS, bind(PER_DATUM, "a"), "KF400", 9, 32),
    "kfpv2-depends-on-a-missing-task": (IR_MISSING, IR_SPEC, "KF627", 130, 9),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_broken_input_is_located_in_the_input(case: str) -> None:
    pipeline, spec, code, line, col = CASES[case]
    with pytest.raises(KfdataError) as caught:
        compile_text(pipeline.encode(), spec.encode(), "pipeline.yaml", "spec.yaml")
    assert not isinstance(caught.value, InternalError), caught.value.diagnostics
    found = [(d.code, d.location.file, d.location.line, d.location.col)
             for d in caught.value.diagnostics]
    assert (code, "pipeline.yaml", line, col) in found, found
    # What the compile says of the input is what lint says of it, at the same place.
    linted = {(d.code, d.location.line, d.location.col, d.message)
              for d in lint_text(pipeline.encode(), "pipeline.yaml")}
    for d in caught.value.diagnostics:
        if d.location.file == "pipeline.yaml" and d.code.startswith(("KF4", "KF62")):
            assert (d.code, d.location.line, d.location.col, d.message) in linted


@pytest.mark.parametrize("case", ["when-a-number", "kfpv2-depends-on-a-missing-task"])
def test_the_cli_exits_1_and_writes_nothing(case: str, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    pipeline, spec, code, line, col = CASES[case]
    (tmp_path / "p.yaml").write_text(pipeline)
    (tmp_path / "s.yaml").write_text(spec)
    status = main([str(tmp_path / "p.yaml"), "--spec", str(tmp_path / "s.yaml"),
                   "-o", str(tmp_path / "out.yaml")])
    err = capsys.readouterr().err
    assert status == 1, err
    assert f"p.yaml:{line}:{col}: error[{code}]" in err
    assert "KF900" not in err and not (tmp_path / "out.yaml").exists()


def test_a_sound_input_still_compiles() -> None:
    # The same shapes, well typed, compile: only the broken field is refused.
    result = compile_text(dag("name: b, dependencies: [x], when: 'true'").encode(),
                          bind(PER_DATUM, "a").encode())
    assert result.changed
