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

from django.db import connections, router, transaction
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


# Per database alias: the SQL of _credential_by_key and each column's converters.
_LOOKUP: dict[str, tuple[str, list[tuple[int, list, object]]]] = {}


def _credential_by_key(key: str) -> Credential | None:
    """``Credential.objects.select_related("institution").filter(key=key).first()``, with the
    SQL built once: compiling that query took more time than a single statement's storing."""
    connection = connections[router.db_for_read(Credential)]
    credential_fields = Credential._meta.concrete_fields
    institution_fields = Institution._meta.concrete_fields
    lookup = _LOOKUP.get(connection.alias)
    if lookup is None:
        quote = connection.ops.quote_name
        columns = [f"c.{quote(f.column)}" for f in credential_fields]
        columns += [f"i.{quote(f.column)}" for f in institution_fields]
        sql = (
            f"SELECT {', '.join(columns)} FROM {quote(Credential._meta.db_table)} c "
            f"JOIN {quote(Institution._meta.db_table)} i ON i.{quote('id')} = c."
            f"{quote(Credential._meta.get_field('institution').column)} WHERE c.{quote('key')} = %s"
        )
        converters = []
        for n, field in enumerate([*credential_fields, *institution_fields]):
            column = field.get_col(field.model._meta.db_table)  # as the ORM converts values
            found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if found:
                converters.append((n, found, column))
        lookup = _LOOKUP[connection.alias] = (sql, converters)
    sql, converters = lookup
    with connection.cursor() as cursor:
        cursor.execute(sql, [key])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for n, found, column in converters:
        for converter in found:
            values[n] = converter(values[n], column, connection)
    split = len(credential_fields)
    credential = Credential.from_db(
        connection.alias, [f.attname for f in credential_fields], values[:split]
    )
    credential.institution = Institution.from_db(
        connection.alias, [f.attname for f in institution_fields], values[split:]
    )
    return credential


def authenticate(key: str, secret: str) -> Credential:
    """The live credential for a key and secret, compared in constant time; else a 401."""
    credential = _credential_by_key(key)
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
