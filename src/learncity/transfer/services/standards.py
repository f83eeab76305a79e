"""Publishing and retiring transfer standards, after the checks in `validation.py`."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.audit.services import record
from learncity.errors import Conflict, NotFound, ValidationFailed
from learncity.transfer import validation
from learncity.transfer.loading import rule_of
from learncity.transfer.messages import problem_text
from learncity.transfer.models import AllianceMember, ProgrammeCourse, TransferStandard
from learncity.transfer.services.access import require_publisher


def _institutions(standard: TransferStandard) -> list[int]:
    if standard.institution_id:
        return [standard.institution_id]
    members = AllianceMember.objects.filter(alliance_id=standard.alliance_id)
    return list(members.values_list("institution_id", flat=True))


def known_courses(standard: TransferStandard) -> set[str]:
    """Course codes of the programmes the standard may grant: the publisher's or members'."""
    courses = ProgrammeCourse.objects.filter(programme__institution_id__in=_institutions(standard))
    if standard.programmes:
        courses = courses.filter(programme__code__in=standard.programmes)
    return set(courses.values_list("code", flat=True))


def problems_of(standard: TransferStandard) -> list[tuple[str, dict]]:
    """Everything that stops this standard from being published (empty: it may be)."""
    try:
        rules = [rule_of(r, standard.key) for r in standard.rules.all()]
    except ValueError as error:
        return [("never_applies", {"rule": standard.key, "slot": "?", "why": str(error)})]
    courses = known_courses(standard)
    problems = validation.rule_problems(rules, courses)
    others = TransferStandard.objects.filter(status="published").exclude(pk=standard.pk)
    if standard.institution_id:
        others = others.filter(institution_id=standard.institution_id)
    else:
        others = others.filter(alliance_id=standard.alliance_id)
    for other in others.prefetch_related("rules"):
        rules += [rule_of(r, other.key) for r in other.rules.all()]
    return problems + validation.cycles(rules, courses)


def _get(standard_id: int) -> TransferStandard:
    standard = (
        TransferStandard.objects.select_related("institution", "alliance")
        .filter(pk=standard_id)
        .first()
    )
    if standard is None:
        raise NotFound(_("No such transfer standard."))
    return standard


def publish_standard(actor: Actor, standard_id: int) -> TransferStandard:
    standard = _get(standard_id)
    require_publisher(actor, standard)
    if standard.status != "draft":
        raise Conflict(
            _("Only a draft can be published; this standard is %(s)s.")
            % {"s": standard.get_status_display()}
        )
    problems = problems_of(standard)
    if problems:
        texts = [problem_text(code, params) for code, params in problems]
        raise ValidationFailed(
            _("%(k)s cannot be published: %(p)s") % {"k": standard.key, "p": " ".join(texts)},
            field="rules",
            code=f"standard.{problems[0][0]}",
            details=[{"code": c, **p} for c, p in problems],
        )
    with transaction.atomic():
        if not TransferStandard.objects.filter(pk=standard.pk, status="draft").update(
            status="published", published_at=timezone.now()
        ):
            raise Conflict(_("The standard was published meanwhile."))
        record(actor, "transfer.standard.publish", standard, key=standard.key)
    standard.refresh_from_db()
    return standard


def retire_standard(actor: Actor, standard_id: int, reason: str) -> TransferStandard:
    """Stop a standard for new proposals; applications submitted under it keep it."""
    standard = _get(standard_id)
    require_publisher(actor, standard)
    if not reason.strip():
        raise ValidationFailed(_("Say why the standard is retired."), field="reason")
    with transaction.atomic():
        if not TransferStandard.objects.filter(pk=standard.pk, status="published").update(
            status="retired"
        ):
            raise Conflict(_("Only a published standard can be retired."))
        record(actor, "transfer.standard.retire", standard, reason=reason)
    standard.refresh_from_db()
    return standard
