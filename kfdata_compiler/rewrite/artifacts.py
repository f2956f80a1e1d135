"""add_artifacts: the drivers' input and output artifacts, appended to bound templates.

inputs: {artifacts: [{name: tokens, path: /tmp/inputs/tokens/data}]}
->  inputs: {artifacts: [{name: tokens, ...},
                         {name: kfdata-reviews, path: /kfdata/reviews, s3: {...},
                          archive: {none: {}}}]}
"""

from __future__ import annotations

from typing import Any

from kfdata_compiler.edits import Edits
from kfdata_compiler.resolve import Plan
from kfdata_compiler.rewrite.targets import accesses


def add_artifacts(docs: list[Any], plan: Plan, edits: Edits) -> list[Any]:
    """Append each access's input/output artifacts to its template."""
    for owner, template, access in accesses(docs, plan):
        for artifact in access.fragment.input_artifacts:
            edits.append(owner, template, ("inputs", "artifacts"), dict(artifact))
        for artifact in access.fragment.output_artifacts:
            edits.append(owner, template, ("outputs", "artifacts"), dict(artifact))
    return docs
