"""Block-style YAML text, byte for byte what libyaml's emitter writes (no PyYAML import).

:mod:`kfdata_compiler.yamlio` dumped through PyYAML's representer and libyaml's emitter, which
call back into Python several times per node; writing the same text here is about five times
faster. Every choice below mirrors libyaml's ``emitter.c`` with PyYAML's ``width=-1``, indent 2,
``allow_unicode`` and ``|`` for multi-line strings::

    {"spec": {"args": ["-c", "n"], "script": "a\\nb\\n"}}  ->  spec:
                                                               args:
                                                               - -c
                                                               - 'n'
                                                               script: |
                                                                 a
                                                                 b

What it does not cover raises :class:`Unsupported` and yamlio lets libyaml write the stream; the
tests compare both writers on every corpus document.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from typing import Any

from kfdata_compiler import lazy


class Unsupported(Exception):
    """A value left to libyaml: odd keys, root scalars, types documents do not hold."""


# Characters libyaml writes as themselves (IS_PRINTABLE in yaml_private.h, minus line breaks and
# the BOM); it escapes all others in double quotes.
_PRINTABLE = "\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
_ASCII = {False: lazy.compile("[\x20-\x7e]+"), True: lazy.compile("[\n\x20-\x7e]+")}
BREAKS = lazy.compile("[\r\n\x85\u2028\u2029]")


@functools.cache
def _unicode(block: bool) -> re.Pattern[str]:
    # Compiled on first use: the non-ASCII ranges cost ~10 ms, a third of our import time.
    return re.compile("[" + ("\n" if block else "") + _PRINTABLE + "]+")


def _printable(text: str, block: bool) -> bool:
    pattern = _ASCII[block] if text.isascii() else _unicode(block)
    return pattern.fullmatch(text) is not None


_FIRST_INDICATORS = frozenset(" #,[]{}&*!|>'\"%@`")


def line(text: str, plain_is_string: Callable[[str], bool],
         fallback: Callable[[str], str]) -> str:
    """A one-line string as libyaml writes it in block context: plain, 'single' or "double".

    >>> line("a: b", lambda t: True, repr), line("train", lambda t: True, repr)
    ("'a: b'", 'train')
    """
    if _printable(text, False):
        # yaml_emitter_analyze_scalar's block_plain_allowed, for one line of printable text.
        if (text[0] not in _FIRST_INDICATORS
                and not (text[0] in "-?:" and text[1:2] in ("", " "))
                and not text.startswith(("---", "..."))
                and ": " not in text and " #" not in text and text[-1] not in ": "
                and plain_is_string(text)):
            return text
        return "'" + text.replace("'", "''") + "'"
    return fallback(text)  # empty, control characters, beyond U+FFFF, line separators


def _block(text: str, pad: str, one_line: Callable[[str], str]) -> tuple[str, bool]:
    """A multi-line string after ``key:`` or ``-``; and whether it leaves the stream "open"."""
    if not _printable(text, True) or " \n" in text or text[-1] == " ":
        return " " + one_line(text) + "\n", False  # block_allowed is false: double quotes
    # yaml_emitter_write_block_scalar_hints: an indentation hint when the text starts with a
    # space or break; "-" strips a missing final newline, "+" keeps several.
    indent = "2" if text[0] in " \n" else ""
    keep = text[-1] == "\n" and (len(text) == 1 or text[-2] == "\n")
    chomp = "+" if keep else "" if text[-1] == "\n" else "-"
    # yaml_emitter_write_literal_scalar: empty lines carry no indentation.
    body = "\n".join(pad + part if part else "" for part in text.split("\n"))
    return f" |{indent}{chomp}\n{body}" + ("" if text[-1] == "\n" else "\n"), keep


def _other(value: Any) -> str:
    # SafeRepresenter's text for the other scalars documents hold.
    cls = value.__class__
    if value is None:
        return "null"
    if cls is bool:
        return "true" if value else "false"
    if cls is int:
        return str(value)
    if cls is float:
        if value != value:
            return ".nan"
        if value in (float("inf"), float("-inf")):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value).lower()
        return text.replace("e", ".0e", 1) if "." not in text and "e" in text else text
    raise Unsupported(value)


def write(docs: Sequence[Any], one_line: Callable[[str], str]) -> str:
    """The YAML stream of ``docs``; ``one_line`` writes a one-line string (see :func:`line`)."""
    out: list[str] = []
    add = out.append
    keys: dict[str, str] = {}
    lines: dict[str, str] = {}
    open_ended = False

    def key_text(key: Any) -> str:
        # libyaml writes a key over 128 bytes or spanning lines as a "? " complex key.
        if key.__class__ is not str or BREAKS.search(key) or len(key.encode()) > 128:
            raise Unsupported(key)
        text = keys[key] = one_line(key)
        return text

    def scalar(value: str) -> str:
        # One-line strings repeat a lot (image names, paths): write each once.
        text = lines.get(value)
        if text is None:
            text = lines[value] = one_line(value)
        return text

    def mapping(node: dict[Any, Any], pad: str) -> None:
        nonlocal open_ended
        inner = pad + "  "
        for key, value in node.items():
            text = keys.get(key) or key_text(key)
            cls = value.__class__
            if cls is str:
                if "\n" in value:
                    block, open_ended = _block(value, inner, one_line)
                    add(f"{pad}{text}:{block}")
                else:
                    add(f"{pad}{text}: {scalar(value)}\n")
            elif cls is dict:
                if value:
                    add(f"{pad}{text}:\n")
                    mapping(value, inner)
                else:
                    add(f"{pad}{text}: {{}}\n")
            elif cls is list:
                if value:
                    add(f"{pad}{text}:\n")
                    sequence(value, pad)  # libyaml does not indent a sequence in a mapping
                else:
                    add(f"{pad}{text}: []\n")
            else:
                add(f"{pad}{text}: {_other(value)}\n")

    def sequence(node: list[Any], pad: str) -> None:
        nonlocal open_ended
        inner = pad + "  "
        for value in node:
            cls = value.__class__
            if cls is str:
                if "\n" in value:
                    block, open_ended = _block(value, inner, one_line)
                    add(f"{pad}-{block}")
                else:
                    add(f"{pad}- {scalar(value)}\n")
            elif (cls is dict or cls is list) and value:
                # The first entry shares the "- " line ("- name: x", "- - a").
                first = len(out)
                if cls is dict:
                    mapping(value, inner)
                else:
                    sequence(value, inner)
                out[first] = pad + "- " + out[first][len(inner):]
            elif cls is dict:
                add(f"{pad}- {{}}\n")
            elif cls is list:
                add(f"{pad}- []\n")
            else:
                add(f"{pad}- {_other(value)}\n")

    many = len(docs) > 1  # PyYAML's explicit_start: "---" before every document
    for doc in docs:
        open_ended = False
        cls = doc.__class__
        if cls is not dict and cls is not list:
            raise Unsupported(doc)
        if not doc:
            add(("--- " if many else "") + ("{}\n" if cls is dict else "[]\n"))
            continue
        if many:
            add("---\n")
        if cls is dict:
            mapping(doc, "")
        else:
            sequence(doc, "")
    if open_ended:  # emitter.c: a stream ending in a "|+" block is closed with "..."
        add("...\n")
    return "".join(out)
