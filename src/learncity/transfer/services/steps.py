"""Every step of an application: its history row, the audit entry, the learner's notification."""

from __future__ import annotations

from learncity.access import Actor
from learncity.audit.services import record
from learncity.transfer.models import Application, ApplicationEvent, Notification


def step(
    actor: Actor,
    app: Application,
    action: str,
    *,
    to_state: str = "",
    reason: str = "",
    notify: str = "",
    **details,
) -> None:
    """Move the application (saved by the caller), and write the history, audit and notice."""
    from_state = app.state
    if to_state:
        app.state = to_state
    ApplicationEvent.objects.create(
        application=app,
        actor=actor.user if getattr(actor.user, "pk", None) else None,
        actor_label=actor.label,
        action=action,
        from_state=from_state,
        to_state=to_state or from_state,
        reason=reason,
        details=details,
    )
    record(actor, f"transfer.{action}", app, reason=reason, state=app.state, **details)
    if notify:
        Notification.objects.create(
            learner_id=app.learner_id,
            application=app,
            kind=notify,
            params={
                "id": app.pk,
                "programme": app.programme.code,
                "credits": str(app.credits_approved),
            }
            | {k: v for k, v in details.items() if isinstance(v, str | int)},
        )


def mark_read(actor: Actor, notification_id: int | None = None) -> int:
    """Mark one (or every) notification of the signed-in learner as read; return how many."""
    from django.utils import timezone

    rows = Notification.objects.filter(learner_id=actor.require_learner(), read_at__isnull=True)
    if notification_id is not None:
        rows = rows.filter(pk=notification_id)
    return rows.update(read_at=timezone.now())
