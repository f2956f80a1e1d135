"""Generate ``fields.json``: the messages, fields and enums of the KFP backend's protos at each
release tag, read from a bare clone of kubeflow/pipelines.

    python tests/formats/kfpv2/protos/generate.py /work/.mirror/kubeflow+pipelines/repo

The backend vendors both protos from its own tree at each tag (``go.mod``: ``replace
github.com/kubeflow/pipelines/api => ./api`` and ``kubernetes_platform => ./kubernetes_platform``),
so the ``.proto`` text at a tag is what that backend release unmarshals with. CI has no clone,
so the table is checked in; ``test_backend_protos.py`` models ``protojson.Unmarshal`` over it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

TAGS = ("2.14.0", "2.15.0", "2.16.0", "2.17.0")
FILES = ("api/v2alpha1/pipeline_spec.proto",
         "kubernetes_platform/proto/kubernetes_executor_config.proto")
OUT = Path(__file__).with_name("fields.json")
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[A-Za-z_][\w.]*|\d+|\S')
SCALARS = {"string", "bool", "bytes", "double", "float", "int32", "int64", "uint32", "uint64",
           "sint32", "sint64", "fixed32", "fixed64", "sfixed32", "sfixed64"}


def json_name(name: str) -> str:
    """protoc's JSON name: ``pvc_name_parameter`` -> ``pvcNameParameter``."""
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def tokens(text: str) -> list[str]:
    """The tokens of a .proto file, comments left out."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    return _TOKEN.findall(text)


def parse(text: str) -> tuple[str, dict[str, Any], dict[str, list[str]]]:
    """(package, messages {full name: {field: (label, type as written, scope)}}, enums)."""
    toks = tokens(text)
    messages: dict[str, Any] = {}
    enums: dict[str, list[str]] = {}
    package = ""
    scope: list[tuple[str, str]] = []  # (kind, full name)
    i = 0

    def skip_statement(j: int) -> int:
        depth = 0
        while j < len(toks):
            if toks[j] in "{[(":
                depth += 1
            elif toks[j] in "}])":
                depth -= 1
            elif toks[j] == ";" and depth == 0:
                return j + 1
            j += 1
        return j

    def skip_block(j: int) -> int:
        while toks[j] != "{":
            j += 1
        depth = 0
        while True:
            depth += {"{": 1, "}": -1}.get(toks[j], 0)
            j += 1
            if depth == 0:
                return j

    while i < len(toks):
        tok = toks[i]
        kind, owner = scope[-1] if scope else ("file", package)
        if tok == "}":
            scope.pop()
            i += 1
        elif tok == "package":
            package = toks[i + 1]
            i = skip_statement(i)
        elif tok in ("syntax", "import", "option", "reserved", "extensions") and kind != "enum":
            i = skip_statement(i)
        elif tok == "service" or tok == "extend":
            i = skip_block(i)
        elif tok == "message":
            name = f"{owner}.{toks[i + 1]}"
            messages[name] = {}
            scope.append(("message", name))
            i += 3
        elif tok == "enum":
            name = f"{owner}.{toks[i + 1]}"
            enums[name] = []
            scope.append(("enum", name))
            i += 3
        elif tok == "oneof":
            scope.append(("oneof", owner))
            i += 3
        elif kind == "enum":
            if tok not in ("option", "reserved"):
                enums[owner].append(tok)
            i = skip_statement(i)
        elif tok == ";":
            i += 1
        else:  # a field
            label = "single"
            if tok in ("repeated", "optional", "required"):
                label = "repeated" if tok == "repeated" else "single"
                i += 1
            if toks[i] == "map":
                value, name = toks[i + 4], toks[i + 6]
                label = "map"
            else:
                value, name = toks[i], toks[i + 1]
            messages[owner][name] = (label, value, owner)
            i = skip_statement(i)
    return package, messages, enums


def resolve(written: str, scope: str, known: set[str]) -> str:
    """A type name as protoc resolves it from inside message ``scope``."""
    if written in SCALARS:
        return written
    parts = scope.split(".")
    while parts:
        candidate = ".".join((*parts, written))
        if candidate in known:
            return candidate
        parts.pop()
    return written  # fully qualified already (google.protobuf.Struct, ml_pipelines.X)


def table(repo: str, tag: str) -> dict[str, Any]:
    """The messages and enums of both protos at one tag, every field type resolved."""
    messages: dict[str, Any] = {}
    enums: dict[str, list[str]] = {}
    for path in FILES:
        text = subprocess.run(["git", "-C", repo, "show", f"{tag}:{path}"], check=True,
                              capture_output=True, text=True).stdout
        _, found, listed = parse(text)
        messages.update(found)
        enums.update(listed)
    known = set(messages) | set(enums)
    out: dict[str, Any] = {}
    for name, fields in sorted(messages.items()):
        out[name] = {field: {"json": json_name(field), "label": label,
                             "type": resolve(written, owner, known)}
                     for field, (label, written, owner) in sorted(fields.items())}
    return {"messages": out, "enums": {k: sorted(v) for k, v in sorted(enums.items())}}


def main(repo: str) -> None:
    """Write the table for every tag in :data:`TAGS`."""
    found = {tag: table(repo, tag) for tag in TAGS}
    OUT.write_text(json.dumps({"source": "kubeflow/pipelines " + ", ".join(FILES),
                               "tags": found}, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
