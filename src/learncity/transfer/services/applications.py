"""The learner's side of an application: start, submit, withdraw, appeal, update.

Lock order everywhere (as in the credit bank): the learner's row first, then the application.
An application keeps the standard versions in force when it was submitted: later versions
never change it, and updating it after an outcome changed re-runs the engine on those versions.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.creditbank import ledger
from learncity.errors import Conflict, PermissionDenied, ValidationFailed
from learncity.transfer import selectors
from learncity.transfer.engine import Proposal
from learncity.transfer.models import (
    OPEN_STATES,
    Application,
    ApplicationItem,
    TransferRule,
    TransferStandard,
)
from learncity.transfer.services.access import application_for, may_decide
from learncity.transfer.services.steps import step

DECIDED = ("approved", "partly_approved", "refused")


def _items(app: Application, proposal: Proposal, standards: list[TransferStandard]) -> list:
    """Replace the items by the proposal's, keeping decisions on items that did not change."""
    kept = {
        (i.rule_key, i.course_code, tuple(i.outcome_ids)): i
        for i in app.items.exclude(decision="pending")
    }
    ids = {s.key: s.pk for s in standards}
    rules = {
        (r.standard_id, r.code): r.pk
        for r in TransferRule.objects.filter(standard_id__in=ids.values())
    }
    items = []
    for n, use in enumerate(proposal.uses):
        standard_id = ids[use.standard]
        rule_id = rules[(standard_id, use.rule.rsplit("/", 1)[1])]
        grants = list(use.courses) + ([("", use.electives)] if use.electives else [])
        for code, credits in grants:
            item = ApplicationItem(
                application=app,
                use=n,
                course_code=code,
                credits=credits,
                rule_id=rule_id,
                rule_key=use.rule,
                standard_id=standard_id,
                outcome_ids=list(use.outcomes),
            )
            old = kept.get((use.rule, code, tuple(use.outcomes)))
            if old is not None:
                item.decision, item.reason = old.decision, old.reason
                item.decided_by_id, item.decided_at = old.decided_by_id, old.decided_at
            items.append(item)
    app.items.all().delete()
    ApplicationItem.objects.bulk_create(items)
    app.proposal = proposal.as_dict()
    app.credits_proposed = proposal.credits
    app.credits_approved = sum((i.credits for i in items if i.decision == "approved"), 0)
    return items


def _own(actor: Actor, application_id: int) -> Application:
    learner_id = actor.require_learner()
    ledger.lock_learners([learner_id])
    app = application_for(actor, application_id, lock=True)
    if app.learner_id != learner_id:
        raise Conflict(_("Only the learner who applied may do this."))
    return app


def start_application(actor: Actor, programme_code: str) -> Application:
    """A draft application with the proposal as it stands today."""
    learner_id = actor.require_learner()
    programme = selectors.programme_by_code(programme_code)
    now = timezone.now()
    proposal, standards = selectors.proposal_for(programme, learner_id, now)
    with transaction.atomic():
        ledger.lock_learners([learner_id])
        open_app = Application.objects.filter(
            learner_id=learner_id, programme=programme, state__in=OPEN_STATES
        ).first()
        if open_app:
            raise Conflict(
                _("You already have application #%(id)s open for this programme.")
                % {"id": open_app.pk},
                code="application.open",
            )
        try:
            with transaction.atomic():
                app = Application.objects.create(
                    learner_id=learner_id, programme=programme, as_of=timezone.localdate(now)
                )
        except IntegrityError:
            raise Conflict(_("You already have an open application for this programme.")) from None
        _items(app, proposal, standards)
        app.standards.set(standards)
        step(actor, app, "create", credits=str(proposal.credits))
        app.save()
    return app


def submit(actor: Actor, application_id: int, *, consent: bool) -> Application:
    """Submit a draft: the proposal and standard versions in force now are the ones decided on."""
    if not consent:
        raise ValidationFailed(
            _("Agree to share your learning archive with the institution, so it can decide."),
            field="consent",
        )
    with transaction.atomic():
        app = _own(actor, application_id)
        if app.state != "draft":
            raise Conflict(_("Only a draft can be submitted."))
        now = timezone.now()
        proposal, standards = selectors.proposal_for(app.programme, app.learner_id, now)
        if not proposal.uses:
            raise ValidationFailed(
                _("Nothing in your archive transfers into this programme now; see why below."),
                code="application.empty",
            )
        _items(app, proposal, standards)
        app.standards.set(standards)
        app.as_of, app.submitted_at, app.consent_at = timezone.localdate(now), now, now
        step(
            actor,
            app,
            "submit",
            to_state="submitted",
            notify="submitted",
            standards=[s.key for s in standards],
            credits=str(proposal.credits),
        )
        app.save()
    return app


def withdraw(actor: Actor, application_id: int, reason: str = "") -> Application:
    with transaction.atomic():
        app = _own(actor, application_id)
        if app.state not in OPEN_STATES:
            raise Conflict(_("This application can no longer be withdrawn."))
        step(actor, app, "withdraw", to_state="withdrawn", reason=reason, notify="withdrawn")
        app.save()
    return app


def appeal(actor: Actor, application_id: int, reason: str) -> Application:
    """Once per application, after a refusal or partial approval: refused courses are decided
    again."""
    if not reason.strip():
        raise ValidationFailed(_("Say why the decision should change."), field="reason")
    with transaction.atomic():
        app = _own(actor, application_id)
        if app.state not in ("refused", "partly_approved"):
            raise Conflict(_("Only a refusal or a partial approval can be appealed."))
        if app.appeal_reason:
            raise Conflict(_("This application has already been appealed once."))
        app.appeal_reason = reason
        app.items.filter(decision="refused").update(decision="pending")
        step(actor, app, "appeal", to_state="appealed", reason=reason, notify="appealed")
        try:
            with transaction.atomic():
                app.save()
        except IntegrityError:
            raise Conflict(
                _("Another application to this programme is open; withdraw it first.")
            ) from None
    return app


def refresh(actor: Actor, application_id: int) -> Application:
    """Re-run the proposal on the application's own standard versions and date, after outcomes
    changed; unchanged items keep their decisions, the others wait for a decision again."""
    with transaction.atomic():
        probe = application_for(actor, application_id)
        if actor.learner_id != probe.learner_id and not may_decide(actor, probe.programme):
            raise PermissionDenied(_("Only the learner or a decider may update the application."))
        ledger.lock_learners([probe.learner_id])
        app = application_for(actor, application_id, lock=True)
        if app.state == "draft":
            proposal, standards = selectors.proposal_for(app.programme, app.learner_id)
        elif app.state in ("submitted", "under_review", "approved", "partly_approved", "appealed"):
            standards = list(app.standards.all())
            proposal, _s = selectors.proposal_for(
                app.programme, app.learner_id, app.as_of, standards
            )
        else:
            raise Conflict(_("A closed application cannot be updated."))
        changed = selectors.changes(app)
        _items(app, proposal, standards)
        to_state = app.state
        if app.state in DECIDED:
            decisions = set(app.items.values_list("decision", flat=True))
            to_state = "under_review" if "pending" in decisions or not decisions else app.state
        step(
            actor,
            app,
            "refresh",
            to_state=to_state,
            notify="refreshed",
            changes=changed,
            credits=str(proposal.credits),
        )
        app.save()
    return app
