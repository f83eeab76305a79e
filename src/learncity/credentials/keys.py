"""The issuer's signing keys: sealed in the database, opened with a key that is not there.

Each Ed25519 private key is encrypted with AES-GCM under a sub-key derived by HKDF from
LearnCity's data key (`secrets.data_key()`: the environment in production, a key file under
$LEARNCITY_HOME in development). A stolen database dump therefore holds no usable signing key,
yet every web process can sign, and rotating a key is a database change that all processes see
at once. The public key id is bound as associated data, so a sealed key cannot be swapped onto
another key's row.

The issuer's DID is `did:web:` of the first host name in LEARNCITY_ALLOWED_HOSTS (the public
name of the site), fixed when the first key is made; `learncity manage credentials_keys` makes,
rotates and withdraws keys.
"""

from __future__ import annotations

import base64
import ipaddress
import os
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from learncity.access import Actor, system_actor
from learncity.audit.services import record
from learncity.credentials import didweb, multikey
from learncity.credentials.models import IssuerKey
from learncity.errors import Conflict, NotFound
from learncity.secrets import data_key

_VERSION = "v1"


@lru_cache(maxsize=1)
def _sealing_key() -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"learncity credential signing keys"
    ).derive(data_key())


def reset_cache() -> None:
    """Forget derived and opened keys (tests that change the data key call this)."""
    global _did
    _sealing_key.cache_clear()
    _opened.cache_clear()
    _active.clear()
    _did = None


def seal(private_key: Ed25519PrivateKey, public_multibase: str) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(_sealing_key()).encrypt(
        nonce, private_key.private_bytes_raw(), public_multibase.encode()
    )
    return f"{_VERSION}:{base64.b64encode(nonce + sealed).decode()}"


def open_sealed(token: str, public_multibase: str) -> Ed25519PrivateKey:
    version, _, body = token.partition(":")
    if version != _VERSION:
        raise ValueError("unknown sealed-key version")
    raw = base64.b64decode(body)
    seed = AESGCM(_sealing_key()).decrypt(raw[:12], raw[12:], public_multibase.encode())
    key = Ed25519PrivateKey.from_private_bytes(seed)
    if multikey.encode_public_key(key.public_key()) != public_multibase:
        raise ValueError("the sealed key does not match its public key")
    return key


@lru_cache(maxsize=32)
def _opened(pk: int, token: str, public_multibase: str) -> Ed25519PrivateKey:
    return open_sealed(token, public_multibase)


def private_key(key: IssuerKey) -> Ed25519PrivateKey:
    return _opened(key.pk, key.sealed_private_key, key.public_key_multibase)


def default_did() -> str:
    """did:web of the site's public host name (localhost on a developer's machine)."""
    for host in settings.ALLOWED_HOSTS:
        host = host.strip().lstrip(".")
        if not host or "*" in host or host == "testserver":
            continue
        try:
            ipaddress.ip_address(host)
        except ValueError:
            return didweb.did_web(host)
    return didweb.did_web("localhost")


def issuer_did() -> str:
    """The issuer's DID: that of its first key, which rotation keeps (cached once known)."""
    global _did
    if _did is None:
        first = IssuerKey.objects.order_by("created_at", "id").first()
        if first is None:
            return default_did()
        _did = first.did
    return _did


_did: str | None = None


def _create(did: str, actor=None) -> IssuerKey:
    secret = Ed25519PrivateKey.generate()
    public = multikey.encode_public_key(secret.public_key())
    key = IssuerKey.objects.create(
        did=did, fragment=public, public_key_multibase=public,
        sealed_private_key=seal(secret, public),
    )
    record(actor or system_actor("credentials"), "credential.key.create", key,
           method=key.verification_method)
    return key


_active: dict[tuple[int, str], IssuerKey] = {}


def _active_row() -> tuple[int, str] | None:
    """(id, public key) of the newest key neither retired nor withdrawn: one small query."""
    table = connection.ops.quote_name(IssuerKey._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, public_key_multibase FROM {table} "
            "WHERE retired_at IS NULL AND withdrawn_at IS NULL "
            "ORDER BY created_at DESC, id DESC LIMIT 1")
        row = cursor.fetchone()
    return (int(row[0]), row[1]) if row else None


def active_key() -> IssuerKey:
    """The key that signs now; the first one is made on first use.

    Which key is active is read from the database every time, so a rotation or withdrawal in
    any process counts at once; only the row of that key (which never changes while it is
    active) is kept per process, keyed by its id and public key.
    """
    row = _active_row()
    if row is not None:
        key = _active.get(row)
        if key is None:
            key = IssuerKey.objects.get(pk=row[0])
            if key.public_key_multibase != row[1] or key.retired_at or key.withdrawn_at:
                return key  # changed in between: use it as read, keep nothing
            _active.clear()
            _active[row] = key
        return key
    with transaction.atomic():
        if IssuerKey.objects.exists():
            raise Conflict("Every issuer key is retired or withdrawn; rotate to make a new one.")
        return _create(default_did())


def rotate(actor: Actor, reason: str = "") -> IssuerKey:
    """Make a new signing key; the old ones stay in the DID document and keep verifying."""
    actor.require_role("admin")
    with transaction.atomic():
        did = issuer_did()
        IssuerKey.objects.filter(retired_at__isnull=True).update(
            retired_at=timezone.now(), reason=reason
        )
        return _create(did, actor)


def withdraw(actor: Actor, fragment: str, reason: str) -> IssuerKey:
    """Take a compromised key out of the DID document: what it signed verifies no more."""
    actor.require_role("admin")
    key = IssuerKey.objects.filter(fragment=fragment).first()
    if key is None:
        raise NotFound("No issuer key has this id.")
    now = timezone.now()
    with transaction.atomic():
        IssuerKey.objects.filter(pk=key.pk).update(
            withdrawn_at=now, retired_at=key.retired_at or now, reason=reason
        )
        record(actor, "credential.key.withdraw", key, reason=reason)
    key.refresh_from_db()
    return key


def published_keys() -> list[didweb.PublishedKey]:
    """Every key of the DID document, oldest first, as the database has them now."""
    table = connection.ops.quote_name(IssuerKey._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT fragment, public_key_multibase, withdrawn_at IS NULL FROM {table} "
            "ORDER BY created_at, id")
        rows = cursor.fetchall()
    return [didweb.PublishedKey(fragment, public, bool(ok)) for fragment, public, ok in rows]
