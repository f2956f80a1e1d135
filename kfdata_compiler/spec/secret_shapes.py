"""What a credential looks like: token shapes, secret-bearing names, region names. One table.

The spec only *names* Kubernetes Secrets; ``credentials.py`` walks a spec and asks this module
whether a value, a URI parameter, a flag or an env var carries a secret::

    name_tier("client_secret") -> Tier.SECRET     name_tier("keyword") -> None
    judge(Tier.SECRET, "abc") -> Verdict.ERROR     judge(Tier.AMBIGUOUS, "8080") -> None

Every shape here is listed in docs/credentials.md, and tests/test_credentials.py has a refused
and an allowed example of each. Nothing here keeps or prints a value.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from urllib.parse import unquote

from kfdata_compiler import lazy

# Well-known token shapes, searched in every string of a spec. Each alternative is anchored on a
# vendor prefix, so commit ids, image digests and lakeFS refs (plain hex) never match.
TOKEN = lazy.compile(
    r"(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)[A-Z0-9]{16}"  # AWS
    r"|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}"  # GitHub
    r"|gl(?:pat|dt|rt|ptt|cbt|oas|ft|imt|soat)-[A-Za-z0-9_-]{20,}"  # GitLab
    r"|xox[abposre]-(?=[A-Za-z0-9-]*[0-9])[A-Za-z0-9-]{10,}|xapp-[0-9]-[A-Za-z0-9-]{10,}"  # Slack
    r"|hooks\.slack\.com/services/[A-Za-z0-9]+/[A-Za-z0-9]+/[A-Za-z0-9]{16,}"
    r"|AIza[0-9A-Za-z_-]{35}|ya29\.[0-9A-Za-z_-]{20,}"  # Google API key, OAuth access token
    # OpenAI / Anthropic (sk-, sk-proj-, sk-ant-...): mixed case and a digit, so that
    # "sk-learn-benchmarks-2024" or "task-..." never match.
    r"|(?<![A-Za-z0-9_-])sk-(?=[A-Za-z0-9_-]*[0-9])(?=[A-Za-z0-9_-]*[A-Z])[A-Za-z0-9_-]{20,}"
    r"|(?<![A-Za-z0-9_])hf_(?=[a-z]*[A-Z])(?=[A-Z]*[a-z])[A-Za-z]{34}(?![A-Za-z0-9])"  # HF
    r"|(?<![A-Za-z0-9])[sr]k_(?:live|test)_[A-Za-z0-9]{10,}"  # Stripe secret and restricted keys
    r"|npm_[A-Za-z0-9]{36}|pypi-AgE[A-Za-z0-9_-]{50,}|dapi[0-9a-f]{32}"  # npm, PyPI, Databricks
    r"|(?<![A-Za-z0-9])SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}"  # SendGrid
    r"|eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}"  # JWT (header.payload)
    r"|-----BEGIN [A-Z ]*PRIVATE KEY[A-Z ]*-----"  # PEM, OpenSSH, PGP
)


class Tier(enum.Enum):
    """What a name says about its value."""

    SECRET = "secret"  # it holds a credential: a literal value is refused (KF202)
    AMBIGUOUS = "ambiguous"  # it may (key, auth, -p): refused if the value looks random, else KF211


class Verdict(enum.Enum):
    """What to do with a literal value: refuse it (KF202) or warn (KF211)."""

    ERROR, WARNING = "error", "warning"


# --- names: the one rule for URI parameters, flags, env vars, headers and connection strings ---
# A name is split into words (``X-Amz-Signature``, ``client_secret``, ``apiKey``, ``PGPASSWORD``)
# and its *last* word decides: ``token_type``, ``SignatureVersion``, ``page_token_size``,
# ``--token-file`` and ``--password-stdin`` only describe a secret, they do not hold one.
_SECRET_SUFFIXES = ("token", "secret", "password", "passwd", "passphrase", "passcode",
                    "signature", "credential", "credentials")  # accesstoken, PGPASSWORD too
_SECRET_WORDS = frozenset({"sig", "pass", "creds", "jwt", "bearer", "authorization"})
# ``key`` is an object key as often as an API key; ``auth`` and ``pwd`` name modes and directories.
_AMBIGUOUS_WORDS = frozenset({"key", "auth", "pwd"})
# ...but a key owned by one of these is a credential: api_key, AccountKey, x-api-key, SECRETKEY.
_KEY_OWNERS = ("api", "access", "secret", "private", "shared", "account", "subscription",
               "master", "auth", "app", "client", "signing", "sas", "service", "session",
               "storage", "license", "encryption", "consumer", "developer")
# A page token is a cursor, not a credential: pageToken, nextPageToken, continuation-token.
_PAGINATION = ("page", "next", "continuation", "sync", "resume", "cursor", "start", "marker")
# Trailing words that say how the secret is spelled, not what it is: SECRET_VALUE, --token-data.
_TRANSPARENT = frozenset({"value", "val", "string", "str", "data", "text", "literal", "raw",
                          "plain", "plaintext", "b64", "base64", "hex"})


def _words(name: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", spaced)
    return [w.lower() for w in re.split(r"[^A-Za-z0-9]+", spaced) if w]


def name_tier(name: str, flag: bool = False) -> Tier | None:
    """Whether a parameter, flag, env var or header name says its value is a credential.

    ``flag``: ``name`` is a command-line flag without its dashes (``p`` of ``-p`` is ambiguous:
    a password in mysql, a port or ``--parents`` elsewhere; ``--no-password`` takes no value).

    >>> [name_tier(n) for n in ("X-Amz-Signature", "api_key", "key", "keyword", "pageToken")]
    [<Tier.SECRET: 'secret'>, <Tier.SECRET: 'secret'>, <Tier.AMBIGUOUS: 'ambiguous'>, None, None]
    """
    words = _words(name)
    if flag and name == "p":
        return Tier.AMBIGUOUS
    if not words or flag and words[0] in ("no", "without"):
        return None
    while len(words) > 1 and words[-1] in _TRANSPARENT:
        words.pop()
    if words[-2:] == ["key", "id"] and len(words) > 2 and words[-3].endswith(_KEY_OWNERS):
        words.pop()  # AWS_ACCESS_KEY_ID, AWSAccessKeyId: as secret as the key (not KMS_KEY_ID)
    last, before = words[-1], (words[-2] if len(words) > 1 else "")
    if last in _SECRET_WORDS:
        return Tier.SECRET
    if last in _AMBIGUOUS_WORDS:  # MYSQL_PWD and api_key are secrets; PWD and object_key not
        owned = before.endswith(_KEY_OWNERS) if last == "key" else bool(before) and last == "pwd"
        return Tier.SECRET if owned else Tier.AMBIGUOUS
    if last.endswith("key") and last[:-3].endswith(_KEY_OWNERS):
        return Tier.SECRET  # apikey, accesskey, SECRETKEY (not monkey, hotkey, turkey)
    for suffix in _SECRET_SUFFIXES:
        if last.endswith(suffix):
            stem = last[: -len(suffix)]
            paged = suffix == "token" and (before.endswith(_PAGINATION) and not stem
                                           or bool(stem) and stem.endswith(_PAGINATION))
            return None if paged else Tier.SECRET
    return None


# --- values ------------------------------------------------------------------------------------
_PLACEHOLDER = lazy.compile(r"\{\{|\$[({]|\{[A-Za-z_][\w.-]*\}")
_HEX = lazy.compile(r"[0-9a-fA-F]{32,}")
_B64 = lazy.compile(r"[A-Za-z0-9+/]{16,}={0,2}")
_HARMLESS = lazy.compile(r"[0-9.:]{1,21}(?:/(?:tcp|udp))?")  # a port, a port mapping, an address
# A file name is where a secret is, not the secret: key.json, creds/token.txt, tls.pem.
_FILE = lazy.compile(r"[\w.-]+(?:/[\w.-]+)*\.(?:json|pem|key|crt|cer|der|p12|pfx|jks|pub|txt"
                   r"|ya?ml|env|cfg|conf|ini|toml|netrc|token|secret)")
_FLAGS = frozenset({"true", "false", "yes", "no", "on", "off", "none", "null", "0", "1"})
_KEY_NAME = lazy.compile(r"[-._a-zA-Z0-9]{1,253}")
_REGION = lazy.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def is_reference(value: str) -> bool:
    """True for what points at a secret without holding it: nothing, a placeholder (``{path}``,
    Argo ``{{…}}``), ``$(VAR)``/``$VAR``, an absolute or ``./`` path, a file name (``key.json``),
    curl's ``@file``, openssl's ``env:VAR``/``file:PATH``, and a yes/no (``--auth none``).

    >>> is_reference("$(TOKEN)"), is_reference("/run/secrets/t"), is_reference("hunter2")
    (True, True, False)
    """
    value = value.strip().strip("'\"")
    return (not value or bool(_PLACEHOLDER.search(value)) or bool(_FILE.fullmatch(value))
            or value.lower() in _FLAGS
            or value.startswith(("/", "./", "../", "~/", "$", "@", "env:", "file:", "fd:")))


def looks_random(value: str) -> bool:
    """True for a value nobody types: a known token, 32+ hex digits (a UUID too), base64 noise.

    >>> looks_random("Xk9fQ2mLp7Rz4TsVb8Nw"), looks_random("reviews-2024-06")
    (True, False)
    """
    if TOKEN.search(value):
        return True
    bare = value.replace("-", "")
    if _HEX.fullmatch(bare) and re.search(r"[0-9]", bare) and re.search(r"[a-fA-F]", bare):
        return True
    return (bool(_B64.fullmatch(value)) and ("/" not in value or bool(re.search(r"[+=]", value)))
            and all(re.search(c, value) for c in ("[a-z]", "[A-Z]", "[0-9]")))


def looks_like_credential(value: str) -> bool:
    """True when ``value`` is a credential rather than the name of a key inside a Secret.

    Key names are ``[-._a-zA-Z0-9]``: ``/``, ``+``, ``=`` and spaces are the stuff of secrets.

    >>> looks_like_credential("AWS_SECRET_ACCESS_KEY"), looks_like_credential("ab12" * 10)
    (False, True)
    """
    return looks_random(value) or not _KEY_NAME.fullmatch(value)


def is_region_name(value: str) -> bool:
    """A store's region: letters, digits, ``-`` and ``_``, at most 64, and nothing random in it.

    >>> [is_region_name(r) for r in ("us-gov-west-1", "europe-west4", "EU", "my_region")]
    [True, True, True, True]
    >>> [is_region_name(r) for r in ("AKIAIOSFODNN7EXAMPLE", "us/east", "a1b2c3d4e5f6g7h8i9j0")]
    [False, False, False]
    """
    if not _REGION.fullmatch(value) or looks_random(value):
        return False
    # Region words are letters with at most a number after them (northamerica-northeast1).
    return not any(len(part) >= 16 and re.search(r"[0-9]", part) or looks_random(part)
                   for part in re.split(r"[-_]", value))


def judge(tier: Tier | None, value: str) -> Verdict | None:
    """What a literal ``value`` under a name of ``tier`` is: an error, a warning or fine.

    An ambiguous name (``?key=``, ``-p``) is fine with a path, a file name or a port, an error
    with a random-looking value, and a warning otherwise.

    >>> judge(Tier.AMBIGUOUS, "data/x.csv"), judge(Tier.AMBIGUOUS, "hunter2")
    (None, <Verdict.WARNING: 'warning'>)
    """
    if tier is None or is_reference(value):
        return None
    if tier is Tier.SECRET or looks_random(value):
        return Verdict.ERROR
    if "/" in value or "." in value or "%2F" in value.upper() or _HARMLESS.fullmatch(value):
        return None
    return Verdict.WARNING


# --- where secrets hide inside a string ------------------------------------------------------
_SCHEME = lazy.compile(r"^([a-z][a-z0-9+.-]*)://", re.IGNORECASE)
_NO_USERINFO = frozenset({"http", "https", "git+http", "git+https"})  # not even a user name
_PARAM_NAME = lazy.compile(r"[A-Za-z_][\w.\[\]-]*")
_CONN_NAME = lazy.compile(r"[A-Za-z][\w .-]*")
_HEADER = lazy.compile(r"(?:^|=)\s*([A-Za-z][A-Za-z0-9-]*)\s*:\s*(\S.*)$")
_AUTH_SCHEMES = frozenset({"bearer", "basic", "token", "digest", "bot", "apikey", "negotiate"})


def is_uri(text: str) -> bool:
    """True for ``scheme://...`` (``https://h/x``, ``git+ssh://git@h/r``)."""
    return bool(_SCHEME.match(text))


