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
from functools import cache

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
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


def _sign(unsigned: dict, now: datetime, key=None) -> tuple[dict, str, object]:
    key = key or keys.active_key()
    secret = keys.private_key(key)
    document = create_proof(unsigned, secret, key.verification_method, now)
    return document, vcjwt.sign(unsigned, secret, key.verification_method), key


def _store(actor, kind, learner, unsigned_for, title, *, recognition=None, now=None, key=None,
           savepoint=True):
    """Allocate a status position, build, sign and save; retried once on a position clash.

    `key` is the signing key when the caller read it in the same transaction (a batch);
    otherwise the active key is read here. With `savepoint=False` the insert is not wrapped in
    a savepoint and a clash (IntegrityError) is raised: for a caller whose own transaction is
    the outermost, which then rolls back whole and can be run again.
    """
    now = now or timezone.now()
    for attempt in range(2):
        list_no, index = statuslists.allocate()
        credential_uuid = uuid.uuid4()
        unsigned = unsigned_for(credential_uuid.urn, statuslists.entries(list_no, index), now)
        document, jwt, key = _sign(unsigned, now, key)
        try:
            with transaction.atomic(savepoint=savepoint):
                issued = IssuedCredential.objects.create(
                    uuid=credential_uuid, kind=kind, learner=learner, recognition=recognition,
                    outcome_id=recognition.outcome_id if recognition else None, issuer_key=key,
                    title=title[:300], document=document, jwt=jwt,
                    sha256=build.digest(document), status_list=list_no, status_index=index,
                    issued_at=now, valid_until=_valid_until(unsigned),
                )
        except IntegrityError:
            if not savepoint:
                raise
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


# What a credential says (facts.py) and the checks before issuing: nothing else is loaded.
_FACT_FIELDS = (
    "learner_id", "outcome_id", "standard_id", "status", "is_current", "level", "category",
    "credits", "decided_at",
    "outcome__status", "outcome__title", "outcome__kind", "outcome__code", "outcome__lineage",
    "outcome__issuer_name", "outcome__institution_id", "outcome__result",
    "outcome__result_type", "outcome__hours", "outcome__started_on", "outcome__completed_on",
    "outcome__evidence_url", "outcome__evidence_sha256",
    "outcome__institution__code", "outcome__institution__name_zh",
    "outcome__institution__name_en",
    "learner__learner_no", "learner__name",
    "standard__code", "standard__version", "standard__name_zh", "standard__name_en",
    "standard__framework_id",
)
BATCH = 200  # recognitions read, and credentials issued, per transaction of a batch


@cache
def _recognitions():
    """Recognitions with all a credential says about them, and the pk of one already issued.

    Built once per process (a QuerySet is only a description; each use filters a copy)."""
    return Recognition.objects.order_by().select_related(
        "outcome", "outcome__institution", "learner", "standard"
    ).only(*_FACT_FIELDS).annotate(issued_pk=Subquery(IssuedCredential.objects.filter(
        recognition=OuterRef("pk"), kind="achievement").order_by().values("pk")[:1]))


def _check_issuable(rec: Recognition) -> None:
    if not rec.is_current or rec.status != "recognised" or rec.outcome.status != "recorded":
        raise Conflict(_("Only a recognised outcome in force gets a credential."))
    if rec.level is None or rec.credits is None:
        raise ValidationFailed(_("The recognition has no level or credits."))


def _issue_achievement(actor: Actor, rec: Recognition, key=None, savepoint=True):
    issuer, subject = facts.issuer(), facts.subject(rec.learner)

    def unsigned_for(credential_id, status, now):
        achievement = facts.achievement(rec, credential_id, status)
        until = _years_later(now, VALIDITY_YEARS) if VALIDITY_YEARS else None
        return build.achievement_credential(
            issuer, subject, achievement, now, until, awarded=rec.decided_at)

    return _store(actor, "achievement", rec.learner, unsigned_for, rec.outcome.title,
                  recognition=rec, key=key, savepoint=savepoint)


def issue_for_recognition(actor: Actor, recognition_id: int) -> IssuedCredential:
    """The OB 3.0 credential of one recognised outcome (the existing one if already issued).

    Called outside any transaction (a request, the CLI), its own transaction is the outermost:
    the insert then needs no savepoint, and on a clash with another process (the same status
    position, or the same recognition issued meanwhile) the whole transaction is rolled back
    and the issue runs once more from the start, with savepoints, as inside a transaction.
    """
    if not transaction.get_connection().in_atomic_block:
        try:
            return _issue_one(actor, recognition_id, savepoint=False)
        except IntegrityError:
            pass  # rolled back whole: nothing of this attempt was written
    return _issue_one(actor, recognition_id, savepoint=True)


def _issue_one(actor: Actor, recognition_id: int, savepoint: bool) -> IssuedCredential:
    rec = next(iter(_recognitions().filter(pk=recognition_id)[:1]), None)
    if rec is None:
        raise NotFound(_("No such recognition."))
    _may_issue(actor, rec.learner_id)
    if rec.issued_pk is not None:
        return IssuedCredential.objects.get(pk=rec.issued_pk)
    _check_issuable(rec)
    with transaction.atomic():
        return _issue_achievement(actor, rec, savepoint=savepoint)


def issue_for_recognitions(actor: Actor, recognition_ids) -> list[IssuedCredential]:
    """The OB 3.0 credentials of many recognised outcomes, in the order given.

    The same rules, checks, signatures, status positions and audit entries as
    `issue_for_recognition`, one by one; what is shared is read once per transaction of up to
    BATCH credentials: the recognitions (one query), the credentials already issued, and the
    signing key (read inside that transaction, so a rotation counts from the next one). Every
    recognition is checked before any of its transaction's credentials is issued, and an error
    leaves that transaction's credentials unissued (earlier transactions stay committed).
    """
    ids = list(dict.fromkeys(int(i) for i in recognition_ids))
    result: dict[int, IssuedCredential] = {}
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        found = {rec.pk: rec for rec in _recognitions().filter(pk__in=chunk)}
        missing = [i for i in chunk if i not in found]
        if missing:
            raise NotFound(_("No such recognition."))
        for rec in found.values():
            _may_issue(actor, rec.learner_id)
        existing = [rec.issued_pk for rec in found.values() if rec.issued_pk is not None]
        for issued in IssuedCredential.objects.filter(pk__in=existing):
            result[issued.recognition_id] = issued
        waiting = [found[i] for i in chunk if found[i].issued_pk is None]
        for rec in waiting:
            _check_issuable(rec)
        if not waiting:
            continue
        with transaction.atomic():
            key = keys.active_key()
            for rec in waiting:
                try:
                    result[rec.pk] = _issue_achievement(actor, rec, key)
                except Conflict:  # issued meanwhile by another process: return that one
                    other = IssuedCredential.objects.filter(
                        recognition=rec, kind="achievement").first()
                    if other is None:
                        raise
                    result[rec.pk] = other
    return [result[i] for i in ids]


def issue_missing(actor: Actor, learner: Learner) -> list[IssuedCredential]:
    """Issue the credentials of every recognised outcome of a learner that has none yet."""
    _may_issue(actor, learner.pk)
    waiting = Recognition.objects.filter(
        learner=learner, is_current=True, status="recognised", outcome__status="recorded"
    ).exclude(pk__in=IssuedCredential.objects.filter(
        learner=learner, kind="achievement").values("recognition_id"))
    return issue_for_recognitions(actor, waiting.values_list("pk", flat=True))


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
