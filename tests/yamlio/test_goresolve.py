"""Go's typing of scalars (goyaml.v2 resolve.go); every expectation was read back from kubectl."""

from __future__ import annotations

import math

import pytest

from kfdata_compiler.yamlio.goresolve import go_key, go_reads_as_string, go_scalar

T = "tag:yaml.org,2002:"

PLAIN = [
    # bools and nulls in all spellings resolve.go accepts
    *[(w, True) for w in "y Y yes Yes YES true True TRUE on On ON".split()],
    *[(w, False) for w in "n N no No NO false False FALSE off Off OFF".split()],
    *[(w, None) for w in ("", "~", "null", "Null", "NULL")],
    ("nULL", "nULL"), ("tRue", "tRue"), ("yes!", "yes!"), ("On.", "On."),
    # ints: every base, underscores anywhere, leading zero is octal, sign, 64-bit limits
    ("0", 0), ("-0", 0), ("+1", 1), ("010", 8), ("0o17", 15), ("0x1F", 31), ("0X1F", 31),
    ("0b101", 5), ("-0b101", -5), ("1_000", 1000), ("0_10", 8), ("_1", "_1"), ("1_", 1),
    ("0x_1F", 31), ("9223372036854775807", 2**63 - 1), ("-9223372036854775808", -(2**63)),
    ("18446744073709551615", 2**64 - 1), ("0xFFFFFFFFFFFFFFFF", 2**64 - 1),
    ("0x", "0x"), ("0b", "0b"), ("0b2", "0b2"),
    # floats: exponent without a dot, octal-looking decimals, '.'-floats with underscores
    ("1e3", 1000.0), ("1.5e3", 1500.0), ("1E-3", 0.001), ("09", 9.0), ("08.5", 8.5), ("1.", 1.0),
    (".5", 0.5), ("-.5", -0.5), ("+.5", 0.5), (".5_5", 0.55), (".5e3", 500.0), ("._5", "._5"),
    (".5_", ".5_"), ("1_0.5", 10.5), ("18446744073709551616", 2.0**64),
    ("-9223372036854775809", -(2.0**63)), ("1e400", "1e400"), ("-1e400", "-1e400"),
    ("1e-400", 0.0), ("1e", "1e"), (".e3", ".e3"), ("1.2.3", "1.2.3"), ("1.8.22", "1.8.22"),
    ("inf", "inf"), ("+inf", "+inf"), ("nan", "nan"), ("0x1p3", "0x1p3"),
    # timestamps, base 60 and everything else stay strings
    ("2024-01-01", "2024-01-01"), ("2024-01-01T10:00:00Z", "2024-01-01T10:00:00Z"),
    ("12:30", "12:30"), ("12:30:00", "12:30:00"), ("190:20:30", "190:20:30"), ("<<", "<<"),
    ("1,000", "1,000"), ("train", "train"), ("é", "é"),
]


@pytest.mark.parametrize(("text", "value"), PLAIN, ids=[repr(t) for t, _ in PLAIN])
def test_plain_scalars_resolve_as_in_go(text: str, value: object) -> None:
    got = go_scalar(text)
    assert got == value and type(got) is type(value)
    assert go_reads_as_string(text) == (type(value) is str and value == text)


@pytest.mark.parametrize("text", [".inf", ".Inf", ".INF", "+.inf", "-.inf", ".nan", ".NaN"])
def test_special_floats(text: str) -> None:
    value = go_scalar(text)
    assert isinstance(value, float) and (math.isnan(value) or math.isinf(value))
    assert not go_reads_as_string(text)


@pytest.mark.parametrize("text", ["18446744073709551616", "0x10000000000000000", "-0b" + "1" * 70])
def test_integers_beyond_64_bits_are_quoted_on_output(text: str) -> None:
    # Newer goyaml.v2 forks (resolve.go: big.Int.SetString) read these as integers.
    assert not go_reads_as_string(text)


KEYS = [
    ("n", "false"), ("y", "true"), ("010", "8"), ("0x10", "16"), ("1e3", "1000"),
    ("1.5e10", "1.5e+10"), ("0.1", "0.1"), ("3.14159265", "3.1415927"), ("1e6", "1e+06"),
    ("999999", "999999"), ("1e-5", "1e-05"), ("0.0001", "0.0001"), ("-0.0", "-0"), (".0", "0"),
    ("1e-50", "0"), ("+4e62", ".inf"), ("-2e93", "-.inf"), ("3.40282356e38", "3.4028235e+38"),
    (".nan", ".nan"), ("2024-01-01", "2024-01-01"), ("name", "name"),
]


@pytest.mark.parametrize(("text", "key"), KEYS, ids=[t for t, _ in KEYS])
def test_mapping_keys_become_json_keys_as_in_sigs_k8s_yaml(text: str, key: str) -> None:
    assert go_key(text) == key


@pytest.mark.parametrize("text", ["~", "null", "", "18446744073709551615"])
def test_keys_go_cannot_convert_to_json_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        go_key(text)


TAGGED = [
    ("str", "12", "12"), ("str", "", ""), ("int", "0x1F", 31), ("int", "1_0", 10),
    ("int", "18446744073709551615", 2**64 - 1), ("float", "1", 1.0), ("float", "1_0", 10.0),
    ("float", "1e3", 1000.0), ("bool", "yes", True), ("null", "", None), ("null", "~", None),
    ("timestamp", "2024-01-01", "2024-01-01"), ("binary", "aGVsbG8=", "hello"),
    ("binary", "aGVs\nbG8=", "hello"),
]


@pytest.mark.parametrize(("tag", "text", "value"), TAGGED)
def test_explicit_tags_decode_as_in_go(tag: str, text: str, value: object) -> None:
    got = go_scalar(text, T + tag)
    assert got == value and type(got) is type(value)


REFUSED = [("int", "abc"), ("int", "1.5"), ("int", "y"), ("bool", "1"), ("null", "x"),
           ("float", "18446744073709551615"), ("timestamp", "x"), ("timestamp", "2024-02-30"),
           ("binary", "%%%"), ("binary", "/w==")]


@pytest.mark.parametrize(("tag", "text"), REFUSED)
def test_explicit_tags_go_refuses(tag: str, text: str) -> None:
    with pytest.raises(ValueError):
        go_scalar(text, T + tag)
