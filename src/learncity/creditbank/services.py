"""Credit bank use cases: publish standards, decide recognitions, appeal, revoke outcomes.

Each is one transaction, checks the actor, writes the audit trail, and — when credits move —
the hash-chained ledger in the same transaction.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learncity import config
from learncity.access import Actor
from learncity.audit.services import record
from learncity.creditbank import ledger
from learncity.creditbank.engine import RuleBook, reevaluate_waiting, rule_of
from learncity.creditbank.models import LedgerEntry, Recognition, RecognitionStandard
from learncity.creditbank.rules import ambiguous_with, formula_problems
from learncity.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from learncity.framework.models import Category, Level
from learncity.records.models import Outcome


def _check_standard(standard: RecognitionStandard) -> None:
    try:
        rule = rule_of(standard)
    except ValueError as error:
        raise ValidationFailed(
            _("The minimum result is not valid: %(e)s") % {"e": error}, field="min_result"
        ) from None
    problems = formula_problems(rule)
    if problems:
        raise ValidationFailed(
            _(
                "The credit formula could give negative or impossible credits: %(p)s. Set fixed "
                "credits, or positive hours per credit and rounding step."
            )
            % {"p": "; ".join(problems)},
            field="credits_fixed",
            code="standard.bad_formula",
        )
    if not Level.objects.filter(framework=standard.framework, number=standard.level).exists():
        raise ValidationFailed(
            _("Level %(n)s does not exist in the framework.") % {"n": standard.level}, field="level"
        )
    if not Category.objects.filter(framework=standard.framework, code=standard.category).exists():
        raise ValidationFailed(
            _("Category %(c)s does not exist in the framework.") % {"c": standard.category},
            field="category",
        )
    if standard.effective_to and standard.effective_to < standard.effective_from:
        raise ValidationFailed(_("The standard ends before it starts."), field="effective_to")


def publish_standard(actor: Actor, standard_id: int, *, dry_run: bool = False, progress=None):
    """Publish a draft standard and re-evaluate the waiting outcomes; dry-run only counts."""
    actor.require_role("framework_admin")
    standard = RecognitionStandard.objects.filter(pk=standard_id).first()
    if standard is None:
        raise NotFound(_("No such recognition standard."))
    if standard.status != "draft":
        raise Conflict(
            _("Only a draft can be published; this standard is %(s)s.")
            % {"s": standard.get_status_display()}
        )
    _check_standard(standard)
    published = list(RecognitionStandard.objects.filter(status="published"))
    clashes = ambiguous_with(rule_of(standard), [rule_of(s) for s in published])
    if clashes:
        raise ValidationFailed(
            _(
                "%(new)s and %(old)s are equally specific and could match the same outcome, so "
                "neither would win. Narrow one of them (a code, an institution, a date window) or "
                "retire the old one."
            )
            % {"new": standard.key, "old": clashes[0].key},
            field="code",
            code="standard.ambiguous",
        )
    book = RuleBook(published + [standard])
    if dry_run:
        return reevaluate_waiting(book, dry_run=True, progress=progress)
    with transaction.atomic():
        changed = RecognitionStandard.objects.filter(pk=standard.pk, status="draft").update(
            status="published", published_at=timezone.now()
        )
        if not changed:
            raise Conflict(_("The standard was published meanwhile."))
        record(actor, "standard.publish", standard, key=standard.key)
    return reevaluate_waiting(book, progress=progress)


def retire_standard(actor: Actor, standard_id: int, reason: str) -> None:
    actor.require_role("framework_admin")
    with transaction.atomic():
        if not RecognitionStandard.objects.filter(pk=standard_id, status="published").update(
            status="retired"
        ):
            raise Conflict(_("Only a published standard can be retired."))
        record(actor, "standard.retire", RecognitionStandard(pk=standard_id), reason=reason)


def _decimal(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValidationFailed(_("Credits must be a number."), field=field) from None
    if not number.is_finite() or number < 0 or number > 300:
        raise ValidationFailed(_("Credits must be between 0 and 300."), field=field)
    return number.quantize(Decimal("0.1"))


def four_eyes_threshold() -> Decimal:
    return Decimal(config.get("LEARNCITY_FOUR_EYES_CREDITS"))


def decide_recognition(
    actor: Actor,
    recognition_id: int,
    *,
    approve: bool,
    reason: str,
    level: int | None = None,
    category: str = "",
    credits=None,
) -> Recognition:
    """A reviewer recognises or refuses a waiting outcome; big awards need a second reviewer."""
    actor.require_role("reviewer")
    if not reason.strip():
        raise ValidationFailed(
            _("Give the reason for the decision; the learner will read it."), field="reason"
        )
    learner_id = (
        Recognition.objects.filter(pk=recognition_id).values_list("learner_id", flat=True).first()
    )
    if learner_id is None:
        raise NotFound(_("No such recognition."))
    with transaction.atomic():
        # Lock order everywhere: the learner first, then their rows (no deadlocks with revoke).
        ledger.lock_learners([learner_id])
        rec = Recognition.objects.select_for_update().get(pk=recognition_id)
        outcome = Outcome.objects.get(pk=rec.outcome_id)
        if not rec.is_current or rec.status not in ("pending", "second_review"):
            raise Conflict(_("This outcome has already been decided."))
        if outcome.status != "recorded":
            raise Conflict(_("The outcome was revoked or replaced; it cannot be recognised."))
        if rec.status == "second_review":
            return _second_review(actor, rec, outcome, approve, reason)
        if not approve:
            return _close(actor, rec, "refused", reason)
        if level is None or not category:
            raise ValidationFailed(
                _("Choose the level and category to recognise at."), field="level"
            )
        rec.level, rec.category = int(level), category
        rec.credits = _decimal(credits, "credits")
        rec.first_reviewer, rec.method = actor.user, "review"
        if rec.credits > four_eyes_threshold():
            rec.status, rec.reason = "second_review", reason
            rec.save()
            record(actor, "recognition.first_review", rec, reason=reason, credits=str(rec.credits))
            return rec
        return _close(actor, rec, "recognised", reason, outcome)


def _second_review(actor, rec, outcome, approve, reason):
    if rec.first_reviewer_id == getattr(actor.user, "pk", None):
        raise PermissionDenied(_("A second, different reviewer must confirm this decision."))
    rec.second_reviewer = actor.user
    return _close(actor, rec, "recognised" if approve else "refused", reason, outcome)


def _close(actor, rec: Recognition, status: str, reason: str, outcome=None) -> Recognition:
    rec.status, rec.reason, rec.decided_at = status, reason, timezone.now()
    if rec.first_reviewer_id is None:
        rec.first_reviewer = actor.user
    rec.save()
    if status == "recognised" and rec.credits:
        _reverse_previous(rec)
        ledger.append(
            [
                ledger.Draft(
                    rec.learner_id,
                    "credit",
                    rec.outcome_id,
                    rec.pk,
                    rec.category,
                    rec.level,
                    rec.credits,
                    outcome.completed_on.year,
                )
            ]
        )
    elif status == "refused":
        _reverse_previous(rec)
    record(
        actor,
        f"recognition.{status}",
        rec,
        reason=reason,
        credits=str(rec.credits) if rec.credits is not None else None,
    )
    return rec


def _reverse_previous(rec: Recognition) -> None:
    """When an appeal changes a recognised decision, take the old credits back first."""
    if rec.appeal_of_id is not None:
        reverse_credits_of(Recognition.objects.get(pk=rec.appeal_of_id))


def reverse_credits_of(rec: Recognition) -> None:
    """Book one reversal that brings this recognition's credits on the ledger to zero."""
    entries = list(LedgerEntry.objects.filter(recognition=rec).order_by("seq"))
    net = sum((e.credits for e in entries), Decimal(0))
    if net:
        first = entries[0]
        ledger.append(
            [
                ledger.Draft(
                    first.learner_id,
                    "reversal",
                    first.outcome_id,
                    rec.pk,
                    first.category,
                    first.level,
                    -net,
                    first.year,
                )
            ]
        )


