"""yamlio: loading with Go's meaning and limits, and a writer identical to libyaml's."""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap
import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kfdata_compiler import yamlio
from kfdata_compiler.errors import LoadError
from kfdata_compiler.load import load_source
from kfdata_compiler.yamlio import Positions, dump_documents, load_documents, plain_is_string
from kfdata_compiler.yamlio import build as yamlbuild
from kfdata_compiler.yamlio import write as yamlwrite
from tests.paths import CORPUS, ROOT


def _error(text: str) -> tuple[str, int, int, str]:
    with pytest.raises(LoadError) as caught:
        load_documents(text, "f.yaml")
    (diag,) = caught.value.diagnostics
    return diag.code, diag.location.line, diag.location.col, diag.message


def _run(code: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, timeout=timeout,
                          capture_output=True, text=True)


# --- loading -------------------------------------------------------------------------------


def test_plain_scalars_get_gos_types_and_quoted_ones_stay_strings() -> None:
    text = "a: n\nb: 1e3\nc: 0o17\nd: 09\ne: 12:30\nf: 2024-01-01\ng: 'n'\nh: \"1e3\"\n010: x\n"
    assert load_documents(text, "f") == [{
        "a": False, "b": 1000.0, "c": 15, "d": 9.0, "e": "12:30", "f": "2024-01-01", "g": "n",
        "h": "1e3", "8": "x",
    }]


@pytest.mark.parametrize(("text", "docs"), [
    ("", []),
    ("# only a comment\n", []),
    ("---\n", [None]),
    ("---\n---\na: 1\n", [None, {"a": 1}]),
    ("\ufeffa: 1\n", [{"a": 1}]),
    ("a: 1\n...\n---\nb: 2\n", [{"a": 1}, {"b": 2}]),
    ("- 1\n- two\n", [[1, "two"]]),
    ("plain\n", ["plain"]),
])
def test_streams(text: str, docs: list[Any]) -> None:
    assert load_documents(text, "f") == docs


MERGES = [  # goyaml.v2 decode.go merge(): in order, each entry overwrites; lists backwards
    ("a: &A {p: 1, q: 2}\nb: {p: 0, <<: *A, r: 3}\n", {"p": 1, "q": 2, "r": 3}),
    ("a: &A {p: 1, q: 2}\nb: {<<: *A, p: 0}\n", {"p": 0, "q": 2}),
    ("a: {}\nb: {<<: [{p: 5}, {p: 6, s: 1}]}\n", {"p": 5, "s": 1}),
    ("a: {}\nb: {<<: {p: 5}, '<<': 6}\n", {"p": 5, "<<": 6}),
]


@pytest.mark.parametrize(("text", "b"), MERGES)
def test_merge_keys_apply_as_in_go(text: str, b: dict[str, Any]) -> None:
    assert load_documents(text, "f")[0]["b"] == b


def test_aliases_expand_to_independent_copies() -> None:
    (doc,) = load_documents("a: &A {l: [1]}\nb: *A\nc: [*A, *A]\n", "f")
    doc["b"]["l"].append(2)
    assert doc["a"] == {"l": [1]} and doc["c"][0] is not doc["c"][1]


ERRORS = [
    ("a: 1\nb:\n  c: 1\n  c: 2\n", "KF102", 4, 3, "duplicate key 'c' (first defined at line 3"),
    ("x: [{a: 1}, {b: 1, b: 2}]\n", "KF102", 1, 20, "first defined at line 1, column 14"),
    ("x: 1\n---\nn: 1\nfalse: 2\n", "KF102", 4, 1, "key 'false' (first defined at line 3"),
    ("a: &A {p: 1}\nb: {<<: *A, p: 2, p: 3}\n", "KF102", 2, 19, "duplicate key 'p'"),
    ("a: !foo x\n", "KF103", 1, 4, "unsupported YAML tag '!foo'"),
    ("a: !!set {x: null}\n", "KF103", 1, 4, "unsupported YAML tag"),
    ("a: !!int abc\n", "KF103", 1, 4, "cannot decode !!str `abc` as a !!int"),
    ("~: 1\n", "KF106", 1, 1, "null mapping key"),
    ("18446744073709551615: 1\n", "KF106", 1, 1, "above 2**63-1"),
    ("? [a]\n: 1\n", "KF106", 1, 3, "mapping keys must be scalars"),
    ("a: &A x\n*A : 1\n", "KF106", 2, 1, "an alias cannot be a mapping key"),
    ("a: {<<: 1}\n", "KF106", 1, 9, "a merge key (<<) needs a mapping"),
    ("a: *nope\n", "KF101", 1, 4, "found undefined alias 'nope'"),
    ("a: &A [*A]\n", "KF104", 1, 8, "anchor 'A' value contains itself"),
    ("a:\n\tb: 1\n", "KF101", 2, 1, "a tab character cannot start a token"),
    ("a: 'open\n", "KF101", 1, 4, "while scanning a quoted scalar"),
    ('a: "\\ud800"\n', "KF101", 1, 7, "invalid Unicode character escape"),
    ("a: b\x07c\n", "KF101", 1, 5, "control characters are not allowed"),
    ("é: ü\x07\n", "KF101", 1, 5, "control characters are not allowed"),
]


