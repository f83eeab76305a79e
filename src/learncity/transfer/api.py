"""API: programmes, standards, proposals, applications and their decisions, notifications and
the transfer transcript. Thin: parse, call a service or selector, shape the answer."""

from __future__ import annotations

import yaml
from ninja import Router, Status

from learncity.api.auth import API_AUTH, actor_of
from learncity.errors import NotFound
from learncity.records.selectors import learner_for
from learncity.transfer import selectors
from learncity.transfer.schemas import (
    ApplicationOut,
    DecisionIn,
    NotificationOut,
    ProgrammeOut,
    ReasonIn,
    StandardsIn,
    StandardsOut,
    StartIn,
    SubmitIn,
    application_out,
    explained,
    programme_out,
)
from learncity.transfer.services import applications, posting, review, standards
from learncity.transfer.services.access import application_for
from learncity.transfer.services.steps import mark_read
from learncity.transfer.standards_file import import_standards, standard_data

router = Router(tags=["credit transfer"])


@router.get("/programmes", response=list[ProgrammeOut], auth=None)
def list_programmes(request):
    """Programmes open for transfer applications, with their courses and transfer rules."""
    return [programme_out(p) for p in selectors.programmes().prefetch_related("courses")]


@router.get("/programmes/{code}", response=ProgrammeOut, auth=None)
def get_programme(request, code: str):
    return programme_out(selectors.programme_by_code(code))


@router.get("/programmes/{code}/proposal", response=dict, auth=API_AUTH)
def proposal(request, code: str, learner_no: str | None = None):
    """What the learner's recognised outcomes are worth in the programme now, explained."""
    actor = actor_of(request)
    programme = selectors.programme_by_code(code)
    learner = learner_for(actor, learner_no)
    view = selectors.explore(actor, programme, learner.pk)
    return explained(view["proposal"]) | {"standards": [s.key for s in view["standards"]]}


@router.get("/standards", response=StandardsOut, auth=None)
def list_standards(request, status: str = "published"):
    """Transfer standards (also as YAML: `learncity manage transfer export`)."""
    from learncity.transfer.models import TransferStandard

    rows = TransferStandard.objects.filter(status=status).select_related("institution", "alliance")
    return StandardsOut(standards=[standard_data(s) for s in rows.prefetch_related("rules")])


@router.post("/standards", response={201: StandardsOut}, auth=API_AUTH)
def create_standards(request, payload: StandardsIn):
    """Create draft standards (the publishing institution's officers, framework admins)."""
    created = import_standards(actor_of(request), yaml.safe_dump(payload.model_dump()))
    return Status(201, StandardsOut(standards=[{"id": s.pk, "key": s.key} for s in created]))


@router.post("/standards/{standard_id}/publish", response=dict, auth=API_AUTH)
def publish(request, standard_id: int):
    """Publish a draft after checking for unknown courses, cyclic and contradictory rules."""
    s = standards.publish_standard(actor_of(request), standard_id)
    return {"id": s.pk, "key": s.key, "status": s.status}


@router.post("/standards/{standard_id}/retire", response=dict, auth=API_AUTH)
def retire(request, standard_id: int, body: ReasonIn):
    s = standards.retire_standard(actor_of(request), standard_id, body.reason)
    return {"id": s.pk, "key": s.key, "status": s.status}


@router.get("/applications", response=list[ApplicationOut], auth=API_AUTH)
def list_applications(request, limit: int = 50):
    """The learner's own applications; for officers and reviewers, the incoming ones."""
    actor = actor_of(request)
    rows = selectors.my_applications(actor) if actor.learner_id else selectors.incoming(actor)
    return [application_out(a) for a in rows[: min(limit, 200)]]


@router.post("/applications", response={201: ApplicationOut}, auth=API_AUTH)
def start(request, body: StartIn):
    """Start a draft application with today's proposal."""
    app = applications.start_application(actor_of(request), body.programme)
    return Status(201, application_out(app))


@router.get("/applications/{application_id}", response=ApplicationOut, auth=API_AUTH)
def get_application(request, application_id: int):
    return application_out(application_for(actor_of(request), application_id))


@router.post("/applications/{application_id}/submit", response=ApplicationOut, auth=API_AUTH)
def submit(request, application_id: int, body: SubmitIn):
    app = applications.submit(actor_of(request), application_id, consent=body.consent)
    return application_out(app)


@router.post("/applications/{application_id}/withdraw", response=ApplicationOut, auth=API_AUTH)
def withdraw(request, application_id: int, body: ReasonIn):
    return application_out(applications.withdraw(actor_of(request), application_id, body.reason))


@router.post("/applications/{application_id}/appeal", response=ApplicationOut, auth=API_AUTH)
def appeal(request, application_id: int, body: ReasonIn):
    return application_out(applications.appeal(actor_of(request), application_id, body.reason))


@router.post("/applications/{application_id}/refresh", response=ApplicationOut, auth=API_AUTH)
def refresh(request, application_id: int):
    """Update the application after outcomes changed (same standard versions and date)."""
    return application_out(applications.refresh(actor_of(request), application_id))


@router.post("/applications/{application_id}/review", response=ApplicationOut, auth=API_AUTH)
def start_review(request, application_id: int):
    return application_out(review.start_review(actor_of(request), application_id))


@router.post(
    "/applications/{application_id}/items/{item_id}/decision",
    response=ApplicationOut,
    auth=API_AUTH,
)
def decide(request, application_id: int, item_id: int, body: DecisionIn):
    """Approve or refuse one target course with the reason the learner will read."""
    actor = actor_of(request)
    app = application_for(actor, application_id)
    if not app.items.filter(pk=item_id).exists():
        raise NotFound("No such item in this application.")
    review.decide_item(actor, item_id, approve=body.approve, reason=body.reason)
    return application_out(application_for(actor, application_id))


@router.post("/applications/{application_id}/finish", response=ApplicationOut, auth=API_AUTH)
def finish(request, application_id: int):
    return application_out(review.finish_review(actor_of(request), application_id))


@router.post("/applications/{application_id}/post", response=ApplicationOut, auth=API_AUTH)
def post(request, application_id: int):
    """Post an approved application: the ledger marks its outcomes as used for the programme."""
    return application_out(posting.post_application(actor_of(request), application_id))


@router.get("/notifications", response=list[NotificationOut], auth=API_AUTH)
def notifications(request):
    return selectors.notifications(actor_of(request))


@router.post("/notifications/{notification_id}/read", response=dict, auth=API_AUTH)
def read(request, notification_id: int):
    return {"marked": mark_read(actor_of(request), notification_id)}


@router.get("/transcript", response=list[ApplicationOut], auth=API_AUTH)
def transcript(request, learner_no: str | None = None):
    """Posted transfers: who approved each course, on which standard version."""
    actor = actor_of(request)
    learner = learner_for(actor, learner_no)
    return [application_out(a) for a in selectors.transcript(actor, learner.pk)]
