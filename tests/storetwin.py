"""A Python twin of Argo's S3 and GCS artifact drivers, per release: what a step gets for a key.

Each function is a transcription of the Go function it is named after, at these tags of
``argoproj/argo-workflows`` (read with ``git show <tag>:<file>``) and of ``argoproj/pkg`` (the
S3 client of Argo 3.4 to 3.6, at the pseudo-version each ``go.mod`` pins):

- S3 ``load``: ``workflow/artifacts/s3/s3.go`` ``loadS3Artifact`` (same logic at v3.4.17,
  v3.5.14, v3.6.19, v3.7.18, v4.0.10), calling the client's ``GetFile``, ``IsDirectory``,
  ``GetDirectory`` and ``ListDirectory``: ``argoproj/pkg`` ``s3/s3.go`` at v0.13.6 (Argo
  v3.4.17), 235a5432ec98 (v3.5.14), 65f2d4777bfd (v3.6.19); inlined into
  ``workflow/artifacts/s3/s3.go`` from v3.7.0 (``#14326``), unchanged in logic to v4.0.10.
- S3 ``list``: ``s3.go`` ``listObjects`` (``ListDirectory``, then ``KeyExists`` on the raw key
  when nothing is listed); S3 ``save``: ``saveS3Artifact``, ``PutDirectory``,
  ``generatePutTasks`` (``path.Join(keyPrefix, relPath)``), ``PutFile``.
- GCS ``load``: ``workflow/artifacts/gcs/gcs.go`` ``Load`` (``filepath.Clean(key)`` from
  v3.3.10 and v3.4.4, #9959), ``downloadObjects``, ``downloadObject``
  (``TrimPrefix(objName, Clean(key))``), ``listByPrefix``: folder markers skipped from v3.4.5
  (#10214); from v3.7.0 (01c90bd7a6, #14214) an object named exactly the prefix is returned
  alone. ``list``: ``ListObjects`` = ``listByPrefix`` on the raw key. ``save``: ``Save``,
  ``uploadObjects`` (``Clean(key) + "/" + relPath``).
- The executor: ``workflow/executor/executor.go`` ``LoadArtifacts`` (load into
  ``<path>.tmp``, then, with ``archive: none``, rename to the path) and
  ``executor_data_source_processor.go`` ``ProcessArtifactPaths`` (a ``data`` template's
  ``artifactPaths`` go to the driver's ``ListObjects`` as written).
- minio-go's ``FGetObject`` (Argo's S3 client): the object at the key, folder marker or not,
  is written to the path, parents created; a directory at the path is an error.
- Gateways: lakeFS answers as S3 does (an object ``x/`` is an object). Pachyderm 2.x
  (``pachyderm/pachyderm`` ``src/server/pfs/s3/object.go`` ``GetObject``) trims a final ``/``
  and serves only an exact file; it has no folder markers (directories are not objects).

Listings are sorted (S3 and GCS list keys in lexicographic order). A step's files are a dict
from the path relative to the artifact's path (``"."``: the path itself is a file) to bytes.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import NamedTuple

Bucket = dict[str, bytes]
Files = dict[str, bytes]


class NotFound(Exception):
    """Argo's ``CodeNotFound`` (the step fails: required artifact not found)."""


class Failed(Exception):
    """Any other error the driver returns (the step fails)."""


class Release(NamedTuple):
    """An Argo release, ordered."""

    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, tag: str) -> Release:
        """``v3.7.18`` -> ``Release(3, 7, 18)``."""
        major, minor, patch = tag.lstrip("v").split(".")
        return cls(int(major), int(minor), int(patch))

    def __str__(self) -> str:
        return f"v{self.major}.{self.minor}.{self.patch}"

    @property
    def gcs_cleans_key(self) -> bool:
        """``Load`` cleans the key (gcs.go: v3.3.10, and v3.4.4 onwards)."""
        return self == (3, 3, 10) or self >= (3, 4, 4)

    @property
    def gcs_skips_markers(self) -> bool:
        """``listByPrefix`` skips names ending in ``/`` (v3.4.5 onwards)."""
        return self >= (3, 4, 5)

    @property
    def gcs_exact_object(self) -> bool:
        """``listByPrefix`` answers ``[prefix]`` alone when that object exists (v3.7.0 on)."""
        return self >= (3, 7, 0)


# The releases the tests run: each datum-capable line's last patch, and 3.7.0 itself.
RELEASES = tuple(Release.parse(t) for t in (
    "v3.4.17", "v3.4.18", "v3.5.14", "v3.6.19", "v3.7.0", "v3.7.18", "v4.0.10"))


def go_clean(path: str) -> str:
    """Go's ``filepath.Clean`` (Unix): ``en/`` -> ``en``, ``""`` -> ``.``."""
    out = posixpath.normpath(path) if path else "."
    return "/" + out.lstrip("/") if out.startswith("//") else out


def go_join(*elems: str) -> str:
    """Go's ``filepath.Join``: the non-empty elements joined with ``/``, then cleaned."""
    parts = [e for e in elems if e]
    return go_clean("/".join(parts)) if parts else ""