@pytest.mark.parametrize(("text", "code", "line", "col", "message"), ERRORS,
                         ids=[e[1] + ":" + e[4][:30] for e in ERRORS])
def test_load_errors_are_located(text: str, code: str, line: int, col: int, message: str) -> None:
    got = _error(text)
    assert got[:3] == (code, line, col) and message in got[3], got


@pytest.mark.parametrize(("text", "hint"), [
    ('a: "open\nb: 1\n', "a quoted string is not closed"),
    ('a: "\\ud800"\n', "fix the YAML syntax at this position"),
    ("a:\n\tb: 1\n", "fix the YAML syntax at this position"),
])
def test_syntax_error_hints(text: str, hint: str) -> None:
    with pytest.raises(LoadError) as caught:
        load_documents(text, "f")
    assert caught.value.diagnostics[0].hint == hint


def test_non_utf8_and_empty_files_stop_in_load() -> None:
    with pytest.raises(LoadError) as caught:
        load_source("f.yaml", b"a: 1\nb: \xff\n")
    assert [(d.code, d.location.line, d.location.col) for d in caught.value.diagnostics] == [
        ("KF100", 2, 4)]
    for empty in (b"", b"# nothing\n", b"---\n"):
        with pytest.raises(LoadError) as caught:
            load_source("f.yaml", empty)
        assert caught.value.diagnostics[0].code == "KF107"


def _laughs(levels: int) -> str:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for prev, name in zip("abcdefghi"[: levels - 1], "bcdefghij"[: levels - 1], strict=True):
        text += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
    return text


def test_billion_laughs_is_refused_fast() -> None:
    start = time.perf_counter()
    assert _error(_laughs(10))[:2] == ("KF104", 4)
    assert time.perf_counter() - start < 0.5
    # Go's ratio lets small documents alias freely: 3 levels expand to 729 strings.
    assert len(load_documents(_laughs(3), "f")[0]["c"]) == 9


def test_aliases_of_long_strings_are_bounded_by_size() -> None:
    # Go counts nodes only; 256 aliases of a 4 MiB string would write 1 GiB.
    big = "x" * (4 << 20)
    start = time.perf_counter()
    bomb = f"big: &big '{big}'\ncopies: [" + ",".join(["*big"] * 256) + "]\n"
    assert _error(bomb)[:2] == ("KF104", 2)
    assert time.perf_counter() - start < 1
    # Ten times the text's length is allowed (or 4 Mi characters for small texts).
    fine = "a: &a '" + "x" * 1000 + "'\nb: [" + ",".join(["*a"] * 9) + "]\n"
    assert len(load_documents(fine, "f")[0]["b"]) == 9


def test_alias_count_follows_gos_ratio() -> None:
    # 1,000 real nodes, then aliases: refused once they pass 99% of all decodes, as in Go.
    base = "a: &a [" + ", ".join(["x"] * 999) + "]\n"
    ok = base + "b: [" + ", ".join(["*a"] * 90) + "]\n"
    assert len(load_documents(ok, "f")[0]["b"]) == 90
    assert _error(base + "b: [" + ", ".join(["*a"] * 120) + "]\n")[0] == "KF104"


