"""Find literal credentials in a sidecar spec: the spec names Secrets, it never holds secrets.

``accessKey: accesskey`` names a key inside a Kubernetes Secret; ``accessKey: AKIAIOSFODNN7EXAMPLE``
is the credential itself and is rejected, without echoing it back. The value is never printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from kfdata_compiler.diagnostics import JsonPath

# Well-known token shapes (AWS access key ids, GitHub/GitLab/Slack/Google tokens, JWTs, PEM keys).
_TOKEN = re.compile(
    r"(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)[A-Z0-9]{16}"
    r"|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}"
    r"|xox[abposr]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}"
    r"|eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}"
    r"|-----BEGIN [A-Z ]*PRIVATE KEY-----"
)
_KEY_NAME = re.compile(r"[-._a-zA-Z0-9]{1,253}")
# Query parameters that carry signatures or tokens (pre-signed S3 URLs, SAS tokens, OAuth).
_SECRET_QUERY = re.compile(
    r"[?&](?:X-Amz-Signature|X-Amz-Credential|X-Goog-Signature|sig|token|access_token|"
    r"api_key|apikey|password)=", re.IGNORECASE,
)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*)://", re.IGNORECASE)
# Schemes whose URIs must not carry user info at all: credentials belong in a store's Secret.
_NO_USERINFO = frozenset({"http", "https", "git+http", "git+https"})
# Env var names and command-line flags that carry secrets (AWS_SECRET_ACCESS_KEY, --token, ...).
_SECRET_WORD = (
    r"(?:secret|token|passw(?:or)?d|credential|api[-_]?key|access[-_]?key|private[-_]?key)"
)
_SECRET_NAME = re.compile(_SECRET_WORD, re.IGNORECASE)
_SECRET_FLAG = re.compile(r"-{1,2}[A-Za-z0-9_-]*" + _SECRET_WORD + r"[A-Za-z0-9_-]*", re.IGNORECASE)
CREDENTIAL_FIELDS = frozenset({
    "accessKey", "secretKey", "accessKeyId", "secretAccessKey", "sessionToken", "password",
    "token", "apiKey", "serviceAccountKey", "sshPrivateKey", "privateKey", "username",
})


def looks_like_credential(value: str) -> bool:
    """True when ``value`` is a credential rather than the name of a key inside a Secret.

    >>> looks_like_credential("accesskey"), looks_like_credential("AKIAIOSFODNN7EXAMPLE")
    (False, True)
    """
    if _TOKEN.search(value):
        return True
    if not _KEY_NAME.fullmatch(value):
        # Key names are [-._a-zA-Z0-9]; '/', '+', '=' and spaces are the stuff of secrets.
        return True
    # Long random-looking strings with upper case, lower case and digits but no separators are
    # not key names people write (accesskey, AWS_SECRET_ACCESS_KEY, root-password).
    return (len(value) >= 16 and not re.search(r"[-._]", value)
            and bool(re.search(r"[a-z]", value)) and bool(re.search(r"[A-Z]", value))
            and bool(re.search(r"[0-9]", value)))


def _embeds_userinfo(uri: str) -> bool:
    """True for ``https://user:pass@host`` and ``https://<token>@host``, and a password that
    holds unencoded '/' (AWS secret keys do); ``git+ssh://git@host`` names a user only."""
    match = _SCHEME.match(uri)
    if not match:
        return False
    rest = uri[match.end():].split("?", 1)[0].split("#", 1)[0]
    if "@" not in rest:
        return False
    before = rest[: rest.index("@")]
    host = before.split("/", 1)[0]
    password = host.split(":", 1)[1] if ":" in host else ""
    if password and not password.isdigit():
        return True  # user:password@ (a numeric part would be a port: host:8080/path@x)
    return "/" not in before and match.group(1).lower() in _NO_USERINFO


def _leaves(node: Any) -> set[str]:
    if isinstance(node, dict):
        return {x for v in node.values() for x in _leaves(v)}
    if isinstance(node, list):
        return {x for v in node for x in _leaves(v)}
    return {str(node)} if node is not None and not isinstance(node, bool) else set()


def sensitive_values(spec: Any) -> set[str]:
    """The values flagged as literal credentials: no message about the spec may print them."""
    out: set[str] = set()
    for path, _reason in find_literal_credentials(spec):
        node = spec
        for part in path:
            if isinstance(node, dict):
                node = node.get(part)
            elif isinstance(node, list) and isinstance(part, int):
                node = node[part]
            else:
                node = None
        if node is not None:
            out.add(str(node))
            if not isinstance(node, str):
                out.add(repr(node))
                out.update(_leaves(node))
            else:
                out.update(_secret_parts(node))
    return out


