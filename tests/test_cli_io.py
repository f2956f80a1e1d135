"""Files and streams at the edges of the CLI (issue 9, "Output files").

Output files: modes, symlinks, errors naming the user's path, ``-o ''``, signals during a write.
Standard output: closed, full, or a reader that stops early. Input: read once (FIFOs, ``<(…)``),
and never more than --max-input-size bytes (KF112).
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kfdata_compiler import infile, outfile
from kfdata_compiler.cli import main
from kfdata_compiler.compiler import compile_file
from kfdata_compiler.errors import KfdataError
from tests.paths import FIXTURES, GOLDEN, ROOT

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
CLI = [sys.executable, "-m", "kfdata_compiler"]  # through __main__.run, as installed


@pytest.fixture
def case(tmp_path: Path) -> Path:
    """A copy of the kfp-v1-sentiment fixture: pipeline.yaml + pipeline.kfdata.yaml."""
    shutil.copytree(FIXTURES / "kfp-v1-sentiment", tmp_path / "p")
    return tmp_path / "p"


def golden() -> str:
    return (GOLDEN / "kfp-v1-sentiment.yaml").read_text()


def temp_files(*directories: Path) -> list[Path]:
    return [p for d in directories for p in d.iterdir() if p.name.endswith(".tmp")]


def big_pipeline(case: Path, megabytes: int) -> Path:
    """The fixture with a ConfigMap of ``megabytes`` MB beside it: a big output, a quick compile."""
    line = "    " + "y" * 95 + "\n"
    text = (case / "pipeline.yaml").read_text() + (
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  big: |\n"
        + line * (megabytes * 10_000)
    )
    (case / "big.yaml").write_text(text)
    shutil.copy(case / "pipeline.kfdata.yaml", case / "big.kfdata.yaml")
    return case / "big.yaml"


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


# --- mode -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)],
                         ids=["022", "077", "002"])
def test_a_new_output_gets_0666_minus_the_umask(case: Path, umask: None, mask: int,
                                                 mode: int) -> None:
    os.umask(mask)
    assert main([str(case / "pipeline.yaml"), "-o", str(case / "out.yaml")]) == 0
    assert stat.S_IMODE((case / "out.yaml").stat().st_mode) == mode
    assert main(["--write", str(case / "pipeline.yaml")]) == 1
    assert stat.S_IMODE((case / "pipeline.bound.yaml").stat().st_mode) == mode


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o600, 0o755, 0o444], ids=oct)
def test_rewriting_an_output_keeps_its_mode(case: Path, umask: None, mode: int) -> None:
    out = case / "out.yaml"
    out.write_text("stale\n")
    out.chmod(mode)
    os.umask(0o077)  # not what decides an existing file's mode
    assert main([str(case / "pipeline.yaml"), "-o", str(out)]) == 0
    assert out.read_text() == golden()
    assert stat.S_IMODE(out.stat().st_mode) == mode
    assert not temp_files(case)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown needs root")
def test_rewriting_an_output_keeps_its_owner_where_allowed(case: Path) -> None:
    out = case / "out.yaml"
    out.write_text("stale\n")
    os.chown(out, 1234, 5678)
    assert main([str(case / "pipeline.yaml"), "-o", str(out)]) == 0
    assert (out.stat().st_uid, out.stat().st_gid) == (1234, 5678)


def test_writing_from_another_thread(case: Path) -> None:
    # Python handles signals in the main thread only: elsewhere the write goes on without.
    result: list[int] = []
    thread = threading.Thread(
        target=lambda: result.append(main([str(case / "pipeline.yaml"), "-o", str(case / "o")])))
    thread.start()
    thread.join(60)
    assert result == [0] and (case / "o").read_text() == golden()


# --- symlinks -------------------------------------------------------------------------------------


def test_a_link_is_written_through_to_its_target(case: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "real.yaml").write_text("stale\n")
    (shared / "real.yaml").chmod(0o640)
    (shared / "hop.yaml").symlink_to("real.yaml")  # a chain: out.yaml -> hop.yaml -> real.yaml
    (case / "out.yaml").symlink_to(Path("..") / "shared" / "hop.yaml")
    assert main([str(case / "pipeline.yaml"), "-o", str(case / "out.yaml")]) == 0
    assert (case / "out.yaml").is_symlink() and (shared / "hop.yaml").is_symlink()
    assert (shared / "real.yaml").read_text() == golden()
    assert stat.S_IMODE((shared / "real.yaml").stat().st_mode) == 0o640
    assert not temp_files(case, shared)


def test_a_link_to_a_directory_is_refused_like_the_directory(
    case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (case / "outdir").mkdir()
    (case / "linkdir").symlink_to("outdir")
    assert main([str(case / "pipeline.yaml"), "-o", str(case / "outdir")]) == 1
    direct = capsys.readouterr().err
    assert main([str(case / "pipeline.yaml"), "-o", str(case / "linkdir")]) == 1
    linked = capsys.readouterr().err
    assert linked == direct.replace(str(case / "outdir"), str(case / "linkdir"))
    assert linked.startswith(f"{case / 'linkdir'}: error[KF100]: cannot write output: Is a direc")
    assert (case / "linkdir").is_symlink() and not list((case / "outdir").iterdir())
    assert not temp_files(case)


def test_a_dangling_link_creates_its_target(case: Path, umask: None) -> None:
    (case / "out.yaml").symlink_to("made-here.yaml")
    assert main([str(case / "pipeline.yaml"), "-o", str(case / "out.yaml")]) == 0
    assert (case / "out.yaml").is_symlink()
    assert (case / "made-here.yaml").read_text() == golden()
    assert stat.S_IMODE((case / "made-here.yaml").stat().st_mode) == 0o644


def test_a_dangling_link_into_a_missing_directory_is_an_error(
    case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (case / "out.yaml").symlink_to("no-such-dir/out.yaml")
    assert main([str(case / "pipeline.yaml"), "-o", str(case / "out.yaml")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        f"{case / 'out.yaml'}: error[KF100]: cannot write output: No such file or directory\n")
    assert f"hint: {case / 'out.yaml'} is a link to {case / 'no-such-dir' / 'out.yaml'}" in err
    assert (case / "out.yaml").is_symlink()


def test_a_link_loop_is_an_error_naming_the_link(
    case: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (case / "a.yaml").symlink_to("b.yaml")
    (case / "b.yaml").symlink_to("a.yaml")
    assert main([str(case / "pipeline.yaml"), "-o", str(case / "a.yaml")]) == 1
    assert capsys.readouterr().err.startswith(
        f"{case / 'a.yaml'}: error[KF100]: cannot write output: Too many levels of symbolic links")


def test_a_fifo_output_is_written_in_place(case: Path) -> None:
    os.mkfifo(case / "out.fifo")
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append((case / "out.fifo").read_bytes()),
                              daemon=True)
    reader.start()
    assert main([str(case / "pipeline.yaml"), "-o", str(case / "out.fifo")]) == 0
    reader.join(10)
    assert got == [golden().encode()]
    assert stat.S_ISFIFO((case / "out.fifo").stat().st_mode)


# --- errors name the user's path; -o '' -----------------------------------------------------------


@pytest.mark.parametrize(("output", "message", "hint"), [
    ("outdir", "Is a directory", "name a file to write, not a directory"),
    ("missing/out.yaml", "No such file or directory", "the directory {case}/missing does not"),
    ("pipeline.yaml/out.yaml", "Not a directory", "nothing was written"),
])
def test_write_errors_name_the_users_path_not_the_temp_file(
    case: Path, capsys: pytest.CaptureFixture[str], output: str, message: str, hint: str
) -> None:
    (case / "outdir").mkdir()
    assert main([str(case / "pipeline.yaml"), "-o", str(case / output)]) == 1
    err = capsys.readouterr().err
    first, second = err.splitlines()
    assert first == f"{case / output}: error[KF100]: cannot write output: {message}"
    assert second.startswith(f"  hint: {hint.format(case=case)}")
    assert ".tmp" not in err and not temp_files(case, case / "outdir")


def test_an_empty_output_name_is_a_usage_error(case: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(case / "pipeline.yaml"), "-o", ""]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert "Invalid value for '-o' / '--output': the file name is empty" in out.err
    assert "leave -o out to write to stdout" in out.err


# --- signals during a write -----------------------------------------------------------------------


def test_removed_on_signal_removes_the_temp_file_and_restores_the_handlers(
    tmp_path: Path,
) -> None:
    before = {s: signal.getsignal(s) for s in outfile.SIGNALS}
    tmp = tmp_path / ".out.yaml.1234.tmp"
    pending: list[str] = []
    with pytest.raises(outfile.Interrupted) as raised:
        with outfile.removed_on_signal(pending):
            pending.append(str(tmp))
            tmp.write_text("half")
            signal.raise_signal(signal.SIGTERM)
    assert raised.value.signum == signal.SIGTERM and raised.value.exit_status == 143
    assert not tmp.exists()
    assert {s: signal.getsignal(s) for s in outfile.SIGNALS} == before


def test_a_signal_ignored_at_start_stays_ignored(tmp_path: Path) -> None:
    old = signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as under nohup
    try:
        (tmp_path / "t").write_text("kept")
        with outfile.removed_on_signal([str(tmp_path / "t")]):
            signal.raise_signal(signal.SIGHUP)
        assert (tmp_path / "t").exists()
        assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, old)


@pytest.mark.parametrize(("signum", "status"),
                         [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)])
@pytest.mark.parametrize("when", ["fsync", "replace"])
def test_a_signal_during_the_write_leaves_old_or_new_content_and_no_temp_file(
    case: Path, monkeypatch: pytest.MonkeyPatch, signum: int, status: int, when: str
) -> None:
    out = case / "out.yaml"
    out.write_text("previous output\n")
    real = getattr(os, when)
    handlers = {s: signal.getsignal(s) for s in outfile.SIGNALS}

    def then_signal(*args: object) -> None:
        if when == "replace":
            real(*args)  # the new content is in place when the signal comes
        if signal.getsignal(signum) == handlers[signum]:  # unhandled, SIGTERM would end pytest
            raise AssertionError(f"no handler for {signal.Signals(signum).name} during a write")
        signal.raise_signal(signum)

    monkeypatch.setattr(os, when, then_signal)
    assert main([str(case / "pipeline.yaml"), "-o", str(out)]) == status
    assert out.read_text() == ("previous output\n" if when == "fsync" else golden())
    assert not temp_files(case)
    assert {s: signal.getsignal(s) for s in outfile.SIGNALS} == handlers  # put back


def test_ctrl_c_outside_a_write_exits_130(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("kfdata_compiler.cli.compile._compile", interrupted)
    assert main([str(case / "pipeline.yaml"), "-o", str(case / "out.yaml")]) == 130
    assert not (case / "out.yaml").exists()


def test_sigterm_or_sigint_to_the_process_during_a_write(case: Path) -> None:
    """The real thing: signal a kfdata-compile process while its temp file exists."""
    pipeline = big_pipeline(case, 12)
    out = case / "out.yaml"
    expected = compile_file(pipeline).output
    caught = 0
    for attempt in range(6):
        out.write_text("old\n")
        signum = (signal.SIGTERM, signal.SIGINT)[attempt % 2]
        with subprocess.Popen([*CLI, str(pipeline), "-o", str(out)], env=ENV,
                              stderr=subprocess.PIPE) as proc:
            seen = False
            while proc.poll() is None and not seen:  # the temp file exists only while writing
                seen = any(name.startswith(".out.yaml.") for name in os.listdir(case))
            if seen:
                proc.send_signal(signum)
            _, err = proc.communicate(timeout=60)
            status = proc.returncode
        assert b"Traceback" not in err
        assert not temp_files(case), f"attempt {attempt}: temp file left behind"
        content = out.read_text()
        assert content in ("old\n", expected), "a half-written output"
        if seen and status == 128 + signum:
            caught += 1
            if caught >= 2:
                break
    assert caught, "never signalled the process during its write"


# --- standard output ------------------------------------------------------------------------------


def test_a_closed_stdout_is_an_io_error(case: Path) -> None:
    result = subprocess.run(["sh", "-c", 'exec "$@" >&-', "sh", *CLI, str(case / "pipeline.yaml")],
                            env=ENV, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (
        1, "<stdout>: error[KF100]: cannot write output: standard output is closed\n")


def test_a_closed_stdout_in_process(case: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    assert main([str(case / "pipeline.yaml")]) == 1
    assert "<stdout>: error[KF100]: cannot write output: standard output is closed" in (
        capsys.readouterr().err)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_a_full_stdout_is_an_io_error(case: Path) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run([*CLI, str(case / "pipeline.yaml")], env=ENV, stdout=full,
                                stderr=subprocess.PIPE, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (
        1, "<stdout>: error[KF100]: cannot write output: No space left on device\n")


@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_a_reader_that_stops_early_ends_the_run_quietly(case: Path, unbuffered: str) -> None:
    pipeline = big_pipeline(case, 1)  # 1 MB: far more than a pipe holds
    env = {**ENV, "PYTHONUNBUFFERED": unbuffered}  # -u: a raw stdout that takes part of a write
    with subprocess.Popen([*CLI, str(pipeline)], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as proc:
        assert proc.stdout and proc.stderr
        assert proc.stdout.readline() == b"---\n"  # the first line, as `head -1` takes it
        proc.stdout.close()  # as `| head -1` does
        assert proc.wait(60) == 1
        assert proc.stderr.read() == b""  # no message, no traceback, no "Exception ignored"


def test_head_on_a_small_output_is_quiet_too(case: Path) -> None:
    result = subprocess.run(["sh", "-c", '"$@" | head -1', "sh", *CLI, str(case / "pipeline.yaml")],
                            env=ENV, capture_output=True, text=True, timeout=60)
    assert (result.stdout, result.stderr) == ("apiVersion: argoproj.io/v1alpha1\n", "")


# --- read once: FIFOs and process substitution ----------------------------------------------------


def feed(fifo: Path, data: bytes) -> threading.Thread:
    """Write ``data`` into a FIFO once, from a thread (opening blocks until a reader comes)."""
    thread = threading.Thread(target=fifo.write_bytes, args=(data,), daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("diff", [False, True])
def test_a_fifo_pipeline_and_spec_are_read_once(case: Path, tmp_path: Path, diff: bool,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    expected_argv = [str(case / "pipeline.yaml"), *(["--diff"] if diff else [])]
    assert main(expected_argv) == 0
    expected = capsys.readouterr().out
    fifos = tmp_path / "fifos"
    fifos.mkdir()
    os.mkfifo(fifos / "pipeline.yaml")
    os.mkfifo(fifos / "spec.yaml")
    feed(fifos / "pipeline.yaml", (case / "pipeline.yaml").read_bytes())
    feed(fifos / "spec.yaml", (case / "pipeline.kfdata.yaml").read_bytes())
    # A subprocess, so that reading a FIFO a second time fails the test instead of hanging it.
    argv = [*CLI, str(fifos / "pipeline.yaml"), "--spec", str(fifos / "spec.yaml")]
    result = subprocess.run([*argv, *(["--diff"] if diff else [])], env=ENV, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected.replace(str(case / "pipeline.yaml"),
                                             str(fifos / "pipeline.yaml"))
    if diff:  # against the input, not against an empty file read a second time
        assert "@@ -0,0 " not in result.stdout and "\n-  annotations: {" in result.stdout


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_process_substitution(case: Path) -> None:
    script = ('p="$1"; shift; '
              'exec "$@" <(cat "$p/pipeline.yaml") --spec <(cat "$p/pipeline.kfdata.yaml")')
    result = subprocess.run(["bash", "-c", script, "bash", str(case), *CLI, "--diff"], env=ENV,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "+      - name: KFDATA_MODEL_PATH" in result.stdout
    assert "@@ -0,0 " not in result.stdout and "\n-  annotations: {" in result.stdout


def test_stdin_diff_is_against_the_input(case: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    data = (case / "pipeline.yaml").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["-", "--spec", str(case / "pipeline.kfdata.yaml"), "--diff"]) == 0
    out = capsys.readouterr().out
    assert "+      - name: KFDATA_MODEL_PATH" in out
    assert "@@ -0,0 " not in out and "\n-  annotations: {" in out  # was: against ""


# --- endless or huge input (KF112) ----------------------------------------------------------------


def _address_space(limit: int = 1 << 30) -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def test_dev_zero_is_refused_at_the_default_limit(case: Path) -> None:
    # A process with 1 GiB of address space: reading /dev/zero to its end must not take a machine.
    result = subprocess.run([*CLI, "/dev/zero", "--spec", str(case / "pipeline.kfdata.yaml")],
                            env=ENV, capture_output=True, text=True, timeout=60,
                            preexec_fn=_address_space)
    assert (result.returncode, result.stderr) == (1, (
        "/dev/zero: error[KF112]: the pipeline is larger than the input limit of 64 MiB\n"
        "  hint: real pipelines are far smaller; if this is the right file, raise the limit: "
        "--max-input-size 128M\n"))


def test_dev_zero_stops_one_byte_past_a_smaller_limit(
    case: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    reads: list[int] = []
    real = infile.read_stream

    def counting(stream: io.RawIOBase, *args: object) -> bytes:
        class Counted:
            def fileno(self) -> int:
                return stream.fileno()

            def read(self, size: int) -> bytes:
                reads.append(size)
                return stream.read(size) or b""

        return real(Counted(), *args)  # type: ignore[arg-type]

    monkeypatch.setattr(infile, "read_stream", counting)
    assert main(["/dev/zero", "--spec", str(case / "pipeline.kfdata.yaml"),
                 "--max-input-size", "1M"]) == 1
    assert sum(reads) == (1 << 20) + 1
    assert "/dev/zero: error[KF112]: the pipeline is larger than the input limit of 1 MiB" in (
        capsys.readouterr().err)


def test_the_limit_is_inclusive(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    size = (case / "pipeline.yaml").stat().st_size
    argv = [str(case / "pipeline.yaml"), "--max-input-size"]
    assert main([*argv, str(size)]) == 0
    assert main([*argv, str(size - 1)]) == 1
    assert f"input limit of {infile.format_size(size - 1)}\n" in capsys.readouterr().err


def test_a_huge_file_is_refused_without_being_read(case: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    with open(case / "pipeline.yaml", "r+b") as handle:
        handle.truncate(3 << 30)  # sparse: 3 GiB that are never read
    assert main([str(case / "pipeline.yaml"), "--max-input-size", "1G"]) == 1
    assert "error[KF112]: the pipeline is larger than the input limit of 1 GiB" in (
        capsys.readouterr().err)


def test_a_large_spec_and_stdin_are_capped_too(case: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    spec = case / "pipeline.kfdata.yaml"
    spec.write_text(spec.read_text() + "#" * (1 << 20) + "\n")
    assert main([str(case / "pipeline.yaml"), "--max-input-size", "1M"]) == 1
    assert capsys.readouterr().err.startswith(
        f"{spec}: error[KF112]: the spec is larger than the input limit of 1 MiB\n")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"#" * ((2 << 20) + 1))))
    assert main(["-", "--spec", str(spec), "--max-input-size", "2M"]) == 1
    assert capsys.readouterr().err.startswith(
        "<stdin>: error[KF112]: the pipeline is larger than the input limit of 2 MiB\n")


def test_lint_is_capped_too(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "/dev/zero", "--max-input-size", "512K"]) == 1
    assert capsys.readouterr().err.startswith(
        "/dev/zero: error[KF112]: the file is larger than the input limit of 512 KiB\n"
        "  hint: real pipelines are far smaller; if this is the right file, raise the limit: "
        "--max-input-size 1M\n")


def test_compile_file_takes_the_limit(case: Path) -> None:
    with pytest.raises(KfdataError) as raised:
        compile_file(case / "pipeline.yaml", max_input_size=1000)
    assert [d.code for d in raised.value.diagnostics] == ["KF112"]


@pytest.mark.parametrize(("text", "size"), [
    ("128M", 128 << 20), ("1G", 1 << 30), ("1GiB", 1 << 30), ("512k", 512 << 10),
    ("1048576", 1 << 20), ("64 MB", 64 << 20), ("2T", 2 << 40),
])
def test_sizes(text: str, size: int) -> None:
    assert infile.parse_size(text) == size


@pytest.mark.parametrize("text", ["", "0", "12X", "-1", "1.5G", "M"])
def test_bad_sizes_are_usage_errors(case: Path, text: str,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(case / "pipeline.yaml"), "--max-input-size", text]) == 2
    assert "Invalid value for '--max-input-size'" in capsys.readouterr().err
