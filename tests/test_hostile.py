"""Hostile and broken input through the CLI: refused cleanly, nothing written, nothing leaked.

    kfdata-compile pipeline.yaml --spec pipeline.kfdata.yaml -o out.yaml   (hostile input)
    ->  exit 1, a KFxxx diagnostic naming the file (line and column where there is a position),
        no traceback, out.yaml not created (or left byte for byte as it was), no secret echoed

Resource bombs (aliases, deep nesting) run in a subprocess under a memory limit, so a crash or a
runaway allocation fails the test instead of the test run.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from kfdata_compiler.cli import main
from kfdata_compiler.compiler import compile_text
from kfdata_compiler.diagnostics import FORMATTERS
from kfdata_compiler.errors import InternalError, KfdataError
from kfdata_compiler.yamlio import load_documents
from tests.paths import ROOT
from tests.strategies import PROFILE, bound_specs, pipelines, templates_of, to_text

WORKFLOW = textwrap.dedent("""\
    apiVersion: argoproj.io/v1alpha1
    kind: Workflow
    metadata:
      generateName: hostile-
    spec:
      entrypoint: main
      templates:
      - name: main
        dag:
          tasks:
          - name: train
            template: train
      - name: train
        container:
          image: python:3.11-slim
          command: [python, -m, train]
          env:
          - name: PATH
            value: /usr/local/bin:/usr/bin
          - name: ARGO_DEBUG
            value: 'false'
        inputs:
          artifacts:
          - name: tokens
            path: /tmp/inputs/tokens/data
    """)
HEAD = "apiVersion: kfdata.dev/v1alpha1\nkind: DataBindings\n"
STORES = textwrap.dedent("""\
    stores:
      minio:
        s3: {endpoint: 'minio:9000', credentials: {secret: minio-creds, accessKey: accesskey,
                                                   secretKey: secretkey}}
    """)
SPEC = HEAD + STORES + textwrap.dedent("""\
    datasets:
      reviews: {uri: 's3://datasets/reviews', store: minio}
    bindings:
    - step: train
      read: [reviews]
    """)


@dataclass
class Outcome:
    """What one CLI run did."""

    status: int
    out: str
    err: str
    output: Path
    diagnostics: list[dict[str, Any]]

    def codes(self) -> set[str]:
        return {d["code"] for d in self.diagnostics}


@pytest.fixture
def compile_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Any:
    """Run ``kfdata-compile pipeline.yaml --spec pipeline.kfdata.yaml -o out.yaml``."""

    def run(pipeline: bytes | str, spec: bytes | str, fmt: str = "json",
            *extra: str) -> Outcome:
        files = {"pipeline.yaml": pipeline, "pipeline.kfdata.yaml": spec}
        for name, data in files.items():
            (tmp_path / name).write_bytes(data.encode() if isinstance(data, str) else data)
        output = tmp_path / "out.yaml"
        status = main([str(tmp_path / "pipeline.yaml"), "--spec",
                       str(tmp_path / "pipeline.kfdata.yaml"), "-o", str(output),
                       "--error-format", fmt, *extra])
        captured = capsys.readouterr()
        # With -o the json document is on stdout (docs/cli-output.md).
        diagnostics = json.loads(captured.out) if fmt == "json" and captured.out.startswith(
            "[") else []
        return Outcome(status, captured.out, captured.err, output, diagnostics)

    return run


def assert_refused(outcome: Outcome, code: str | None = None, which: str | None = None,
                   positioned: bool = True) -> None:
    """Exit 1, a KF diagnostic naming the file, no traceback and no output file."""
    assert "Traceback" not in outcome.out + outcome.err
    assert outcome.status == 1, outcome.err
    assert not outcome.output.exists()
    assert not list(outcome.output.parent.glob(".out.yaml*"))  # no temp file left behind
    assert outcome.diagnostics, outcome.err
    for d in outcome.diagnostics:
        assert d["code"].startswith("KF") and d["code"][2:].isdigit() and d["message"]
        assert Path(d["file"]).name in ("pipeline.yaml", "pipeline.kfdata.yaml")
    if code is not None:
        assert code in outcome.codes(), outcome.diagnostics
    mine = [d for d in outcome.diagnostics if code is None or d["code"] == code]
    if which is not None:
        assert all(Path(d["file"]).name == which for d in mine), mine
    if positioned:
        assert all(d["line"] > 0 and d["col"] > 0 for d in mine), mine


def _target(which: str, bad: bytes) -> tuple[bytes, bytes]:
    return (bad, SPEC.encode()) if which == "pipeline.yaml" else (WORKFLOW.encode(), bad)


# --- malformed YAML -------------------------------------------------------------------------------

MALFORMED = {
    "tab-indent": (b"apiVersion: v1\nkind: Workflow\nspec:\n\tentrypoint: main\n", "KF101", True),
    "unclosed-single-quote": (b"kind: Workflow\nmetadata: {name: 'w}\n", "KF101", True),
    "unclosed-double-quote": (b'kind: Workflow\nmetadata:\n  name: "w\n', "KF101", True),
    "duplicate-key": (b"kind: Workflow\nkind: WorkflowTemplate\n", "KF102", True),
    "duplicate-key-in-flow": (b"kind: Workflow\nmetadata: {name: a, name: b}\n", "KF102", True),
    "non-utf8": (b"kind: Workflow\nmetadata: {name: caf\xe9}\n", "KF100", True),
    "utf16": ("kind: Workflow\n".encode("utf-16"), "KF100", True),  # BOM ff fe: not UTF-8
    "empty": (b"", "KF107", True),
    "dashes-only": (b"---\n", "KF107", True),
    "two-empty-documents": (b"---\n---\n", "KF107", True),
    "comments-only": (b"# a comment\n   # another\n", "KF107", True),
    "document-end-only": (b"...\n", "KF101", True),
    "python-object-apply": (b"kind: !!python/object/apply:os.system ['touch PWNED']\n", "KF103",
                            True),
    "python-object-new": (b"kind: !!python/object/new:os.system [touch PWNED]\n", "KF103", True),
    "python-name": (b"kind: !!python/name:os.system ''\n", "KF103", True),
    "python-module": (b"kind: !!python/module:os ''\n", "KF103", True),
    "local-tag": (b"kind: !Ref Workflow\n", "KF103", True),
    "null-key": (b"kind: Workflow\n~: x\n", "KF106", True),
    "complex-key": (b"kind: Workflow\n? [a, b]\n: x\n", "KF106", True),
    "scalar-document": (b"just a string\n", "KF109", True),
}


@pytest.mark.parametrize("which", ["pipeline.yaml", "pipeline.kfdata.yaml"])
@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_yaml_is_refused(compile_cli: Any, name: str, which: str, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    data, code, positioned = MALFORMED[name]
    monkeypatch.chdir(tmp_path)  # a constructed os.system would leave PWNED here
    outcome = compile_cli(*_target(which, data))
    assert_refused(outcome, code, which, positioned)
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_text_and_github_formats_name_file_line_and_column(compile_cli: Any, fmt: str) -> None:
    outcome = compile_cli(b"kind: Workflow\nkind: CronWorkflow\n", SPEC, fmt)
    assert outcome.status == 1 and "Traceback" not in outcome.err
    if fmt == "text":
        assert "pipeline.yaml:2:1: error[KF102]" in outcome.err
    else:
        assert "file=" in outcome.err and "pipeline.yaml,line=2,col=1,title=KF102" in outcome.err


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\ufffe"])
def test_control_characters_are_refused(compile_cli: Any, char: str) -> None:
    outcome = compile_cli(WORKFLOW.replace("python:3.11-slim", f"python{char}").encode(), SPEC)
    assert_refused(outcome, "KF101", "pipeline.yaml")


def test_control_characters_are_located(compile_cli: Any) -> None:
    outcome = compile_cli(WORKFLOW.replace("python:3.11-slim", "python\x07").encode(), SPEC)
    assert_refused(outcome, "KF101", "pipeline.yaml", positioned=True)
    assert "<unicode string>" not in outcome.diagnostics[0]["message"]


def test_a_failed_compile_leaves_an_existing_output_byte_identical(compile_cli: Any,
                                                                   tmp_path: Path) -> None:
    out = tmp_path / "out.yaml"
    before = b"# a previous, good output\nkind: Workflow\n\xf0\x9f\x9a\x80: keep\n"
    out.write_bytes(before)
    stamp = out.stat().st_mtime_ns
    time.sleep(0.01)
    outcome = compile_cli(b"kind: Workflow\nkind: Workflow\n", SPEC)
    assert outcome.status == 1 and "Traceback" not in outcome.err
    assert out.read_bytes() == before and out.stat().st_mtime_ns == stamp
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "out.yaml", "pipeline.kfdata.yaml", "pipeline.yaml"]
    for spec in (SPEC.replace("step: train", "step: trian"), SPEC + "extra: field\n"):
        assert compile_cli(WORKFLOW, spec).status == 1
        assert out.read_bytes() == before


# --- resource bombs, in a subprocess with a memory limit ------------------------------------------

MEMORY_LIMIT = 1 << 30  # 1 GiB of address space: far more than a refusal needs


def _limit() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash leaves no core file behind


@dataclass
class Child:
    """A kfdata-compile run in a subprocess."""

    status: int
    seconds: float
    out: str
    err: str


def run_child(tmp_path: Path, pipeline: bytes, spec: bytes, timeout: float = 60) -> Child:
    (tmp_path / "p.yaml").write_bytes(pipeline)
    (tmp_path / "s.yaml").write_bytes(spec)
    argv = [sys.executable, "-c", "import sys; from kfdata_compiler.cli import main; "
            "sys.exit(main(sys.argv[1:]))", str(tmp_path / "p.yaml"), "--spec",
            str(tmp_path / "s.yaml"), "-o", str(tmp_path / "out.yaml"), "--error-format", "json"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                          preexec_fn=_limit, env=env, cwd=tmp_path)
    return Child(proc.returncode, time.perf_counter() - start, proc.stdout, proc.stderr)


def _import_seconds() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import kfdata_compiler.cli"], check=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    return time.perf_counter() - start


def assert_child_refused(child: Child, code: str, tmp_path: Path) -> list[dict[str, Any]]:
    assert child.status >= 0, f"killed by {signal.Signals(-child.status).name}"
    assert "Traceback" not in child.err
    assert child.status == 1, child.err[-2000:]
    assert not (tmp_path / "out.yaml").exists()
    diagnostics: list[dict[str, Any]] = json.loads(child.out)  # -o: the json is on stdout
    assert code in {d["code"] for d in diagnostics}, diagnostics
    return diagnostics


def _laughs(levels: int = 9, merge: bool = False) -> str:
    first = ("a0: &a0 {" + ", ".join(f"k{i}: lol" for i in range(9)) + "}" if merge
             else 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]')
    lines = [first]
    for i in range(1, levels + 1):
        if merge:
            lines.append(f"a{i}: &a{i} [" + ", ".join(f"{{<<: *a{i - 1}}}" for _ in range(9)) + "]")
        else:
            lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    return "bomb:\n" + textwrap.indent("\n".join(lines), "  ") + "\n"


BOMBS = {"billion-laughs": _laughs(), "merge-key-laughs": _laughs(merge=True)}


@pytest.mark.parametrize("which", ["pipeline", "spec"])
@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_alias_bomb_is_refused_quickly(tmp_path: Path, bomb: str, which: str) -> None:
    pipeline, spec = WORKFLOW + BOMBS[bomb], SPEC
    if which == "spec":
        pipeline, spec = WORKFLOW, SPEC.replace("datasets:", BOMBS[bomb] + "datasets:")
    child = run_child(tmp_path, pipeline.encode(), spec.encode())
    diagnostics = assert_child_refused(child, "KF104", tmp_path)
    assert all(d["line"] > 0 for d in diagnostics if d["code"] == "KF104")
    # Bounded time: the refusal itself, not counting the interpreter and imports.
    assert child.seconds - _import_seconds() < 2, child.seconds


def test_long_scalar_alias_amplification_is_refused(tmp_path: Path) -> None:
    big = "x" * (4 << 20)
    bomb = f"big: &big '{big}'\ncopies: [" + ",".join(["*big"] * 256) + "]\n"
    child = run_child(tmp_path, (WORKFLOW + bomb).encode(), SPEC.encode())
    assert_child_refused(child, "KF104", tmp_path)
    assert child.seconds < 5


def _nested(depth: int, shape: str) -> str:
    if shape == "flow-mapping":
        return "deep: " + "{a: " * depth + "1" + "}" * depth + "\n"
    if shape == "flow-sequence":
        return "deep: " + "[" * depth + "1" + "]" * depth + "\n"
    return "deep:\n" + "- " * depth + "x\n"  # block sequences, nested on one line


@pytest.mark.parametrize("which", ["pipeline", "spec"])
@pytest.mark.parametrize("shape", ["flow-mapping", "flow-sequence", "block-sequence"])
@pytest.mark.parametrize("depth", [10_000, 100_000])
def test_deep_nesting_is_refused(tmp_path: Path, depth: int, shape: str, which: str) -> None:
    nested = _nested(depth, shape)
    pipeline, spec = WORKFLOW + nested, SPEC
    if which == "spec":
        pipeline, spec = WORKFLOW, SPEC + nested
    child = run_child(tmp_path, pipeline.encode(), spec.encode())
    diagnostics = assert_child_refused(child, "KF105", tmp_path)
    assert all(d["line"] > 0 and d["col"] > 0 for d in diagnostics if d["code"] == "KF105")
    assert child.seconds < 10


def test_deep_nesting_diagnostic_has_a_position(compile_cli: Any) -> None:
    outcome = compile_cli(WORKFLOW + _nested(2_000, "flow-sequence"), SPEC)
    assert_refused(outcome, "KF105", "pipeline.yaml", positioned=True)


def _big_workflow(path: Path, target_mb: int = 50) -> int:
    """A Workflow of many script templates, written straight to ``path``; returns its size."""
    source = "".join(f"        print('line {j}: padding padding padding padding')\n"
                     for j in range(150))
    with path.open("w", encoding="utf-8") as handle:
        handle.write(WORKFLOW)
        i = 0
        while handle.tell() < target_mb * 1_000_000:
            handle.write(f"  - name: step-{i}\n    script:\n      image: python:3.11\n"
                         f"      command: [python]\n      source: |\n{source}")
            i += 1
    return path.stat().st_size


@pytest.mark.parametrize("binds", [True, False])
def test_a_50mb_pipeline_compiles_in_bounded_time(tmp_path: Path, binds: bool,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    pipeline = tmp_path / "pipeline.yaml"
    size = _big_workflow(pipeline)
    spec = tmp_path / "pipeline.kfdata.yaml"
    spec.write_text(SPEC if binds else SPEC.replace("step: train", "step: no-such-step"))
    start = time.perf_counter()
    status = main([str(pipeline), "-o", str(tmp_path / "out.yaml"), "--error-format", "json"])
    seconds = time.perf_counter() - start
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    print(f"{size / 1e6:.0f} MB, binds={binds}: exit {status} in {seconds:.1f} s")
    assert seconds < 20
    if binds:
        assert status == 0
        assert (tmp_path / "out.yaml").stat().st_size > size
    else:  # a diagnostic on a 50 MB file still gets a position, quickly
        assert status == 1 and not (tmp_path / "out.yaml").exists()
        (diagnostic,) = json.loads(captured.out)  # -o: the json document is on stdout
        assert diagnostic["code"] == "KF302" and diagnostic["line"] > 0


# --- hostile names, paths and env -----------------------------------------------------------------


def spec_with(dataset: str = "reviews", path: str | None = None, env: str | None = None,
              uri: str = "pvc://claim", step: str = "train", mode: str = "read") -> str:
    item: dict[str, str] = {"dataset": dataset}
    if path is not None:
        item["path"] = path
    if env is not None:
        item["env"] = env
    return HEAD + STORES + "datasets:\n  " + json.dumps(dataset) + ": " + json.dumps(
        {"uri": uri}) + "\nbindings:\n- " + json.dumps({"step": step, mode: [item]}) + "\n"


HOSTILE_NAMES = {
    "semicolon": "re;views",
    "command-substitution": "$(rm -rf /)",
    "backticks": "`id`",
    "dot-dot": "..",
    "path-traversal": "../etc",
    "newline-inside": "re\nviews",
    "newline-at-end": "reviews\n",
    "cyrillic-a": "rеviews".replace("е", "а"),  # Cyrillic 'а' (U+0430) for 'a'
    "cyrillic-e": "r\u0435views",
    "fullwidth": "ｒｅｖｉｅｗｓ",
    "zero-width-space": "re\u200bviews",
    "space": "re views",
    "upper-case": "Reviews",
}




def _params(table: dict[str, Any], marks: dict[str, Any]) -> list[Any]:
    return [pytest.param(name, id=name, marks=marks.get(name, ())) for name in sorted(table)]


@pytest.mark.parametrize("name", _params(HOSTILE_NAMES, {}))
def test_hostile_dataset_names_are_refused(compile_cli: Any, name: str) -> None:
    outcome = compile_cli(WORKFLOW, spec_with(HOSTILE_NAMES[name], path="/data/x"))
    assert_refused(outcome, None, "pipeline.kfdata.yaml")
    assert outcome.codes() <= {"KF201"}, outcome.diagnostics


HOSTILE_PATHS = {
    "command-substitution": "/data/$(id)",
    "semicolon": "/data/x;rm -rf /",
    "backticks": "/data/`id`",
    "dot-dot": "/data/../etc",
    "dot-dot-at-end": "/data/x/..",
    "dot": "/data/./x",
    "double-slash": "//data/x",
    "trailing-slash": "/data/x/",
    "newline": "/data/x\ny",
    "newline-at-end": "/data/x\n",
    "fullwidth-solidus": "/data\uff0fx",
    "cyrillic-a": "/d\u0430ta/x",
    "zero-width-space": "/data/x\u200b",
    "nul": "/data/x\x00",
    "space": "/data/x y",
    "relative": "data/x",
    "empty-ish": " ",
}


@pytest.mark.parametrize("name", _params(HOSTILE_PATHS, {}))
def test_hostile_mount_paths_are_refused(compile_cli: Any, name: str) -> None:
    outcome = compile_cli(WORKFLOW, spec_with(path=HOSTILE_PATHS[name]))
    assert_refused(outcome, None, "pipeline.kfdata.yaml")
    assert outcome.codes() <= {"KF207", "KF201"}, outcome.diagnostics


SYSTEM_PATHS = ["/", "/tmp", "/var/run/argo", "/var/run/argo/sub", "/var/run", "/mainctrfs",
                "/mainctrfs/tmp", "/argo", "/argo/staging", "/proc", "/proc/self", "/sys",
                "/dev", "/dev/shm", "/etc", "/usr", "/bin", "/lib", "/root", "/kfdata", "/tmp/",
                "/tmp/.", "/var/run/argo/../argo", "/var//run/argo", "///tmp"]


@pytest.mark.parametrize("mode", ["read", "write"])
@pytest.mark.parametrize("path", SYSTEM_PATHS)
def test_mounts_over_system_paths_are_refused(compile_cli: Any, path: str, mode: str) -> None:
    outcome = compile_cli(WORKFLOW, spec_with(path=path, mode=mode))
    assert_refused(outcome, "KF207", "pipeline.kfdata.yaml")


@pytest.mark.parametrize("mode", ["read", "write"])
@pytest.mark.parametrize("path", ["//tmp", "//var/run/argo", "//proc/self"])
def test_mounts_over_system_paths_behind_a_double_slash_are_refused(compile_cli: Any, path: str,
                                                                    mode: str) -> None:
    outcome = compile_cli(WORKFLOW, spec_with(path=path, mode=mode))
    assert_refused(outcome, "KF207", "pipeline.kfdata.yaml")


@pytest.mark.parametrize("path", ["/run/argo", "/run/argo/exec"])
def test_mounts_over_run_argo_are_refused(compile_cli: Any, path: str) -> None:
    assert_refused(compile_cli(WORKFLOW, spec_with(path=path)), "KF207", "pipeline.kfdata.yaml")


@pytest.mark.parametrize("path", ["/usr/bin", "/usr/local/bin", "/usr/lib", "/etc/ssl"])
def test_mounts_over_binary_directories_are_refused(compile_cli: Any, path: str) -> None:
    assert_refused(compile_cli(WORKFLOW, spec_with(path=path)), "KF207", "pipeline.kfdata.yaml")


def _added_env(output: Path) -> dict[str, Any]:
    (doc,) = load_documents(output.read_text(), "out.yaml")
    (train,) = [t for t in templates_of(doc) if t["name"] == "train"]
    return {e["name"]: e.get("value") for e in train["container"]["env"]}


@pytest.mark.parametrize("stem", ["PATH", "ARGO_TEMPLATE", "ARGO_PROGRESS_FILE", "HOME",
                                  "LD_PRELOAD", "KFDATA", "ARGO_DEBUG"])
def test_env_only_replaces_the_stem_of_kfdata_vars(compile_cli: Any, stem: str) -> None:
    outcome = compile_cli(WORKFLOW, spec_with(env=stem))
    assert outcome.status == 0 and "Traceback" not in outcome.err
    env = _added_env(outcome.output)
    assert env["PATH"] == "/usr/local/bin:/usr/bin" and env["ARGO_DEBUG"] == "false"
    added = set(env) - {"PATH", "ARGO_DEBUG"}
    assert added == {f"KFDATA_{stem}_PATH", f"KFDATA_{stem}_URI"}


@pytest.mark.parametrize("dataset", ["path", "argo-template", "home"])
def test_dataset_names_like_system_vars_stay_prefixed(compile_cli: Any, dataset: str) -> None:
    outcome = compile_cli(WORKFLOW, spec_with(dataset=dataset))
    assert outcome.status == 0
    added = set(_added_env(outcome.output)) - {"PATH", "ARGO_DEBUG"}
    assert added and all(n.startswith("KFDATA_") for n in added)


@pytest.mark.parametrize("env", ["path", "A-B", "1PATH", "", "PATH X", "PA$TH", "ARGO_\u0422"])
def test_invalid_env_stems_are_refused(compile_cli: Any, env: str) -> None:
    assert_refused(compile_cli(WORKFLOW, spec_with(env=env)), "KF201", "pipeline.kfdata.yaml")


@pytest.mark.parametrize("env", ["PATH\n", "ARGO_TEMPLATE\n"])
def test_env_stem_with_a_trailing_newline_is_refused(compile_cli: Any, env: str) -> None:
    assert_refused(compile_cli(WORKFLOW, spec_with(env=env)), "KF201", "pipeline.kfdata.yaml")


NEWLINE_SPECS = {
    "secret-name": 's3: {endpoint: "minio:9000", credentials: {secret: "minio-creds\\n", '
                   'accessKey: accesskey, secretKey: secretkey}}',
    "endpoint": 's3: {endpoint: "minio:9000\\n"}',
}


@pytest.mark.parametrize("field", ["secret-name", "endpoint"])
def test_spec_values_with_a_trailing_newline_are_refused(compile_cli: Any, field: str) -> None:
    spec = (HEAD + "stores:\n  minio:\n    " + NEWLINE_SPECS[field] + "\n"
            "datasets:\n  reviews: {uri: 's3://datasets/reviews', store: minio}\n"
            "bindings:\n- {step: train, read: [reviews]}\n")
    outcome = compile_cli(WORKFLOW, spec)
    assert not (outcome.output.exists() and "\\n" in outcome.output.read_text())
    assert_refused(outcome, None, "pipeline.kfdata.yaml")


def test_an_existing_env_var_with_another_value_is_a_located_conflict(compile_cli: Any) -> None:
    pipeline = WORKFLOW.replace("- name: ARGO_DEBUG", "- name: KFDATA_REVIEWS_PATH\n"
                                "        value: /elsewhere\n      - name: ARGO_DEBUG")
    outcome = compile_cli(pipeline, spec_with())
    assert_refused(outcome, "KF305", "pipeline.yaml")
    (d,) = outcome.diagnostics
    line = pipeline.splitlines().index("      - name: KFDATA_REVIEWS_PATH") + 1
    assert (d["line"], d["col"]) == (line, 9) and "env[1]" in d["json_path"]


def test_a_step_pattern_with_shell_metacharacters_matches_nothing(compile_cli: Any) -> None:
    outcome = compile_cli(WORKFLOW, spec_with(step="train; rm -rf / #"))
    assert_refused(outcome, "KF302", "pipeline.kfdata.yaml")


@pytest.mark.parametrize("uri", ["pvc://claim/../other", "pvc://claim/a/../../b",
                                 "pvc://cla;im", "pvc://$(id)", "pvc://Claim", "pvc://cl\u0430im",
                                 "pvc://", "s3://", "s3://bucket", "gs:///key",
                                 "file:///etc/passwd", "https://", "git+https://host"])
def test_hostile_uris_are_refused(compile_cli: Any, uri: str) -> None:
    spec = spec_with(uri=uri).replace(f'"uri": {json.dumps(uri)}',
                                      f'"uri": {json.dumps(uri)}, "store": "minio"'
                                      if uri.startswith("s3") else f'"uri": {json.dumps(uri)}')
    outcome = compile_cli(WORKFLOW, spec)
    assert_refused(outcome, None, "pipeline.kfdata.yaml")
    assert outcome.codes() <= {"KF204", "KF205", "KF201"}, outcome.diagnostics


# --- literal secrets ------------------------------------------------------------------------------

AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
SSH_KEY = ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n"
           "-----END OPENSSH PRIVATE KEY-----\n")
SA_KEY = json.dumps({"type": "service_account", "private_key_id": "9f8e7d6c5b4a39281706",
                     "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG\n"
                     "-----END PRIVATE KEY-----\n"})
SECRETS = {
    "aws-access-key-id": "AKIAIOSFODNN7EXAMPLE",
    "aws-secret": AWS_SECRET,
    "github-token": "ghp_" + "R4nd0mT0k3nV4lu3" * 2 + "abcd",
    "password-with-symbols": "hunter2!@#$%^&*()Zz",
    "long-random": "Xk9fQ2mLp7Rz4TsVb8Nw",
}


def _store(kind: str, creds: dict[str, str], extra: str = "") -> str:
    return HEAD + "stores:\n  st:\n    " + kind + ": " + json.dumps(
        {**({"endpoint": "minio:9000"} if kind == "s3" else {}), "credentials": creds}
    ) + extra + "\ndatasets:\n  reviews: {uri: 'pvc://claim'}\n"


def _secret_specs(secret: str) -> dict[str, str]:
    return {
        "s3.accessKey": _store("s3", {"secret": "c", "accessKey": secret, "secretKey": "k"}),
        "s3.secretKey": _store("s3", {"secret": "c", "accessKey": "a", "secretKey": secret}),
        "gcs.serviceAccountKey": _store("gcs", {"secret": "c", "serviceAccountKey": secret}),
        "git.username": _store("git", {"secret": "c", "username": secret, "password": "p"}),
        "git.password": _store("git", {"secret": "c", "username": "u", "password": secret}),
        "git.sshPrivateKey": _store("git", {"secret": "c", "sshPrivateKey": secret}),
        "http.username": _store("http", {"secret": "c", "username": secret, "password": "p"}),
        "http.password": _store("http", {"secret": "c", "username": "u", "password": secret}),
        "s3.accessKey-outside-credentials": HEAD + "stores:\n  st:\n    s3: " + json.dumps(
            {"endpoint": "minio:9000", "accessKey": secret}) + "\n",
        "s3.secretKey-outside-credentials": HEAD + "stores:\n  st:\n    s3: " + json.dumps(
            {"endpoint": "minio:9000", "secretKey": secret}) + "\n",
        "uri-user-password": spec_with(uri=f"https://robot:{secret}@files.example.org/x"),
        "git-uri-user-password": spec_with(uri=f"git+https://bot:{secret}@github.com/o/r.git"),
        "presigned-s3-url": spec_with(
            uri=f"https://b.s3.amazonaws.com/k?X-Amz-Credential=x&X-Amz-Signature={secret}"),
        "presigned-gcs-url": spec_with(uri=f"https://storage.googleapis.com/b/k?X-Goog-Signature="
                                           f"{secret}"),
        "sas-url": spec_with(uri=f"https://acct.blob.core.windows.net/c/k?sv=2022&sig={secret}"),
    }


def _leaked(secret: str, text: str) -> bool:
    forms = {secret, json.dumps(secret)[1:-1], repr(secret)[1:-1]}
    forms |= {line for line in secret.splitlines() if len(line) >= 12}
    return any(form in text for form in forms if form)


SECRET_CASES = [
    pytest.param(s, p, id=f"{s}-{p}")
    for s in sorted(SECRETS) for p in sorted(_secret_specs("x"))
]


@pytest.mark.parametrize(("secret_name", "position"), SECRET_CASES)
def test_literal_secrets_are_refused_and_never_echoed(compile_cli: Any, secret_name: str,
                                                      position: str) -> None:
    secret = SECRETS[secret_name]
    spec = _secret_specs(secret)[position]
    for fmt in ("json", "text", "github"):
        outcome = compile_cli(WORKFLOW, spec, fmt)
        assert not _leaked(secret, outcome.out + outcome.err), (fmt, outcome.err)
        assert outcome.status == 1 and "Traceback" not in outcome.err
        assert not outcome.output.exists()
        if fmt == "json":
            assert_refused(outcome, "KF202", "pipeline.kfdata.yaml")


@pytest.mark.parametrize("position", ["git.sshPrivateKey", "gcs.serviceAccountKey"])
@pytest.mark.parametrize("secret", [SSH_KEY, SA_KEY], ids=["ssh-key", "service-account-json"])
def test_pasted_key_files_are_refused_and_never_echoed(compile_cli: Any, position: str,
                                                       secret: str) -> None:
    for fmt in ("json", "text", "github"):
        outcome = compile_cli(WORKFLOW, _secret_specs(secret)[position], fmt)
        assert not _leaked(secret, outcome.out + outcome.err), (fmt, outcome.err)
        assert "MIIEvQIBADANBgkqhkiG" not in outcome.err and "b3BlbnNzaC1rZXkt" not in outcome.err
        assert outcome.status == 1


def test_a_secret_is_not_echoed_by_diff_or_check(compile_cli: Any) -> None:
    spec = _secret_specs(AWS_SECRET)["s3.secretKey"]
    for flags in (("--diff",), ("--check",)):
        outcome = compile_cli(WORKFLOW, spec, "text", *flags)
        assert outcome.status == 1 and not _leaked(AWS_SECRET, outcome.out + outcome.err)


LEAKY = {
    # A numeric secret (an unquoted PIN or all-digit token) fails the type check, which prints it.
    "numeric-password": (_store("http", {"secret": "c", "username": "u", "password": "0"}).replace(
        '"password": "0"', '"password": 8675309123'), "8675309123"),
    # oneOf's "not" branch prints the whole credentials mapping.
    "git-both-auth-kinds": (_store("git", {"secret": "c", "username": "u", "password": "p",
                                           "sshPrivateKey": AWS_SECRET}), AWS_SECRET),
    # maxProperties prints the whole store.
    "store-with-two-kinds": (HEAD + "stores:\n  st:\n    http: " + json.dumps(
        {"credentials": {"secret": "c", "username": "u", "password": AWS_SECRET}})
        + "\n    gcs: {}\n", AWS_SECRET),
    # The Secret *name* slot: a pasted secret fails its pattern, which prints it.
    "secret-in-the-name-slot": (_store("s3", {"secret": AWS_SECRET, "accessKey": "a",
                                              "secretKey": "k"}), AWS_SECRET),
}


# A secret inside a value of the wrong type: the type error prints the whole value.
SECRET = SECRETS["long-random"]
LEAKY.update({
    "store-inlined-in-dataset": (HEAD + "datasets:\n  reviews: {uri: 's3://b/k', store: "
                                 "{credentials: {secretKey: '" + SECRET + "'}}}\n", SECRET),
    "uri-as-mapping": (HEAD + "datasets:\n  reviews: {uri: {url: 'https://u:" + SECRET
                       + "@h/x'}}\n", SECRET),
    "uri-as-list": (HEAD + "datasets:\n  reviews: {uri: ['https://h/x?token=" + SECRET
                    + "']}\n", SECRET),
    "credentials-as-string": (HEAD + "stores:\n  m: {s3: {endpoint: 'm:9000', credentials: '"
                              + SECRET + "'}}\n", SECRET),
    "step-as-mapping": (HEAD + "bindings:\n- {step: {token: '" + SECRET + "'}, read: []}\n",
                        SECRET),
})





@pytest.mark.parametrize("case", _params(LEAKY, {}))
def test_schema_errors_never_echo_a_secret(compile_cli: Any, case: str) -> None:
    spec, secret = LEAKY[case]
    assert secret in spec
    for fmt in ("json", "text", "github"):
        outcome = compile_cli(WORKFLOW, spec, fmt)
        assert outcome.status == 1
        assert not _leaked(secret, outcome.out + outcome.err), (fmt, outcome.err)


def _all_formats(diagnostics: Any) -> str:
    return "".join(formatter(diagnostics) for formatter in FORMATTERS.values())


SECRET_PLACES = sorted(_secret_specs("x"))


@settings(PROFILE, derandomize=True, report_multiple_bugs=False,
          phases=[Phase.explicit, Phase.generate])
@given(st.data())
def test_secrets_are_never_echoed_whatever_else_is_wrong(data: st.DataObject) -> None:
    """A literal secret in a spec that is also broken elsewhere: no message may quote it.

    The secret's mapping is copied to where a string belongs, wrapped in a list, or something
    near it is replaced with junk; then every diagnostic, in every format, must not quote it.
    """
    secret = data.draw(st.from_regex(r"Zq[A-Za-z0-9]{14,30}9", fullmatch=True))
    place = data.draw(st.sampled_from(SECRET_PLACES))
    doc = load_documents(_secret_specs(secret)[place], "spec.yaml")[0]
    for _ in range(data.draw(st.integers(1, 2))):
        holders = [p for p in _paths(doc) if secret in json.dumps(_get(doc, p))]
        targets = [p for p in _paths(doc) if p[:1] != ("apiVersion",) and p[:1] != ("kind",)]
        target = data.draw(st.sampled_from(targets))
        moved = _get(doc, data.draw(st.sampled_from(holders))) if holders else None
        value = data.draw(st.sampled_from([moved, [moved], {"x": moved}, *JUNK]))
        doc = _replace(doc, target, value)
    try:
        compile_text(WORKFLOW.encode(), to_text([doc], "json"), "p.yaml", "s.yaml")
    except KfdataError as exc:
        if _in_a_credential_position(doc, secret):
            assert secret not in _all_formats(exc.diagnostics)


CREDENTIAL_KEYS = {"accessKey", "secretKey", "password", "username", "token",
                   "serviceAccountKey", "sshPrivateKey", "credentials"}


def _in_a_credential_position(node: Any, secret: str, key: Any = None,
                              inside: bool = False) -> bool:
    """True when ``secret`` still sits under a credential key, or in a URI's user info or query
    (moved elsewhere, e.g. as the whole ``stores`` value, nothing marks it as a secret)."""
    inside = inside or key in CREDENTIAL_KEYS
    if isinstance(node, dict):
        return any(_in_a_credential_position(v, secret, k, inside) for k, v in node.items())
    if isinstance(node, list):
        return any(_in_a_credential_position(v, secret, key, inside) for v in node)
    if not isinstance(node, str) or secret not in node:
        return False
    return inside or ("://" in node and ("@" in node or "?" in node))


def test_a_token_as_uri_user_name_is_refused(compile_cli: Any) -> None:
    token = "0123456789abcdef0123456789abcdef01234567"  # a classic 40-hex GitHub token
    spec = spec_with(uri=f"git+https://{token}@github.com/org/repo.git")
    outcome = compile_cli(WORKFLOW, spec)
    assert not (outcome.output.exists() and token in outcome.output.read_text())
    assert_refused(outcome, "KF202", "pipeline.kfdata.yaml")


# --- structurally broken workflows (valid YAML, wrong shapes) -------------------------------------

JUNK = [None, "x", 0, True, [], {}, ["x"], [0], {"x": 1}]
# A field of the bound template `train` (or of the document), in the wrong shape; each crashed.
BROKEN = {
    "metadata-string": ("    inputs:", "    metadata: oops\n    inputs:"),
    "annotations-list": ("    inputs:", "    metadata:\n      annotations: [a]\n    inputs:"),
    "env-string": ("      env:\n", "      env: oops\n      env_was:\n"),
    "env-name-mapping": ("      - name: ARGO_DEBUG", "      - name: {x: 1}"),
    "volume-mounts-bool": ("      env:\n", "      volumeMounts: true\n      env:\n"),
    "volumes-int": ("    inputs:", "    volumes: 0\n    inputs:"),
    "volume-name-list": ("    inputs:", "    volumes: [{name: [], emptyDir: {}}]\n    inputs:"),
    "init-container-name-list": ("    inputs:", "    initContainers: [{name: [], image: a}]\n"
                                 "    inputs:"),
    "artifact-name-list": ("- name: tokens", "- name: [tokens]"),
    "container-list": ("    container:\n      image: python:3.11-slim",
                       "    container: []\n    c:\n      image: python:3.11-slim"),
    "workflow-metadata-string": ("metadata:\n  generateName: hostile-", "metadata: hostile"),
}




@pytest.mark.parametrize("case", _params(BROKEN, {}))
def test_wrongly_shaped_bound_template_is_a_diagnostic(compile_cli: Any, case: str) -> None:
    old, new = BROKEN[case]
    pipeline = WORKFLOW.replace(old, new, 1)
    assert pipeline != WORKFLOW
    outcome = compile_cli(pipeline, spec_with(mode="write"))
    assert_refused(outcome, None, "pipeline.yaml")


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path] if path else []
    if isinstance(node, dict):
        for k, v in node.items():
            out.extend(_paths(v, (*path, k)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.extend(_paths(v, (*path, i)))
    return out


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


def _replace(node: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = dict(node) if isinstance(node, dict) else list(node)
    copy[path[0]] = _replace(node[path[0]], path[1:], value)  # type: ignore[index]
    return copy


# The same examples every run, so a failure reproduces.
@settings(PROFILE, derandomize=True, report_multiple_bugs=False,
          phases=[Phase.explicit, Phase.generate])
@given(st.data())
def test_wrongly_shaped_workflows_never_crash(data: st.DataObject) -> None:
    """Replace random parts of a valid workflow with junk: a diagnostic or a clean compile.

    Exit 1 (KfdataError) or exit 0; never a crash, and never KF900 (exit 3, "a bug in
    kfdata-compile"), since the input is what is broken.
    """
    pipeline = data.draw(pipelines(styles=("canonical",)))
    spec = data.draw(bound_specs(pipeline.docs))
    docs = pipeline.docs
    for _ in range(data.draw(st.integers(1, 3))):
        index = data.draw(st.integers(0, len(docs) - 1))
        paths = [p for p in _paths(docs[index]) if p[:1] != ("kind",)]
        path = data.draw(st.sampled_from(paths))
        docs = [*docs[:index], _replace(docs[index], path, data.draw(st.sampled_from(JUNK))),
                *docs[index + 1:]]
    try:
        compile_text(to_text(docs, "canonical"), spec.text, "pipeline.yaml",
                     "pipeline.kfdata.yaml")
    except InternalError as exc:
        pytest.fail(f"KF900 for a broken input: {[d.message for d in exc.diagnostics]}")
    except KfdataError as exc:
        assert all(d.code.startswith("KF") for d in exc.diagnostics)


# --- a hostile kfdata.dev/edits journal (the annotation an earlier compile left) ------------------

EMPTY_SPEC = HEAD


def _with_journal(journal: str) -> str:
    return WORKFLOW.replace("  generateName: hostile-\n", "  generateName: hostile-\n"
                            "  annotations:\n    kfdata.dev/edits: " + json.dumps(journal) + "\n")


@pytest.mark.parametrize("journal", ["not json", "{}", "[1]", '[["add"]]', '[["add", []]]',
                                     '[["drop", ["spec"]]]', '[["set", ["spec"]]]',
                                     '[["add", [{"x": 1}]]]', '[["add", [1.5]]]'])
def test_an_unreadable_journal_is_a_diagnostic(compile_cli: Any, journal: str) -> None:
    assert_refused(compile_cli(_with_journal(journal), EMPTY_SPEC), "KF111", "pipeline.yaml")


def test_a_deeply_nested_journal_is_a_diagnostic(compile_cli: Any) -> None:
    journal = "[" * 100_000 + "]" * 100_000
    assert_refused(compile_cli(_with_journal(journal), EMPTY_SPEC), "KF111", "pipeline.yaml")


@pytest.mark.parametrize("journal", [
    '[["add", ["spec"]]]',
    '[["set", ["spec", "templates", 1, "container", "image"], "evil.example/miner:latest"]]',
    '[["add", ["spec", "templates", 1, "container", "env", {"name": "PATH"}]]]',
], ids=["delete-spec", "swap-image", "delete-user-env"])
def test_a_forged_journal_cannot_change_user_content(compile_cli: Any, journal: str) -> None:
    outcome = compile_cli(_with_journal(journal), EMPTY_SPEC)
    assert "Traceback" not in outcome.err
    if outcome.status == 0:  # accepted: then it must have changed nothing of the user's
        (after,) = load_documents(outcome.output.read_text(), "out.yaml")
        (before,) = load_documents(WORKFLOW, "in.yaml")
        assert after["spec"] == before["spec"]
    else:
        assert_refused(outcome, "KF111", "pipeline.yaml")


UNRESOLVED_STEPS_REFERENCE = textwrap.dedent("""\
    apiVersion: argoproj.io/v1alpha1
    kind: Workflow
    metadata:
      name: w
    spec:
      entrypoint: main
      templates:
      - name: main
        steps:
        - - name: produce-0
            template: produce
        - - name: consume-1
            template: consume
            arguments:
              artifacts:
              - name: data-in
                from: '{{steps.nope.outputs.artifacts.out}}'
      - name: produce
        container: {image: alpine}
        outputs:
          artifacts:
          - {name: out, path: /tmp/out}
      - name: consume
        container: {image: alpine}
        inputs:
          artifacts:
          - {name: data-in, path: /tmp/in}
    """)


def test_into_over_an_already_broken_reference_is_not_an_internal_error(compile_cli: Any) -> None:
    spec = HEAD + ("datasets:\n  code: {uri: 'git+https://github.com/org/eval.git'}\n"
                   "bindings:\n- step: consume\n  read: [{dataset: code, into: data-in}]\n")
    outcome = compile_cli(UNRESOLVED_STEPS_REFERENCE, spec)
    assert "Traceback" not in outcome.err
    assert outcome.status in (0, 1), outcome.err  # refuse the input, or bind it; never KF900
    assert "KF900" not in outcome.codes()
