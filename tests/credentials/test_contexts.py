"""Contexts come only from the shipped copies; any other URL fails clearly and is never fetched."""

from __future__ import annotations

import hashlib
import socket
import subprocess
import sys

import pytest
from pyld import jsonld

from learncity.credentials import contexts
from learncity.credentials.contexts import OfflineDocumentLoader, UnknownContextError
from learncity.credentials.proofs import canonicalize

from .published import NAMES, read_text, signed

# SHA-256 of each shipped file. The OB files equal 1EdTech's repository copies; credentials v1/v2
# and DID v1 equal the copies bundled with pyld. A change here must be a reviewed decision,
# because it changes what every signature covers.
SHIPPED = {
    "https://www.w3.org/ns/credentials/v2":
        "8a9f494a89ecc51db093e90e84713e07e84d6d9204364a9b3c7868b21751236f",
    "https://www.w3.org/2018/credentials/v1":
        "00d7dd6d3ad8b920e3e550dd3a3d9090bffcac84cdbf943da6924b3e0a5c8bb8",
    "https://www.w3.org/ns/credentials/undefined-terms/v2":
        "82dab514ba44eb18f5d1b0f638c5e140c6a556fbfb5089601bdc0fa5eb8b2581",
    "https://www.w3.org/ns/credentials/status/v1":
        "fd08cbf28ddd829ab2f1978c48f43ab07a112c1c90245a0cfac7ba721c65170c",
    "https://w3id.org/security/data-integrity/v1":
        "b5d829bd09aa7c42abc6efa0c8ed7635313b5487f37ccfce3ecd149ca9418554",
    "https://w3id.org/security/data-integrity/v2":
        "0f77743daf5b4e8fc067fc5ba5b21044283053aa717fc6b0219843bed3b00363",
    "https://w3id.org/security/multikey/v1":
        "c5f3806f8286920573221938917988a18a4cc5a09e968d29649613c7a1c2b1f6",
    "https://www.w3.org/ns/did/v1":
        "62c1054bf404d6dd3a4b26b64f830fd72095f6a26edc4469908c94351352ce5f",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json":
        "d582f3564282fb3b709136d28412e78e70b678b4dbc2f0221f67d84932748355",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json":
        "00666ad080ba407687ed1846b7f5e7495f5019042b202a727de47c48a1755c53",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json":
        "ef2fa9c7846dce233cc166b43639027278be4ee44f00bb1d45c75de2dd0cd761",
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json":
        "d371397030ae9b16a37c468fac463d37ff441f3a7bb364ddfc964624c573b847",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json":
        "2d013f981d1f4516081a6a04e55468ba2b071d4153b794f19a79715c45a89a5e",
}
UNKNOWN = "https://contexts.example/not-shipped/v1"


@pytest.fixture
def offline(monkeypatch):
    """Any attempt to reach the network, or to use pyld's own (fetching) loader, is recorded."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(jsonld, "_default_document_loader", refuse)
    return attempts


def test_every_shipped_context_is_the_reviewed_file():
    assert set(contexts.shipped_contexts()) == set(SHIPPED)
    for url, file_name in contexts.shipped_contexts().items():
        data = (contexts.CONTEXTS_DIR / file_name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == SHIPPED[url], url
        assert "@context" in contexts.load_context(url)


def test_the_loader_hands_out_copies():
    url = "https://www.w3.org/ns/credentials/v2"
    contexts.default_loader(url)["document"]["@context"]["injected"] = "urn:evil"
    assert "injected" not in contexts.default_loader(url)["document"]["@context"]


def test_extra_documents_cannot_replace_shipped_contexts():
    with pytest.raises(ValueError, match="credentials/v2"):
        OfflineDocumentLoader({"https://www.w3.org/ns/credentials/v2": {"@context": {}}})


@pytest.mark.parametrize("name", NAMES)
def test_vectors_canonicalise_with_no_network_and_no_default_loader(name, offline):
    document = signed(name)
    del document["proof"]
    assert canonicalize(document) == read_text(f"1edtech-{name}-document-canon.txt")
    assert offline == []


def test_loader_refuses_an_unknown_url_by_name(offline):
    with pytest.raises(UnknownContextError) as caught:
        contexts.default_loader(UNKNOWN)
    assert caught.value.url == UNKNOWN
    assert offline == []


@pytest.mark.parametrize("where", ["top", "nested"])
def test_unknown_context_fails_clearly_without_network(where, offline):
    credential = signed("obv3p0")
    del credential["proof"]
    if where == "top":
        credential["@context"].append(UNKNOWN)
    else:
        credential["credentialSubject"]["@context"] = UNKNOWN
    with pytest.raises(UnknownContextError, match="never fetched") as caught:
        canonicalize(credential)
    assert caught.value.url == UNKNOWN and UNKNOWN in str(caught.value)
    assert offline == []


def test_an_unknown_context_is_not_remembered_from_another_loader(offline):
    """A context served by one loader (extra) is not visible through the default one."""
    document = {"@context": [UNKNOWN], "@id": "urn:ex:s", "name": "x"}
    extra = OfflineDocumentLoader({UNKNOWN: {"@context": {"name": "https://schema.org/name"}}})
    assert canonicalize(document, loader=extra) == '<urn:ex:s> <https://schema.org/name> "x" .\n'
    with pytest.raises(UnknownContextError):
        canonicalize(document)


def test_the_core_imports_nothing_from_django():
    code = ("import sys, learncity.credentials.proofs, learncity.credentials.multikey; "
            "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
