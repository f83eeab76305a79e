"""LRS credentials: issuing, revoking and checking HTTP Basic key/secret pairs.

Only a SHA-256 of the secret is kept (the secret is 240 random bits, so a slow hash adds
nothing); the secret is shown once, when issued. Statements stored with a credential carry an
authority naming its key. Issuing and revoking are audited.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learncity.access import Actor
from learncity.audit.services import record
from learncity.errors import NotAuthenticated, PermissionDenied, ValidationFailed
from learncity.institutions.models import Institution
from learncity.lrs.models import SCOPES, Credential

AUTHORITY_HOMEPAGE = "https://learncity.invalid/xapi/credentials"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def lrs_actor(credential: Credential, ip: str | None = None) -> Actor:
    return Actor(
        label=f"lrs:{credential.key}",
        scopes=frozenset(f"lrs:{s}" for s in credential.scopes),
        ip=ip,
    )


def create_credential(
    actor: Actor,
    institution: Institution,
    name: str,
    scopes: list[str],
    default_version: str = "2.0.0",
) -> tuple[Credential, str]:
    """Issue a key and secret for a platform; the secret is returned once and never stored."""
    actor.require_institution(institution.pk, scope="lrs:admin")
    unknown = set(scopes) - set(SCOPES)
    if not scopes or unknown:
        raise ValidationFailed(_("Choose scopes from: read, write."), field="scopes")
    if default_version not in ("1.0.3", "2.0.0"):
        raise ValidationFailed(_("The default xAPI version is 1.0.3 or 2.0.0."), field="version")
    key, secret = secrets.token_hex(10), secrets.token_urlsafe(30)
    with transaction.atomic():
        credential = Credential.objects.create(
            institution=institution,
            name=name[:100],
            key=key,
            secret_hash=_hash(secret),
            scopes=sorted(set(scopes)),
            default_version=default_version,
            created_by=actor.user if getattr(actor.user, "pk", None) else None,
        )
        record(
            actor,
            "lrs.credential.create",
            credential,
            institution=institution.code,
            scopes=credential.scopes,
        )
    return credential, secret


def revoke_credential(actor: Actor, credential: Credential, reason: str = "") -> None:
    actor.require_institution(credential.institution_id, scope="lrs:admin")
    with transaction.atomic():
        Credential.objects.filter(pk=credential.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        record(actor, "lrs.credential.revoke", credential, reason=reason)


def authenticate(key: str, secret: str) -> Credential:
    """The live credential for a key and secret, compared in constant time; else a 401."""
    credential = Credential.objects.select_related("institution").filter(key=key).first()
    if (
        credential is None
        or credential.revoked_at is not None
        or not credential.institution.active
        or not hmac.compare_digest(credential.secret_hash, _hash(secret))
    ):
        raise NotAuthenticated(_("The LRS key or secret is wrong, or the credential is revoked."))
    now = timezone.now()
    if credential.last_used_at is None or now - credential.last_used_at > timedelta(minutes=5):
        Credential.objects.filter(pk=credential.pk).update(last_used_at=now)
    return credential


def require_scope(credential: Credential, scope: str) -> None:
    if scope not in credential.scopes:
        raise PermissionDenied(_("These LRS credentials may not %(scope)s.") % {"scope": scope})


def authority_for(credential: Credential) -> dict:
    return {
        "objectType": "Agent",
        "name": credential.institution.name_en or credential.institution.name_zh,
        "account": {"homePage": AUTHORITY_HOMEPAGE, "name": credential.key},
    }
