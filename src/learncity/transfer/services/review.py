"""The deciders' side: take an application into review, decide each course, close the review.

The programme says who decides: its institution's officers, or credit bank reviewers.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.creditbank import ledger
from learncity.errors import Conflict, NotFound, ValidationFailed
from learncity.transfer.models import Application, ApplicationItem
from learncity.transfer.services.access import application_for, require_decider
from learncity.transfer.services.steps import step

REVIEWABLE = ("under_review", "appealed")


def _locked(actor: Actor, application_id: int) -> Application:
    learner_id = (
        Application.objects.filter(pk=application_id).values_list("learner_id", flat=True).first()
    )
    if learner_id is None:
        raise NotFound(_("No such transfer application."))
    ledger.lock_learners([learner_id])
    app = application_for(actor, application_id, lock=True)
    require_decider(actor, app.programme)
    return app


def start_review(actor: Actor, application_id: int) -> Application:
    with transaction.atomic():
        app = _locked(actor, application_id)
        if app.state != "submitted":
            raise Conflict(_("Only a submitted application can be taken into review."))
        step(actor, app, "review", to_state="under_review", notify="under_review")
        app.save()
    return app


def decide_item(actor: Actor, item_id: int, *, approve: bool, reason: str) -> ApplicationItem:
    """Approve or refuse one target course (or block of electives), with the reason."""
    if not reason.strip():
        raise ValidationFailed(
            _("Give the reason for the decision; the learner will read it."), field="reason"
        )
    application_id = (
        ApplicationItem.objects.filter(pk=item_id).values_list("application_id", flat=True).first()
    )
    if application_id is None:
        raise NotFound(_("No such item in a transfer application."))
    with transaction.atomic():
        app = _locked(actor, application_id)
        if app.state not in REVIEWABLE:
            raise Conflict(
                _("Courses are decided while the application is under review (it is %(s)s).")
                % {"s": app.get_state_display()}
            )
        item = ApplicationItem.objects.select_for_update().get(pk=item_id)
        item.decision = "approved" if approve else "refused"
        item.reason, item.decided_at = reason, timezone.now()
        item.decided_by = actor.user if getattr(actor.user, "pk", None) else None
        item.save()
        step(
            actor,
            app,
            "decide",
            reason=reason,
            item=item.pk,
            course=item.course_code or "electives",
            decision=item.decision,
        )
    return item


def finish_review(actor: Actor, application_id: int) -> Application:
    """Close the review once every course is decided: approved, partly approved or refused."""
    with transaction.atomic():
        app = _locked(actor, application_id)
        if app.state not in REVIEWABLE:
            raise Conflict(_("This application is not under review."))
        items = list(app.items.all())
        if not items or any(i.decision == "pending" for i in items):
            raise ValidationFailed(
                _("Decide every course before closing the review."), code="review.pending"
            )
        approved = [i for i in items if i.decision == "approved"]
        state = (
            "approved"
            if len(approved) == len(items)
            else "partly_approved"
            if approved
            else "refused"
        )
        app.credits_approved = sum((i.credits for i in approved), Decimal(0))
        app.decided_at = timezone.now()
        step(actor, app, "finish", to_state=state, notify=state, credits=str(app.credits_approved))
        app.save()
    return app
