"""What Go's YAML reader makes of a scalar: the reader Argo, KFP's API server and kubectl all use.

They decode YAML with ``sigs.k8s.io/yaml``, whose fork of ``gopkg.in/yaml.v2`` types plain scalars
by YAML 1.1-ish rules that PyYAML does not share. Sources: ``goyaml.v2/resolve.go`` (``resolve``,
``resolveTable``, ``resolveMap``, ``yamlStyleFloat``, ``parseTimestamp``), ``goyaml.v2/decode.go``
(``scalar``: timestamps decoded into ``interface{}`` keep their text, ``!!binary`` is decoded) and
``sigs.k8s.io/yaml`` ``convertToJSONableObject`` (mapping keys become JSON strings). Verified
against kubectl 1.27-1.33 (``tests/test_go_oracle.py``). For a plain scalar:

* a first character outside ``+-.0-9yYnNtTfFoO~`` (and non-empty text) is always a string;
* ``y Y yes Yes YES true True TRUE on On ON`` are true, ``n N no No NO false False FALSE off
  Off OFF`` false, ``"" ~ null Null NULL`` null, ``.nan .inf -.inf +.inf`` (3 spellings) floats;
* after a leading ``.``: ``strconv.ParseFloat`` of the text (``.5``, ``.5_5``, ``.5e3``);
* after a digit or sign, with every ``_`` removed: ``strconv.ParseInt(s, 0, 64)`` (``0x``,
  ``0o``, ``0b``, and a leading ``0`` is octal), then ``ParseUint``, then a float if the text
  matches ``yamlStyleFloat`` (so ``1e3`` and ``09`` are floats); ``1e400`` overflows: a string;
* timestamps (``2024-01-01``) stay strings, and so does everything else.

This module has no PyYAML import: :mod:`kfdata_compiler.yamlio` uses it to load and to dump.
"""

from __future__ import annotations

import math
import re
import struct
from typing import Any

from kfdata_compiler import lazy

# resolve.go resolveTable: a plain scalar can be something else than a string only if it starts
# with one of these.
TYPED_START = frozenset("+-.0123456789yYnNtTfFoO~")
_TAG_PREFIX = "tag:yaml.org,2002:"
_WORDS: dict[str, Any] = {}
for _value, _words in (
    (True, "y Y yes Yes YES true True TRUE on On ON"),
    (False, "n N no No NO false False FALSE off Off OFF"),
    (None, "~ null Null NULL"),
    (math.inf, ".inf .Inf .INF +.inf +.Inf +.INF"),
    (-math.inf, "-.inf -.Inf -.INF"),
    (math.nan, ".nan .NaN .NAN"),
):
    for _word in _words.split():
        _WORDS[_word] = _value

_INT_DIGITS = {
    16: lazy.compile(r"[0-9a-fA-F]+"),
    8: lazy.compile(r"[0-7]+"),
    2: lazy.compile(r"[01]+"),
    10: lazy.compile(r"[0-9]+"),
}
_YAML_STYLE_FLOAT = lazy.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
# strconv.ParseFloat on text starting with ".": Go float syntax, "_" only between digits.
_DOT_FLOAT = lazy.compile(r"\.[0-9](_?[0-9])*([eE][-+]?[0-9](_?[0-9])*)?")
_INT64_MIN, _INT64_MAX, _UINT64_MAX = -(2**63), 2**63 - 1, 2**64 - 1
_UNSET: Any = object()


def _parse_int(text: str) -> int | None:
    """``strconv.ParseInt(text, 0, 64)``, then ``ParseUint``; None when neither parses."""
    sign, body = (text[0], text[1:]) if text[0] in "+-" else ("", text)
    prefix = body[:2].lower()
    if prefix in ("0x", "0o", "0b"):
        base, digits = {"0x": 16, "0o": 8, "0b": 2}[prefix], body[2:]
    elif body[:1] == "0" and len(body) > 1:
        base, digits = 8, body[1:]
    else:
        base, digits = 10, body
    if not _INT_DIGITS[base].fullmatch(digits):
        return None
    value = -int(digits, base) if sign == "-" else int(digits, base)
    if _INT64_MIN <= value <= _INT64_MAX or (not sign and value <= _UINT64_MAX):
        return value
    return None


def _parse_float(text: str) -> Any:
    value = float(text.replace("_", ""))
    # ParseFloat reports an overflow as an error; Go then keeps the text as a string.
    return _UNSET if math.isinf(value) else value


def _resolve(text: str) -> Any:
    """The value Go gives a plain scalar, or ``_UNSET`` when it stays the string itself."""
    if not text:
        return None
    first = text[0]
    if first not in TYPED_START:
        return _UNSET
    if text in _WORDS:
        return _WORDS[text]
    if first == ".":
        return _parse_float(text) if _DOT_FLOAT.fullmatch(text) else _UNSET
    if first in "yYnNtTfFoO~":
        return _UNSET
    plain = text.replace("_", "") if "_" in text else text
    if plain:
        number = _parse_int(plain)
        if number is not None:
            return number
        if _YAML_STYLE_FLOAT.fullmatch(plain):
            return _parse_float(plain)
    return _UNSET


