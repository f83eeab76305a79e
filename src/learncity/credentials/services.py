"""Credential use cases: issue (OB 3.0 per recognised outcome, CLR 2.0 for the archive), revoke,
suspend and reinstate, share. Each is one transaction, checks the actor and writes the audit
trail. A credential is signed twice — a Data Integrity eddsa-rdfc-2022 proof and a VC-JWT —
and stored exactly as signed; revocation only ever flips its bit in the status lists.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.audit.services import record
from learncity.credentials import build, facts, keys, statuslists, vcjwt
from learncity.credentials.models import IssuedCredential, ShareLink
from learncity.credentials.proofs import create_proof
from learncity.creditbank.models import Recognition
from learncity.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from learncity.identity.models import Learner

VALIDITY_YEARS = 10  # validUntil: re-issued (same facts, fresh keys) after this
STAFF = ("reviewer", "admin")
MAX_SHARE_DAYS = 90


def _may_issue(actor: Actor, learner_id: int) -> None:
    if actor.learner_id != learner_id and not any(actor.has_role(r) for r in STAFF):
        raise PermissionDenied(_("Only the learner or the credit bank may issue this credential."))


def _sign(unsigned: dict, now: datetime) -> tuple[dict, str, object]:
    key = keys.active_key()
    secret = keys.private_key(key)
    document = create_proof(unsigned, secret, key.verification_method, now)
    return document, vcjwt.sign(unsigned, secret, key.verification_method), key


def _store(actor, kind, learner, unsigned_for, title, *, recognition=None, now=None):
    """Allocate a status position, build, sign and save; retried once on a position clash."""
    now = now or timezone.now()
    for attempt in range(2):
        list_no, index = statuslists.allocate()
        credential_uuid = uuid.uuid4()
        unsigned = unsigned_for(credential_uuid.urn, statuslists.entries(list_no, index), now)
        document, jwt, key = _sign(unsigned, now)
        try:
            with transaction.atomic():
                issued = IssuedCredential.objects.create(
                    uuid=credential_uuid, kind=kind, learner=learner, recognition=recognition,
                    outcome_id=recognition.outcome_id if recognition else None, issuer_key=key,
                    title=title[:300], document=document, jwt=jwt,
                    sha256=build.digest(document), status_list=list_no, status_index=index,
                    issued_at=now, valid_until=_valid_until(unsigned),
                )
        except IntegrityError:
            if attempt or (recognition and IssuedCredential.objects.filter(
                    recognition=recognition, kind="achievement").exists()):
                raise Conflict(_("The credential was issued meanwhile.")) from None
            continue
        record(actor, f"credential.issue.{kind}", issued, uuid=str(issued.uuid),
               sha256=issued.sha256, key=key.verification_method)
        return issued
    raise Conflict(_("No free status list position was found; try again."))


def _years_later(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def _valid_until(unsigned: dict):
    value = unsigned.get("validUntil")
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def issue_for_recognition(actor: Actor, recognition_id: int) -> IssuedCredential:
    """The OB 3.0 credential of one recognised outcome (the existing one if already issued)."""
    rec = Recognition.objects.select_related(
        "outcome", "outcome__institution", "learner", "standard", "standard__framework"
    ).filter(pk=recognition_id).first()
    if rec is None:
        raise NotFound(_("No such recognition."))
    _may_issue(actor, rec.learner_id)
    existing = IssuedCredential.objects.filter(recognition=rec, kind="achievement").first()
    if existing is not None:
        return existing
    if not rec.is_current or rec.status != "recognised" or rec.outcome.status != "recorded":
        raise Conflict(_("Only a recognised outcome in force gets a credential."))
    if rec.level is None or rec.credits is None:
        raise ValidationFailed(_("The recognition has no level or credits."))
    issuer, subject = facts.issuer(), facts.subject(rec.learner)

    def unsigned_for(credential_id, status, now):
        achievement = facts.achievement(rec, credential_id, status)
        until = _years_later(now, VALIDITY_YEARS) if VALIDITY_YEARS else None
        return build.achievement_credential(
            issuer, subject, achievement, now, until, awarded=rec.decided_at)

    with transaction.atomic():
        return _store(actor, "achievement", rec.learner, unsigned_for, rec.outcome.title,
                      recognition=rec)


def issue_missing(actor: Actor, learner: Learner) -> list[IssuedCredential]:
    """Issue the credentials of every recognised outcome of a learner that has none yet."""
    _may_issue(actor, learner.pk)
    waiting = Recognition.objects.filter(
        learner=learner, is_current=True, status="recognised", outcome__status="recorded"
    ).exclude(pk__in=IssuedCredential.objects.filter(
        learner=learner, kind="achievement").values("recognition_id"))
    return [issue_for_recognition(actor, rec_id)
            for rec_id in waiting.values_list("pk", flat=True)]


def _associations(achievements: list[dict]) -> list[tuple[str, str, str]]:
    """Achievements of one framework category are peers: chained pairwise, in archive order."""
    last_of: dict[str, str] = {}
    links = []
    for item in achievements:
        field = item.get("fieldOfStudy", "")
        if field in last_of and last_of[field] != item["id"]:
            links.append(("isPeerOf", last_of[field], item["id"]))
        last_of[field] = item["id"]
    return links


def issue_clr(actor: Actor, learner: Learner, selection=None) -> IssuedCredential:
    """A CLR 2.0 of the learner's archive, or of the credentials chosen (by UUID)."""
    _may_issue(actor, learner.pk)
    chosen = IssuedCredential.objects.filter(
        learner=learner, kind="achievement", revoked_at__isnull=True).order_by("issued_at", "id")
    if selection is not None:
        chosen = chosen.filter(uuid__in=list(selection))
    chosen = list(chosen)
    if not chosen:
        raise ValidationFailed(_("There is no valid credential to put in a learner record yet."))
    ids = sorted(str(c.document.get("id")) for c in chosen)
    latest = IssuedCredential.objects.filter(
        learner=learner, kind="clr", revoked_at__isnull=True).first()
    if latest and sorted(
            vc.get("id") for vc in latest.document["credentialSubject"]["verifiableCredential"]
    ) == ids and (latest.valid_until is None or latest.valid_until > timezone.now()):
        return latest
    achievements = [c.document["credentialSubject"]["achievement"] for c in chosen]
    issuer, subject = facts.issuer(), facts.subject(learner)
    name = f"学习成果档案 · Learning record — {learner.name} ({learner.learner_no})"

    def unsigned_for(credential_id, status, now):
        return build.clr_credential(
            issuer, subject, credential_id, name, [c.document for c in chosen], achievements,
            _associations(achievements), now, status)

    with transaction.atomic():
        return _store(actor, "clr", learner, unsigned_for, name)


