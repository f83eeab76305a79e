"""Depositing, reporting, reviewing and correcting outcomes (one transaction each, audited)."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.audit.services import record
from learncity.errors import Conflict, NotFound, PayloadTooLarge, PermissionDenied, ValidationFailed
from learncity.identity.models import Learner
from learncity.institutions.models import Institution
from learncity.records.kinds import SELF_REPORTABLE_KINDS, default_category, find_kind
from learncity.records.matching import match_rows, outcome_from
from learncity.records.messages import report_entry
from learncity.records.models import Outcome
from learncity.records.rows import check_row
from learncity.records.signals import outcomes_deposited


def _user_id(actor: Actor):
    return getattr(actor.user, "pk", None)


def _refuse(problems: list[dict]) -> ValidationFailed:
    first = problems[0]
    message = (
        first["message"]
        if len(problems) == 1
        else _("%(count)s problems; the first, in %(column)s: %(message)s")
        % {"count": len(problems), "column": first["column_label"], "message": first["message"]}
    )
    return ValidationFailed(
        message, field=first["column"], code=f"outcome.{first['code']}", details=problems
    )


def deposit_outcomes(
    actor: Actor,
    institution: Institution,
    items: list[dict[str, str]],
    *,
    source: str,
    idempotency_key: str | None = None,
) -> list[Outcome]:
    """Deposit outcomes for one institution, all or none; each item as typed (strings)."""
    actor.require_institution(institution.pk)
    if len(items) > 1000:
        raise PayloadTooLarge(
            _("Send at most 1,000 outcomes in one request; use a spreadsheet upload for more.")
        )
    today = timezone.localdate()
    problems, checked = [], []
    for index, values in enumerate(items, start=1):
        result = check_row(values, today)
        if isinstance(result, list):
            problems += [report_entry(index, p) for p in result]
        else:
            key = f"api:{idempotency_key}:{index}" if idempotency_key else None
            checked.append((index, result, key))
    matched, unmatched = match_rows(institution.pk, checked) if checked else ([], [])
    problems += [report_entry(n, p) for n, p in unmatched]
    if problems:
        raise _refuse(sorted(problems, key=lambda p: p["row"]))
    with transaction.atomic():
        outcomes = [
            outcome_from(
                m, institution_id=institution.pk, source=source, created_by_id=_user_id(actor)
            )
            for _n, m in matched
        ]
        for outcome in outcomes:
            outcome.save()
        outcomes_deposited.send(sender=Outcome, outcome_ids=[o.pk for o in outcomes])
        record(
            actor,
            "outcome.deposit",
            institution,
            source=source,
            count=len(outcomes),
            outcome_ids=[o.pk for o in outcomes][:1000],
        )
    return outcomes


def save_evidence(outcome: Outcome, upload) -> None:
    """Attach an uploaded evidence file, keeping its SHA-256 so later tampering shows."""
    from django.conf import settings

    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise PayloadTooLarge(_("The evidence file is larger than allowed."), field="evidence")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    outcome.evidence_sha256 = digest.hexdigest()
    outcome.evidence_file.save(upload.name, upload, save=False)


def report_own_outcome(
    actor: Actor, values: dict[str, str], *, issuer_name: str = "", evidence=None
) -> Outcome:
    """A learner adds work experience, volunteering or self-study; it waits for review."""
    learner = Learner.objects.get(pk=actor.require_learner())
    kind = find_kind(values.get("kind", ""))
    if kind not in SELF_REPORTABLE_KINDS:
        raise ValidationFailed(
            _(
                "Learners may report work experience, social practice or "
                "volunteering, online courses and culture or leisure learning; "
                "other outcomes are deposited by the institution."
            ),
            field="kind",
        )
    if evidence is None and not values.get("evidence_url"):
        raise ValidationFailed(
            _("Attach a file or give a link that shows this outcome."), field="evidence"
        )
    from learncity.identity import vault

    values = {
        **values,
        "id_type": learner.doc_type,
        "id_country": learner.doc_country,
        "id_number": vault.decrypt(learner.id_encrypted),
        "name": learner.name,
    }
    result = check_row(values, timezone.localdate())
    if isinstance(result, list):
        raise _refuse([report_entry(1, p) for p in result])
    with transaction.atomic():
        outcome = Outcome(
            learner=learner,
            issuer_name=issuer_name[:200],
            kind=kind,
            category=result.category,
            title=result.title,
            code=result.code,
            hours=result.hours,
            credits=result.credits,
            result_type=result.result_type,
            result=result.result,
            started_on=result.started_on,
            completed_on=result.completed_on,
            evidence_url=result.evidence_url,
            source="self",
            status="pending_review",
            created_by=actor.user,
        )
        if evidence is not None:
            save_evidence(outcome, evidence)
        outcome.save()
        record(actor, "outcome.self_report", outcome, learner_no=learner.learner_no)
    return outcome


def review_reported_outcome(actor: Actor, outcome_id: int, *, approve: bool, note: str) -> Outcome:
    """A reviewer accepts or refuses a learner's own outcome; a second decision is refused."""
    actor.require_role("reviewer")
    if not approve and not note.strip():
        raise ValidationFailed(
            _("Say why the outcome is refused; the learner will read it."), field="note"
        )
    with transaction.atomic():
        changed = Outcome.objects.filter(pk=outcome_id, status="pending_review").update(
            status="recorded" if approve else "refused", review_note=note.strip()
        )
        if not changed:
            if not Outcome.objects.filter(pk=outcome_id).exists():
                raise NotFound(_("No such outcome."))
            raise Conflict(_("This outcome has already been decided."))
        outcome = Outcome.objects.get(pk=outcome_id)
        if approve:  # now recorded: the credit bank applies its standards
            outcomes_deposited.send(sender=Outcome, outcome_ids=[outcome.pk])
        record(
            actor,
            "outcome.review",
            outcome,
            reason=note,
            decision="approve" if approve else "refuse",
        )
    return outcome


