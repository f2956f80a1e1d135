"""Find literal credentials in a sidecar spec: the spec names Secrets, it never holds secrets.

``accessKey: accesskey`` names a key inside a Kubernetes Secret; ``accessKey: AKIAIOSFODNN7EXAMPLE``
is the credential itself and is rejected, without echoing it back. The value is never printed.
What a credential looks like is decided in ``secret_shapes``; this module knows *where* to look
(key fields, regions, URIs, a type's env and argv) and what to say.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from kfdata_compiler.diagnostics import JsonPath
from kfdata_compiler.spec import secret_shapes as shapes
from kfdata_compiler.spec.secret_shapes import Tier, Verdict

KEY_HINT = (
    "the spec only names Secrets: store the value with `kubectl create secret generic "
    "<secret> --from-literal=<key>=<value>` and write the key's name here "
    "(e.g. accessKey: accesskey). Then rotate the leaked credential.")
URI_HINT = (
    "a URL that carries its own credential hands it to the step (KFDATA_<NAME>_URI): keep the "
    "credential in a Kubernetes Secret and read the data through a store whose `credentials` "
    "name it (s3, gcs, or an http/git store's username and password), or a dataset type whose "
    "`credentials.env` gives it to the fetcher only. See docs/credentials.md. "
    "Then revoke the leaked credential.")
SECRET_HINT = (
    "the spec only names Secrets: store the value with `kubectl create secret generic "
    "<secret> --from-literal=<key>=<value>` and write the Secret's name here "
    "(e.g. secret: minio-creds). Then rotate the leaked credential.")
REGION_HINT = (
    "'region' is a region name (us-east-1, europe-west4, your MinIO server's region): access keys "
    "go in the Secret that `credentials` names. Then rotate the leaked credential.")
TYPE_HINT = (
    "move it to a Secret: `credentials: {secret: <secret>, env: {<VAR>: <key>}}` on the type gives "
    "the fetcher (only) the value as env var <VAR>; in `args`, write `$(<VAR>)` where the value "
    "was. See docs/credentials.md. Then rotate the leaked credential.")
URI_WARN_HINT = (
    "if the value is a credential, keep it in a Kubernetes Secret and read the data through a "
    "store whose `credentials` name it, or a dataset type whose `credentials.env` gives it to the "
    "fetcher only; if it names an object or a page, nothing is wrong. See docs/credentials.md.")
WARN_HINT = (
    "if it is a secret, pass it from a Secret (`credentials.env` and `$(VAR)`); if it is not, "
    "ignore this warning or spell the value as a path or a placeholder. See docs/credentials.md.")
CREDENTIAL_FIELDS = frozenset({
    "accessKey", "secretKey", "accessKeyId", "secretAccessKey", "sessionToken", "password",
    "token", "apiKey", "serviceAccountKey", "sshPrivateKey", "privateKey", "username",
})
REGION_STORES = frozenset({"s3", "lakefs"})
_PARTS = {"query": "query string", "fragment": "fragment"}


class Finding(NamedTuple):
    """A literal credential (or, with ``warning``, a possible one) at ``path``; no value kept."""

    path: JsonPath
    reason: str
    hint: str = KEY_HINT
    warning: bool = False


def key_hint(field: Any) -> str:
    """What to write instead of a credential pasted into ``field``: its own example.

    >>> key_hint("secretKey").split("(e.g. ")[1]
    'secretKey: secretkey). Then rotate the leaked credential.'
    """
    if field == "secret":
        return SECRET_HINT
    if (not isinstance(field, str) or not field.replace("_", "").isalnum()
            or shapes.looks_like_credential(field)):
        return KEY_HINT  # a key that is itself a pasted credential is never echoed
    return KEY_HINT.replace("accessKey: accesskey", f"{field}: {field.lower()}")


def looks_like_credential(value: str) -> bool:
    """True when ``value`` is a credential rather than the name of a key inside a Secret.

    >>> looks_like_credential("accesskey"), looks_like_credential("AKIAIOSFODNN7EXAMPLE")
    (False, True)
    """
    return shapes.looks_like_credential(value)


def findings(spec: Any) -> list[Finding]:
    """Every literal credential (errors) and possible one (warnings) in a parsed spec, one per
    path: an error wins over a warning at the same place."""
    found = list(_walk(spec, (), in_credentials=False))
    types = spec.get("types") if isinstance(spec, dict) else None
    for name, body in (types.items() if isinstance(types, dict) else ()):
        if isinstance(body, dict):
            found.extend(_type_literals(("types", name), body))
    seen: set[JsonPath] = set()
    out = []
    for finding in sorted(found, key=lambda f: f.warning):  # stable: errors first, in order
        if finding.path not in seen:
            seen.add(finding.path)
            out.append(finding)
    return out


def find_literal_credentials(spec: Any) -> Iterator[tuple[JsonPath, str]]:
    """Yield (path, reason) for each literal credential in a parsed spec; the value is not kept."""
    for finding in findings(spec):
        if not finding.warning:
            yield finding.path, finding.reason


def _leaves(node: Any) -> set[str]:
    if isinstance(node, dict):
        return {x for v in node.values() for x in _leaves(v)}
    if isinstance(node, list):
        return {x for v in node for x in _leaves(v)}
    return {str(node)} if node is not None and not isinstance(node, bool) else set()


def sensitive_values(spec: Any) -> set[str]:
    """The values flagged as (possible) credentials: no message about the spec may print them."""
    out: set[str] = set()
    for finding in findings(spec):
        node = spec
        for part in finding.path:
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
                out.update(shapes.secret_parts(node))
    return out


def redact(text: str, secrets: set[str]) -> str:
    """``text`` with every secret replaced by ``<redacted>`` (longest first).

    >>> redact("'AKIAIOSFODNN7EXAMPLE' is not of type 'object'", {"AKIAIOSFODNN7EXAMPLE"})
    "'<redacted>' is not of type 'object'"
    """
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, "<redacted>")
    return text


def _judged(path: JsonPath, verdict: Verdict | None, error: str, warning: str,
            hint: str, warn_hint: str = WARN_HINT) -> Iterator[Finding]:
    if verdict is Verdict.ERROR:
        yield Finding(path, error, hint)
    elif verdict is Verdict.WARNING:
        yield Finding(path, warning, warn_hint, warning=True)


def _in_text(path: JsonPath, text: str) -> Iterator[Finding]:
    """Shapes that are credentials wherever they appear: tokens, user info, signed URLs."""
    if shapes.TOKEN.search(text):
        yield Finding(path, "the value contains what looks like an access token or private key",
                      URI_HINT if shapes.is_uri(text) else KEY_HINT)
    elif shapes.embeds_userinfo(text):
        yield Finding(path, "the URI embeds a user name or password", URI_HINT)
    for part, name, value in shapes.uri_params(text):
        yield from _judged(
            path, shapes.judge(shapes.name_tier(name), value),
            f"the URI carries a credential in its {_PARTS[part]} ({name!r})",
            f"the URI's {_PARTS[part]} parameter {name!r} may carry a credential", URI_HINT,
            URI_WARN_HINT)
    for name, value in shapes.connection_pairs(text):
        # In a connection string, Key= and Pwd= are never anything but the secret.
        tier = Tier.SECRET if shapes.name_tier(name) else None
        yield from _judged(path, shapes.judge(tier, value),
                           f"the connection string holds a credential ({name!r})", "", TYPE_HINT)


def _type_literals(where: JsonPath, body: dict[str, Any]) -> Iterator[Finding]:
    """A type's plain env and argv are visible to anyone who can read the workflow.

    ``env: {AWS_SECRET_ACCESS_KEY: ...}``, ``args: [..., --token, ...]`` or ``-H "Authorization:
    Bearer ..."`` hold the secret itself; secrets belong under ``credentials.env``, which names a
    Secret's keys.
    """
    env = body.get("env")
    for var, value in (env.items() if isinstance(env, dict) else ()):
        if isinstance(var, str) and isinstance(value, str):
            yield from _judged((*where, "env", var), shapes.judge(shapes.name_tier(var), value),
                               f"env var {var!r} holds a secret in plain text",
                               f"env var {var!r} may hold a secret in plain text", TYPE_HINT)
            yield from _header((*where, "env", var), value)
    args = body.get("args")
    args = [a for a in args if isinstance(a, str)] if isinstance(args, list) else []
    for index, arg in enumerate(args):
        yield from _header((*where, "args", index), arg)
        yield from _flag((*where, "args"), args, index)


def _header(path: JsonPath, text: str) -> Iterator[Finding]:
    header = shapes.header_credential(text)
    if header:
        yield Finding(path, f"the header {header[0]!r} holds a credential in plain text",
                      TYPE_HINT)


def _flag(where: JsonPath, args: list[str], index: int) -> Iterator[Finding]:
    """``--token abc``, ``--password=abc``, ``-u user:pass``; ``-p x`` only warns (a port?)."""
    arg = args[index]
    flag, eq, value = arg.partition("=")
    name = flag.lstrip("-")
    if not arg.startswith("-") or not name[:1].isalpha():
        return
    if flag[:2] == "-p" and len(flag) > 2 and not eq and shapes.looks_random(flag[2:]):
        yield Finding((*where, index), "the argument '-p' holds a secret in plain text", TYPE_HINT)
        return  # mysql's -pPASSWORD
    following = args[index + 1] if index + 1 < len(args) else ""
    if not eq and following.startswith("-"):
        return  # a switch, not an option with a value
    value, at = (value, index) if eq else (following, index + 1)
    if name in ("u", "user") and shapes.user_password(value):
        yield Finding((*where, at), f"the argument after {flag!r} holds a password in plain text",
                      TYPE_HINT)
        return
    yield from _judged((*where, at), shapes.judge(shapes.name_tier(name, flag=True), value),
                       f"the argument after {flag!r} is a secret in plain text",
                       f"the argument after {flag!r} may be a secret in plain text", TYPE_HINT)


def _walk(node: Any, path: JsonPath, in_credentials: bool) -> Iterator[Finding]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _member(key, value, (*path, key), in_credentials)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk(item, (*path, index), in_credentials)
    elif isinstance(node, str):
        yield from _in_text(path, node)


def _member(key: Any, value: Any, here: JsonPath, in_credentials: bool) -> Iterable[Finding]:
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if key == "credentials":
        if number or isinstance(value, str):
            return [Finding(here, "'credentials' must name a Secret and its keys, "
                                  "not hold a value")]
        return _walk(value, here, in_credentials=True)
    if in_credentials and number:
        return [Finding(here, f"{key!r} holds a number: a key name or a secret pasted in?",
                        key_hint(key))]
    if in_credentials and key in CREDENTIAL_FIELDS and isinstance(value, (list, dict)):
        return [Finding(here, f"{key!r} must be the name of a key in the Secret, not a collection",
                        key_hint(key))]
    if in_credentials and isinstance(value, str) and shapes.looks_like_credential(value):
        if key == "secret":
            return [Finding(here, "'secret' must name a Kubernetes Secret, not hold a credential",
                            SECRET_HINT)]
        return [Finding(here, f"{key!r} must name a key inside the Secret, "
                              "not hold the credential", key_hint(key))]
    if not in_credentials and key in CREDENTIAL_FIELDS and isinstance(value, str):
        return [Finding(here, f"{key!r} outside 'credentials' holds a literal credential",
                        key_hint(key))]
    if (key == "region" and len(here) == 4 and here[0] == "stores" and here[2] in REGION_STORES
            and isinstance(value, str) and not shapes.is_region_name(value)):
        return [Finding(here, "'region' is not a region name (letters, digits, '-', '_'): "
                              "a credential pasted in?", REGION_HINT)]
    return _walk(value, here, in_credentials)
