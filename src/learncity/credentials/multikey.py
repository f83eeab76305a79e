"""Ed25519 keys as Multikey strings, and did:key resolution.

Open Badges 3.0 and CLR 2.0 issuers publish their keys as Multikey verification methods
(W3C Controlled Identifiers): the raw key bytes behind a multicodec header, encoded as multibase
base58btc, so `z6Mk…` is always an Ed25519 public key. `did:key` puts that same string in the
identifier, which lets a verifier get the key without any network look-up.

Base58btc is a dozen lines; it lives here rather than as a dependency so that every byte that
reaches a signature check is decoded by code we test against published vectors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519_PUB_HEADER = b"\xed\x01"  # multicodec ed25519-pub (0xed) as an unsigned varint
ED25519_PRIV_HEADER = b"\x80\x26"  # multicodec ed25519-priv (0x1300) as an unsigned varint
DID_KEY_CONTEXT = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
VERIFICATION_RELATIONSHIPS = (
    "authentication", "assertionMethod", "capabilityInvocation", "capabilityDelegation",
)

_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {c: i for i, c in enumerate(_ALPHABET)}

KeyResolver = Callable[[str], Ed25519PublicKey]


class MultikeyError(ValueError):
    """A key, multibase value or DID is malformed, of the wrong kind, or cannot be resolved."""


def b58encode(data: bytes) -> str:
    """Base58 with the Bitcoin alphabet; each leading zero byte becomes a '1'."""
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, rest = divmod(number, 58)
        digits.append(_ALPHABET[rest])
    return "1" * zeros + "".join(reversed(digits))


def b58decode(text: str) -> bytes:
    """Inverse of `b58encode`; refuses characters outside the alphabet (0, O, I, l, …)."""
    number = 0
    for char in text:
        if char not in _INDEX:
            raise MultikeyError(f"{char!r} is not a base58btc character")
        number = number * 58 + _INDEX[char]
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def multibase_encode(data: bytes) -> str:
    """Multibase base58btc: the 'z' prefix tells a reader which base follows."""
    return "z" + b58encode(data)


def multibase_decode(value: Any) -> bytes:
    """Decode a base58btc multibase string; any other base is refused, as the suites require."""
    if not isinstance(value, str) or not value.startswith("z"):
        raise MultikeyError("expected a multibase base58btc string starting with 'z'")
    return b58decode(value[1:])


def public_key_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def encode_public_key(key: Ed25519PublicKey) -> str:
    """The publicKeyMultibase value (`z6Mk…`) of an Ed25519 public key."""
    return multibase_encode(ED25519_PUB_HEADER + public_key_bytes(key))


def decode_public_key(value: Any) -> Ed25519PublicKey:
    """Read a publicKeyMultibase value; anything but a 32-byte Ed25519 key is an error."""
    raw = multibase_decode(value)
    if raw[:2] != ED25519_PUB_HEADER or len(raw) != 34:
        raise MultikeyError("not an Ed25519 Multikey (0xed01 header and 32 key bytes)")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def encode_private_key(key: Ed25519PrivateKey) -> str:
    """The secretKeyMultibase value of a key: 0x8026 header and the 32-byte seed."""
    seed = key.private_bytes_raw()
    return multibase_encode(ED25519_PRIV_HEADER + seed)


def decode_private_key(value: Any) -> Ed25519PrivateKey:
    """Read a secretKeyMultibase value.

    The Multikey form is the 32-byte seed. Digital Bazaar's libraries, which produced the
    1EdTech examples, write the 64-byte seed-and-public-key form; it is accepted when its public
    half matches the seed, so a corrupted key cannot sign under somebody else's public key.
    """
    raw = multibase_decode(value)
    if raw[:2] != ED25519_PRIV_HEADER or len(raw) not in (34, 66):
        raise MultikeyError("not an Ed25519 secret Multikey (0x8026 header, 32 or 64 bytes)")
    key = Ed25519PrivateKey.from_private_bytes(raw[2:34])
    if len(raw) == 66 and raw[34:] != public_key_bytes(key.public_key()):
        raise MultikeyError("the public half of the 64-byte secret key does not match its seed")
    return key


def did_key(public_key: Ed25519PublicKey) -> str:
    """The did:key identifier of a public key."""
    return "did:key:" + encode_public_key(public_key)


def did_key_verification_method(public_key: Ed25519PublicKey) -> str:
    """The verification method id to put in a proof signed by this key under did:key."""
    multikey = encode_public_key(public_key)
    return f"did:key:{multikey}#{multikey}"


def resolve_did_key(did_url: str) -> dict[str, Any]:
    """Build the DID document of an Ed25519 did:key (Multikey form), with no network access.

    A fragment, if given, must name the key itself: did:key documents have no other methods.
    """
    if not isinstance(did_url, str) or not did_url.startswith("did:key:"):
        raise MultikeyError(f"{did_url!r} is not a did:key identifier")
    did, _, fragment = did_url.partition("#")
    multikey = did.removeprefix("did:key:")
    decode_public_key(multikey)
    if fragment and fragment != multikey:
        raise MultikeyError(f"{did_url!r} names no verification method of its DID document")
    method_id = f"{did}#{multikey}"
    document: dict[str, Any] = {
        "@context": list(DID_KEY_CONTEXT),
        "id": did,
        "verificationMethod": [{
            "id": method_id, "type": "Multikey", "controller": did, "publicKeyMultibase": multikey,
        }],
    }
    for relationship in VERIFICATION_RELATIONSHIPS:
        document[relationship] = [method_id]
    return document


def key_resolver(
    controller_documents: Iterable[Mapping[str, Any]] = (), purpose: str = "assertionMethod",
) -> KeyResolver:
    """A `resolve_key` for `verify_proof`: did:key, plus the given controller documents.

    A key only counts when its controller document lists it under `purpose`, and when the
    method's controller is that document: the checks of "Retrieve Verification Method" in
    Controlled Identifiers, which stop a key published for one use from signing for another.
    """
    documents = {doc["id"]: doc for doc in controller_documents}

    def resolve(verification_method: str) -> Ed25519PublicKey:
        if not isinstance(verification_method, str):
            raise MultikeyError("verificationMethod must be a string")
        controller = verification_method.partition("#")[0]
        if verification_method.startswith("did:key:"):
            document = resolve_did_key(verification_method)
        elif controller in documents:
            document = dict(documents[controller])
        else:
            raise MultikeyError(f"no controller document is known for {verification_method!r}")
        methods = {m.get("id"): m for m in document.get("verificationMethod", [])}
        method = methods.get(verification_method)
        if method is None or method.get("type") != "Multikey":
            raise MultikeyError(f"{verification_method!r} is not a Multikey of its controller")
        if method.get("controller") != document.get("id"):
            raise MultikeyError(f"{verification_method!r} is controlled by someone else")
        allowed = [m if isinstance(m, str) else m.get("id") for m in document.get(purpose, [])]
        if verification_method not in allowed:
            raise MultikeyError(f"{verification_method!r} is not listed for {purpose}")
        return decode_public_key(method.get("publicKeyMultibase"))

    return resolve
