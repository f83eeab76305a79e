"""Published vectors for the credentials tests: 1EdTech OB 3.0 / CLR 2.0, and the W3C suite.

Every value here is quoted from a specification, never computed by the code under test.

The 1EdTech example issuer key is published in the OB 3.0 implementation guide ("Linked Data
Proof Test Vector", Key pair & Multikey); the W3C key in vc-di-eddsa, appendix "Test Vectors".
Both are test keys whose private half is public on purpose.
"""

from __future__ import annotations

import json
from pathlib import Path

VECTORS = Path(__file__).with_name("vectors")

ONEEDTECH_PUBLIC_HEX = "4bdeafde2ea8beefadd8c699b5c7e0704cf51154d52e17b20b71337ca04cc5a5"
ONEEDTECH_SEED_HEX = "6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be4"
ONEEDTECH_PUBLIC_MULTIKEY = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
ONEEDTECH_SECRET_MULTIKEY = (  # Digital Bazaar's 64-byte seed+public form
    "zrv2bqTbNwCTsRrHFcJCPjVAduh4Ezcnoq1A3ZxH1GWTNkxipLVuaAoMFmze2gFN9oNXfJjufxSHWVZzsJiUsMHFMcx"
)
W3C_PUBLIC_MULTIKEY = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
W3C_SECRET_MULTIKEY = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"  # 32-byte seed form

NAMES = ("obv3p0", "clrv2p0")


def read_json(name: str):
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


def read_text(name: str) -> str:
    return (VECTORS / name).read_text(encoding="utf-8")


def signed(name: str) -> dict:
    return read_json(f"1edtech-{name}-signed.json")


def only_proof(credential: dict) -> dict:
    proof = credential["proof"]
    return proof[0] if isinstance(proof, list) else proof

# Intermediate values printed in the 1EdTech linked-data-proof chapters ("Document hash (hex)",
# "Proof hash (hex)", "Signature (hex)"), keyed like the vector files.
ONEEDTECH_HASHES = {
    "obv3p0": {
        "document": "87f65a76d40146205e3b3e06cb0fbd153f97f9ce70372390f52566bb7f9e0773",
        "proof": "d34009cea0dbc1ca941e09dc01c8c9d3e3ce3c5b853f67ee44698dcea10f5d19",
        "signature": "f7a017acf7d27983267ec362657c0fb08e955549f49dac5bf36a03c4f2c3a4f1"
                     "e3738a6c5ecd7ffba7135cb9cd754e6196f4b73082ea8df8e703c8ecd4333503",
    },
    "clrv2p0": {
        "document": "768d7015ae69e0210e1c2a45194d9c1d15d7a6022e52b946574a2a27f6fa85fe",
        "proof": "d34009cea0dbc1ca941e09dc01c8c9d3e3ce3c5b853f67ee44698dcea10f5d19",
        "signature": "0c220dadbcfcaa64ab8a8c5002dbe258e6c7746ca71c25e2ea3b7fbffd665684"
                     "13f53b1d34f5655f3057864bd372bbf0d1e74ea2f8c72e2f4b5790f21a22b70a",
    },
}

# W3C vc-di-eddsa, appendix B.1 "Representation: eddsa-rdfc-2022" (TestVectors/).
W3C_EXAMPLES_CONTEXT_URL = "https://www.w3.org/ns/credentials/examples/v2"
W3C_EXAMPLES_CONTEXT = {"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}
W3C_UNSIGNED = {
    "@context": ["https://www.w3.org/ns/credentials/v2", W3C_EXAMPLES_CONTEXT_URL],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
}
W3C_VERIFICATION_METHOD = f"did:key:{W3C_PUBLIC_MULTIKEY}#{W3C_PUBLIC_MULTIKEY}"
W3C_CREATED = "2023-02-24T23:36:38Z"
W3C_DOCUMENT_HASH = "517744132ae165a5349155bef0bb0cf2258fff99dfe1dbd914b938d775a36017"
W3C_PROOF_HASH = "bea7b7acfbad0126b135104024a5f1733e705108f42d59668b05c0c50004c6b0"
W3C_PROOF_VALUE = (
    "z2YwC8z3ap7yx1nZYCg4L3j3ApHsF8kgPdSb5xoS1VR7vPG3F561B52hYnQF9iseabecm3ijx4K1FBTQsCZahKZme"
)

# Control characters in a literal and their canonical N-Quads form under RDFC-1.0, as given in
# the documentation of the rdf-canon crate (docs.rs, rdf_canon::canonicalize example).
RDFC_ESCAPE_INPUT = "\u0008\u0009\u000a\u000b\u000c\u000d\u0022\u005c\u007f"
RDFC_ESCAPE_CANONICAL = r'"\b\t\n\u000B\f\r\"\\\u007F"'
