"""add_artifacts: the drivers' input and output artifacts, appended to bound steps.

inputs: {artifacts: [{name: tokens, path: /tmp/inputs/tokens/data}]}
->  inputs: {artifacts: [{name: tokens, ...},
                         {name: kfdata-reviews, path: /kfdata/reviews, s3: {...},
                          archive: {none: {}}}]}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kfdata_compiler.plan import Plan
from kfdata_compiler.plan.actions import Action, Inject
from kfdata_compiler.rewrite.common import accesses


def add_artifacts(docs: list[Any], plan: Plan) -> Iterator[Action]:
    """Each access's input artifacts (slot ``input_artifact``) and outputs (``output_artifact``)."""
    for owner, access in accesses(plan):
        for artifact in access.need.input_artifacts:
            yield Inject(owner, "input_artifact", artifact)
        for artifact in access.need.output_artifacts:
            yield Inject(owner, "output_artifact", artifact)
