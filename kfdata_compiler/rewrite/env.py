"""add_env: ``KFDATA_<NAME>_PATH``/``_URI``/``_VERSION`` on the main container only.

    container: {env: [{name: LOG_LEVEL, value: info}]}
    ->  container: {env: [{name: LOG_LEVEL, value: info},
                          {name: KFDATA_REVIEWS_PATH, value: /kfdata/reviews},
                          {name: KFDATA_REVIEWS_URI, value: 's3://datasets/reviews'}]}

An identical variable already there is left alone (resolve reported any with another value).
"""

from __future__ import annotations

from typing import Any

from kfdata_compiler import argo
from kfdata_compiler.edits import Edits
from kfdata_compiler.resolve import Plan
from kfdata_compiler.rewrite.targets import accesses


def add_env(docs: list[Any], plan: Plan, edits: Edits) -> list[Any]:
    """Append the dataset env vars to each bound template's main container."""
    for owner, template, access in accesses(docs, plan):
        key = str(argo.main_container_key(template))
        for var in access.fragment.env:
            if dict(var) not in argo.env_vars(template[key]):
                edits.append(owner, template, (key, "env"), dict(var))
    return docs
