"""Where a dataset may be mounted: absolute, normalised, safe characters, off system paths.

mount_problem("/data/reviews") is None
mount_problem("//var/run/argo") == "is not in normal form (write '/var/run/argo')"
"""

from __future__ import annotations

import posixpath

from kfdata_compiler import lazy

# /var/run is a symlink to /run in Debian, Ubuntu and Alpine images, so both spellings count.
RESERVED_UNDER = (
    "/var/run/argo",
    "/run/argo",
    "/var/run/secrets",
    "/run/secrets",
    "/mainctrfs",
    "/argo",
    "/proc",
    "/sys",
    "/dev",
    "/bin",
    "/sbin",
    "/lib",
    "/lib32",
    "/lib64",
    "/usr",
    "/etc",
    "/boot",
)
RESERVED_AT = frozenset(
    {
        "/",
        "/tmp",
        "/home",
        "/root",
        "/run",
        "/var",
        "/var/run",
        "/var/lib",
        "/opt",
        "/srv",
        "/mnt",
        "/kfdata",
    }
)
SAFE_PATH = lazy.compile(r"/[A-Za-z0-9._@+=,/-]*")


def mount_problem(path: str) -> str | None:
    """Why ``path`` cannot be a mount path, or None when it can."""
    if not path.startswith("/"):
        return "is relative; mount paths are absolute"
    if ".." in path.split("/"):
        return "contains '..'"
    if not SAFE_PATH.fullmatch(path):
        return "contains characters outside [A-Za-z0-9._@+=,/-]"
    # normpath keeps a leading "//" (POSIX leaves it implementation-defined); Kubernetes does not.
    normal = "/" + posixpath.normpath(path).lstrip("/")
    if normal != path:
        return f"is not in normal form (write {normal!r})"
    if path in RESERVED_AT or any(path == r or path.startswith(r + "/") for r in RESERVED_UNDER):
        return "would hide a system or Argo path"
    return None