CORRECTABLE = (
    "title",
    "code",
    "hours",
    "credits",
    "result",
    "started_on",
    "completed_on",
    "evidence_url",
    "kind",
)


def correct_outcome(actor: Actor, outcome_id: int, changes: dict[str, str], reason: str) -> Outcome:
    """Record a correction as a new version; the old one stays, marked as replaced."""
    old = Outcome.objects.select_related("learner").filter(pk=outcome_id).first()
    if old is None:
        raise NotFound(_("No such outcome."))
    if old.institution_id is None:
        actor.require_role("reviewer")
    elif not actor.may_act_for(old.institution_id):
        raise PermissionDenied(_("Only the issuing institution may correct this outcome."))
    if not reason.strip():
        raise ValidationFailed(_("Say why the outcome is corrected."), field="reason")
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise ValidationFailed(
            _("These fields cannot be corrected: %(f)s") % {"f": ", ".join(sorted(unknown))},
            field=sorted(unknown)[0],
        )
    from learncity.identity import vault

    current = {f: ("" if getattr(old, f) is None else str(getattr(old, f))) for f in CORRECTABLE}
    if old.result_type == "none":
        current["result"] = ""
    values = {
        **current,
        **changes,
        "id_type": old.learner.doc_type,
        "id_country": old.learner.doc_country,
        "name": old.learner.name,
        "id_number": vault.decrypt(old.learner.id_encrypted),
    }
    result = check_row(values, timezone.localdate())
    if isinstance(result, list):
        raise _refuse([report_entry(1, p) for p in result])
    with transaction.atomic():
        if not Outcome.objects.filter(pk=old.pk, is_current=True).update(
            is_current=False, status="superseded"
        ):
            raise Conflict(_("This outcome was corrected meanwhile; open the newest version."))
        new = Outcome.objects.create(
            learner=old.learner,
            institution_id=old.institution_id,
            issuer_name=old.issuer_name,
            kind=result.kind,
            category=default_category(result.kind),
            title=result.title,
            code=result.code,
            hours=result.hours,
            credits=result.credits,
            result_type=result.result_type,
            result=result.result,
            started_on=result.started_on,
            completed_on=result.completed_on,
            evidence_file=old.evidence_file,
            evidence_sha256=old.evidence_sha256,
            evidence_url=result.evidence_url,
            source=old.source,
            status=old.status,
            lineage=old.lineage,
            version=old.version + 1,
            supersedes=old,
            created_by=actor.user if _user_id(actor) else None,
        )
        record(
            actor, "outcome.correct", new, reason=reason, replaces=old.pk, changed=sorted(changes)
        )
    return new
