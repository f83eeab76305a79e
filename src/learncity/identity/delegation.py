"""Learners let a trusted person (a delegate) read their archive and credits, and take it back."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.audit.services import record
from learncity.errors import Conflict, NotFound, ValidationFailed
from learncity.identity.models import Delegate, Learner


def grant_delegate(actor: Actor, username: str) -> Delegate:
    learner = Learner.objects.get(pk=actor.require_learner())
    user = get_user_model().objects.filter(username=username.strip()).first()
    if user is None:
        raise NotFound(
            _("No user has this user name. Ask the person for the name they sign in with."),
            field="username",
        )
    if user.pk == getattr(actor.user, "pk", None):
        raise ValidationFailed(_("You cannot make yourself your own delegate."), field="username")
    try:
        with transaction.atomic():
            delegate = Delegate.objects.create(learner=learner, user=user)
            record(actor, "delegate.grant", delegate, delegate=user.username)
    except IntegrityError:
        raise Conflict(_("This person is already your delegate."), field="username") from None
    return delegate


def revoke_delegate(actor: Actor, delegate_id: int) -> None:
    learner_id = actor.require_learner()
    with transaction.atomic():
        if not Delegate.objects.filter(
            pk=delegate_id, learner_id=learner_id, revoked_at__isnull=True
        ).update(revoked_at=timezone.now()):
            raise NotFound(_("No such delegate."))
        record(actor, "delegate.revoke", Delegate(pk=delegate_id))


def is_delegate(actor: Actor, learner_id: int) -> bool:
    user_id = getattr(actor.user, "pk", None)
    return (
        user_id is not None
        and Delegate.objects.filter(
            learner_id=learner_id, user_id=user_id, revoked_at__isnull=True
        ).exists()
    )


def live_delegates(learner: Learner):
    return Delegate.objects.filter(learner=learner, revoked_at__isnull=True).select_related("user")
