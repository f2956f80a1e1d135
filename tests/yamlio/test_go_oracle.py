"""Go reads what we read and what we write: kubectl as the oracle.

``kubectl label --local -f - k=v -o json`` parses YAML offline with Go's own reader
(``sigs.k8s.io/yaml`` on goyaml.v2), as Argo's controller and KFP's API server do, and prints it as
JSON. Every comparison below batches many documents into one call (~0.1 s each). Skipped where
kubectl is not installed; the corpus part also needs ../shared.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

from kfdata_compiler.compiler import compile_text
from kfdata_compiler.errors import KfdataError, LoadError
from kfdata_compiler.formats.argo import paths as argo
from kfdata_compiler.yamlio import dump_documents, load_documents
from kfdata_compiler.yamlio.goresolve import go_key, go_scalar
from tests.paths import CORPUS, GOLDEN

KUBECTL = shutil.which("kubectl")
pytestmark = pytest.mark.skipif(
    KUBECTL is None, reason="kubectl is not installed: it is the Go YAML oracle (offline)")
LABEL = "kfdata.dev/go-oracle"
HEAD = "apiVersion: kfdata.dev/v1\nkind: Oracle\nmetadata:\n  name: oracle\n"


_NO_LABELS: Any = object()


class GoRefused(Exception):
    """kubectl could not read the stream (Go's error message is the argument)."""


def _start(text: str) -> tuple[subprocess.Popen[str], Path]:
    # From a file, not stdin, so that several calls run at once.
    assert KUBECTL is not None
    fd, name = tempfile.mkstemp(suffix=".yaml")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    process = subprocess.Popen(
        [KUBECTL, "label", "--local", "--overwrite", "-f", name, f"{LABEL}=1", "-o", "json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return process, Path(name)


def _finish(started: tuple[subprocess.Popen[str], Path]) -> list[Any]:
    process, path = started
    try:
        stdout, stderr = process.communicate(timeout=120)
    finally:
        path.unlink()
    if process.returncode:
        raise GoRefused(stderr.strip())
    objects, decoder, at = [], json.JSONDecoder(), 0
    while stdout[at:].strip():
        at += len(stdout[at:]) - len(stdout[at:].lstrip())
        obj, at = decoder.raw_decode(stdout, at)
        labels = obj["metadata"]["labels"]
        del labels[LABEL]
        obj["metadata"]["labels"] = labels or _NO_LABELS
        objects.append(obj)
    return objects


def go_read(text: str) -> list[Any]:
    """Every object of a YAML stream as Go reads it, without the label kubectl adds."""
    return _finish(_start(text))


def _as_go_sees(doc: Any) -> Any:
    # kubectl's own edits, not YAML: the label it adds (labels compare without it) and an empty
    # namespace it drops (ObjectMeta treats "" as unset).
    doc = dict(doc)
    metadata = dict(doc.get("metadata") or {})
    if not metadata.get("labels"):
        metadata["labels"] = _NO_LABELS
    if metadata.get("namespace") == "":
        del metadata["namespace"]
    doc["metadata"] = metadata
    return doc


def same(ours: Any, go: Any) -> bool:
    """Equal as JSON values: numbers by value (Go prints big integers as floats), bools apart."""
    if isinstance(ours, dict) and isinstance(go, dict):
        return ours.keys() == go.keys() and all(same(ours[k], go[k]) for k in ours)
    if isinstance(ours, list) and isinstance(go, list):
        return len(ours) == len(go) and all(map(same, ours, go))
    number = (int, float)
    if (isinstance(ours, number) and isinstance(go, number) and not isinstance(ours, bool)
            and not isinstance(go, bool)):
        return float(ours) == float(go)
    return type(ours) is type(go) and ours == go


def _objects(text: str) -> list[Any]:
    return [_as_go_sees(d) for d in load_documents(text, "ours.yaml") if d is not None]


def _join(texts: list[str]) -> str:
    # After the first document libyaml and Go need "---" before each document.
    marked = (t if i == 0 or t.startswith("---") else "---\n" + t for i, t in enumerate(texts))
    return "".join(t if t.endswith("\n") else t + "\n" for t in marked)


def _batches(texts: dict[str, str], size: int = 400_000) -> list[list[str]]:
    # kubectl's time grows faster than linearly with the stream (4.5 MB: 25 s; 10 x 450 kB: 3 s).
    batches: list[list[str]] = [[]]
    filled = 0
    for name, text in texts.items():
        if filled + len(text) > size and batches[-1]:
            batches.append([])
            filled = 0
        batches[-1].append(name)
        filled += len(text)
    return batches


def compare_streams(texts: dict[str, str]) -> tuple[int, dict[str, str]]:
    """Read every text with Go and with our loader; (objects compared, differences by name)."""
    batches = [(batch, _join([texts[name] for name in batch])) for batch in _batches(texts)]
    running = [(batch, _start(stream)) for batch, stream in batches]  # in parallel
    compared, found = 0, {}
    for batch, started in running:
        ours = {name: _objects(texts[name]) for name in batch}
        try:
            go = _finish(started)
            assert len(go) == sum(map(len, ours.values()))
        except (GoRefused, AssertionError):  # find the culprit: one call per text
            go = []
            for name in batch:
                try:
                    go += go_read(texts[name])
                except GoRefused as exc:
                    raise AssertionError(f"Go refuses {name}: {exc}") from None
        at = 0
        for name, objects in ours.items():
            for index, obj in enumerate(objects):
                if not same(obj, go[at + index]):
                    found[name] = f"document {index} differs"
            at += len(objects)
        compared += at
    return compared, found


# --- scalars: the resolver table, keys, tags ---------------------------------------------------

SHORT = {"".join(p) for n in (1, 2, 3) for p in itertools.product("019.eE+-_xo~n", repeat=n)}
CANDIDATES = sorted(SHORT | {
    "y", "Y", "yes", "NO", "On", "OFF", "True", "null", "Null", "~", "0x1F", "0o17", "0b101",
    "-0b101", "1_000", "09", "1e3", "1.5e3", "1e400", "1e-400", ".5", ".5_5", "._5", "+1", "-0",
    "2024-01-01", "12:30:00", "1.8.22", "9223372036854775808", "18446744073709551616",
    "0xFFFFFFFFFFFFFFFF", "0x10000000000000000", "-9223372036854775809", "3.14159265", "1e6",
})


def _plain(candidates: list[str]) -> list[str]:
    # Only texts that stay one plain scalar in "k: <text>"; the others are not plain YAML.
    out = []
    for text in candidates:
        try:
            doc = load_documents(f"k: {text}\n", "c.yaml")
        except LoadError:
            continue
        if doc == [{"k": go_scalar(text)}] and ":" not in text and "#" not in text:
            out.append(text)
    return out


def _finite(text: str) -> bool:
    value = go_scalar(text)
    return not isinstance(value, float) or math.isfinite(value)


def test_plain_scalars_resolve_as_go_resolves_them() -> None:
    texts = [t for t in _plain(CANDIDATES) if _finite(t)]
    doc = HEAD + "data:\n" + "".join(f"  v{i}: {t}\n" for i, t in enumerate(texts))
    (go,) = go_read(doc)
    wrong = {t: go["data"][f"v{i}"] for i, t in enumerate(texts)
             if not same(go_scalar(t), go["data"][f"v{i}"])}
    assert not wrong and len(texts) > 1000


def test_plain_keys_become_the_json_keys_go_makes() -> None:
    keys = []
    for text in _plain(CANDIDATES):
        try:
            keys.append((text, go_key(text)))
        except ValueError:
            continue
    doc = HEAD + "data:\n" + "".join(f"  k{i}:\n    {t}: 1\n" for i, (t, _) in enumerate(keys))
    (go,) = go_read(doc)
    wrong = {t: list(go["data"][f"k{i}"]) for i, (t, k) in enumerate(keys)
             if list(go["data"][f"k{i}"]) != [k]}
    assert not wrong


@pytest.mark.parametrize("text", [".nan", ".NaN", ".inf", "-.Inf", "+.INF"])
def test_nan_and_infinity_are_floats_json_cannot_hold(text: str) -> None:
    assert not _finite(text)
    with pytest.raises(GoRefused, match="unsupported value"):
        go_read(HEAD + f"data:\n  v: {text}\n")


@pytest.mark.parametrize("text", ["~", "null", "18446744073709551615"])
def test_keys_go_refuses_are_refused(text: str) -> None:
    with pytest.raises(GoRefused, match="unsupported map key"):
        go_read(HEAD + f"data:\n  {text}: 1\n")
    with pytest.raises(ValueError):
        go_key(text)


TAGGED = ["!!str 12", "!!int 0x1F", "!!int '1_0'", "!!float 1", "!!float 1e3", "!!bool 'yes'",
          "!!null ''", "!!timestamp 2024-01-01", "!!binary aGVsbG8=", "!!str", "!!int 010"]
REFUSED = ["!!int abc", "!!int 1.5", "!!bool 1", "!!null x", "!!float 18446744073709551615",
           "!!timestamp x", "!!binary '%%%'"]


def test_tagged_scalars_decode_as_in_go() -> None:
    doc = HEAD + "data:\n" + "".join(f"  v{i}: {t}\n" for i, t in enumerate(TAGGED))
    (go,) = go_read(doc)
    (ours,) = load_documents(doc, "t.yaml")
    assert all(same(ours["data"][k], go["data"][k]) for k in ours["data"]), (ours, go)
    for text in REFUSED:
        with pytest.raises(GoRefused):
            go_read(HEAD + f"data:\n  v: {text}\n")
        with pytest.raises(LoadError):
            load_documents(HEAD + f"data:\n  v: {text}\n", "t.yaml")


# --- what we write: tricky strings ------------------------------------------------------------

TRICKY = [
    "n", "y", "Y", "N", "on", "off", "yes", "no", "On", "OFF", "True", "FALSE", "~", "null", "Null",
    "NULL", "", "1e3", "1.5e3", "1E3", "0o17", "09", "010", "0x1F", "0b101", "1_000", "_1", "1__0",
    "2024-01-01", "2024-01-01T10:00:00Z", "12:30", "12:30:00", ".5", ".5_5", "+1", "-0", "1e400",
    ".NaN", ".inf", "-.Inf", "18446744073709551616", "0x10000000000000000", "1.8.22", "<<", "=",
    " leading space", "trailing space ", "a: b", "a:", "#x", "a #b", "a# b", "- x", "-", "?", ":",
    "---", "...", "'", '"', "\\", "%x", "@x", "`x", "!x", "&x", "*x", "|", ">", "{a}", "[a]", ",",
    "multi\nline\n", "trailing spaces  \non a line\n", "no final newline\nx", "\nleading break",
    "keep\n\n", "\n", " \n", "\ttab", "tab\tinside", "é", "日本語", "😀", "a\u2028b", "\xa0",
    "\ufeffbom", "back\\slash", "cr\r\nlf", "\x07bell", "x" * 200,
]


def test_tricky_strings_mean_the_same_to_go_and_to_us() -> None:
    keys = {f"{s}": i for i, s in enumerate(TRICKY)}
    # (Not "items": kubectl reads an object with top-level items as a List.)
    doc = {"apiVersion": "kfdata.dev/v1", "kind": "Oracle", "metadata": {"name": "oracle"},
           "values": {f"v{i}": s for i, s in enumerate(TRICKY)}, "keys": keys,
           "seq": list(TRICKY), "nested": [{"deep": [{"x": s}]} for s in TRICKY]}
    text = dump_documents([doc])
    assert load_documents(text, "t.yaml") == [doc]
    (go,) = go_read(text)
    assert same(_as_go_sees(doc), go)


# --- what we read: merges, aliases ---------------------------------------------------------------

LOADER = [
    "a: &A {p: 1, q: 2}\nb: {p: 0, <<: *A, r: 3}\nc: {<<: *A, p: 0}\n",
    "a: {}\nb: {<<: [{p: 5}, {p: 6, s: 1}]}\nc: {'<<': 1}\n",
    "a: &A [1, {x: y}]\nb: [*A, *A]\nc: &S n\nd: *S\n",
    "a: |+\n  keep\n\n\nb: >-\n  folded\n  text\nc: 'single ''quoted'''\nd: \"\\u00e9\\t\"\n",
]


def test_loader_reads_merges_and_aliases_as_go() -> None:
    texts = {str(i): HEAD + text for i, text in enumerate(LOADER)}
    count, found = compare_streams(texts)
    assert count == len(LOADER) and not found


def test_excessive_aliasing_is_refused_by_both() -> None:
    text = HEAD + 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        text += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
    with pytest.raises(GoRefused, match="excessive aliasing"):
        go_read(text)
    with pytest.raises(LoadError, match="excessive aliasing"):
        load_documents(text, "bl.yaml")


# --- goldens and the corpus ---------------------------------------------------------------------


@pytest.mark.skipif(not list(GOLDEN.glob("*.yaml")), reason="no golden outputs yet")
def test_goldens_read_the_same_in_go() -> None:
    # KFP v2 IR (kfpv2-*) is no Kubernetes object, so kubectl cannot decode it; the API server
    # reads it with protojson, which tests/formats/kfpv2/test_deep_check.py parses strictly.
    texts = {p.name: p.read_text("utf-8") for p in sorted(GOLDEN.glob("*.yaml"))
             if not p.name.startswith("kfpv2-")}
    count, found = compare_streams(texts)
    assert count >= len(texts) and not found


FOLDERS = ("argo-examples", "kfp-v1-argo", "kfp-v2-argo")
CORPUS_FILES = sorted(p for f in FOLDERS for p in (CORPUS / f).glob("*.yaml")) \
    if CORPUS.is_dir() else []
EMPTY = b"apiVersion: kfdata.dev/v1alpha1\nkind: DataBindings\n"
SPEC = ('apiVersion: kfdata.dev/v1alpha1\nkind: DataBindings\n'
        'datasets: {{d: {{uri: "https://example.org/d.txt"}}}}\n'
        'bindings: [{{step: "{step}", read: [d]}}]\n')


def _corpus(bind: bool) -> tuple[dict[str, str], dict[str, str]]:
    """Output text per corpus file (compiled with no binding or one), and files skipped, why."""
    texts: dict[str, str] = {}
    skipped: dict[str, str] = {}
    for path in CORPUS_FILES:
        name, text = f"{path.parent.name}/{path.name}", path.read_text("utf-8")
        try:
            docs = load_documents(text, name)
        except LoadError as exc:
            skipped[name] = f"we refuse it: {exc.diagnostics[0].message}"
            continue
        if not all(d is None or isinstance(d, dict) and isinstance(d.get("kind"), str)
                   for d in docs):
            skipped[name] = "not Kubernetes objects"
            continue
        spec = EMPTY
        if bind:
            # A template name that is a leaf (container or script) wherever it appears.
            kinds: dict[str, set[bool]] = {}
            for doc in filter(argo.is_workflow, docs):
                for template in argo.templates(doc):
                    kinds.setdefault(str(template.get("name")), set()).add(
                        any(k in template for k in argo.LEAF_TYPES))
            leaves = [name for name, leaf in kinds.items() if leaf == {True}]
            if not leaves:
                skipped[name] = "no container or script template"
                continue
            spec = SPEC.format(step=leaves[0]).encode()
        try:
            texts[name] = compile_text(text.encode(), spec, name, "spec.yaml").output
        except KfdataError as exc:
            skipped[name] = f"does not compile: {exc.diagnostics[0].code}"
    return texts, skipped


@pytest.mark.skipif(not CORPUS_FILES, reason="../shared/corpus is not present")
@pytest.mark.parametrize("bind", [False, True], ids=["no-bindings", "one-binding"])
def test_corpus_reads_the_same_in_go(bind: bool) -> None:
    texts, skipped = _corpus(bind)
    count, found = compare_streams(texts)
    assert not found
    assert count > 400 and len(skipped) < 60, skipped
