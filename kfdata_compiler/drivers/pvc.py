"""Kubernetes PersistentVolumeClaims: ``pvc://claim-name[/sub/path]``.

    holdout: {uri: pvc://holdout-claim/sets/2024}   read at /kfdata/holdout
    ->  volumes: [{name: kfdata-holdout,
                   persistentVolumeClaim: {claimName: holdout-claim, readOnly: true}}]
        container.volumeMounts: [{name: kfdata-holdout, mountPath: /kfdata/holdout,
                                  subPath: sets/2024, readOnly: true}]
"""

from __future__ import annotations

from kfdata_compiler import lazy
from kfdata_compiler.drivers.base import Plain, Problem, Request, no_revision
from kfdata_compiler.drivers.need import Need, volume_mount
from kfdata_compiler.spec import Dataset

_CLAIM = lazy.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")


def _split(uri: str) -> tuple[str, str]:
    claim, _, sub_path = uri.partition("://")[2].partition("/")
    return claim, sub_path.strip("/")


class PvcDriver(Plain):
    """A claim mounted into the step (read-only for reads)."""

    # Class attributes, not a dataclass: the one instance takes no arguments, and a dataclass's
    # generated methods cost ~2.5 M instructions at import.
    kind = "pvc"
    store_kind: str | None = None
    store_required = False
    modes = frozenset({"read", "write"})

    def check(self, dataset: Dataset) -> list[Problem]:
        """The claim name must be a Kubernetes name; the sub-path must stay inside the volume."""
        claim, sub_path = _split(dataset.uri)
        if not _CLAIM.fullmatch(claim) or len(claim) > 253:
            return [Problem("KF204", f"{claim!r} is not a valid PersistentVolumeClaim name",
                            "write pvc://<claim-name>[/sub/path] with a lower-case DNS name")]
        if ".." in sub_path.split("/"):
            return [Problem("KF204", f"the sub-path of {dataset.uri!r} leaves the volume ('..')")]
        return no_revision(dataset, self.kind)

    def build(self, request: Request) -> Need:
        """A PVC volume and a mount on the main container."""
        claim, sub_path = _split(request.dataset.uri)
        read_only = request.mode == "read"
        claim_ref: dict[str, object] = {"claimName": claim}
        if read_only:
            claim_ref["readOnly"] = True
        return Need(
            volumes=({"name": request.name, "persistentVolumeClaim": claim_ref},),
            mounts=(volume_mount(request.name, request.path, read_only, sub_path or None),),
        )


DRIVER = PvcDriver()
