"""The manifest of an object-store prefix, and its digest: what an s3 or gs pin records.

    add("images/cat/1.jpg", '"5d41402abc4b2a76b9719d911017c592"', 5)  under prefix "images/"
    ->  line '["cat/1.jpg","5d41402abc4b2a76b9719d911017c592",5]\\n';  version = sha256: of the
        sorted lines, so that listing order, pagination and the bucket's name change nothing.

Each line is one JSON array (format ``MANIFEST_VERSION`` = 2): a key may hold any character S3
and GCS allow, TAB and LF included, and JSON escapes them, so two different listings never
share a text. Format 1 joined ``relkey<TAB>ETag<TAB>size`` unescaped: objects ``a`` (1 byte)
and ``b`` spelt the same text as one object named ``a<TAB><md5><TAB>1<LF>b``. An entry of
format 1 is stale (``model.outdated``): ``lock`` re-pins it, the compile says so (KF515).
"""

from __future__ import annotations

import hashlib
import json

from kfdata_compiler.lock.model import MANIFEST_VERSION, Pin, Unresolved


class Manifest:
    """Objects under one prefix: relative key, content hash (ETag, md5Hash...) and size."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.lines: list[str] = []
        self.bytes = 0

    def add(self, key: str, content_hash: str, size: int) -> None:
        """One listed object; folder markers (keys ending in ``/``) are skipped, as Argo does."""
        if key.endswith("/"):
            return
        relative = key[len(self.prefix):] if key.startswith(self.prefix) else key
        # S3 quotes ETags ("..."); a multipart ETag ("...-2") is kept as it is.
        self.lines.append(line(relative, content_hash.strip('"'), size))
        self.bytes += size

    def pin(self, where: str) -> Pin:
        """The version (``sha256:`` of the sorted lines) with the object and byte counts;
        KF511 for an empty prefix (a typo, or data not uploaded yet)."""
        if not self.lines:
            raise Unresolved("KF511", f"no objects under {where}",
                             "check the URI in the spec: locking an empty prefix would pin "
                             "nothing")
        return Pin(digest(self.lines), objects=len(self.lines), bytes=self.bytes,
                   manifest=MANIFEST_VERSION)


def line(relative: str, content_hash: str, size: int) -> str:
    """One object's line: a JSON array, UTF-8 kept, every control character escaped.

    >>> line("a\\tb", "5d41", 5)
    '["a\\\\tb","5d41",5]\\n'
    """
    return json.dumps([relative, content_hash, size], ensure_ascii=False,
                      separators=(",", ":")) + "\n"


def digest(lines: list[str]) -> str:
    """``sha256:`` of the sorted lines (UTF-8): the manifest's version."""
    text = "".join(sorted(lines))
    # A key that is not valid UTF-8 reaches us as surrogates (S3 keys are bytes): kept as bytes.
    return "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
