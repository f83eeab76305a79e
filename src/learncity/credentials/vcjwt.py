"""VC-JWT: credentials secured with JOSE, the second format next to Data Integrity proofs.

This follows W3C "Securing Verifiable Credentials using JOSE and COSE": the JWS payload is the
credential itself (without any embedded proof), the protected header says `typ: vc+jwt`,
`cty: vc`, and `kid` names the verification method, so the same DID documents serve both
formats. Ed25519 keys sign with the fully specified algorithm `Ed25519` (RFC 9864); tokens
signed with the older polymorphic name `EdDSA` are still accepted when verifying. The JWS
itself is done by joserfc; only the checks around it live here.
"""

from __future__ import annotations

import base64
import json
import re
import warnings
from collections.abc import Callable, Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey
from joserfc.jws import JWSRegistry

from . import multikey
from .proofs import Check

TYP = "vc+jwt"
SIGNING_ALG = "Ed25519"
ACCEPTED_ALGS = ("Ed25519", "EdDSA")
# JWT claim names may stand in the header (RFC 7519 §5.3); other issuers' headers are read too.
_REGISTRY = JWSRegistry(algorithms=list(ACCEPTED_ALGS), strict_check_header=False)


class JwtFormatError(ValueError):
    """A string is not a compact JWS, or its header or payload is not a JSON object."""


_COMPACT = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$")


def looks_like_jwt(text: Any) -> bool:
    return isinstance(text, str) and bool(_COMPACT.match(text.strip()))


def sign(credential: Mapping[str, Any], private_key: Ed25519PrivateKey, kid: str) -> str:
    """The compact JWS of a credential; an embedded `proof` is left out of the payload."""
    payload = {key: value for key, value in credential.items() if key != "proof"}
    header = {"alg": SIGNING_ALG, "typ": TYP, "cty": "vc", "kid": kid}
    issuer = _issuer_id(payload)
    if issuer:
        header["iss"] = issuer
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return jws.serialize_compact(
        header, body, OKPKey.import_key(private_key), algorithms=[SIGNING_ALG], registry=_REGISTRY
    )


def _b64json(part: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (ValueError, UnicodeDecodeError) as error:
        raise JwtFormatError(f"the JWT {what} is not base64url JSON: {error}") from None
    if not isinstance(value, dict):
        raise JwtFormatError(f"the JWT {what} is not a JSON object")
    return value


def read_unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(header, payload) of a compact JWS, not yet verified."""
    if not looks_like_jwt(token):
        raise JwtFormatError("not a compact JWS (three base64url parts separated by dots)")
    header_part, payload_part, _signature = token.strip().split(".")
    return _b64json(header_part, "header"), _b64json(payload_part, "payload")


def _issuer_id(credential: Mapping[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    issuer = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    return issuer if isinstance(issuer, str) else None


def verify(
    token: str, resolve_key: Callable[[str], Ed25519PublicKey | str],
) -> tuple[dict[str, Any] | None, list[Check]]:
    """Verify a VC-JWT; returns the credential (or None) and the checks, never raising."""
    checks: list[Check] = []
    try:
        header, payload = read_unverified(token)
    except JwtFormatError as error:
        return None, [Check("document", False, str(error))]
    checks.append(Check("document", True))
    alg = header.get("alg")
    if alg not in ACCEPTED_ALGS:
        checks.append(Check("cryptosuite", False, f"unsupported JOSE algorithm {alg!r}; only "
                            f"{' and '.join(ACCEPTED_ALGS)} (Ed25519 keys) are supported"))
        return payload, checks
    if header.get("typ") not in (TYP, "JWT", None):
        checks.append(Check("cryptosuite", False, f"typ {header.get('typ')!r} is not {TYP}"))
        return payload, checks
    checks.append(Check("cryptosuite", True))
    kid = header.get("kid")
    try:
        key = resolve_key(kid)
        key = multikey.decode_public_key(key) if isinstance(key, str) else key
        if not isinstance(key, Ed25519PublicKey):
            raise TypeError("the resolver returned no Ed25519 public key")
    except Exception as error:  # a resolver may fail in any way; it must not escape
        checks.append(Check("verification_method", False, f"cannot use {kid!r}: {error}"))
        return payload, checks
    checks.append(Check("verification_method", True))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # joserfc warns that "EdDSA" is deprecated
            jws.deserialize_compact(
                token.strip(), OKPKey.import_key(key), algorithms=[alg], registry=_REGISTRY)
    except (JoseError, ValueError) as error:
        checks.append(Check("signature", False, f"the JWS signature does not verify: {error}"))
        return payload, checks
    checks.append(Check("signature", True))
    if "iss" in header and header["iss"] != _issuer_id(payload):
        checks.append(Check("issuer", False, "the JWT header's iss is not the credential issuer"))
    return payload, checks