def _is_timestamp(text: str) -> bool:
    # parseTimestamp's layouts; only explicit !!timestamp tags get here, so compiled on demand.
    import datetime

    match = re.fullmatch(
        r"(\d{4})-(\d\d?)-(\d\d?)(?:(?:[Tt](\d\d?):(\d\d?):(\d\d?)(?:[.,]\d+)?(?:Z|[+-]\d\d:\d\d))"
        r"|(?: (\d\d?):(\d\d?):(\d\d?)(?:[.,]\d+)?))?", text)
    if not match:
        return False
    year, month, day, *clock = (int(g) if g else 0 for g in match.groups())
    hour, minute, second = clock[0] or clock[3], clock[1] or clock[4], clock[2] or clock[5]
    try:
        datetime.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return False
    return True


def _kind(value: Any, text: str) -> str:
    if value is _UNSET:
        return "timestamp" if _is_timestamp(text) else "str"
    if value is None:
        return "null"
    return {bool: "bool", int: "int", float: "float"}[type(value)]


def _binary(text: str) -> str:
    # base64.StdEncoding.DecodeString skips CR and LF; Go keeps the bytes as a string, which JSON
    # would mangle unless it is UTF-8, so anything else is refused.
    import base64
    import binascii

    try:
        return base64.b64decode(text.replace("\n", "").replace("\r", ""), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise ValueError("!!binary value is not base64-encoded UTF-8 text") from None


def go_scalar(text: str, tag: str | None = None) -> Any:
    """The value Go decodes from a plain scalar, or from a scalar with an explicit ``tag``.

    Raises ``ValueError`` where Go refuses the tag (``!!int abc``: "cannot decode").

    >>> [go_scalar(t) for t in ("n", "1e3", "0o17", "09", "12:30", "2024-01-01", "1_000", ".5_5")]
    [False, 1000.0, 15, 9.0, '12:30', '2024-01-01', 1000, 0.55]
    >>> go_scalar("1", "tag:yaml.org,2002:float"), go_scalar("12", "tag:yaml.org,2002:str")
    (1.0, '12')
    """
    if tag is None:
        value = _resolve(text)
        return text if value is _UNSET else value
    want = tag[len(_TAG_PREFIX):] if tag.startswith(_TAG_PREFIX) else tag
    if want == "str":
        return text
    if want == "binary":
        return _binary(text)
    value = _resolve(text)
    got = _kind(value, text)
    if got == want:
        return text if value is _UNSET else value
    if want == "float" and got == "int" and value <= _INT64_MAX:  # resolve.go: int64 -> float64
        return float(value)
    raise ValueError(f"cannot decode !!{got} `{text}` as a !!{want}")


def go_key(text: str, tag: str | None = None) -> str:
    """The JSON object key ``sigs.k8s.io/yaml`` makes of a mapping key (``ValueError`` if none).

    >>> go_key("n"), go_key("010"), go_key("1.5e10"), go_key("name")
    ('false', '8', '1.5e+10', 'name')
    """
    value = go_scalar(text, tag)
    if isinstance(value, str):
        return value
    if value is None:
        raise ValueError("a null mapping key cannot be converted to JSON")
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        if value > _INT64_MAX:  # Go decodes it as uint64: "unsupported map key of type: uint64"
            raise ValueError("an integer key above 2**63-1 cannot be converted to JSON")
        return str(value)
    return _format_float32_g(value)


def _format_float32_g(value: float) -> str:
    # strconv.FormatFloat(v, 'g', -1, 32): shortest digits that round-trip through float32, with
    # an exponent when it is < -4 or >= 6 (in shortest mode Go decides with precision 6).
    as32 = struct.unpack("f", struct.pack("f", value))[0]  # overflows to +-inf, as in Go
    if math.isnan(as32):
        return ".nan"
    if math.isinf(as32):
        return ".inf" if as32 > 0 else "-.inf"
    if as32 == 0:
        return "-0" if math.copysign(1, as32) < 0 else "0"
    for digits in range(1, 10):
        mantissa = f"{as32:.{digits - 1}e}"
        if struct.unpack("f", struct.pack("f", float(mantissa)))[0] == as32:
            break
    coefficient, exponent = mantissa.split("e")
    exp = int(exponent)
    if exp < -4 or exp >= 6:
        coefficient = coefficient.rstrip("0").rstrip(".") if "." in coefficient else coefficient
        return f"{coefficient}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    return f"{float(mantissa):.{max(digits - 1 - exp, 0)}f}"



def go_reads_as_string(text: str) -> bool:
    """True when Go reads ``text``, written as a plain scalar, back as that same string.

    Integer-shaped text too big for 64 bits counts as not a string: newer ``goyaml.v2`` forks read
    it as a big integer (``resolve.go``: ``big.Int.SetString``), so a writer must quote it.

    >>> go_reads_as_string("train"), go_reads_as_string("n"), go_reads_as_string("1e3")
    (True, False, False)
    """
    if _resolve(text) is not _UNSET:
        return False
    if text[0] in "+-0123456789":
        plain = text.replace("_", "")
        body = plain[1:] if plain[0] in "+-" else plain
        prefix = body[:2].lower()
        base = {"0x": 16, "0o": 8, "0b": 2}.get(prefix, 8 if body[:1] == "0" else 10)
        digits = body[2:] if prefix in ("0x", "0o", "0b") else body
        return not _INT_DIGITS[base].fullmatch(digits)
    return True
