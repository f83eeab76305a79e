"""Data Integrity proofs with the eddsa-rdfc-2022 cryptosuite, as Open Badges 3.0 and CLR 2.0 use.

The steps follow W3C "Data Integrity EdDSA Cryptosuites v1.0" literally, because a signature
only interoperates when every byte hashed is the same as in other implementations:

- the document without `proof` is canonicalised with RDFC-1.0;
- the proof options (the proof without `proofValue`) get the document's `@context` and are
  canonicalised the same way;
- hashData = SHA-256(canonical proof options) || SHA-256(canonical document);
- the Ed25519 signature of hashData is the proof's `proofValue`, multibase base58btc (`z…`).

Verification never raises: a verifier shows people why a credential is or is not trusted, so it
returns one `Check` per step, and a malformed credential is just a failed check.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from . import multikey
from .contexts import OfflineDocumentLoader
from .rdfc import canonicalize

__all__ = [
    "CRYPTOSUITE", "PROOF_TYPE", "Check", "ProofError", "VerificationResult",
    "canonicalize", "create_proof", "hash_data", "verify_proof",
]

CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"
# XML Schema dateTime, which `created` and `expires` must be (a time zone is optional there).
_DATETIME = re.compile(
    r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$"
)

PublicKeyResolver = Callable[[str], "Ed25519PublicKey | str"]


class ProofError(ValueError):
    """A proof cannot be created from the given credential, key or options."""


@dataclass(frozen=True)
class Check:
    """One step of verification: what was checked, whether it passed, and why not."""

    name: str
    passed: bool
    message: str = ""


@dataclass
class VerificationResult:
    """All the checks that were run; the credential is verified only if every one passed."""

    checks: list[Check] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return bool(self.checks) and all(check.passed for check in self.checks)

    @property
    def failures(self) -> list[Check]:
        return [check for check in self.checks if not check.passed]

    def __bool__(self) -> bool:
        return self.verified


def _format_created(created: datetime | str) -> str:
    if isinstance(created, datetime):
        if created.tzinfo is None:
            raise ProofError("created must be timezone-aware")
        text = created.astimezone(UTC).isoformat().replace("+00:00", "Z")
    else:
        text = created
    if not isinstance(text, str) or not _DATETIME.match(text):
        raise ProofError(f"created {created!r} is not an XML Schema dateTime")
    return text


def hash_data(
    document: Mapping[str, Any], proof_options: Mapping[str, Any],
    loader: OfflineDocumentLoader | None = None,
) -> bytes:
    """The 64 bytes that eddsa-rdfc-2022 signs, for a document without `proof`."""
    config = {key: value for key, value in proof_options.items() if key != "proofValue"}
    config["@context"] = copy.deepcopy(document["@context"])
    canonical_config = canonicalize(config, loader=loader)
    canonical_document = canonicalize(document, loader=loader)
    return (hashlib.sha256(canonical_config.encode("utf-8")).digest()
            + hashlib.sha256(canonical_document.encode("utf-8")).digest())


def create_proof(
    credential: Mapping[str, Any],
    private_key: Ed25519PrivateKey | str,
    verification_method: str,
    created: datetime | str,
    proof_purpose: str = "assertionMethod",
    *,
    loader: OfflineDocumentLoader | None = None,
) -> dict[str, Any]:
    """Sign a credential; returns a new credential with the proof added (the input is unchanged).

    A credential that already has proofs gets one more, as a proof set: each proof signs the
    credential without any proof, so proofs by several issuers verify independently.
    `private_key` is a key object or a secretKeyMultibase string.
    """
    if not isinstance(credential, Mapping) or "@context" not in credential:
        raise ProofError("a credential must be a JSON object with an @context")
    if isinstance(private_key, str):
        private_key = multikey.decode_private_key(private_key)
    if not isinstance(private_key, Ed25519PrivateKey):
        raise ProofError("private_key must be an Ed25519 private key or a secretKeyMultibase")
    if not isinstance(verification_method, str) or not verification_method:
        raise ProofError("verification_method must be the id of the signing key")
    if not isinstance(proof_purpose, str) or not proof_purpose:
        raise ProofError("proof_purpose must be a non-empty string")
    document = copy.deepcopy(dict(credential))
    existing = document.pop("proof", None)
    existing = [] if existing is None else existing if isinstance(existing, list) else [existing]
    proof = {
        "type": PROOF_TYPE,
        "created": _format_created(created),
        "verificationMethod": verification_method,
        "cryptosuite": CRYPTOSUITE,
        "proofPurpose": proof_purpose,
    }
    signature = private_key.sign(hash_data(document, proof, loader))
    proof["proofValue"] = multikey.multibase_encode(signature)
    document["proof"] = [*existing, proof] if existing else proof
    return document


def verify_proof(
    signed: Any,
    resolve_key: PublicKeyResolver,
    *,
    expected_proof_purpose: str = "assertionMethod",
    now: datetime | None = None,
    loader: OfflineDocumentLoader | None = None,
) -> VerificationResult:
    """Verify every eddsa-rdfc-2022 proof of a signed credential, check by check.

    `resolve_key(verification_method)` returns the Ed25519 public key (or its Multikey string)
    that the method names, and raises if the method is unknown or not authorised; see
    `multikey.key_resolver`. Never raises: every problem becomes a failed `Check`.
    """
    result = VerificationResult()
    checks = result.checks
    if not isinstance(signed, Mapping) or "@context" not in signed:
        checks.append(Check("document", False, "not a JSON object with an @context"))
        return result
    proofs = signed.get("proof")
    if isinstance(proofs, Mapping):
        proofs, prefix = [proofs], False
    else:
        prefix = True
    if not isinstance(proofs, list) or not proofs:
        checks.append(Check("proof", False, "the credential has no proof"))
        return result
    checks.append(Check("document", True))
    document = {key: value for key, value in signed.items() if key != "proof"}
    for index, proof in enumerate(proofs):
        label = f"proof[{index}]." if prefix else ""
        try:
            for check in _verify_one(document, proof, resolve_key, expected_proof_purpose,
                                     now or datetime.now(UTC), loader):
                checks.append(Check(label + check.name, check.passed, check.message))
        except Exception as error:  # a verifier answers; it does not crash on odd input
            checks.append(Check(label + "error", False, f"verification failed: {error!r}"))
    return result


def _verify_one(document, proof, resolve_key, purpose, now, loader):
    """The checks of one proof; stops at the first failure that makes later checks moot."""
    if not isinstance(proof, Mapping):
        yield Check("proof", False, "a proof must be a JSON object")
        return
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        yield Check("cryptosuite", False, f"unsupported proof: type {proof.get('type')!r}, "
                    f"cryptosuite {proof.get('cryptosuite')!r}; only {PROOF_TYPE} with "
                    f"{CRYPTOSUITE} is supported")
        return
    yield Check("cryptosuite", True)
    if "previousProof" in proof:
        yield Check("previous_proof", False, "proof chains (previousProof) are not supported")
        return
    if proof.get("proofPurpose") != purpose:
        yield Check("proof_purpose", False,
                    f"proofPurpose is {proof.get('proofPurpose')!r}, expected {purpose!r}")
    else:
        yield Check("proof_purpose", True)
    yield _check_dates(proof, now)
    try:
        signature = multikey.multibase_decode(proof.get("proofValue"))
        if len(signature) != 64:
            raise ValueError(f"an Ed25519 signature has 64 bytes, not {len(signature)}")
    except ValueError as error:
        yield Check("proof_value", False, f"malformed proofValue: {error}")
        return
    yield Check("proof_value", True)
    method = proof.get("verificationMethod")
    try:
        key = resolve_key(method)
        key = multikey.decode_public_key(key) if isinstance(key, str) else key
        if not isinstance(key, Ed25519PublicKey):
            raise TypeError("the resolver returned no Ed25519 public key")
    except Exception as error:  # a resolver may fail in any way; it must not escape
        yield Check("verification_method", False, f"cannot use {method!r}: {error}")
        return
    yield Check("verification_method", True)
    try:
        data = hash_data(document, proof, loader)
    except Exception as error:
        yield Check("canonicalization", False, str(error))
        return
    yield Check("canonicalization", True)
    try:
        key.verify(signature, data)
    except InvalidSignature:
        yield Check("signature", False, "the signature does not match the credential and key")
        return
    yield Check("signature", True)


def _check_dates(proof: Mapping[str, Any], now: datetime) -> Check:
    """`created` must be a dateTime if given; a proof past its `expires` no longer counts."""
    for name in ("created", "expires"):
        value = proof.get(name)
        if value is not None and not (isinstance(value, str) and _DATETIME.match(value)):
            return Check("dates", False, f"{name} {value!r} is not an XML Schema dateTime")
    expires = proof.get("expires")
    if expires is not None:
        try:
            moment = datetime.fromisoformat(expires.replace("Z", "+00:00"))
        except ValueError:
            return Check("dates", False, f"expires {expires!r} cannot be read")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        if moment <= now:
            return Check("dates", False, f"the proof expired at {expires}")
    return Check("dates", True)
