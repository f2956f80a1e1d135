"""The Argo release a compile or a lint targets, and what depends on it.

    target(None)        ->  ArgoVersion(3, 7, 0)      (the default: --argo-version, argoVersion:)
    target("v3.4.17")   ->  ArgoVersion(3, 4, 17)
    target("3.4")       ->  ArgoVersion(3, 4, 0)      (a minor release means its first patch)

Facts, from the Argo sources at each tag (docs/datums.md has the table with citations):

- per-datum lists run expr-lang's ``split``/``join``/``trimPrefix`` (expr >= 1.14) and
  ``groupBy``/``keys``/``sort`` (>= 1.15) in a ``data`` template: Argo 3.4.17 bundles expr
  1.16.0, 3.5.0 a fork of 1.15.3; 3.4.16 has 1.12.6 and 3.3 has 1.9.0 (go.mod);
- Argo 4.0 installs its full CRDs by default (``manifests/cluster-install``), whose schema
  gives ``parallelism`` ``minimum: 1``; 3.x installs the minimal ones, with no schema.
"""

from __future__ import annotations

from typing import NamedTuple

from kfdata_compiler.spec import ARGO_VERSION

DEFAULT = "3.7"


class ArgoVersion(NamedTuple):
    """An Argo release, comparable: ``ArgoVersion(3, 4, 17) < ArgoVersion(3, 5, 0)``."""

    major: int
    minor: int
    patch: int = 0

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


DATUMS = ArgoVersion(3, 4, 17)  # the first release whose expr-lang has what datum lists use
FULL_CRDS = ArgoVersion(4, 0, 0)  # the first release installing the full CRDs by default
# The Argo release each KFP backend bundles (KFP's manifests), oldest first.
KFP_BUNDLES: tuple[tuple[str, ArgoVersion], ...] = (
    ("1.8", ArgoVersion(3, 3, 8)),
    ("2.0", ArgoVersion(3, 3, 10)),
    ("2.1", ArgoVersion(3, 3, 10)),
    ("2.2", ArgoVersion(3, 4, 16)),
    ("2.3", ArgoVersion(3, 4, 17)),
    ("2.4", ArgoVersion(3, 4, 17)),
    ("2.5", ArgoVersion(3, 5, 14)),
    # manifests/kustomize/third-party/argo/base/kustomization.yaml at KFP 2.14.0 ... 2.17.0
    ("2.14", ArgoVersion(3, 6, 7)),
    ("2.15", ArgoVersion(3, 7, 3)),
    ("2.16", ArgoVersion(3, 7, 3)),
    ("2.17", ArgoVersion(4, 0, 5)),
)


def parse(text: str) -> ArgoVersion:
    """``3.7``, ``3.4.17`` or ``v3.5.14`` as a version; ``ValueError`` for anything else."""
    found = ARGO_VERSION.fullmatch(text)
    if found is None:
        raise ValueError(f"{text!r} is not an Argo release such as 3.7 or 3.4.17")
    major, minor, patch = found.groups()
    return ArgoVersion(int(major), int(minor), int(patch or 0))


def target(text: str | None) -> ArgoVersion:
    """The release to target: ``text``, else :data:`DEFAULT`."""
    return parse(text if text is not None else DEFAULT)


def kfp_releases(below: ArgoVersion) -> str:
    """The KFP releases whose bundled Argo is older than ``below``, as a range.

    >>> kfp_releases(DATUMS)
    'KFP 1.8 to 2.2'
    """
    names = [kfp for kfp, argo in KFP_BUNDLES if argo < below]
    return f"KFP {names[0]} to {names[-1]}" if names else "no KFP release"
