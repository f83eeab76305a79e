"""API: learning teams and organisations, citywide events and attendance, quality
(provider ratings, inspections). Awards are in api_awards."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from learncity.api.auth import API_AUTH, actor_of
from learncity.catalogue import schemas, selectors
from learncity.catalogue.models import (
    Event,
    Inspection,
    LearningOrganisation,
    LearningTeam,
    Practitioner,
    Session,
)
from learncity.catalogue.services import community, enrolment, quality
from learncity.errors import NotFound
from learncity.institutions.services import institution_by_code

router = Router()


def _get(model_or_qs, **lookup):
    """The object, or a NotFound in the API's error format."""
    qs = model_or_qs.objects.all() if hasattr(model_or_qs, "objects") else model_or_qs
    found = qs.filter(**lookup).first()
    if found is None:
        raise NotFound(_("No such %(what)s.") % {"what": qs.model._meta.verbose_name})
    return found


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class TeamIn(Strict):
    name: str
    topic: str
    district_code: str
    meeting_site_id: int | None = None
    description: str = ""


class ActivityIn(Strict):
    held_on: date
    title: str
    hours: Decimal
    attendees: int
    site_id: int | None = None
    note: str = ""


def _team(t: LearningTeam) -> dict:
    return {
        "id": t.pk,
        "name": t.name,
        "topic": t.topic,
        "district_code": t.district_code,
        "meeting_site_id": t.meeting_site_id,
        "status": t.status,
        "members": t.memberships.filter(left_on__isnull=True).count(),
    }


@router.get("/teams", response=list[dict], tags=["teams and organisations"])
def teams(request, district: str = ""):
    found = LearningTeam.objects.filter(status="active")
    if district:
        found = found.filter(district_code=district)
    return [_team(t) for t in found[:200]]


@router.post("/teams", response={201: dict}, auth=API_AUTH, tags=["teams and organisations"])
def create_team(request, team: TeamIn):
    return Status(201, _team(community.create_team(actor_of(request), **team.model_dump())))


@router.post(
    "/teams/{team_id}/join", response={201: dict}, auth=API_AUTH, tags=["teams and organisations"]
)
def join_team(request, team_id: int):
    community.join_team(actor_of(request), _get(LearningTeam, pk=team_id))
    return Status(201, {"team_id": team_id})


@router.post(
    "/teams/{team_id}/activities",
    response={201: dict},
    auth=API_AUTH,
    tags=["teams and organisations"],
)
def log_activity(request, team_id: int, activity: ActivityIn):
    team = _get(LearningTeam, pk=team_id)
    a = community.log_activity(actor_of(request), team, **activity.model_dump())
    return Status(201, {"id": a.pk, "held_on": a.held_on, "title": a.title})


class OrganisationIn(Strict):
    name: str
    kind: str
    district_code: str
    institution: str | None = None
    description: str = ""


class ConsentIn(Strict):
    consent: bool


@router.post(
    "/organisations", response={201: dict}, auth=API_AUTH, tags=["teams and organisations"]
)
def register_organisation(request, org: OrganisationIn):
    data = org.model_dump()
    code = data.pop("institution")
    data["institution_id"] = institution_by_code(code).pk if code else None
    o = community.register_organisation(actor_of(request), **data)
    return Status(201, {"id": o.pk, "status": o.status})


@router.post(
    "/organisations/{org_id}/members",
    response={201: dict},
    auth=API_AUTH,
    tags=["teams and organisations"],
)
def join_organisation(request, org_id: int, body: ConsentIn):
    org = _get(LearningOrganisation, pk=org_id)
    community.join_organisation(actor_of(request), org, body.consent)
    return Status(201, {"organisation_id": org_id, "consent": body.consent})


@router.post(
    "/organisations/{org_id}/consent",
    response=dict,
    auth=API_AUTH,
    tags=["teams and organisations"],
)
def consent(request, org_id: int, body: ConsentIn):
    org = _get(LearningOrganisation, pk=org_id)
    community.set_consent(actor_of(request), org, body.consent)
    return {"organisation_id": org_id, "consent": body.consent}


