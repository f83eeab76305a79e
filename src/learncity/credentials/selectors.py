"""Reads shared by the credential pages and the API."""

from __future__ import annotations

import hashlib

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.credentials import didweb, keys
from learncity.credentials.models import IssuedCredential, ShareLink
from learncity.errors import NotFound, PermissionDenied
from learncity.framework.models import Framework
from learncity.identity.models import Learner

READERS = ("reviewer", "auditor", "admin")


def _may_read(actor: Actor, learner_id: int) -> None:
    if actor.learner_id != learner_id and not any(actor.has_role(r) for r in READERS):
        raise PermissionDenied(_("You may read only your own credentials."))


def credentials_of(actor: Actor, learner: Learner, kind: str | None = None) -> QuerySet:
    _may_read(actor, learner.pk)
    found = IssuedCredential.objects.filter(learner=learner).select_related("issuer_key")
    return found.filter(kind=kind) if kind else found


def credential_for(actor: Actor, credential_uuid) -> IssuedCredential:
    try:
        issued = IssuedCredential.objects.filter(uuid=credential_uuid).first()
    except Exception:  # a malformed UUID
        issued = None
    if issued is None:
        raise NotFound(_("No such credential."))
    _may_read(actor, issued.learner_id)
    return issued


def shared(token: str) -> IssuedCredential:
    """The credential behind a share link that is still valid."""
    digest = hashlib.sha256(token.encode()).hexdigest()
    link = ShareLink.objects.select_related("credential").filter(token_sha256=digest).first()
    if link is None or link.revoked_at or link.expires_at <= timezone.now():
        raise NotFound(_("This link does not exist or has expired. Ask for a new one."))
    return link.credential


def did_document() -> dict:
    keys.active_key()  # the first key is made on first use
    return didweb.did_document(keys.issuer_did(), keys.published_keys())


def issuer_base_url() -> str:
    return didweb.base_url(keys.issuer_did())


def framework(code: str, version: str) -> Framework:
    found = Framework.objects.filter(code=code, version=version).prefetch_related(
        "levels", "categories").first()
    if found is None:
        raise NotFound(_("No such framework."))
    return found
