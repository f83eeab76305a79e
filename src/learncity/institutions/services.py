"""Institutions, staff roles and API keys."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.audit.services import record
from learncity.errors import NotAuthenticated, NotFound, ValidationFailed
from learncity.identity import districts
from learncity.institutions.models import (
    API_SCOPES,
    INSTITUTION_KINDS,
    ROLE_CHOICES,
    ApiKey,
    Institution,
    StaffRole,
)
from learncity.institutions.uscc import USCCError, check_uscc

_USCC_MESSAGES = {
    "wrong_length": _("A unified social credit code has 18 characters."),
    "bad_characters": _(
        "A unified social credit code uses digits and capital letters except I, O, Z, S and V."
    ),
    "bad_check_char": _(
        "The last character of the unified social credit code does not match "
        "the others. Check the code on the business licence."
    ),
}


def create_institution(
    actor: Actor,
    *,
    code: str,
    name_zh: str,
    kind: str,
    district_code: str,
    uscc: str,
    name_en: str = "",
    accredited: bool = True,
) -> Institution:
    actor.require_role("admin")
    try:
        uscc = check_uscc(uscc)
    except USCCError as error:
        raise ValidationFailed(
            _USCC_MESSAGES[error.code], field="uscc", code=f"uscc.{error.code}"
        ) from None
    if kind not in dict(INSTITUTION_KINDS):
        raise ValidationFailed(_("Unknown institution kind."), field="kind")
    if districts.by_code(district_code) is None:
        raise ValidationFailed(_("Choose a district from the list."), field="district_code")
    if Institution.objects.filter(code=code).exists():
        raise ValidationFailed(_("Another institution already uses this code."), field="code")
    if Institution.objects.filter(uscc=uscc).exists():
        raise ValidationFailed(
            _("Another institution already has this unified social credit code."), field="uscc"
        )
    with transaction.atomic():
        institution = Institution.objects.create(
            code=code,
            name_zh=name_zh,
            name_en=name_en,
            kind=kind,
            district_code=district_code,
            uscc=uscc,
            accredited=accredited,
        )
        record(actor, "institution.create", institution, code=code)
    return institution


def grant_role(
    actor: Actor, user, role: str, institution: Institution | None = None, reason: str = ""
) -> StaffRole:
    actor.require_role("admin")
    if role not in dict(ROLE_CHOICES):
        raise ValidationFailed(_("Unknown role."), field="role")
    if role == "officer" and institution is None:
        raise ValidationFailed(
            _("An institution officer needs an institution."), field="institution"
        )
    with transaction.atomic():
        staff_role, _created = StaffRole.objects.get_or_create(
            user=user, role=role, institution=institution
        )
        record(
            actor,
            "role.grant",
            staff_role,
            reason=reason,
            user=user.username,
            role=role,
            institution=institution.code if institution else None,
        )
    return staff_role


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_api_key(
    actor: Actor, institution: Institution, name: str, scopes: list[str]
) -> tuple[ApiKey, str]:
    """Create a key; return it with the full token, which is never retrievable again."""
    actor.require_institution(institution.pk)
    if actor.api_key is not None:
        raise ValidationFailed(_("API keys are issued in the portal, not with another key."))
    unknown = set(scopes) - set(API_SCOPES)
    if not scopes or unknown:
        raise ValidationFailed(
            _("Choose scopes from: %(scopes)s.") % {"scopes": ", ".join(API_SCOPES)}, field="scopes"
        )
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        key = ApiKey.objects.create(
            institution=institution,
            name=name,
            prefix=prefix,
            secret_hash=_hash_secret(secret),
            scopes=sorted(scopes),
            created_by=actor.user,
        )
        record(actor, "apikey.issue", key, institution=institution.code, scopes=sorted(scopes))
    return key, f"lc_{prefix}_{secret}"


def revoke_api_key(actor: Actor, key: ApiKey, reason: str = "") -> None:
    actor.require_institution(key.institution_id)
    with transaction.atomic():
        ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        record(actor, "apikey.revoke", key, reason=reason)


def authenticate_api_key(token: str) -> ApiKey:
    """Find the live key for a bearer token, comparing hashes in constant time."""
    bad = NotAuthenticated(_("The API key is not valid or has been revoked."))
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != "lc":
        raise bad
    key = ApiKey.objects.select_related("institution").filter(prefix=parts[1]).first()
    if key is None or key.revoked_at is not None:
        raise bad
    if not hmac.compare_digest(key.secret_hash, _hash_secret(parts[2])):
        raise bad
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key


def institution_by_code(code: str) -> Institution:
    institution = Institution.objects.filter(code=code, active=True).first()
    if institution is None:
        raise NotFound(
            _("No active institution has the code %(code)s.") % {"code": code}, field="institution"
        )
    return institution