@router.get("/organisations/{org_id}/summary", response=dict, tags=["teams and organisations"])
def organisation_summary(request, org_id: int, year: int | None = None):
    """Members' learning, from consenting members' archives only (hidden below 3)."""
    org = _get(LearningOrganisation, pk=org_id, status="active")
    s = community.organisation_summary(org, year)
    return {
        "members": s.members,
        "consenting": s.consenting,
        "shown": s.shown,
        "outcomes": s.outcomes,
        "hours": str(s.hours),
        "by_category": dict(s.by_category),
    }


@router.get("/events", response=list[dict], tags=["events"])
def events(request):
    lang = get_language() or "zh-hans"
    found = Event.objects.filter(published=True, ends_on__gte=date.today())[:50]
    return [
        {
            "id": e.pk,
            "code": e.code,
            "title": e.title(lang),
            "kind": e.kind,
            "starts_on": e.starts_on,
            "ends_on": e.ends_on,
            "sessions": [
                schemas.session_out(s, lang).model_dump()
                for s in e.sessions.filter(cancelled=False).select_related("site")
            ],
        }
        for e in found
    ]


class AttendanceIn(Strict):
    attended: dict[int, bool]


@router.post("/sessions/{session_id}/attendance", response=dict, auth=API_AUTH, tags=["events"])
def attendance(request, session_id: int, body: AttendanceIn):
    """Record who came; attending an event session becomes an outcome in the archive."""
    session = _get(Session.objects.select_related("site", "course", "event"), pk=session_id)
    changed = enrolment.mark_attendance(actor_of(request), session, body.attended)
    return {"changed": {e.pk: e.status for e in changed}}


@router.get("/providers/{code}/quality", response=dict, tags=["quality"])
def provider_quality(request, code: str):
    """Learners' ratings of a provider's courses and sites, staff, latest inspection."""
    view = selectors.quality_view(institution_by_code(code).pk)
    i = view.latest_inspection
    return {
        "course_stars": view.course_stars.__dict__,
        "site_stars": view.site_stars.__dict__,
        "practitioners": view.practitioners,
        "verified_practitioners": view.verified_practitioners,
        "inspection": {"standard": i.standard, "verdict": i.verdict, "decided_at": i.decided_at}
        if i
        else None,
    }


class PractitionerIn(Strict):
    name: str
    role: str
    competence: str
    qualification: str = ""
    qualification_no: str = ""
    standard: str = ""
    valid_until: date | None = None


@router.post("/practitioners", response={201: dict}, auth=API_AUTH, tags=["quality"])
def add_practitioner(request, person: PractitionerIn, institution: str):
    """A provider lists a teacher or manager with qualification and competence level."""
    p = quality.add_practitioner(
        actor_of(request), institution_by_code(institution), **person.model_dump()
    )
    return Status(201, {"id": p.pk, "verified": False})


@router.post("/practitioners/{person_id}/verify", response=dict, auth=API_AUTH, tags=["quality"])
def verify_practitioner(request, person_id: int):
    """A reviewer confirms the qualification against the certificate."""
    p = quality.verify_practitioner(actor_of(request), _get(Practitioner, pk=person_id))
    return {"id": p.pk, "verified": True}


class CheckIn(Strict):
    answer: str
    evidence: str = ""


class VerdictIn(Strict):
    verdict: str
    note: str = ""


@router.post("/inspections", response={201: dict}, auth=API_AUTH, tags=["quality"])
def start_inspection(request, institution: str):
    i = quality.start_inspection(actor_of(request), institution_by_code(institution))
    return Status(
        201,
        {
            "id": i.pk,
            "checks": [{"id": c.pk, "item": c.item.code} for c in i.checks.select_related("item")],
        },
    )


@router.post(
    "/inspections/{inspection_id}/checks/{check_id}", response=dict, auth=API_AUTH, tags=["quality"]
)
def answer_check(request, inspection_id: int, check_id: int, body: CheckIn):
    inspection = _get(Inspection, pk=inspection_id)
    check = _get(inspection.checks.select_related("item"), pk=check_id)
    quality.answer_check(actor_of(request), check, body.answer, body.evidence)
    return {"id": check.pk, "answer": check.answer}


@router.post("/inspections/{inspection_id}/verdict", response=dict, auth=API_AUTH, tags=["quality"])
def decide(request, inspection_id: int, body: VerdictIn):
    i = quality.decide_inspection(
        actor_of(request), _get(Inspection, pk=inspection_id), body.verdict, body.note
    )
    return {"id": i.pk, "verdict": i.verdict}
