"""What Go's YAML reader makes of a plain scalar: the resolver Argo, KFP and kubectl all use.

Source: ``gopkg.in/yaml.v2`` ``resolve.go`` (``resolve()``, ``resolve_table``, ``resolveMapList``,
``yamlStyleFloat``) as vendored by ``sigs.k8s.io/yaml`` (``goyaml.v2``), plus ``decode.go``, which
returns timestamps as strings when decoding into ``interface{}``, and ``sigs.k8s.io/yaml``'s
``convertToJSONableObject``, which turns non-string mapping keys into strings. In short:

* a first character outside ``+-.0-9yYnNtTfFoO~`` (and non-empty text) is always a string;
* ``y Y yes Yes YES true True TRUE on On ON`` are true, ``n N no No NO false False FALSE off Off OFF``
  are false, ``"" ~ null Null NULL`` are null, ``.nan .inf -.inf +.inf`` (three spellings) are floats;
* after removing every ``_``: ``strconv.ParseInt(s, 0, 64)`` (``0x``, ``0o``, ``0b``, a leading ``0`` is
  octal) then ``ParseUint``, then floats matching ``^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$``
  (so ``1e3`` and ``09`` are floats); a text starting with ``.`` goes to ``strconv.ParseFloat`` as is;
* timestamps (``2024-01-01``) stay strings, and so does everything else.

This module has no PyYAML import: :mod:`kfdata_compiler.yamlio` uses it for loading and dumping.
"""

from __future__ import annotations

import math
import re
import struct
from typing import Any

_HINT_CHARS = frozenset("+-.0123456789yYnNtTfFoO~")
_MAP: dict[str, Any] = {}
for _value, _words in (
    (True, "y Y yes Yes YES true True TRUE on On ON"),
    (False, "n N no No NO false False FALSE off Off OFF"),
    (math.inf, ".inf .Inf .INF +.inf +.Inf +.INF"),
    (-math.inf, "-.inf -.Inf -.INF"),
    (math.nan, ".nan .NaN .NAN"),
):
    for _word in _words.split():
        _MAP[_word] = _value
for _word in ("~", "null", "Null", "NULL"):
    _MAP[_word] = None

_INT_BODY = {
    16: re.compile(r"[0-9a-fA-F]+"),
    8: re.compile(r"[0-7]+"),
    2: re.compile(r"[01]+"),
    10: re.compile(r"[0-9]+"),
}
_YAML_STYLE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
# strconv.ParseFloat on text starting with "." (no underscores: they are invalid in base 10).
_DOT_FLOAT = re.compile(r"\.[0-9]+([eE][-+]?[0-9]+)?")
_INT64 = (-(2**63), 2**63 - 1)
_UINT64_MAX = 2**64 - 1
_UNSET = object()


def _parse_int(text: str) -> int | None:
    """``strconv.ParseInt(text, 0, 64)`` falling back to ``ParseUint``; None when neither parses."""
    sign, body = (text[0], text[1:]) if text[:1] in "+-" else ("", text)
    lower = body[:2].lower()
    if lower == "0x":
        base, digits = 16, body[2:]
    elif lower == "0o":
        base, digits = 8, body[2:]
    elif lower == "0b":
        base, digits = 2, body[2:]
    elif body[:1] == "0" and len(body) > 1:
        base, digits = 8, body[1:]
    else:
        base, digits = 10, body
    if not _INT_BODY[base].fullmatch(digits):
        return None
    value = int(digits, base) * (-1 if sign == "-" else 1)
    if _INT64[0] <= value <= _INT64[1]:
        return value
    if not sign and value <= _UINT64_MAX:
        return value
    return None


def _parse_float(text: str) -> Any:
    value = float(text)
    # ParseFloat reports out-of-range values as errors; Go then keeps the text as a string.
    return _UNSET if math.isinf(value) else value


def _resolve(text: str) -> Any:
    if text == "":
        return None
    if text[0] not in _HINT_CHARS:
        return _UNSET
    if text in _MAP:
        return _MAP[text]
    first = text[0]
    if first == ".":
        return _parse_float(text) if _DOT_FLOAT.fullmatch(text) else _UNSET
    if first in "+-0123456789":
        plain = text.replace("_", "")
        if plain:
            number = _parse_int(plain)
            if number is not None:
                return number
            if _YAML_STYLE_FLOAT.fullmatch(plain):
                return _parse_float(plain)
    return _UNSET


def go_scalar(text: str, tag: str | None = None) -> Any:
    """The value Go decodes from a plain scalar (``tag`` given for explicitly tagged scalars).

    >>> [go_scalar(t) for t in ("n", "1e3", "0o17", "09", "12:30", "2024-01-01", "1_000")]
    [False, 1000.0, 15, 9.0, '12:30', '2024-01-01', 1000]
    """
    if tag is not None and tag.endswith((":str", ":binary", ":timestamp")):
        return text
    value = _resolve(text)
    return text if value is _UNSET else value


def go_key(text: str) -> str:
    """The JSON object key ``sigs.k8s.io/yaml`` makes of a plain mapping key.

    >>> go_key("n"), go_key("010"), go_key("name")
    ('false', '8', 'name')
    """
    value = _resolve(text)
    if value is _UNSET:
        return text
    if value is None:
        raise ValueError("a null mapping key cannot be converted to JSON")
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return _format_float32_g(value)


def _format_float32_g(value: float) -> str:
    # strconv.FormatFloat(v, 'g', -1, 32): shortest digits that round-trip through float32, with
    # an exponent when it is < -4 or >= 6 (Go uses precision 6 for that choice in shortest mode).
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    as32 = struct.unpack("f", struct.pack("f", value))[0]
    for digits in range(1, 10):
        mantissa = f"{as32:.{digits - 1}e}"
        if struct.unpack("f", struct.pack("f", float(mantissa)))[0] == as32:
            break
    coefficient, exponent = mantissa.split("e")
    exp = int(exponent)
    if exp < -4 or exp >= 6:
        coefficient = coefficient.rstrip("0").rstrip(".") if "." in coefficient else coefficient
        return f"{coefficient}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    text = f"{float(mantissa):.{max(digits - 1 - exp, 0)}f}"
    return text


def go_reads_as_string(text: str) -> bool:
    """True when Go reads ``text``, written as a plain scalar, back as the same string.

    >>> go_reads_as_string("train"), go_reads_as_string("n"), go_reads_as_string("1e3")
    (True, False, False)
    """
    return _resolve(text) is _UNSET
