"""Who may publish standards, decide and post applications, and see an application."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.errors import NotFound, PermissionDenied
from learncity.transfer.models import AllianceMember, Application, Programme, TransferStandard

CITYWIDE = ("admin", "auditor")


def require_publisher(actor: Actor, standard: TransferStandard) -> None:
    """Framework administrators, or an officer of the publishing institution (or a member)."""
    if actor.has_role("framework_admin"):
        return
    if standard.institution_id and actor.may_act_for(standard.institution_id):
        return
    if standard.alliance_id:
        members = AllianceMember.objects.filter(alliance_id=standard.alliance_id)
        if any(actor.may_act_for(i) for i in members.values_list("institution_id", flat=True)):
            return
    raise PermissionDenied(
        _("Only the publishing institution or a framework administrator may change this standard.")
    )


def may_decide(actor: Actor, programme: Programme) -> bool:
    if actor.is_system or actor.is_admin:
        return True
    if programme.decided_by == "reviewer":
        return actor.has_role("reviewer")
    return actor.may_act_for(programme.institution_id)


def require_decider(actor: Actor, programme: Programme) -> None:
    if not may_decide(actor, programme):
        who = (
            _("a credit bank reviewer")
            if programme.decided_by == "reviewer"
            else _("an officer of %(i)s") % {"i": programme.institution.code}
        )
        raise PermissionDenied(
            _("Applications to this programme are decided by %(who)s.") % {"who": who}
        )


def may_see_shared(actor: Actor, app: Application) -> bool:
    """The target institution's officers and the deciders, once the learner consented."""
    if app.state in ("draft", "withdrawn") or app.consent_at is None:
        return False
    return may_decide(actor, app.programme) or actor.may_act_for(app.programme.institution_id)


def may_see(actor: Actor, app: Application) -> bool:
    if actor.learner_id == app.learner_id or any(actor.has_role(r) for r in CITYWIDE):
        return True
    return may_see_shared(actor, app) or (
        app.state == "withdrawn" and may_decide(actor, app.programme)
    )


def application_for(actor: Actor, application_id: int, *, lock: bool = False) -> Application:
    """The application, if the actor may see it (NotFound otherwise: its existence is private)."""
    rows = Application.objects.select_related("programme", "programme__institution", "learner")
    if lock:
        rows = rows.select_for_update(of=("self",))
    app = rows.filter(pk=application_id).first()
    if app is None or not may_see(actor, app):
        raise NotFound(_("No such transfer application."))
    return app
