"""add_volumes: the drivers' volumes on the template, their mounts on the main container.

    container: {image: python}
    ->  volumes: [{name: kfdata-holdout, persistentVolumeClaim: {claimName: c, readOnly: true}}]
        container: {image: python, volumeMounts: [{name: kfdata-holdout, mountPath: /kfdata/holdout,
                                                   readOnly: true}]}
"""

from __future__ import annotations

from typing import Any

from kfdata_compiler import argo
from kfdata_compiler.edits import Edits
from kfdata_compiler.resolve import Plan
from kfdata_compiler.rewrite.targets import accesses


def add_volumes(docs: list[Any], plan: Plan, edits: Edits) -> list[Any]:
    """Append volumes to the template and volumeMounts to its main container."""
    for owner, template, access in accesses(docs, plan):
        key = argo.main_container_key(template)
        for volume in access.fragment.volumes:
            edits.append(owner, template, ("volumes",), dict(volume))
        for mount in access.fragment.mounts:
            edits.append(owner, template, (str(key), "volumeMounts"), dict(mount))
    return docs