def embeds_userinfo(uri: str) -> bool:
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


def uri_params(text: str) -> Iterator[tuple[str, str, str]]:
    """(``query`` or ``fragment``, name, value) for each ``name=value`` after ``?`` and ``#``.

    >>> list(uri_params("https://h/x?a=1&sig=s#access_token=t"))
    [('query', 'a', '1'), ('query', 'sig', 's'), ('fragment', 'access_token', 't')]
    """
    head, _, fragment = text.partition("#")
    _, mark, query = head.partition("?")
    for part, body in (("query", query if mark else ""), ("fragment", fragment)):
        for item in re.split(r"[&;?]", body):  # '?' too: SPA fragments (#/cb?token=...)
            name, eq, value = item.partition("=")
            name = unquote(name)
            if eq and _PARAM_NAME.fullmatch(name):
                yield part, name, value


def connection_pairs(text: str) -> list[tuple[str, str]]:
    """The ``name=value`` pairs of a connection string, or ``[]`` for anything else.

    ``;``-separated (Azure, ODBC), or two or more blank-separated pairs (libpq's DSN).

    >>> connection_pairs("AccountName=a;AccountKey=k;"), connection_pairs("set token=x")
    ([('AccountName', 'a'), ('AccountKey', 'k')], [])
    """
    pieces = [p.strip() for p in (text.split(";") if ";" in text else text.split())]
    pairs = [p.partition("=") for p in pieces if p]
    if len(pairs) < (1 if ";" in text else 2) or not all(
            eq and _CONN_NAME.fullmatch(name.strip()) for name, eq, _ in pairs):
        return []
    return [(name.strip(), value.strip()) for name, _, value in pairs]


