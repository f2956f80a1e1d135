"""KFP v2 IR's side of the edit journal: kept in the platform document, since the API server
parses the pipeline document strictly (no annotations, no unknown keys).

Both documents' journals are one JSON string at ``platforms.kfdata.config.edits``; an entry is
honoured only when it removes or restores what kfdata-compile puts there::

    {"0": [["add", ["root", "dag", "tasks", "kfdata-import-reviews"]], ...], "1": [...]}
    [["add", ["components", "comp-train"]]]    ->  refused (KF111): not ours

Undo also reads the file again as kfp wrote it (PyYAML's typing, not Go's) and gives it an
empty platform document when it has none, for the passes to fill (emit drops it if unused).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from kfdata_compiler import lazy
from kfdata_compiler.diagnostics import Diagnostic
from kfdata_compiler.errors import LoadError
from kfdata_compiler.formats.kfpv2 import ir, slots
from kfdata_compiler.load import Source
from kfdata_compiler.plan import journal
from kfdata_compiler.plan.actions import Owner
from kfdata_compiler.plan.paths import EditPath, Named, encode_segment, walk
from kfdata_compiler.yamlio.kfpstyle import load_kfp_documents

_OURS = lazy.compile(r"^(kfdata[-_.]|KFDATA_|pipelinechannel--kfdata-import-|comp-kfdata-import-|"
                   r"exec-kfdata-import-)|-kfdata(-[0-9]+)?$|^kfdata$")


_SET = slots.FIELDS | {"workspace"}  # values kfdata sets whole (pipelineConfig.workspace)


def ours(name: Any) -> bool:
    """Whether a key or entry name is one kfdata-compile adds.

    >>> [ours(n) for n in ("kfdata-import-x", "comp-train-kfdata", "KFDATA_X_PATH", "train")]
    [True, True, True, False]
    """
    return isinstance(name, str) and _OURS.search(name) is not None


def only_ours(node: Any) -> bool:
    """A mapping or list holding nothing but what kfdata adds (fields it sets count as its, and
    a task input fed from an importer: ``into`` on a task whose ``inputs`` were null)."""
    if isinstance(node, dict):
        return _fed(node) or all(ours(k) or k in _SET or only_ours(v) for k, v in node.items())
    if isinstance(node, list):
        return all(isinstance(v, dict) and ours(v.get("name")) for v in node)
    return False


def _fed(node: Any) -> bool:
    """An input artifact fed from a kfdata importer (directly or through a channel)."""
    producer = ir.mapping(node, "taskOutputArtifact").get("producerTask")
    return ours(producer) or isinstance(node, dict) and ours(node.get("componentInputArtifact"))


def owns(root: Any, kind: str, path: EditPath, old: Any) -> bool:
    """Whether a journal entry only removes or restores what kfdata-compile puts there."""
    last, now = path[-1], walk(root, path)
    if isinstance(last, Named):
        return kind == "add" and ours(last.name)
    if last in slots.FIELDS or last == "workspace" and path[-2:-1] == ("pipelineConfig",):
        return True
    if kind == "set" and old is None:
        # A null kfdata had to add to (``env: null``, ``inputs: null``): restoring it removes
        # only what kfdata put there.
        return only_ours(now)
    if kind == "set":
        return path[-3:-1] == ("inputs", "artifacts") and _fed(now) and isinstance(old, dict)
    return ours(last) or only_ours(now)


def _owner(root: Any) -> journal.Owns:
    def owned(kind: str, path: EditPath, old: Any) -> bool:
        return owns(root, kind, path, old)

    return owned


def encode(journals: Mapping[Owner, list[list[Any]]]) -> str:
    """Both documents' journals as one compact JSON string."""
    data = {str(owner[0]): ops for owner, ops in sorted(journals.items(), key=lambda o: o[0][0])}
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, default=encode_segment)


def keep(docs: list[Any], journals: Mapping[Owner, list[list[Any]]]) -> None:
    """Store the journals at ``platforms.kfdata.config.edits`` (created by the lineage pass)."""
    if not journals:
        return
    config = docs[ir.PLATFORM]
    for key in slots.JOURNAL_AT:
        config = config.setdefault(key, {})
    config[slots.JOURNAL_KEY] = encode(journals)


def undo(source: Source) -> bool:
    """Read the documents as kfp wrote them and undo an earlier compile; True if there was one
    (KF111 when its journal cannot be used)."""
    docs = load_kfp_documents(source.text)
    if len(docs) < 2 or docs[ir.PLATFORM] is None:
        docs[1:] = [{}]
    source.docs[:] = docs
    config = ir.mapping(docs[ir.PLATFORM], *slots.JOURNAL_AT)
    if "kfdata" not in ir.mapping(docs[ir.PLATFORM], "platforms"):
        return False
    where = (*slots.JOURNAL_AT, slots.JOURNAL_KEY)
    try:
        raw = json.loads(config[slots.JOURNAL_KEY]) if slots.JOURNAL_KEY in config else None
        if not isinstance(raw, dict) or not set(raw) <= {"0", "1"}:
            raise ValueError("no journal of kfdata-compile's")
        for index in sorted(raw, reverse=True):
            journal.undo(docs[int(index)], json.dumps(raw[index]), _owner(docs[int(index)]))
    except journal.JOURNAL_ERRORS as exc:
        reason = str(exc) if not isinstance(exc, RecursionError) else "nested too deeply"
        raise LoadError([Diagnostic(
            "KF111", f"the platforms.kfdata journal cannot be used ({reason})",
            source.positions.locate(where, ir.PLATFORM),
            "it was edited by hand: compile the original pipeline instead")]) from None
    ir.mapping(docs[ir.PLATFORM], "platforms").pop("kfdata", None)
    return True
