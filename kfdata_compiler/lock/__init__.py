"""``kfdata.lock``: what each floating dataset of a spec resolved to, and the compile that uses it.

    pipeline.kfdata.yaml  ->  kfdata-compile lock  ->  pipeline.kfdata.lock
        vocab: {uri: https://example.org/vocab.txt}      vocab: {kind: http-sha256,
                                                                 version: 'sha256:92ca...', ...}

The modules, from the file to the stores:

- ``model``: the lock's values (``Lock``, ``Entry``) and its errors;
- ``select``: which datasets a spec locks, and the ``input`` digest that tells a stale entry;
- ``lockfile``: reading (schema, positions) and writing (sorted, digests quoted) the file;
- ``pinning`` and ``pinned``: the compile's side, which turns fresh entries into versions
  (``--locked``/``--frozen`` make a missing or stale lock an error);
- ``update``: the ``kfdata-compile lock`` run, which asks one resolver per store kind
  (``git``, ``http``, ``s3``, ``gcs``, ``pachyderm``, ``lakefs``; ``manifest`` and
  ``transport`` are what they share).

The compiler imports only this module, ``pinning`` and what it needs, never a resolver: the
store clients (boto3, google-cloud-storage) are imported by the resolvers of ``lock`` alone.
"""

from __future__ import annotations

from pathlib import Path

LOCK_SUFFIX = ".lock"


def lock_path(spec: Path) -> Path:
    """Where a spec's lock file lives: beside it, its ``.yaml``/``.yml`` replaced by ``.lock``.

    >>> lock_path(Path("p/x.kfdata.yaml")), lock_path(Path("kfdata.yml"))
    (PosixPath('p/x.kfdata.lock'), PosixPath('kfdata.lock'))
    """
    if spec.suffix in (".yaml", ".yml"):
        return spec.with_suffix(LOCK_SUFFIX)
    return spec.with_name(spec.name + LOCK_SUFFIX)