def header_credential(text: str) -> tuple[str, str] | None:
    """(header, credential) for ``Authorization: Bearer <token>``, ``X-API-Key: <key>`` and
    other secret headers, also as ``--header=...``; None for ``Authorization: Bearer $(T)``."""
    match = _HEADER.search(text)
    if not match or name_tier(match.group(1)) is not Tier.SECRET:
        return None
    words = match.group(2).split()
    if len(words) == 1 and words[0].lower() in _AUTH_SCHEMES or is_reference(words[-1]):
        return None
    return match.group(1), words[-1]


def user_password(value: str) -> str | None:
    """The password of curl's ``-u user:password`` (not ``-u 1000:1000``, ``-u user:``)."""
    _, colon, password = value.partition(":")
    return password if colon and not password.isdigit() and not is_reference(password) else None


def secret_parts(text: str) -> set[str]:
    """The secrets inside a flagged string: a token, a URI's user info, a parameter's value, a
    header's credential (a message may quote the string cut short, never the secret within it)."""
    parts = {m.group(0) for m in TOKEN.finditer(text)}
    match = _SCHEME.match(text)
    if match and "@" in text:
        userinfo = text[match.end():].rsplit("@", 1)[0]
        parts.update(p for p in userinfo.split(":") if len(p) >= 4)
        parts.add(userinfo)
    parts.update(value for _, _, value in uri_params(text))
    parts.update(value for _, value in connection_pairs(text))
    parts.update((header_credential(text) or ("", ""))[1:])
    flag, eq, value = text.partition("=")
    if eq and flag.startswith("-"):
        parts.add(value)
    parts.update(user_password(p) or "" for p in (text, value) if "/" not in p)
    return {p for p in parts if len(p) >= 4}