def appeal(
    actor: Actor,
    recognition_id: int,
    *,
    reason: str,
    evidence_url: str = "",
    evidence_sha256: str = "",
) -> Recognition:
    """The learner appeals a decision once, within the deadline, with new evidence."""
    learner_id = actor.require_learner()
    if not reason.strip():
        raise ValidationFailed(_("Say why you disagree with the decision."), field="reason")
    if not (evidence_url or evidence_sha256):
        raise ValidationFailed(
            _("An appeal needs new evidence: attach a file or give a link."), field="evidence"
        )
    with transaction.atomic():
        ledger.lock_learners([learner_id])
        rec = Recognition.objects.select_for_update().filter(pk=recognition_id).first()
        if rec is None or rec.learner_id != learner_id:
            raise NotFound(_("No such decision in your account."))
        if not rec.is_current or rec.status not in ("recognised", "refused"):
            raise Conflict(_("Only a final decision can be appealed."))
        if Recognition.objects.filter(outcome_id=rec.outcome_id, appeal_of__isnull=False).exists():
            raise Conflict(_("This outcome has already been appealed once."))
        deadline = rec.decided_at + timedelta(days=int(config.get("LEARNCITY_APPEAL_DAYS")))
        if timezone.now() > deadline:
            raise ValidationFailed(
                _("The appeal period ended on %(d)s.")
                % {"d": timezone.localtime(deadline).date().isoformat()},
                code="appeal.too_late",
            )
        rec.is_current, rec.status = False, "appealed"
        rec.save(update_fields=["is_current", "status"])
        new = Recognition.objects.create(
            outcome_id=rec.outcome_id,
            learner_id=rec.learner_id,
            status="pending",
            method="review",
            appeal_of=rec,
            appeal_reason=reason,
            appeal_evidence_url=evidence_url,
            appeal_evidence_sha256=evidence_sha256,
            explanation={"why": "appeal", "previous": rec.status},
        )
        record(actor, "recognition.appeal", new, reason=reason, previous=rec.pk)
    return new


def revoke_outcome(actor: Actor, outcome_id: int, reason: str) -> Outcome:
    """The issuer withdraws an outcome: its recognition is revoked and credits reversed."""
    outcome = Outcome.objects.filter(pk=outcome_id).first()
    if outcome is None:
        raise NotFound(_("No such outcome."))
    if outcome.institution_id is None or not actor.may_act_for(outcome.institution_id):
        raise PermissionDenied(_("Only the issuing institution may revoke this outcome."))
    if not reason.strip():
        raise ValidationFailed(_("Say why the outcome is revoked."), field="reason")
    with transaction.atomic():
        ledger.lock_learners([outcome.learner_id])
        if not Outcome.objects.filter(pk=outcome_id, status="recorded").update(status="revoked"):
            raise Conflict(_("This outcome is not in force; it cannot be revoked."))
        for rec in Recognition.objects.select_for_update().filter(
            outcome_id=outcome_id, is_current=True
        ):
            if rec.status == "recognised":
                reverse_credits_of(rec)
            Recognition.objects.filter(pk=rec.pk).update(status="revoked")
        record(actor, "outcome.revoke", outcome, reason=reason)
        from learncity.credentials.services import revoke_for_outcome  # its credentials too

        revoke_for_outcome(actor, outcome_id, reason)
    outcome.refresh_from_db()
    return outcome
