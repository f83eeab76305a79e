"""Fixtures over the published vectors (see `published.py`)."""

from __future__ import annotations

import pytest

from learncity.credentials import multikey

from .published import ONEEDTECH_SECRET_MULTIKEY, read_json


@pytest.fixture
def resolve_1edtech():
    """Resolves the example issuer's key only for assertionMethod, as a verifier would."""
    return multikey.key_resolver(read_json("keys-1edtech.json").values())


@pytest.fixture
def private_1edtech():
    return multikey.decode_private_key(ONEEDTECH_SECRET_MULTIKEY)
