"""Fixtures over the published vectors (see `published.py`)."""

from __future__ import annotations

import pytest

from learncity.access import actor_for_user
from learncity.credentials import multikey

from .published import ONEEDTECH_SECRET_MULTIKEY, read_json


@pytest.fixture
def resolve_1edtech():
    """Resolves the example issuer's key only for assertionMethod, as a verifier would."""
    return multikey.key_resolver(read_json("keys-1edtech.json").values())


@pytest.fixture
def private_1edtech():
    return multikey.decode_private_key(ONEEDTECH_SECRET_MULTIKEY)


@pytest.fixture
def admin_actor(staff):
    return actor_for_user(staff("framework", "framework_admin"))


@pytest.fixture
def learner_actor(learner):
    return actor_for_user(learner.user)


@pytest.fixture
def recognition(admin_actor, system, institution, learner):
    """One outcome of the learner, recognised by a published standard (3 credits, level 5)."""
    from .helpers import publish_standards, recognised

    publish_standards(admin_actor)
    return recognised(system, institution, evidence_url="https://sou.example/e/1.pdf")


@pytest.fixture(autouse=True)
def _fresh_issuer_caches():
    """Each test has its own database: forget the issuer DID and framework facts cached."""
    from learncity.credentials import facts, keys, statuslists

    keys.reset_cache()
    statuslists.reset_cache()
    facts._MEMO.clear()
    yield
    keys.reset_cache()
    statuslists.reset_cache()
