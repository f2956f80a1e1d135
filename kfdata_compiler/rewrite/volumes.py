"""add_volumes: the drivers' volumes on the step, their mounts on its own container.

    container: {image: python}
    ->  volumes: [{name: kfdata-holdout, persistentVolumeClaim: {claimName: c, readOnly: true}}]
        container: {image: python, volumeMounts: [{name: kfdata-holdout, mountPath: /kfdata/holdout,
                                                   readOnly: true}]}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kfdata_compiler.plan import Plan
from kfdata_compiler.plan.actions import Action, Inject
from kfdata_compiler.rewrite.common import accesses


def add_volumes(docs: list[Any], plan: Plan) -> Iterator[Action]:
    """Volumes to slot ``volume``, their mounts to slot ``volume_mount``."""
    for owner, access in accesses(plan):
        for volume in access.need.volumes:
            yield Inject(owner, "volume", volume)
        for mount in access.need.mounts:
            yield Inject(owner, "volume_mount", mount)