def _staff_change(actor: Actor, credential_uuid, reason: str) -> IssuedCredential:
    actor.require_role(*STAFF)
    if not reason.strip():
        raise ValidationFailed(_("Say why the credential's status changes."), field="reason")
    issued = IssuedCredential.objects.select_for_update().filter(uuid=credential_uuid).first()
    if issued is None:
        raise NotFound(_("No such credential."))
    if issued.revoked_at:
        raise Conflict(_("The credential is revoked; revocation is final."))
    return issued


def revoke(actor: Actor, credential_uuid, reason: str) -> IssuedCredential:
    with transaction.atomic():
        issued = _staff_change(actor, credential_uuid, reason)
        issued.revoked_at, issued.status_reason = timezone.now(), reason
        issued.save(update_fields=["revoked_at", "status_reason"])
        record(actor, "credential.revoke", issued, reason=reason)
    return issued


def set_suspended(actor: Actor, credential_uuid, suspended: bool, reason: str):
    with transaction.atomic():
        issued = _staff_change(actor, credential_uuid, reason)
        issued.suspended, issued.status_reason = suspended, reason
        issued.save(update_fields=["suspended", "status_reason"])
        record(actor, "credential.suspend" if suspended else "credential.reinstate", issued,
               reason=reason)
    return issued


def _revoke_all(actor: Actor, found, reason: str, **details) -> int:
    now, count = timezone.now(), 0
    for issued in found.select_for_update().filter(revoked_at__isnull=True):
        issued.revoked_at, issued.status_reason = now, reason
        issued.save(update_fields=["revoked_at", "status_reason"])
        record(actor, "credential.revoke", issued, reason=reason, **details)
        count += 1
    return count


def revoke_for_outcome(actor: Actor, outcome_id: int, reason: str) -> int:
    """Called by the credit bank when an outcome is revoked, inside its transaction."""
    return _revoke_all(actor, IssuedCredential.objects.filter(outcome_id=outcome_id), reason,
                       outcome=outcome_id)


def revoke_for_recognition(actor: Actor, recognition_id: int, reason: str) -> int:
    """Revoke the credential of a decision that an appeal replaced."""
    return _revoke_all(actor, IssuedCredential.objects.filter(recognition_id=recognition_id),
                       reason, recognition=recognition_id)


def share(actor: Actor, credential_uuid, days: int = 30) -> tuple[ShareLink, str]:
    """A link that shows the credential to anyone holding it until it expires."""
    learner_id = actor.require_learner()
    if not 1 <= int(days) <= MAX_SHARE_DAYS:
        raise ValidationFailed(
            _("A link can last from 1 to %(n)s days.") % {"n": MAX_SHARE_DAYS}, field="days")
    issued = IssuedCredential.objects.filter(uuid=credential_uuid, learner_id=learner_id).first()
    if issued is None:
        raise NotFound(_("No such credential in your account."))
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        link = ShareLink.objects.create(
            credential=issued, token_sha256=hashlib.sha256(token.encode()).hexdigest(),
            expires_at=timezone.now() + timedelta(days=int(days)),
            created_by=actor.user if getattr(actor.user, "pk", None) else None)
        record(actor, "credential.share", issued, days=int(days))
    return link, token