DEEP = {
    "flow sequences": "'[' * 100_000 + ']' * 100_000",
    "unclosed flow sequences": "'[' * 100_000",
    "flow mappings": "'{a: ' * 100_000 + '}' * 100_000",
    "block mappings": "''.join(' ' * i + 'a:\\n' for i in range(20_000))",
    "block sequences": "'- ' * 50_000 + 'x\\n'",
    "aliases": "'a: &a ' + '[' * 150 + ']' * 150 + '\\nb: ' + '[' * 100 + '*a' + ']' * 100",
}


@pytest.mark.parametrize("shape", sorted(DEEP))
def test_deep_nesting_is_a_load_error_not_a_crash(shape: str) -> None:
    # In a subprocess: a regression here would be a segfault (libyaml's composer recurses in C).
    result = _run(f"""
        from kfdata_compiler.errors import LoadError
        from kfdata_compiler.yamlio import load_documents
        try:
            load_documents({DEEP[shape]}, "deep.yaml")
        except LoadError as exc:
            print(exc.diagnostics[0].code)
    """)
    assert (result.returncode, result.stdout.strip()) == (0, "KF105"), result.stderr[-2000:]


def test_nesting_up_to_the_limit_loads_and_dumps() -> None:
    depth = yamlio.MAX_DEPTH
    text = "[" * depth + "]" * depth
    (doc,) = load_documents(text, "f")
    assert load_documents(dump_documents([doc]), "f") == [doc]
    assert _error("[" * (depth + 1) + "]" * (depth + 1))[0] == "KF105"


def test_loading_and_dumping_run_without_the_cyclic_gc(monkeypatch: pytest.MonkeyPatch) -> None:
    states: list[bool] = []
    for module, name in ((yamlbuild, "build"), (yamlwrite, "write")):
        real = getattr(module, name)

        def spy(*args: Any, real: Any = real) -> Any:
            states.append(gc.isenabled())
            return real(*args)

        monkeypatch.setattr(module, name, spy)
    dump_documents(load_documents("a: [1, {b: 2}]\n", "f"))
    assert states == [False, False] and gc.isenabled()
    gc.disable()
    try:
        dump_documents(load_documents("a: 1\n", "f"))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_positions_locate_keys_and_items() -> None:
    text = "a:\n  b:\n  - x\n  - y: 1\n---\nc: 2\n"
    positions = Positions(text, "f.yaml")
    assert (positions.locate(("a", "b", 1, "y")).line, positions.locate(("a", "b", 1, "y")).col) \
        == (4, 5)
    assert positions.locate(("c",), 1).line == 6
    typed = Positions("x: 1\nn: 2\n'y': 3\n010: 4\n", "f.yaml")
    assert [typed.locate((k,)).line for k in ("false", "y", "8", "n")] == [2, 3, 4, 1]
    assert positions.locate(("a", "nope")).json_path == "$.a.nope"
    assert positions.locate((), 5).line == 0


# --- dumping -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "plain"), [
    ("train", True), ("n", False), ("y", False), ("1e3", False), ("12:30", False),
    ("2024-01-01", False), ("<<", False), ("=", False), ("", False), ("1.8.22", True),
    ("0x10000000000000000", False), ("-", True), ("~x", True),
])
def test_plain_is_string(text: str, plain: bool) -> None:
    assert plain_is_string(text) is plain


def test_dump_style() -> None:
    docs = [{"name": "n", "b": {"l": ["x", {"k": "v", "m": [1, [2, 3]]}, [], {}], "e": {}},
             "s": "line 1\nline 2\n", "t": "no newline\nat end", "u": True, "f": 1e17, "z": None}]
    assert dump_documents(docs) == textwrap.dedent("""\
        name: 'n'
        b:
          l:
          - x
          - k: v
            m:
            - 1
            - - 2
              - 3
          - []
          - {}
          e: {}
        s: |
          line 1
          line 2
        t: |-
          no newline
          at end
        u: true
        f: 1.0e+17
        z: null
        """)


