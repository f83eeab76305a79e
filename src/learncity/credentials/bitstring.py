"""Bitstring Status List v1.0: the compressed list of revoked or suspended credentials.

Every credential carries, per purpose (revocation, suspension), an index into a list the issuer
publishes as a signed `BitstringStatusListCredential`; bit set = revoked (or suspended). The list
is GZIP-compressed and multibase base64url-encoded (`u…`). It has at least 131,072 entries
(16 KiB), so that a verifier fetching the list learns nothing about which credential it holds,
and indexes are drawn at random for the same reason. Bit 0 is the most significant bit of the
first byte, as the specification requires.
"""

from __future__ import annotations

import base64
import gzip
import io
from collections.abc import Iterable, Mapping
from typing import Any

MIN_ENTRIES = 131_072
PURPOSES = ("revocation", "suspension")
MAX_COMPRESSED_BYTES = 1 << 20  # a list larger than this is refused before decompressing
MAX_ENTRIES = 1 << 24


class StatusListError(ValueError):
    """A status list or status entry is malformed."""


def encode(set_indexes: Iterable[int], size: int = MIN_ENTRIES) -> str:
    """The `encodedList` of a list of `size` entries with the given indexes set."""
    if size < MIN_ENTRIES or size % 8:
        raise StatusListError(f"a status list has at least {MIN_ENTRIES} entries, in whole bytes")
    bits = bytearray(size // 8)
    for index in set_indexes:
        if not 0 <= index < size:
            raise StatusListError(f"index {index} is outside a list of {size} entries")
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode(encoded_list: Any) -> bytes:
    """The uncompressed bitstring of an `encodedList`; refuses anything malformed or huge."""
    if not isinstance(encoded_list, str) or not encoded_list.startswith("u"):
        raise StatusListError("encodedList must be a multibase base64url string starting with 'u'")
    body = encoded_list[1:]
    if len(body) * 3 // 4 > MAX_COMPRESSED_BYTES:
        raise StatusListError("the status list is too large")
    try:
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        with gzip.GzipFile(fileobj=io.BytesIO(compressed)) as stream:
            bits = stream.read(MAX_ENTRIES // 8 + 1)
    except (ValueError, OSError, EOFError) as error:
        raise StatusListError(f"encodedList is not GZIP data in base64url: {error}") from None
    if len(bits) * 8 > MAX_ENTRIES:
        raise StatusListError("the status list has too many entries")
    if len(bits) * 8 < MIN_ENTRIES:
        raise StatusListError(f"a status list has at least {MIN_ENTRIES} entries")
    return bits


def is_set(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise StatusListError(f"statusListIndex {index} is outside the list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def entry(list_url: str, purpose: str, index: int) -> dict[str, str]:
    """The `credentialStatus` entry pointing at one index of one list."""
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def read_entry(value: Mapping[str, Any]) -> tuple[str, str, int]:
    """(list URL, purpose, index) of a `BitstringStatusListEntry`; raises when malformed."""
    if not isinstance(value, Mapping) or value.get("type") != "BitstringStatusListEntry":
        raise StatusListError("only BitstringStatusListEntry status entries are supported")
    url, purpose = value.get("statusListCredential"), value.get("statusPurpose")
    index = value.get("statusListIndex")
    if not isinstance(url, str) or not url:
        raise StatusListError("statusListCredential must be the URL of the status list")
    if not isinstance(purpose, str) or not purpose:
        raise StatusListError("statusPurpose is missing")
    if not isinstance(index, str) or not index.isdigit():
        raise StatusListError("statusListIndex must be a string of digits")
    return url, purpose, int(index)


def list_credential(
    list_url: str, issuer: Any, purpose: str, encoded_list: str, valid_from: str,
    valid_until: str | None = None,
) -> dict[str, Any]:
    """The unsigned `BitstringStatusListCredential` for one list."""
    credential: dict[str, Any] = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encoded_list,
        },
    }
    if valid_until:
        credential["validUntil"] = valid_until
    return credential

