"""RDFC-1.0 canonicalisation reproduces the published canonical forms byte for byte.

A signature interoperates only if every implementation hashes exactly the same bytes; these are
the bytes 1EdTech published for its OB 3.0 and CLR 2.0 examples.
"""

from __future__ import annotations

import hashlib

import pytest

from learncity.credentials.contexts import OfflineDocumentLoader
from learncity.credentials.proofs import canonicalize, hash_data
from learncity.credentials.rdfc import CanonicalizationError, DatasetPoisoningError

from .published import (
    NAMES,
    ONEEDTECH_HASHES,
    RDFC_ESCAPE_CANONICAL,
    RDFC_ESCAPE_INPUT,
    W3C_CREATED,
    W3C_DOCUMENT_HASH,
    W3C_EXAMPLES_CONTEXT,
    W3C_EXAMPLES_CONTEXT_URL,
    W3C_PROOF_HASH,
    W3C_UNSIGNED,
    W3C_VERIFICATION_METHOD,
    only_proof,
    read_text,
    signed,
)


def unsecured(name: str) -> dict:
    document = signed(name)
    del document["proof"]
    return document


def proof_config(name: str) -> dict:
    """The proof options with the document's @context, as the cryptosuite builds them."""
    credential = signed(name)
    config = {k: v for k, v in only_proof(credential).items() if k != "proofValue"}
    config["@context"] = credential["@context"]
    return config


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.mark.parametrize("name", NAMES)
def test_document_canonical_form_is_the_published_one(name):
    assert canonicalize(unsecured(name)) == read_text(f"1edtech-{name}-document-canon.txt")


@pytest.mark.parametrize("name", NAMES)
def test_proof_configuration_canonical_form_is_the_published_one(name):
    assert canonicalize(proof_config(name)) == read_text(f"1edtech-{name}-proof-canon.txt")


@pytest.mark.parametrize("name", NAMES)
def test_hash_data_is_the_published_proof_hash_then_document_hash(name):
    published = ONEEDTECH_HASHES[name]
    assert sha256(read_text(f"1edtech-{name}-document-canon.txt")) == published["document"]
    data = hash_data(unsecured(name), only_proof(signed(name)))
    assert data.hex() == published["proof"] + published["document"]


def test_w3c_eddsa_rdfc_2022_vector_hashes():
    loader = OfflineDocumentLoader({W3C_EXAMPLES_CONTEXT_URL: W3C_EXAMPLES_CONTEXT})
    options = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
               "created": W3C_CREATED, "verificationMethod": W3C_VERIFICATION_METHOD,
               "proofPurpose": "assertionMethod"}
    data = hash_data(W3C_UNSIGNED, options, loader)
    assert data.hex() == W3C_PROOF_HASH + W3C_DOCUMENT_HASH


def test_nested_credential_proof_is_kept_in_its_own_graph():
    """The CLR signs the embedded OB credential with its proof, as a named graph."""
    canonical = canonicalize(unsecured("clrv2p0"))
    nested = only_proof(unsecured("clrv2p0")["credentialSubject"]["verifiableCredential"][0])
    assert f'"{nested["proofValue"]}"' in canonical
    assert "<https://w3id.org/security#proof> _:c14n1 ." in canonical


def test_control_characters_use_rdfc_escapes():
    document = {"@context": {"@vocab": "urn:ex:"}, "@id": "urn:ex:s", "p": RDFC_ESCAPE_INPUT}
    assert canonicalize(document) == f"<urn:ex:s> <urn:ex:p> {RDFC_ESCAPE_CANONICAL} .\n"


def test_canonical_form_does_not_depend_on_key_order_or_blank_node_names():
    first = {"@context": {"@vocab": "urn:ex:"}, "@id": "urn:ex:s",
             "p": [{"q": "a", "r": {"q": "b"}}, {"q": "c"}]}
    second = {"p": [{"q": "c"}, {"r": {"q": "b"}, "q": "a"}], "@id": "urn:ex:s",
              "@context": {"@vocab": "urn:ex:"}}
    assert canonicalize(first) == canonicalize(second)


@pytest.mark.parametrize("document", [
    {"@context": {"name": "https://schema.org/name"}, "@id": "urn:ex:s", "nickname": "x"},
    {"@context": {"@vocab": "urn:ex:"}, "@id": "relative/id", "p": "x"},
    {"@context": {"@vocab": "urn:ex:", "link": {"@type": "@id"}}, "@id": "urn:ex:s",
     "link": "not-absolute"},
], ids=["undefined-term", "relative-id", "relative-reference"])
def test_content_a_signature_would_not_cover_is_refused(document):
    """JSON-LD drops these silently; signing or accepting them would hide edits."""
    with pytest.raises(CanonicalizationError, match="signature"):
        canonicalize(document)


def test_undefined_term_in_a_real_credential_is_refused_under_vc_v1():
    credential = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "id": "urn:uuid:1", "type": ["VerifiableCredential"], "issuer": "https://a.example",
        "issuanceDate": "2010-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:1", "grade": "A"},
    }
    with pytest.raises(CanonicalizationError, match="grade"):
        canonicalize(credential)


def test_blank_node_clique_is_refused_as_dataset_poisoning():
    size = 8  # needs millions of permutations: minutes without the budget
    nodes = [{"@id": f"_:b{i}", "urn:ex:p": [{"@id": f"_:b{j}"} for j in range(size) if j != i]}
             for i in range(size)]
    with pytest.raises(DatasetPoisoningError):
        canonicalize({"@graph": nodes})


def test_small_symmetric_graphs_still_canonicalise():
    ring = [{"@id": f"_:b{i}", "urn:ex:next": {"@id": f"_:b{(i + 1) % 5}"}} for i in range(5)]
    canonical = canonicalize({"@graph": ring})
    assert canonical.count("\n") == 5 and "_:c14n4" in canonical


def test_a_document_must_be_an_object():
    with pytest.raises(CanonicalizationError):
        canonicalize(["not", "an", "object"])
