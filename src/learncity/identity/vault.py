"""The personal-data vault: AES-GCM encryption and an HMAC blind index for identity numbers.

Why a blind index: the database must find "the account of this identity number" without ever
holding the number in clear. We store HMAC-SHA256(index key, number) next to the AES-GCM
ciphertext; both sub-keys are derived from the one master data key with HKDF, so a leaked
index cannot be turned back into numbers without the key, and the key never enters the database.
"""

from __future__ import annotations

import base64
import hmac
import os
from functools import lru_cache
from hashlib import sha256

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from learncity.secrets import data_key

_VERSION = "v1"


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)


@lru_cache(maxsize=1)
def _keys() -> tuple[bytes, bytes]:
    master = data_key()
    return _derive(master, b"learncity identity encryption"), _derive(
        master, b"learncity blind index"
    )


def reset_keys() -> None:
    """Forget cached keys (tests that change LEARNCITY_DATA_KEY call this)."""
    _keys.cache_clear()


def encrypt(plaintext: str, *, context: str = "identity") -> str:
    """Encrypt with a fresh 96-bit nonce; the context is bound as associated data."""
    nonce = os.urandom(12)
    sealed = AESGCM(_keys()[0]).encrypt(nonce, plaintext.encode(), context.encode())
    return f"{_VERSION}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str, *, context: str = "identity") -> str:
    version, _, body = token.partition(":")
    if version != _VERSION:
        raise ValueError("unknown ciphertext version")
    raw = base64.b64decode(body)
    return AESGCM(_keys()[0]).decrypt(raw[:12], raw[12:], context.encode()).decode()


def blind_index(value: str) -> str:
    return hmac.new(_keys()[1], value.encode(), sha256).hexdigest()