def _secret_parts(text: str) -> set[str]:
    """The secret inside a flagged string: a token, a URI's user info, a signed query value
    (a message may quote the string cut short, but never the secret within it)."""
    parts = {m.group(0) for m in _TOKEN.finditer(text)}
    match = _SCHEME.match(text)
    if match and "@" in text:
        userinfo = text[match.end():].rsplit("@", 1)[0]
        parts.update(p for p in userinfo.split(":") if len(p) >= 4)
        parts.add(userinfo)
    for query in re.finditer(r"[?&][^=&#]+=([^&#]+)", text):
        parts.add(query.group(1))
    return {p for p in parts if len(p) >= 4}


def redact(text: str, secrets: set[str]) -> str:
    """``text`` with every secret replaced by ``<redacted>`` (longest first).

    >>> redact("'AKIAIOSFODNN7EXAMPLE' is not of type 'object'", {"AKIAIOSFODNN7EXAMPLE"})
    "'<redacted>' is not of type 'object'"
    """
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, "<redacted>")
    return text


def find_literal_credentials(spec: Any) -> Iterator[tuple[JsonPath, str]]:
    """Yield (path, reason) for each literal credential in a parsed spec; the value is not kept."""
    seen = set()
    found = list(_walk(spec, (), in_credentials=False))
    types = spec.get("types") if isinstance(spec, dict) else None
    for name, body in (types.items() if isinstance(types, dict) else ()):
        if isinstance(body, dict):
            found.extend(_type_literals(("types", name), body))
    for path, reason in found:
        if path not in seen:  # one report per value, even when two checks catch it
            seen.add(path)
            yield path, reason


def _type_literals(where: JsonPath, body: dict[str, Any]) -> Iterator[tuple[JsonPath, str]]:
    """A type's plain env and argv are visible to anyone who can read the workflow.

    ``env: {AWS_SECRET_ACCESS_KEY: ...}`` or ``args: [..., --token, ...]`` hold the secret
    itself; secrets belong under ``credentials.env``, which names a Secret's keys.
    """
    env = body.get("env")
    for var, value in (env.items() if isinstance(env, dict) else ()):
        if isinstance(var, str) and _SECRET_NAME.search(var) and _is_literal(value):
            yield (*where, "env", var), f"env var {var!r} holds a secret in plain text"
    args = body.get("args")
    args = [a for a in args if isinstance(a, str)] if isinstance(args, list) else []
    for index, arg in enumerate(args):
        flag, eq, value = arg.partition("=")
        if not _SECRET_FLAG.fullmatch(flag):
            continue
        following = args[index + 1] if index + 1 < len(args) else ""
        if _is_literal(value) if eq else (_is_literal(following) and following[:1] != "-"):
            yield (*where, "args", index + (0 if eq else 1)), (
                f"the argument after {flag!r} is a secret in plain text")


def _is_literal(value: Any) -> bool:
    # A file path, a placeholder or a Kubernetes $(VAR) reference names a secret, it is not one.
    return isinstance(value, str) and bool(value) and not value.startswith(("/", "{", "$("))


def _walk(node: Any, path: JsonPath, in_credentials: bool) -> Iterator[tuple[JsonPath, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            here = (*path, key)
            if key == "credentials":
                if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                    yield here, "'credentials' must name a Secret and its keys, not hold a value"
                else:
                    yield from _walk(value, here, in_credentials=True)
            elif in_credentials and isinstance(value, (int, float)) and not isinstance(value, bool):
                yield here, f"{key!r} holds a number: a key name or a secret pasted in?"
            elif in_credentials and key in CREDENTIAL_FIELDS and isinstance(value, (list, dict)):
                yield here, f"{key!r} must be the name of a key in the Secret, not a collection"
            elif in_credentials and isinstance(value, str) and looks_like_credential(value):
                if key == "secret":
                    yield here, "'secret' must name a Kubernetes Secret, not hold a credential"
                else:
                    yield here, (f"{key!r} must name a key inside the Secret, "
                                 "not hold the credential")
            elif not in_credentials and key in CREDENTIAL_FIELDS and isinstance(value, str):
                yield here, f"{key!r} outside 'credentials' holds a literal credential"
            else:
                yield from _walk(value, here, in_credentials)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk(item, (*path, index), in_credentials)
    elif isinstance(node, str):
        if _TOKEN.search(node):
            yield path, "the value contains what looks like an access token or private key"
        elif _embeds_userinfo(node):
            yield path, "the URI embeds a user name or password"
        elif _SECRET_QUERY.search(node):
            yield path, "the URI carries a signature or token in its query string"
