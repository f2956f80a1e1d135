"""Which documents of an IR file the format takes, and how it writes them.

    [{pipelineInfo: ..., root: ..., deploymentSpec: ...}, {platforms: ...}] -> []
    [{pipelineInfo: ...}, {platforms: ...}, {kind: ConfigMap}]           -> KF600 at doc 3

The output is kfp's: the input's header comments, then ``yaml.dump(sort_keys=True)`` for each
document with ``---`` between them; a platform document left empty is not written.
"""

from __future__ import annotations

from typing import Any

from kfdata_compiler.diagnostics import Diagnostic
from kfdata_compiler.load import Source
from kfdata_compiler.yamlio.kfpstyle import dump_kfp_documents, header_comments


def check(source: Source) -> list[Diagnostic]:
    """KF600 for what an IR file cannot hold: a third document, a second that is not a
    ``PlatformSpec``, a pipeline whose ``root``, ``components`` or executors are no mappings."""
    out = []
    first = source.docs[0]
    for key in ("root", "components", "deploymentSpec"):
        if key in first and not isinstance(first[key], dict):
            out.append(Diagnostic("KF600", f"{key!r} of the pipeline spec is not a mapping",
                                  source.positions.locate((key,), 0),
                                  "fix the pipeline: recompile it with the kfp SDK"))
    if len(source.docs) > 1 and source.docs[1] is not None:
        second = source.docs[1]
        if not isinstance(second, dict) or not set(second) <= {"platforms"}:
            out.append(Diagnostic("KF600", "the second document of a KFP v2 file must be its "
                                  "platform spec (only 'platforms')",
                                  source.positions.locate((), 1),
                                  "kfp writes the kfp-kubernetes settings there; move anything "
                                  "else to a file of its own"))
    for index in range(2, len(source.docs)):
        if source.docs[index] is not None:
            out.append(Diagnostic("KF600", "a KFP v2 file holds the pipeline spec and at most "
                                  "one platform spec", source.positions.locate((), index),
                                  "move this document to a file of its own"))
    return out


def emit(docs: list[Any], original: str) -> str:
    """kfp's style: the header comments of ``original``, then each document, sorted keys."""
    kept = [d for i, d in enumerate(docs) if i == 0 or d]
    return dump_kfp_documents(kept, header_comments(original))
