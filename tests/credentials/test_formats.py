"""Pure parts: status bitstrings, VC-JWT, did:web, schema conformance, submission parsing."""

from __future__ import annotations

import base64
import gzip

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from learncity.credentials import bitstring, didweb, multikey, schema, vcjwt, verify

from .published import signed


def test_a_status_list_round_trips_with_bit_zero_the_first_bytes_high_bit():
    encoded = bitstring.encode([0, 7, 131_071])
    assert encoded.startswith("u")
    bits = bitstring.decode(encoded)
    assert len(bits) == 16_384 and bits[0] == 0b1000_0001 and bits[-1] == 0b0000_0001
    assert bitstring.is_set(bits, 7) and not bitstring.is_set(bits, 8)


@pytest.mark.parametrize("value", [
    "zabc", "u!!!", 42, "u" + base64.urlsafe_b64encode(gzip.compress(b"\0" * 16)).decode(),
])
def test_malformed_or_too_short_status_lists_are_refused(value):
    with pytest.raises(bitstring.StatusListError):
        bitstring.decode(value)


def test_a_gzip_bomb_is_not_inflated_past_the_limit():
    bomb = "u" + base64.urlsafe_b64encode(gzip.compress(b"\0" * (1 << 26))).decode()
    with pytest.raises(bitstring.StatusListError):
        bitstring.decode(bomb)


def test_a_vc_jwt_carries_the_credential_and_verifies_with_the_named_key():
    secret = Ed25519PrivateKey.generate()
    method = multikey.did_key_verification_method(secret.public_key())
    credential = dict(signed("obv3p0"))
    token = vcjwt.sign(credential, secret, method)
    header, payload = vcjwt.read_unverified(token)
    assert header == {"alg": "Ed25519", "typ": "vc+jwt", "cty": "vc", "kid": method,
                      "iss": credential["issuer"]["id"]}
    assert "proof" not in payload and payload["name"] == "Teamwork Badge"
    got, checks = vcjwt.verify(token, multikey.key_resolver())
    assert got == payload and all(c.passed for c in checks)


def test_did_web_names_and_document_urls():
    assert didweb.did_web("credit.example.gov.cn") == "did:web:credit.example.gov.cn"
    assert didweb.did_web("localhost:8000") == "did:web:localhost%3A8000"
    assert didweb.document_url("did:web:localhost%3A8000") == \
        "http://localhost:8000/.well-known/did.json"
    assert didweb.document_url("did:web:example.com:user:alice") == \
        "https://example.com/user/alice/did.json"


def test_older_key_forms_in_supplied_documents_are_read_as_multikeys():
    secret = Ed25519PrivateKey.generate()
    raw = multikey.public_key_bytes(secret.public_key())
    x = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    did = "did:web:college.example"
    document = {"id": did, "verificationMethod": [{
        "id": f"{did}#k", "type": "JsonWebKey", "controller": did,
        "publicKeyJwk": {"kty": "OKP", "crv": "Ed25519", "x": x}}],
        "assertionMethod": [f"{did}#k"]}
    resolve = didweb.key_resolver(supplied=[document])
    assert multikey.public_key_bytes(resolve(f"{did}#k")) == raw


def test_schema_problems_say_where_and_what():
    credential = signed("obv3p0")
    assert schema.problems(credential) == ("AchievementCredential", [])
    del credential["credentialSubject"]["achievement"]["criteria"]
    credential["validFrom"] = "2010-01-01"
    _definition, found = schema.problems(credential)
    assert any(p.startswith("validFrom:") and "time zone" in p for p in found)
    assert "credentialSubject.achievement: 'criteria' is a required property" in found


def test_submissions_are_parsed_with_clear_refusals():
    assert verify.parse_submission(b'\xef\xbb\xbf{"a": 1}', 100) == {"a": 1}
    assert verify.parse_submission(' "aaa.bbb.ccc" ', 100) == "aaa.bbb.ccc"
    for raw, words in ((b"", "no credential"), (b"[1]", "JSON object"), (b"\xff", "UTF-8"),
                       (b"[" * 5000 + b"]" * 5000, "nested"),
                       (b'{"a":' * 100 + b"1" + b"}" * 100, "nested more than 64"),
                       (b"x" * 20_001, "at most 20,000")):
        with pytest.raises(verify.SubmissionError, match=words):
            verify.parse_submission(raw, 20_000)


def test_cached_context_processing_gives_what_a_fresh_loader_gives_in_every_thread():
    from concurrent.futures import ThreadPoolExecutor

    from learncity.credentials.contexts import OfflineDocumentLoader
    from learncity.credentials.rdfc import canonicalize

    from .published import read_text

    documents = {name: {k: v for k, v in signed(name).items() if k != "proof"}
                 for name in ("obv3p0", "clrv2p0")}
    expected = {name: read_text(f"1edtech-{name}-document-canon.txt") for name in documents}
    for name, document in documents.items():  # warm the shared caches, then compare
        assert canonicalize(document) == expected[name]
        assert canonicalize(document, loader=OfflineDocumentLoader()) == expected[name]
    jobs = [name for name in documents for _ in range(6)]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda name: (name, canonicalize(documents[name])), jobs))
    assert all(out == expected[name] for name, out in results)
