"""Quality assurance: practitioners' qualifications, and institutions checked against the
published construction standard for their kind (evidence per item, then a reviewer's verdict).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.audit.services import record
from learncity.catalogue import choices
from learncity.catalogue.models import ChecklistItem, Inspection, InspectionCheck, Practitioner
from learncity.catalogue.services.offers import WRITE_SCOPE
from learncity.catalogue.standards import ANY_KIND
from learncity.errors import Conflict, ValidationFailed
from learncity.institutions.models import Institution


def add_practitioner(
    actor: Actor,
    institution: Institution,
    *,
    name: str,
    role: str,
    competence: str,
    qualification: str = "",
    qualification_no: str = "",
    standard: str = "",
    valid_until: date | None = None,
) -> Practitioner:
    actor.require_institution(institution.pk, WRITE_SCOPE)
    if not name.strip() or len(name) > 100:
        raise ValidationFailed(_("Give the person's name (at most 100 characters)."), field="name")
    if role not in choices.PRACTITIONER_ROLES:
        raise ValidationFailed(_("Choose teacher, manager or volunteer tutor."), field="role")
    if competence not in choices.COMPETENCE_LEVELS:
        raise ValidationFailed(_("Choose a competence level."), field="competence")
    with transaction.atomic():
        person = Practitioner.objects.create(
            institution=institution,
            name=name.strip(),
            role=role,
            competence=competence,
            qualification=qualification.strip()[:200],
            qualification_no=qualification_no.strip()[:60],
            standard=standard.strip()[:100],
            valid_until=valid_until,
        )
        record(actor, "catalogue.practitioner.add", person, institution=institution.code)
    return person


def verify_practitioner(actor: Actor, person: Practitioner) -> Practitioner:
    """A reviewer confirms the qualification was checked against the certificate."""
    actor.require_role("reviewer", "admin")
    with transaction.atomic():
        person.verified_at = timezone.now()
        person.verified_by = actor.user
        person.save(update_fields=["verified_at", "verified_by"])
        record(actor, "catalogue.practitioner.verify", person)
    return person


def checklist_for(kind: str) -> list[ChecklistItem]:
    """The newest standard's items for this kind of institution, or the general items."""
    for wanted in (kind, ANY_KIND):
        items = ChecklistItem.objects.filter(institution_kind=wanted)
        newest = items.order_by("-standard").values_list("standard", flat=True).first()
        if newest:
            return list(items.filter(standard=newest))
    return []


def start_inspection(actor: Actor, institution: Institution) -> Inspection:
    """Open a check of an institution against its standard (the institution or a reviewer)."""
    if not actor.may_act_for(institution.pk, WRITE_SCOPE):
        actor.require_role("reviewer", "admin")
    if Inspection.objects.filter(institution=institution, verdict="").exists():
        raise Conflict(
            _("An inspection of this institution is already open."), code="inspection.open"
        )
    items = checklist_for(institution.kind)
    if not items:
        raise ValidationFailed(
            _("No construction standard is published for this kind of institution.")
        )
    with transaction.atomic():
        inspection = Inspection.objects.create(institution=institution, standard=items[0].standard)
        InspectionCheck.objects.bulk_create(
            InspectionCheck(inspection=inspection, item=i) for i in items
        )
        record(actor, "catalogue.inspection.start", inspection, institution=institution.code)
    return inspection


def answer_check(
    actor: Actor, check: InspectionCheck, answer: str, evidence: str
) -> InspectionCheck:
    """The institution says whether it meets one requirement, and shows the evidence."""
    inspection = check.inspection
    actor.require_institution(inspection.institution_id, WRITE_SCOPE)
    if inspection.verdict:
        raise Conflict(_("This inspection is decided; start a new one."), code="inspection.decided")
    if answer not in ("met", "not_met", "not_applicable"):
        raise ValidationFailed(_("Answer met, not met or not applicable."), field="answer")
    if answer == "met" and not evidence.strip():
        raise ValidationFailed(
            _("Show the evidence: a document, photo link or figure."), field="evidence"
        )
    with transaction.atomic():
        check.answer, check.evidence = answer, evidence.strip()[:2000]
        check.save(update_fields=["answer", "evidence"])
        record(
            actor, "catalogue.inspection.answer", inspection, item=check.item.code, answer=answer
        )
    return check


def decide_inspection(
    actor: Actor, inspection: Inspection, verdict: str, note: str = ""
) -> Inspection:
    """The reviewer's verdict: meets only when every applicable item is met."""
    actor.require_role("reviewer", "admin")
    if inspection.verdict:
        raise Conflict(_("This inspection is already decided."), code="inspection.decided")
    if verdict not in choices.VERDICTS:
        raise ValidationFailed(_("Choose a verdict."), field="verdict")
    answers = list(inspection.checks.values_list("answer", flat=True))
    if "unset" in answers:
        raise ValidationFailed(
            _("Every item needs an answer before a verdict (%(n)s open).")
            % {"n": answers.count("unset")},
            field="verdict",
        )
    if verdict == "meets" and "not_met" in answers:
        raise ValidationFailed(
            _("Some items are not met: choose “with conditions” or “does not meet”."),
            field="verdict",
        )
    if verdict != "meets" and not note.strip():
        raise ValidationFailed(_("Say what must change."), field="note")
    with transaction.atomic():
        inspection.verdict, inspection.note = verdict, note.strip()
        inspection.reviewer, inspection.decided_at = actor.user, timezone.now()
        inspection.save(update_fields=["verdict", "note", "reviewer", "decided_at"])
        record(actor, "catalogue.inspection.decide", inspection, verdict=verdict, reason=note)
    return inspection
