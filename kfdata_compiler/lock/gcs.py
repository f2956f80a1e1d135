"""Lock a gs dataset: the digest of its object manifest, as for s3, with each object's
``md5Hash`` (its ``crc32c`` when it has none: composite objects).

    corpus: {uri: gs://corpora/en/, store: gcp}
    ->  Pin(version='sha256:5b1e...', objects=120, bytes=8912345)

Credentials are Google's application default credentials on this machine, never the spec's
Secret; without any, requests go unauthenticated (public buckets, emulators). ``--endpoint``
replaces the API endpoint (``STORAGE_EMULATOR_HOST`` works too). The pod still reads what is
there at run time.
"""

from __future__ import annotations

from typing import Any

from kfdata_compiler.drivers.objectstore import split_bucket_key
from kfdata_compiler.lock.manifest import Manifest
from kfdata_compiler.lock.model import Pin, Target, Unresolved
from kfdata_compiler.lock.transport import client, network_failure

PACKAGE = "google-cloud-storage"
PUBLIC = "https://storage.googleapis.com"


def resolve(target: Target) -> Pin:
    """List ``<key>/`` (or fetch the one object) and digest what is there."""
    storage = client("google.cloud.storage", PACKAGE)
    api = client("google.api_core.exceptions", PACKAGE)
    auth = client("google.auth.exceptions", PACKAGE)
    retry = client("google.cloud.storage.retry", PACKAGE).DEFAULT_RETRY.with_timeout(
        target.timeout)
    url = target.endpoint or PUBLIC
    bucket, key = split_bucket_key(target.dataset.uri)
    try:
        gcs = _client(storage, target.endpoint)
        prefix = key.rstrip("/") + "/"
        manifest = Manifest(prefix)
        for blob in gcs.list_blobs(bucket, prefix=prefix, timeout=target.timeout,
                                     retry=retry):
            manifest.add(blob.name, _hash(blob), blob.size or 0)
        if not manifest.lines and not key.endswith("/"):
            manifest = Manifest(key)  # the key may be one object
            blob = gcs.bucket(bucket).get_blob(key, timeout=target.timeout, retry=retry)
            if blob is not None:
                manifest.add(key, _hash(blob), blob.size or 0)
        return manifest.pin(f"gs://{bucket}/{prefix} at {url}")
    except api.NotFound as exc:
        raise Unresolved("KF511", f"{url} has no bucket {bucket!r}: {exc.message}",
                         "check the bucket in the URI, and --endpoint") from None
    except (api.Unauthorized, api.Forbidden, auth.RefreshError) as exc:
        raise Unresolved("KF512", f"{url} refused the credentials: {exc}",
                         "kfdata-compile lock uses this machine's application default "
                         "credentials (gcloud auth application-default login), never the "
                         "spec's Secret") from None
    except (api.GoogleAPICallError, api.RetryError, auth.TransportError) as exc:
        raise Unresolved("KF512", f"cannot reach {url}: {exc}",
                         "check the network; --endpoint STORE=URL points the store at another "
                         "API endpoint") from None
    except (OSError, ValueError) as exc:  # requests' errors are OSErrors; a body not JSON
        raise network_failure(url, exc) from None


def _client(storage: Any, endpoint: str | None) -> Any:
    """A client with this machine's credentials, or an anonymous one when it has none."""
    google_auth = client("google.auth", PACKAGE)
    options = {"api_endpoint": endpoint} if endpoint else None
    try:
        credentials, project = google_auth.default()
    except google_auth.exceptions.DefaultCredentialsError:
        anonymous = client("google.auth.credentials", PACKAGE).AnonymousCredentials
        credentials, project = anonymous(), None
    # Listing needs no project; the client insists on one.
    return storage.Client(project=project or "kfdata-lock", credentials=credentials,
                          client_options=options)


def _hash(blob: Any) -> str:
    return str(blob.md5_hash or blob.crc32c or "")
