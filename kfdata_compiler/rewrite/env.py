"""add_env: ``KFDATA_<NAME>_PATH``/``_URI``/``_VERSION`` on the step's own container only.

    container: {env: [{name: LOG_LEVEL, value: info}]}
    ->  container: {env: [{name: LOG_LEVEL, value: info},
                          {name: KFDATA_REVIEWS_PATH, value: /kfdata/reviews},
                          {name: KFDATA_REVIEWS_URI, value: 's3://datasets/reviews'}]}

An identical variable already there is left alone (resolve reported any with another value).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kfdata_compiler.plan import Plan
from kfdata_compiler.plan.actions import Action, Inject
from kfdata_compiler.rewrite.common import accesses


def add_env(docs: list[Any], plan: Plan) -> Iterator[Action]:
    """The dataset env vars, to slot ``env``."""
    for owner, access in accesses(plan):
        for var in access.need.env:
            yield Inject(owner, "env", var)
