"""The names a per-datum binding adds, in one place (checks, passes and tests agree on them).

    list_template("images", "/*")       ->  "kfdata-list-images-766e0153"
    list_call("preprocess-images")      ->  "kfdata-list-preprocess-images"
    parameter("images")                 ->  "kfdata-datum-images"
    placeholder("images")               ->  "{{inputs.parameters.kfdata-datum-images}}"
    NAMESPACE                           ->  "kfdata-namespace" (an incremental step's input)
"""

from __future__ import annotations

import hashlib

from kfdata_compiler.formats.argo.rules.findings import FIELD_NAME_MAX

LIST = "kfdata-list-"
DATUM = "kfdata-datum-"
MEMO = "kfdata-memo-"
# The incremental step's own input parameter holding the namespace (memoize.py says why).
NAMESPACE = "kfdata-namespace"
ITEM = "{{item}}"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def list_template(dataset: str, glob: str) -> str:
    """The ``data`` template listing ``dataset``'s datums: one per (dataset, glob)."""
    return f"{LIST}{dataset}-{_sha256(glob)[:8]}"


def list_call(caller: str) -> str:
    """The task or step that lists the datums for ``caller``; a name past Argo's limit keeps its
    start and a digest of the whole, so two long callers never share one."""
    name = f"{LIST}{caller}"
    if len(name) <= FIELD_NAME_MAX:
        return name
    return f"{name[:FIELD_NAME_MAX - 9]}-{_sha256(caller)[:8]}"


def parameter(dataset: str) -> str:
    """The bound template's input parameter holding its datum."""
    return f"{DATUM}{dataset}"


def placeholder(dataset: str) -> str:
    """The datum, as the bound template's fields refer to it."""
    return f"{{{{inputs.parameters.{parameter(dataset)}}}}}"


def datum_env(stem: str) -> str:
    """The env var with the datum, relative to the dataset's root."""
    return f"KFDATA_{stem}_DATUM"


def result(kind: str, call: str) -> str:
    """The list's output, as its caller's ``withParam`` reads it (``kind``: ``tasks``/``steps``)."""
    return f"{{{{{kind}.{call}.outputs.result}}}}"
