"""LRS credentials: issued once by CLI or service, stored hashed, revocable, scoped."""

from __future__ import annotations

import base64
import io

import pytest
from django.core.management import CommandError, call_command

from learncity.errors import NotAuthenticated, PermissionDenied
from learncity.lrs.credentials import authenticate, create_credential
from learncity.lrs.models import Credential

pytestmark = pytest.mark.django_db


def create_by_cli(*args) -> tuple[str, str]:
    out = io.StringIO()
    call_command("lrs_credentials", "create", *args, stdout=out)
    lines = dict(line.split(":", 1) for line in out.getvalue().splitlines() if ":" in line)
    return lines["key"].strip(), lines["secret"].strip()


def test_the_cli_prints_the_secret_once_and_keeps_only_its_hash(institution):
    key, secret = create_by_cli("--institution", "SOU", "--scope", "read")
    credential = Credential.objects.get(key=key)
    assert secret not in credential.secret_hash and len(credential.secret_hash) == 64
    assert credential.scopes == ["read"] and authenticate(key, secret) == credential
    listing = io.StringIO()
    call_command("lrs_credentials", "list", stdout=listing)
    assert key in listing.getvalue() and secret not in listing.getvalue()


def test_a_revoked_credential_is_refused(institution, client):
    key, secret = create_by_cli("--institution", "SOU")
    call_command("lrs_credentials", "revoke", key, stdout=io.StringIO())
    with pytest.raises(NotAuthenticated):
        authenticate(key, secret)
    auth = "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()
    response = client.get(
        "/xapi/statements", HTTP_AUTHORIZATION=auth, HTTP_X_EXPERIENCE_API_VERSION="1.0.3"
    )
    assert response.status_code == 401


def test_unknown_institutions_and_scopes_are_refused(institution):
    with pytest.raises(CommandError):
        create_by_cli("--institution", "NOPE")
    with pytest.raises(CommandError):
        create_by_cli("--institution", "SOU", "--scope", "admin")


def test_only_officers_of_the_institution_issue_credentials(
    institution, other_institution, officer_actor, key_actor
):
    credential, _secret = create_credential(officer_actor, institution, "moodle", ["write"])
    assert credential.institution == institution
    with pytest.raises(PermissionDenied):
        create_credential(officer_actor, other_institution, "moodle", ["write"])
    with pytest.raises(PermissionDenied):
        create_credential(key_actor, institution, "moodle", ["write"])  # not with an API key
