"""Ed25519 Multikeys and did:key decode to the published keys, and refuse anything else."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from learncity.credentials import multikey
from learncity.credentials.multikey import MultikeyError

from .published import (
    ONEEDTECH_PUBLIC_HEX,
    ONEEDTECH_PUBLIC_MULTIKEY,
    ONEEDTECH_SECRET_MULTIKEY,
    ONEEDTECH_SEED_HEX,
    W3C_PUBLIC_MULTIKEY,
    W3C_SECRET_MULTIKEY,
    read_json,
)

ISSUER = "https://example.edu/issuers/565049"
METHOD = f"{ISSUER}#{ONEEDTECH_PUBLIC_MULTIKEY}"


@pytest.mark.parametrize(("data", "encoded"), [
    (b"Hello World!", "2NEpo7TZRRrLZSi2U"),  # the Base58 draft's example
    (b"yes mani !", "7paNL19xttacUY"),  # multibase test vectors, with leading zeros below
    (b"\0yes mani !", "17paNL19xttacUY"),
    (b"\0\0yes mani !", "117paNL19xttacUY"),
    (b"", ""),
])
def test_base58btc_matches_published_examples(data, encoded):
    assert multikey.b58encode(data) == encoded
    assert multikey.b58decode(encoded) == data


@given(st.binary(max_size=80))
def test_base58btc_round_trips(data):
    assert multikey.multibase_decode(multikey.multibase_encode(data)) == data


def test_1edtech_public_key_is_the_published_hex():
    key = multikey.decode_public_key(ONEEDTECH_PUBLIC_MULTIKEY)
    assert multikey.public_key_bytes(key).hex() == ONEEDTECH_PUBLIC_HEX
    assert multikey.encode_public_key(key) == ONEEDTECH_PUBLIC_MULTIKEY


def test_1edtech_secret_key_in_the_64_byte_form_gives_the_published_seed():
    key = multikey.decode_private_key(ONEEDTECH_SECRET_MULTIKEY)
    assert key.private_bytes_raw().hex() == ONEEDTECH_SEED_HEX
    assert multikey.encode_public_key(key.public_key()) == ONEEDTECH_PUBLIC_MULTIKEY


def test_w3c_secret_key_round_trips_in_the_multikey_32_byte_form():
    key = multikey.decode_private_key(W3C_SECRET_MULTIKEY)
    assert multikey.encode_private_key(key) == W3C_SECRET_MULTIKEY
    assert multikey.encode_public_key(key.public_key()) == W3C_PUBLIC_MULTIKEY


def test_generated_keys_round_trip():
    key = Ed25519PrivateKey.generate()
    again = multikey.decode_private_key(multikey.encode_private_key(key))
    assert again.private_bytes_raw() == key.private_bytes_raw()
    assert multikey.encode_public_key(key.public_key()).startswith("z6Mk")


def test_a_64_byte_secret_key_with_a_foreign_public_half_is_refused():
    raw = multikey.multibase_decode(ONEEDTECH_SECRET_MULTIKEY)
    other = multikey.public_key_bytes(Ed25519PrivateKey.generate().public_key())
    with pytest.raises(MultikeyError, match="does not match"):
        multikey.decode_private_key(multikey.multibase_encode(raw[:34] + other))


@pytest.mark.parametrize("value", [
    W3C_SECRET_MULTIKEY,  # a secret key where a public key belongs
    "u7QFL3q_eLqi-763YxpmSx-BwTPURVNUuF7ILcTN8oEzFpQ",  # right bytes, base64url multibase
    "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hw",  # one character short
    "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hw0",  # '0' is not base58
    "zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme",  # a secp256k1 key
    "", None, 42,
])
def test_anything_but_an_ed25519_public_multikey_is_refused(value):
    with pytest.raises(MultikeyError):
        multikey.decode_public_key(value)


def test_a_public_key_is_not_accepted_as_a_secret_key():
    with pytest.raises(MultikeyError):
        multikey.decode_private_key(ONEEDTECH_PUBLIC_MULTIKEY)


def test_did_key_resolves_to_a_multikey_document():
    did = f"did:key:{W3C_PUBLIC_MULTIKEY}"
    document = multikey.resolve_did_key(did)
    method_id = f"{did}#{W3C_PUBLIC_MULTIKEY}"
    assert document["id"] == did
    assert document["verificationMethod"] == [{
        "id": method_id, "type": "Multikey", "controller": did,
        "publicKeyMultibase": W3C_PUBLIC_MULTIKEY,
    }]
    assert document["assertionMethod"] == [method_id]
    key = multikey.decode_private_key(W3C_SECRET_MULTIKEY).public_key()
    assert multikey.did_key_verification_method(key) == method_id


@pytest.mark.parametrize("did_url", [
    f"did:key:{W3C_PUBLIC_MULTIKEY}#{ONEEDTECH_PUBLIC_MULTIKEY}",  # fragment names another key
    "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme",
    "did:web:example.com",
    "did:key:",
])
def test_bad_did_keys_are_refused(did_url):
    with pytest.raises(MultikeyError):
        multikey.resolve_did_key(did_url)


def test_resolver_finds_the_1edtech_key_for_assertion():
    resolve = multikey.key_resolver(read_json("keys-1edtech.json").values())
    assert multikey.encode_public_key(resolve(METHOD)) == ONEEDTECH_PUBLIC_MULTIKEY


def test_resolver_refuses_a_key_not_listed_for_the_purpose():
    resolve = multikey.key_resolver(read_json("keys-1edtech.json").values(), "authentication")
    with pytest.raises(MultikeyError, match="authentication"):
        resolve(METHOD)


def test_resolver_refuses_a_method_controlled_by_someone_else():
    document = read_json("keys-1edtech.json")[ISSUER]
    document["verificationMethod"][0]["controller"] = "https://attacker.example"
    with pytest.raises(MultikeyError, match="someone else"):
        multikey.key_resolver([document])(METHOD)


@pytest.mark.parametrize("method", [
    "https://unknown.example/issuer#key-1",
    f"{ISSUER}#other-key",
    None,
])
def test_resolver_refuses_unknown_methods(method):
    with pytest.raises(MultikeyError):
        multikey.key_resolver(read_json("keys-1edtech.json").values())(method)


def test_resolver_resolves_did_key_without_controller_documents():
    method = f"did:key:{W3C_PUBLIC_MULTIKEY}#{W3C_PUBLIC_MULTIKEY}"
    assert multikey.encode_public_key(multikey.key_resolver()(method)) == W3C_PUBLIC_MULTIKEY