@dataclass
class LocalFS:
    """The pod's filesystem as the executor writes it: files and the directories they need."""

    files: dict[str, bytes] = field(default_factory=dict)

    def _is_dir(self, path: str) -> bool:
        return any(f.startswith(path.rstrip("/") + "/") for f in self.files)

    def write(self, path: str, data: bytes) -> None:
        """``os.MkdirAll(dir)`` then create: a file where a directory is needed fails."""
        parent = posixpath.dirname(path)
        while parent not in ("", "/"):
            if parent in self.files:
                raise Failed(f"mkdir {parent}: not a directory")
            parent = posixpath.dirname(parent)
        if self._is_dir(path):
            raise Failed(f"{path} is a directory")
        self.files[path] = data

    def under(self, root: str) -> Files:
        """What is at ``root``: ``{".": data}`` for a file, relative paths for a directory."""
        if root in self.files:
            return {".": self.files[root]}
        return {p[len(root) + 1:]: d for p, d in self.files.items() if p.startswith(root + "/")}


# --- S3 (and the lakeFS / Pachyderm gateways) -------------------------------------------------


@dataclass
class S3:
    """An S3 endpoint holding one bucket; ``pachyderm`` models that gateway's ``GetObject``."""

    bucket: Bucket
    pachyderm: bool = False

    def _keys(self, prefix: str) -> list[str]:
        return sorted(k for k in self.bucket if k.startswith(prefix))

    def get_file(self, key: str, path: str, fs: LocalFS) -> None:
        """``GetFile`` = minio-go ``FGetObject``; ``NoSuchKey`` when no object has the key."""
        if self.pachyderm:
            key = key.removesuffix("/")  # object.go GetObject: strings.TrimSuffix(file, "/")
        if key not in self.bucket:
            raise KeyError(key)
        fs.write(path, self.bucket[key])

    def is_directory(self, key_prefix: str) -> bool:
        """``IsDirectory``: anything listed (non-recursive) under ``Clean(key) + "/"``."""
        if key_prefix:
            key_prefix = go_clean(key_prefix) + "/"
        return bool(self._keys(key_prefix))

    def list_directory(self, key_prefix: str) -> list[str]:
        """``ListDirectory``: every key under ``Clean(key) + "/"``, folder markers skipped."""
        if key_prefix:
            key_prefix = go_clean(key_prefix) + "/"
        return [k for k in self._keys(key_prefix) if not k.endswith("/")]

    def get_directory(self, key_prefix: str, path: str, fs: LocalFS) -> None:
        """``GetDirectory``: each listed key at ``Join(path, TrimPrefix(key, rawPrefix))``."""
        for obj in self.list_directory(key_prefix):
            fs.write(go_join(path, obj.removeprefix(key_prefix)), self.bucket[obj])

    def key_exists(self, key: str) -> bool:
        """``KeyExists`` (``StatObject``)."""
        return key in self.bucket


def s3_load(store: S3, key: str, release: Release) -> Files:
    """``loadS3Artifact`` through ``LoadArtifacts``: what the step finds at its path."""
    del release  # the same logic on every release from v3.4.17 to v4.0.10
    fs, path = LocalFS(), "/a.tmp"
    try:
        store.get_file(key, path, fs)
    except KeyError:  # NoSuchKey: the key might be an s3 "directory"
        if not store.is_directory(key):
            raise NotFound(key) from None
        store.get_directory(key, path, fs)
    return fs.under(path)


def s3_list(store: S3, key: str, release: Release) -> list[str]:
    """``listObjects``: what a ``data`` template's ``artifactPaths`` hands the transformations."""
    del release
    files = store.list_directory(key)
    if not files and not store.key_exists(key):
        raise NotFound(f"no key found of name {key}")
    return files


def s3_save(store: S3, key: str, files: Files, release: Release) -> None:
    """``saveS3Artifact`` of a directory (``PutDirectory``) or a file (``PutFile``)."""
    del release
    if set(files) == {"."}:
        store.bucket[key] = files["."]
        return
    for rel, data in files.items():
        store.bucket[posixpath.normpath(posixpath.join(key, rel))] = data  # Go path.Join


# --- GCS ---------------------------------------------------------------------------------------


def gcs_list_by_prefix(bucket: Bucket, prefix: str, release: Release) -> list[str]:
    """``listByPrefix``: names under the raw prefix, in order, per release."""
    results: list[str] = []
    for name in sorted(k for k in bucket if k.startswith(prefix)):
        if release.gcs_exact_object and name == prefix:  # "prefix is a file"
            return [name]
        if release.gcs_skips_markers and name.endswith("/"):
            continue
        results.append(name)
    return results


def gcs_load(bucket: Bucket, key: str, release: Release) -> Files:
    """``Load`` -> ``downloadObjects`` -> ``downloadObject`` through ``LoadArtifacts``."""
    if release.gcs_cleans_key:
        key = go_clean(key)
    names = gcs_list_by_prefix(bucket, key, release)
    if not names:
        raise NotFound(f"no results for key: {key}")
    fs, path = LocalFS(), "/a.tmp"
    prefix = go_clean(key)
    for name in names:
        fs.write(go_join(path, name.removeprefix(prefix)), bucket[name])
    return fs.under(path)


def gcs_list(bucket: Bucket, key: str, release: Release) -> list[str]:
    """``ListObjects``: ``listByPrefix`` on the key as written (no Clean)."""
    return gcs_list_by_prefix(bucket, key, release)


def gcs_save(bucket: Bucket, key: str, files: Files, release: Release) -> None:
    """``Save`` -> ``uploadObjects``: ``Clean(key)`` for a file, ``Clean(key)/rel`` for a dir."""
    del release
    if set(files) == {"."}:
        bucket[go_clean(key)] = files["."]
        return
    for rel, data in files.items():
        bucket[go_clean(key) + "/" + rel] = data
