"""The manifest of an object-store prefix, and its digest: what an s3 or gs pin records.

    add("images/cat/1.jpg", '"5d41402abc4b2a76b9719d911017c592"', 5)  under prefix "images/"
    ->  line "cat/1.jpg\\t5d41402abc4b2a76b9719d911017c592\\t5\\n";  version = sha256: of the
        sorted lines, so that listing order, pagination and the bucket's name change nothing.
"""

from __future__ import annotations

import hashlib

from kfdata_compiler.lock.model import Pin, Unresolved


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
        self.lines.append(f"{relative}\t{content_hash.strip(chr(34))}\t{size}\n")
        self.bytes += size

    def pin(self, where: str) -> Pin:
        """The version (``sha256:`` of the sorted lines) with the object and byte counts;
        KF511 for an empty prefix (a typo, or data not uploaded yet)."""
        if not self.lines:
            raise Unresolved("KF511", f"no objects under {where}",
                             "check the URI in the spec: locking an empty prefix would pin "
                             "nothing")
        text = "".join(sorted(self.lines))
        return Pin("sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest(),
                   objects=len(self.lines), bytes=self.bytes)
