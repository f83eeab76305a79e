"""eddsa-rdfc-2022 proofs: the published credentials verify, signing reproduces them, and any
change, wrong key or malformed proof makes verification fail without raising."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from learncity.credentials import multikey
from learncity.credentials.contexts import OfflineDocumentLoader
from learncity.credentials.proofs import ProofError, create_proof, verify_proof

from .published import (
    NAMES,
    ONEEDTECH_HASHES,
    ONEEDTECH_PUBLIC_MULTIKEY,
    W3C_CREATED,
    W3C_EXAMPLES_CONTEXT,
    W3C_EXAMPLES_CONTEXT_URL,
    W3C_PROOF_VALUE,
    W3C_SECRET_MULTIKEY,
    W3C_UNSIGNED,
    W3C_VERIFICATION_METHOD,
    only_proof,
    signed,
)

STEPS = ["cryptosuite", "proof_purpose", "dates", "proof_value", "verification_method",
         "canonicalization", "signature"]


def failed(result) -> set[str]:
    return {check.name.rpartition(".")[2] for check in result.failures}


def unsigned(credential: dict) -> dict:
    return {key: value for key, value in credential.items() if key != "proof"}


def nested_ob_credential() -> dict:
    return signed("clrv2p0")["credentialSubject"]["verifiableCredential"][0]


@pytest.mark.parametrize("name", NAMES)
def test_published_credentials_verify_check_by_check(name, resolve_1edtech):
    result = verify_proof(signed(name), resolve_1edtech)
    assert result.verified and bool(result)
    label = "proof[0]." if name == "clrv2p0" else ""  # the CLR's proof is a one-element set
    assert [c.name for c in result.checks] == ["document"] + [label + step for step in STEPS]


def test_the_ob_credential_embedded_in_the_clr_verifies_on_its_own(resolve_1edtech):
    assert verify_proof(nested_ob_credential(), resolve_1edtech).verified


@pytest.mark.parametrize("name", NAMES)
def test_signing_with_the_published_key_gives_the_published_proof(name, private_1edtech):
    original = signed(name)
    proof = only_proof(original)
    again = create_proof(unsigned(original), private_1edtech, proof["verificationMethod"],
                         proof["created"])
    assert again["proof"] == proof  # Ed25519 is deterministic: same bytes, same signature
    signature = multikey.multibase_decode(again["proof"]["proofValue"])
    assert signature.hex() == ONEEDTECH_HASHES[name]["signature"]


def test_signing_the_embedded_ob_credential_gives_its_published_proof(private_1edtech):
    original = nested_ob_credential()
    proof = only_proof(original)
    again = create_proof(unsigned(original), private_1edtech, proof["verificationMethod"],
                         datetime(2010, 1, 1, 19, 23, 24, tzinfo=UTC))
    assert again["proof"]["proofValue"] == proof["proofValue"]


def test_w3c_vector_signs_and_verifies_through_did_key():
    loader = OfflineDocumentLoader({W3C_EXAMPLES_CONTEXT_URL: W3C_EXAMPLES_CONTEXT})
    secured = create_proof(W3C_UNSIGNED, W3C_SECRET_MULTIKEY, W3C_VERIFICATION_METHOD,
                           W3C_CREATED, loader=loader)
    assert secured["proof"]["proofValue"] == W3C_PROOF_VALUE
    assert verify_proof(secured, multikey.key_resolver(), loader=loader).verified


def test_create_proof_leaves_its_input_alone(private_1edtech):
    credential = unsigned(signed("obv3p0"))
    before = copy.deepcopy(credential)
    create_proof(credential, private_1edtech, "did:example:issuer#key", "2024-05-01T00:00:00Z")
    assert credential == before


def test_created_is_written_as_utc(private_1edtech):
    created = datetime(2024, 5, 1, 10, 0, tzinfo=timezone(timedelta(hours=8)))
    secured = create_proof(unsigned(signed("obv3p0")), private_1edtech, "did:ex:1#k", created)
    assert secured["proof"]["created"] == "2024-05-01T02:00:00Z"


@pytest.mark.parametrize("created", [datetime(2024, 5, 1), "yesterday", "2024-05-01"])
def test_created_must_be_an_aware_xml_datetime(created, private_1edtech):
    with pytest.raises(ProofError):
        create_proof(unsigned(signed("obv3p0")), private_1edtech, "did:ex:1#k", created)


def test_a_credential_without_context_cannot_be_signed(private_1edtech):
    with pytest.raises(ProofError):
        create_proof({"type": ["VerifiableCredential"]}, private_1edtech, "did:ex:1#k",
                     "2024-05-01T00:00:00Z")


def test_a_second_signer_makes_a_proof_set_that_verifies_both(private_1edtech, resolve_1edtech):
    other = Ed25519PrivateKey.generate()
    other_method = multikey.did_key_verification_method(other.public_key())
    both = create_proof(signed("obv3p0"), other, other_method, "2024-05-01T00:00:00Z")
    assert [p["verificationMethod"] for p in both["proof"]] == [
        only_proof(signed("obv3p0"))["verificationMethod"], other_method]

    def resolve(method):
        return multikey.key_resolver()(method) if method.startswith("did:key:") \
            else resolve_1edtech(method)

    result = verify_proof(both, resolve)
    assert result.verified
    assert sum(c.name.endswith("signature") for c in result.checks) == 2


def one_character_changed(name: str, path: tuple, position: int = 0) -> dict:
    credential = signed(name)
    holder = credential
    for step in path[:-1]:
        holder = holder[step]
    text = holder[path[-1]]
    char = text[position]
    replacement = str((int(char) + 1) % 10) if char.isdigit() else "Y" if char == "X" else "X"
    holder[path[-1]] = text[:position] + replacement + text[position + 1:]
    return credential


@pytest.mark.parametrize(("name", "path", "position"), [
    ("obv3p0", ("name",), 0),
    ("obv3p0", ("issuer", "id"), 30),
    ("obv3p0", ("validFrom",), 3),
    ("obv3p0", ("credentialSubject", "id"), 20),
    ("obv3p0", ("credentialSubject", "achievement", "criteria", "narrative"), 50),
    ("obv3p0", ("proof", "created"), 3),
    ("clrv2p0", ("credentialSubject", "achievement", 1, "name"), 12),
    ("clrv2p0", ("credentialSubject", "verifiableCredential", 0, "name"), 0),
    ("clrv2p0", ("credentialSubject", "association", 0, "targetId"), 12),
])
def test_changing_one_character_breaks_the_signature(name, path, position, resolve_1edtech):
    result = verify_proof(one_character_changed(name, path, position), resolve_1edtech)
    assert not result.verified
    assert failed(result) == {"signature"}


def test_a_changed_proof_value_fails(resolve_1edtech):
    result = verify_proof(one_character_changed("obv3p0", ("proof", "proofValue"), 10),
                          resolve_1edtech)
    assert not result.verified and failed(result) <= {"proof_value", "signature"}


def test_a_different_key_fails_the_signature(resolve_1edtech):
    stranger = Ed25519PrivateKey.generate().public_key()
    result = verify_proof(signed("obv3p0"), lambda method: stranger)
    assert failed(result) == {"signature"}


def test_a_key_given_as_multikey_string_is_accepted():
    result = verify_proof(signed("obv3p0"), lambda method: method.partition("#")[2])
    assert result.verified


@pytest.mark.parametrize("proof_value", [
    "5x9aCBYovW3CQCbKdNyhEm7ffYSw1YpEdPywQJoNbzDD2gkzQDKJ1sYKJaWvqZtkMtSbz35HcbgXVEDYHxCzgkCr",
    "z5x9aCBYovW3CQCbKdNyhEm7ffYSw1YpEdPywQJoNbzDD2gkzQDKJ1sYKJaWvqZtkMtSbz35HcbgXVEDYHxCzgk0",
    "z5x9aCBYovW3CQCbKdNyhEm7ffYSw1YpEdPy",
    "", None, 12, ["z5x9"],
])
def test_malformed_proof_values_fail_cleanly(proof_value, resolve_1edtech):
    credential = signed("obv3p0")
    credential["proof"]["proofValue"] = proof_value
    result = verify_proof(credential, resolve_1edtech)
    assert failed(result) == {"proof_value"}


@pytest.mark.parametrize(("proof_type", "suite"), [
    ("DataIntegrityProof", "eddsa-2022"),
    ("DataIntegrityProof", "ecdsa-rdfc-2019"),
    ("DataIntegrityProof", None),
    ("Ed25519Signature2020", None),
])
def test_unknown_cryptosuites_are_reported_not_raised(proof_type, suite, resolve_1edtech):
    credential = signed("obv3p0")
    credential["proof"]["type"] = proof_type
    credential["proof"]["cryptosuite"] = suite
    result = verify_proof(credential, resolve_1edtech)
    assert [c.name for c in result.failures] == ["cryptosuite"]
    assert "eddsa-rdfc-2022" in result.failures[0].message


def test_a_proof_made_for_another_purpose_fails(resolve_1edtech):
    result = verify_proof(signed("obv3p0"), resolve_1edtech,
                          expected_proof_purpose="authentication")
    assert failed(result) == {"proof_purpose"}


def test_an_unknown_key_fails_the_verification_method_check():
    result = verify_proof(signed("obv3p0"), multikey.key_resolver())
    assert failed(result) == {"verification_method"}
    assert "example.edu" in result.failures[0].message


def test_an_expired_proof_fails(private_1edtech, resolve_1edtech):
    credential = signed("obv3p0")
    credential["proof"]["expires"] = "2011-01-01T00:00:00Z"
    result = verify_proof(credential, resolve_1edtech)
    assert "dates" in failed(result)


def test_a_proof_chain_is_reported_as_unsupported(resolve_1edtech):
    credential = signed("obv3p0")
    credential["proof"]["previousProof"] = "urn:uuid:earlier"
    assert failed(verify_proof(credential, resolve_1edtech)) == {"previous_proof"}


def test_a_resolver_that_crashes_is_contained(resolve_1edtech):
    def broken(method):
        raise RuntimeError("key service down")

    result = verify_proof(signed("obv3p0"), broken)
    assert failed(result) == {"verification_method"}
    assert "key service down" in result.failures[0].message


@pytest.mark.parametrize("thing", [
    None, "a string", 42, [], {}, {"@context": "https://www.w3.org/ns/credentials/v2"},
    {"@context": ["https://www.w3.org/ns/credentials/v2"], "proof": "z123"},
    {"@context": ["https://www.w3.org/ns/credentials/v2"], "proof": []},
    {"@context": ["https://www.w3.org/ns/credentials/v2"], "proof": [None, 3]},
    {"@context": 7, "proof": only_proof(signed("obv3p0"))},
])
def test_garbage_never_raises_and_never_verifies(thing, resolve_1edtech):
    result = verify_proof(thing, resolve_1edtech)
    assert not result.verified and result.failures


def test_unknown_context_fails_canonicalization_with_the_url(resolve_1edtech):
    credential = signed("obv3p0")
    credential["@context"].append("https://evil.example/context.json")
    result = verify_proof(credential, resolve_1edtech)
    assert failed(result) == {"canonicalization"}
    assert "https://evil.example/context.json" in result.failures[0].message


@pytest.mark.parametrize("key", [b"\0" * 32, None, ONEEDTECH_PUBLIC_MULTIKEY])
def test_only_an_ed25519_private_key_can_sign(key):
    with pytest.raises(ValueError):  # ProofError, or MultikeyError for a public Multikey
        create_proof(unsigned(signed("obv3p0")), key, "did:ex:1#k", "2024-05-01T00:00:00Z")
