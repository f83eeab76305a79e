"""did:web identifiers and documents, and the key resolver a verifier uses.

LearnCity's issuer is `did:web:<host>`; its DID document, served at
`https://<host>/.well-known/did.json`, lists every signing key it ever used, so credentials
signed before a key rotation still verify. A key that was withdrawn (compromised) is left out
of `assertionMethod`, and signatures by it fail.

A verifier never fetches anything: LearnCity's own document comes from its database, and other
issuers' did:web documents are supplied with the credential. did:key needs no document.
Documents using the older `Ed25519VerificationKey2020` or `JsonWebKey` (OKP/Ed25519) forms are
read as Multikeys, so credentials of other conformant issuers verify too.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

from . import multikey

DID_CONTEXT = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
_LOCAL_HOSTS = ("localhost", "127.0.0.1", "testserver")


@dataclass(frozen=True)
class PublishedKey:
    """One key of the issuer's DID document."""

    fragment: str
    public_key_multibase: str
    assertion: bool = True  # False once withdrawn: listed nowhere, so it verifies nothing


def did_web(host: str) -> str:
    """`did:web` of a host name (a port becomes `%3A`)."""
    host = host.strip().lower()
    if not host or "/" in host:
        raise ValueError(f"{host!r} is not a host name")
    return "did:web:" + quote(host, safe=".-")


def host_of(did: str) -> str:
    if not did.startswith("did:web:"):
        raise ValueError(f"{did!r} is not a did:web")
    return unquote(did.removeprefix("did:web:").split(":")[0])


def base_url(did: str) -> str:
    """The web origin a did:web names (http only for a developer's own machine)."""
    host = host_of(did)
    scheme = "http" if host.split(":")[0] in _LOCAL_HOSTS else "https"
    return f"{scheme}://{host}"


def document_url(did: str) -> str:
    """Where the DID document of a did:web is published."""
    parts = [unquote(p) for p in did.removeprefix("did:web:").split(":")]
    path = "/".join(parts[1:]) + "/did.json" if len(parts) > 1 else ".well-known/did.json"
    return f"{base_url(did)}/{path}"


def did_document(did: str, keys: Sequence[PublishedKey]) -> dict[str, Any]:
    """The DID document of the issuer: every key, old ones included."""
    methods = [
        {
            "id": f"{did}#{key.fragment}",
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": key.public_key_multibase,
        }
        for key in keys if key.assertion
    ]
    ids = [m["id"] for m in methods]
    return {
        "@context": list(DID_CONTEXT),
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
    }


def _jwk_multikey(jwk: Any) -> str:
    if not isinstance(jwk, Mapping) or jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise multikey.MultikeyError("only OKP Ed25519 JSON Web Keys are supported")
    if "d" in jwk:
        raise multikey.MultikeyError("a DID document must not contain a private key")
    x = jwk.get("x", "")
    raw = base64.urlsafe_b64decode(x + "=" * (-len(x) % 4))
    if len(raw) != 32:
        raise multikey.MultikeyError("an Ed25519 JWK has a 32-byte x")
    return multikey.multibase_encode(multikey.ED25519_PUB_HEADER + raw)


def _as_multikey(method: Mapping[str, Any]) -> dict[str, Any]:
    method = dict(method)
    if method.get("type") in ("Ed25519VerificationKey2020", "Ed25519VerificationKey2018") \
            and "publicKeyMultibase" in method:
        method["type"] = "Multikey"
    elif method.get("type") in ("JsonWebKey", "JsonWebKey2020") and "publicKeyJwk" in method:
        try:
            method["publicKeyMultibase"] = _jwk_multikey(method["publicKeyJwk"])
            method["type"] = "Multikey"
        except (multikey.MultikeyError, ValueError):
            pass  # left as it is; the resolver then says it is not a Multikey
    return method


def normalise(document: Mapping[str, Any]) -> dict[str, Any]:
    """A controller document with Ed25519 methods in Multikey form, embedded methods listed."""
    document = dict(document)
    methods = [_as_multikey(m) for m in document.get("verificationMethod", []) or []
               if isinstance(m, Mapping)]
    for relationship in multikey.VERIFICATION_RELATIONSHIPS:
        entries = document.get(relationship)
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, Mapping) and entry.get("id"):
                methods.append(_as_multikey(entry))
    document["verificationMethod"] = methods
    return document


def key_resolver(
    own: Iterable[Mapping[str, Any]] = (), supplied: Iterable[Mapping[str, Any]] = (),
) -> multikey.KeyResolver:
    """Resolve did:key, LearnCity's own documents, then documents the caller supplied.

    A supplied document never replaces one of LearnCity's own: a submitter cannot vouch for a
    key in LearnCity's name.
    """
    documents: dict[str, dict[str, Any]] = {}
    for document in supplied:
        if isinstance(document, Mapping) and isinstance(document.get("id"), str):
            documents[document["id"]] = normalise(document)
    for document in own:
        documents[document["id"]] = dict(document)
    inner = multikey.key_resolver(documents.values())

    def resolve(method: str):
        controller = method.partition("#")[0] if isinstance(method, str) else ""
        if controller.startswith("did:web:") and controller not in documents:
            raise multikey.MultikeyError(
                f"{controller} is not LearnCity's DID and no DID document was supplied for it; "
                "LearnCity never fetches keys from the network; supply the document published at "
                f"{document_url(controller)}"
            )
        return inner(method)

    return resolve
