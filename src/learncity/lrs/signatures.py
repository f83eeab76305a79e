"""Checking signed statements (Data 2.6): a JWS attachment whose payload is the statement.

The LRS must refuse a malformed signature: not JWS compact serialisation, an algorithm other
than RS256/RS384/RS512, a payload that is not the statement received, or (when the header
carries an X.509 chain in ``x5c``) a signature that the first certificate does not verify.
Uses only the ``cryptography`` package; no Django.
"""

from __future__ import annotations

import base64
import binascii
import json

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from learncity.lrs.compare import normalise

SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"
HASHES = {"RS256": hashes.SHA256, "RS384": hashes.SHA384, "RS512": hashes.SHA512}


class SignatureInvalid(ValueError):
    """Raised when a signed statement's JWS is malformed or does not match the statement."""


def _b64(segment: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError) as error:
        raise SignatureInvalid("the signature is not base64url JWS") from error


def _json(data: bytes, what: str):
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise SignatureInvalid(f"the JWS {what} is not valid JSON") from error


def signature_attachments(statement: dict) -> list[dict]:
    return [a for a in statement.get("attachments") or [] if a.get("usageType") == SIGNATURE_USAGE]


def _unsigned(statement: dict) -> dict:
    """The statement as it was before the signature attachment was added."""
    copy = dict(statement)
    rest = [a for a in statement.get("attachments") or [] if a.get("usageType") != SIGNATURE_USAGE]
    if rest:
        copy["attachments"] = rest
    else:
        copy.pop("attachments", None)
    return copy


def verify(statement: dict, attachment: dict, payload: bytes | None) -> None:
    """Raise SignatureInvalid unless ``payload`` is a well-formed JWS of ``statement``."""
    if attachment.get("contentType") != "application/octet-stream":
        raise SignatureInvalid("a signature attachment has contentType application/octet-stream")
    if payload is None:
        raise SignatureInvalid("the signature attachment's data was not sent")
    try:
        token = payload.decode("ascii").strip()
    except UnicodeDecodeError as error:
        raise SignatureInvalid("the signature is not JWS compact serialisation") from error
    pieces = token.split(".")
    if len(pieces) != 3:
        raise SignatureInvalid("the signature is not JWS compact serialisation")
    header = _json(_b64(pieces[0]), "header")
    if not isinstance(header, dict) or header.get("alg") not in HASHES:
        raise SignatureInvalid("the JWS algorithm must be RS256, RS384 or RS512")
    signed = _json(_b64(pieces[1]), "payload")
    if not isinstance(signed, dict):
        raise SignatureInvalid("the JWS payload is not a statement")
    original = normalise(_unsigned(signed))
    received = normalise(_unsigned(statement))
    if signed.get("id") is not None and signed.get("id") != statement.get("id"):
        raise SignatureInvalid("the signed statement has a different id")
    if original != received:
        raise SignatureInvalid("the signed statement differs from the statement received")
    chain = header.get("x5c")
    if chain:
        _check_certificate(chain, header["alg"], pieces)


def _check_certificate(chain, alg: str, pieces: list[str]) -> None:
    try:
        der = base64.b64decode(chain[0])
        key = x509.load_der_x509_certificate(der).public_key()
    except (ValueError, TypeError, IndexError, binascii.Error) as error:
        raise SignatureInvalid("the x5c certificate cannot be read") from error
    if not isinstance(key, rsa.RSAPublicKey):
        raise SignatureInvalid("the x5c certificate does not hold an RSA key")
    try:
        key.verify(
            _b64(pieces[2]),
            f"{pieces[0]}.{pieces[1]}".encode("ascii"),
            padding.PKCS1v15(),
            HASHES[alg](),
        )
    except InvalidSignature as error:
        raise SignatureInvalid(
            "the signature does not verify against its x5c certificate"
        ) from error
