"""Lock an s3 dataset: the digest of its object manifest (``list_objects_v2``, every page).

    images: {uri: s3://datasets/images, store: minio}
    ->  Pin(version='sha256:aa3fc38b...', objects=4, bytes=37)

Lines are ``["relkey","ETag",size]`` (``manifest``); folder markers (``dir/``) are skipped, as
Argo skips them. A key with nothing under ``<key>/`` is one object (``s3://b/vocab.txt``).
Credentials are boto3's own chain (environment, profile, SSO, instance role), never the spec's
Secret; the endpoint is ``--endpoint``, else the store's. The pod still reads what is there at
run time.
"""

from __future__ import annotations

from typing import Any

from kfdata_compiler.drivers.objectstore import split_bucket_key
from kfdata_compiler.lock.manifest import Manifest
from kfdata_compiler.lock.model import Pin, Target, Unresolved
from kfdata_compiler.lock.transport import client, network_failure

_REFUSED = {"AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken",
            "InvalidToken", "403", "401"}


def endpoint_url(target: Target) -> str:
    """``--endpoint``, else the store's endpoint with ``http://`` when ``insecure``.

    >>> endpoint_url(Target(..., store=Store("m", "s3", {"endpoint": "minio:9000",
    ...                                                   "insecure": True}), endpoint=None))
    'http://minio:9000'
    """
    if target.endpoint:
        return target.endpoint
    config = target.store.config if target.store else {}
    scheme = "http" if config.get("insecure") else "https"
    return f"{scheme}://{config.get('endpoint', 's3.amazonaws.com')}"


def resolve(target: Target) -> Pin:
    """List the prefix (or head the one object) and digest what is there."""
    boto3 = client("boto3", "boto3")
    settings = client("botocore.config", "boto3")
    errors = client("botocore.exceptions", "boto3")
    url = endpoint_url(target)
    bucket, key = split_bucket_key(target.dataset.uri)
    region = (target.store.config.get("region") if target.store else None) or None
    # Path-style addressing: MinIO, Ceph and local servers have no per-bucket host names.
    style = "auto" if url.endswith("amazonaws.com") else "path"
    config = settings.Config(connect_timeout=target.timeout, read_timeout=target.timeout,
                              retries={"max_attempts": 3, "mode": "standard"},
                              s3={"addressing_style": style})
    try:
        s3 = boto3.session.Session().client("s3", endpoint_url=url, region_name=region,
                                            config=config)
        return _manifest(s3, bucket, key, url).pin(
            f"s3://{bucket}/{key.rstrip('/')}/ at {url}")
    except errors.ClientError as exc:
        raise _refused(exc, url) from None
    except (errors.NoCredentialsError, errors.PartialCredentialsError) as exc:
        raise Unresolved("KF512", f"no AWS credentials to sign requests to {url}: {exc}",
                         "set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY here: "
                         "kfdata-compile lock never reads the spec's Secret") from None
    except errors.BotoCoreError as exc:  # refused, unknown host, timeout, TLS, a broken answer
        raise Unresolved("KF512", f"cannot reach {url}: {exc}",
                         "--endpoint STORE=URL points the store at an address reachable "
                         "from here (the spec's is often in-cluster)") from None
    except (OSError, ValueError) as exc:  # what botocore does not wrap: the shared verdict
        raise network_failure(url, exc) from None


def _manifest(s3: Any, bucket: str, key: str, url: str) -> Manifest:
    prefix = key.rstrip("/") + "/"
    manifest = Manifest(prefix)
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            manifest.add(*_fields(item, ("Key", "ETag", "Size"),
                                  f"the listing of bucket {bucket!r} at {url} has an object"))
    if manifest.lines or key.endswith("/"):
        return manifest
    single = Manifest(key)  # the key may be one object: its line's relative key is empty
    try:
        head = s3.head_object(Bucket=bucket, Key=key)
    except Exception as exc:  # noqa: BLE001 - botocore's ClientError, imported lazily
        if getattr(exc, "response", {}).get("Error", {}).get("Code") in ("404", "NoSuchKey"):
            return single  # neither a prefix nor an object: pin() says so
        raise
    single.add(key, *_fields(head, ("ETag", "ContentLength"),
                             f"{url} answered HEAD s3://{bucket}/{key}"))
    return single


def _fields(item: Any, names: tuple[str, ...], what: str) -> list[Any]:
    """The fields a pin needs from one listed (or headed) object; an answer without them (a
    broken or non-S3 answer: an empty 200 has none) is KF512 naming the endpoint (``what``
    says where it came from), never a pin of what is missing nor a KeyError (exit 3)."""
    missing = [n for n in names if not isinstance(item, dict) or item.get(n) is None]
    if missing:
        raise Unresolved("KF512", f"{what} without {', '.join(missing)}: not an S3 answer "
                         "kfdata-compile can pin",
                         "check that --endpoint (or the store's endpoint) is an S3 API")
    return [item[n] for n in names]


def _refused(exc: Any, url: str) -> Unresolved:
    error = exc.response.get("Error", {})
    code, message = str(error.get("Code", "")), error.get("Message", "") or str(exc)
    if code in ("NoSuchBucket", "404"):
        return Unresolved("KF511", f"{url} has no such bucket: {message}",
                          "check the bucket in the URI, and --endpoint")
    if code in _REFUSED:
        return Unresolved("KF512", f"{url} refused the credentials: {code} {message}",
                          "kfdata-compile lock signs with boto3's credentials from this "
                          "environment (AWS_PROFILE, AWS_ACCESS_KEY_ID...), never the spec's")
    # botocore turns a 200 it cannot parse (garbage, a body cut short) into a 500 and retries
    return Unresolved("KF512", f"{url} answered {code}: {message}",
                      "a 500 is also how boto3 reports an answer it could not read (truncated "
                      "or not S3's XML): is --endpoint an S3 API?" if code == "500" else "")