EDGES: list[Any] = [
    [], [{}], [[]], [{}, []], [{"a": 1}, {"b": [1]}], [["a", ["b"]]], [{"x": "a\n\n"}],
    [{"x": "a\n\n", "y": "b\n"}], [{"x": ["\n"]}, {"y": "\n\n"}], [{"x": " lead\n"}],
    [{"x": "a\n \nb"}], [{"x": "trail \nx"}], [{"x": "tab\there\n"}], [{"x": "😀"}],
    [{"x": "a\u2028b"}], [{"x": "\ufeffx"}], [{"k" * 129: 1}], [{"k" * 128: 1}], [{"a\nb": 1}],
    [{"é" * 64: 1}], [{"é" * 65: 1}], [{1: "int key"}], ["root scalar"], [None], [{"x": ("t",)}],
    [{"x": float("nan"), "y": float("-inf"), "z": 1e-05, "w": -0.0}], [{"": ""}],
    [{"- x": "-", "? y": "?", ": z": ":x", "#": "a #b", "a:": "a: b", "---": "...x"}],
    [{"x": "'quoted' \"both\"", "y": " lead", "z": "trail ", "w": "\xa0"}],
]


@pytest.mark.parametrize("docs", EDGES, ids=[repr(d)[:40] for d in EDGES])
def test_dump_matches_libyaml(docs: list[Any]) -> None:
    assert dump_documents(docs) == yamlio.dump._dump_libyaml(docs)


_TEXT = st.text(st.sampled_from(list("ab :#-?'\"\n\t{}[],.e0123456789xyYnNoO~_+é😀\u2028 ")),
                max_size=12)
_SCALARS = _TEXT | st.sampled_from(["n", "y", "1e3", "0o17", "09", "12:30", "", "<<", "on"]) \
    | st.integers(-(2**63), 2**64 - 1) | st.booleans() | st.none() | st.floats(allow_nan=False)
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4)
                       | st.dictionaries(_TEXT, inner, max_size=4), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dictionaries(_TEXT, _VALUES, max_size=5) | st.lists(_VALUES, max_size=4),
                max_size=3))
def test_writer_is_libyaml_and_round_trips(docs: list[Any]) -> None:
    text = dump_documents(docs)
    assert text == yamlio.dump._dump_libyaml(docs)
    assert load_documents(text, "f") == docs


CORPUS_FILES = sorted(CORPUS.glob("*/*.yaml")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not CORPUS_FILES, reason="../shared/corpus is not present")
def test_writer_is_libyaml_on_the_corpus() -> None:
    compared = 0
    for path in CORPUS_FILES:
        try:
            docs = load_documents(path.read_text("utf-8"), str(path))
        except LoadError:
            continue
        written = yamlwrite.write(docs, yamlio.dump._one_line)  # the fast path, never the fallback
        assert written == yamlio.dump._dump_libyaml(docs), path
        assert load_documents(written, str(path)) == docs, path
        compared += 1
    assert compared >= len(CORPUS_FILES) - 5


def test_dump_is_deterministic_and_keeps_key_order() -> None:
    doc = {"z": 1, "a": {"m": 2, "b": 3}}
    assert dump_documents([doc]) == dump_documents([doc]) == "z: 1\na:\n  m: 2\n  b: 3\n"


def test_hera_does_not_change_the_output() -> None:
    # hera.workflows registers representers on PyYAML's global classes.
    code = """
        import sys
        if sys.argv[1] == "hera":
            import hera.workflows  # noqa: F401
        from kfdata_compiler.yamlio import dump_documents
        doc = {"s": "a\\nb\\n", "t": ["n", "1e3", "x: y", {"k": "v"}], "u": None, "v": 1.5}
        sys.stdout.write(dump_documents([doc, {"w": "yes"}]))
    """
    runs = [subprocess.run([sys.executable, "-c", textwrap.dedent(code), mode], cwd=ROOT,
                           capture_output=True, text=True, timeout=120) for mode in ("", "hera")]
    assert runs[0].returncode == runs[1].returncode == 0, runs[1].stderr
    assert runs[0].stdout == runs[1].stdout
    assert "'n'" in runs[0].stdout


def test_compile_path_imports_neither_hera_nor_kfp() -> None:
    result = _run("""
        import sys
        import kfdata_compiler.cli
        from kfdata_compiler.compiler import compile_text
        heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("hera", "kfp"))
        print(heavy)
    """)
    assert (result.returncode, result.stdout.strip()) == (0, "[]"), result.stderr


def test_libyaml_is_required() -> None:
    result = _run("""
        import sys
        sys.modules["yaml._yaml"] = None
        try:
            import kfdata_compiler.yamlio
        except ImportError as exc:
            print(exc)
    """)
    assert "needs PyYAML built with libyaml" in result.stdout, result.stderr
