"""Verifiable Credentials core: offline JSON-LD contexts, Ed25519 Multikeys, eddsa-rdfc-2022.

Pure Python with no Django imports, so the issuing and verifying rules can be tested against
published vectors on their own and reused by the Django app, the CLI and background jobs alike.
"""
