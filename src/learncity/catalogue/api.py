"""API: search the catalogue and find what is near; providers keep their entries; learners
enrol, cancel and rate; administrators moderate and see the distribution across the city."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from learncity.api.auth import API_AUTH, actor_of
from learncity.catalogue import params, schemas, search, selectors
from learncity.catalogue.api_awards import router as awards_router
from learncity.catalogue.api_more import router as more_router
from learncity.catalogue.models import Course, Enrolment, Site
from learncity.catalogue.services import enrolment, imports, offers
from learncity.catalogue.services.sessions import SessionInput, add_session
from learncity.catalogue.suggestions import suggestions_for
from learncity.catalogue.supply import distribution_report
from learncity.errors import NotFound, ValidationFailed

router = Router(tags=["catalogue"])
router.add_router("/", more_router)
router.add_router("/", awards_router)


def _lang() -> str:
    return get_language() or "zh-hans"


class CourseQuery(Schema):
    q: str = ""
    district: str = ""
    mode: str = ""
    kind: str = ""
    audience: str = ""
    free: str = ""
    level: str = ""
    category: str = ""
    starts_from: str = ""
    starts_until: str = ""
    weekday: str = ""
    part_of_day: str = ""
    sort: str = ""
    near: str = ""
    latitude: str = ""
    longitude: str = ""
    page: str = "1"
    per_page: int = 20


@router.get("/courses", response=schemas.CoursePage)
def search_courses(request, query: CourseQuery = Query(...)):
    """Search published courses: Chinese or English text (no spaces needed), filters, and
    sort by relevance, start date or distance (give ?near=<district> or coordinates)."""
    get = query.model_dump()
    page = search.search_courses(
        query.q,
        params.course_filters(get),
        sort=query.sort,
        origin=params.origin(get),
        page=params.page_number(get),
        per_page=query.per_page,
    )
    return {**schemas.page_meta(page), "items": [schemas.course_out(c) for c in page.items]}


@router.get("/courses/{course_id}", response=schemas.CourseOut)
def get_course(request, course_id: int):
    return schemas.course_out(selectors.visible_course(actor_of(request), course_id))


@router.get("/courses/{course_id}/sessions", response=list[schemas.SessionOut])
def course_sessions(request, course_id: int):
    course = selectors.visible_course(actor_of(request), course_id)
    return [schemas.session_out(s, _lang()) for s in selectors.upcoming_sessions(course)]


class SiteQuery(Schema):
    q: str = ""
    district: str = ""
    kind: str = ""
    step_free: str = ""
    near: str = ""
    latitude: str = ""
    longitude: str = ""
    radius_km: str = ""
    page: str = "1"
    per_page: int = 20


@router.get("/sites", response=schemas.SitePage)
def search_sites(request, query: SiteQuery = Query(...)):
    """Learning sites by name or address; nearest first within radius_km of a place."""
    get = query.model_dump()
    origin = params.origin(get)
    page = search.search_sites(
        query.q,
        district=params.district(query.district),
        kind=query.kind[:24],
        step_free=params.truthy(query.step_free),
        origin=origin,
        radius_km=selectors.radius(query.radius_km) if origin else None,
        page=params.page_number(get),
        per_page=query.per_page,
    )
    return {**schemas.page_meta(page), "items": [schemas.site_out(s) for s in page.items]}


@router.get("/sessions/near", response=list[schemas.SessionOut])
def sessions_near(
    request, near: str = "", latitude: str = "", longitude: str = "", radius_km: str = ""
):
    """Running and coming sessions near a district's centre or coordinates, nearest first."""
    origin = params.origin({"near": near, "latitude": latitude, "longitude": longitude})
    if origin is None:
        raise ValidationFailed(
            _("Say where: ?near=<district code> or ?latitude=…&longitude=…"), field="near"
        )
    found = selectors.sessions_near(origin, selectors.radius(radius_km))
    return [schemas.session_out(s, _lang()) for s in found]


@router.post("/courses", response={201: schemas.CourseOut, 200: schemas.CourseOut}, auth=API_AUTH)
def put_course(request, course: schemas.CourseIn, institution: str | None = None):
    """Create a course, or change the provider's course with the same code."""
    actor = actor_of(request)
    provider = offers.provider_for(actor, institution)
    existed = Course.objects.filter(provider=provider, code=course.code.strip()).exists()
    saved = offers.upsert_course(actor, provider, course.as_texts())
    return Status(200 if existed else 201, schemas.course_out(saved))


@router.post("/sites", response={201: schemas.SiteOut, 200: schemas.SiteOut}, auth=API_AUTH)
def put_site(request, site: schemas.SiteIn, institution: str | None = None):
    """Create a learning site, or change the provider's site with the same code."""
    actor = actor_of(request)
    provider = offers.provider_for(actor, institution)
    existed = Site.objects.filter(provider=provider, code=site.code.strip()).exists()
    saved = offers.upsert_site(actor, provider, site.as_texts())
    return Status(200 if existed else 201, schemas.site_out(saved))


@router.post("/courses/{course_id}/sessions", response={201: schemas.SessionOut}, auth=API_AUTH)
def post_session(request, course_id: int, session: schemas.SessionIn):
    """Add a session (class) at a site; refused when it clashes with another in the room."""
    course = Course.objects.filter(pk=course_id).first()
    if course is None:
        raise NotFound("No such course.")
    created = add_session(actor_of(request), course, SessionInput(**session.model_dump()))
    return Status(201, schemas.session_out(created, _lang()))


class ImportOut(Schema):
    kind: str
    rows: int
    created: int
    changed: int


@router.post("/import/{kind}", response=ImportOut, auth=API_AUTH)
def import_file(
    request, kind: str, file: UploadedFile = File(...), institution: str | None = Form(None)
):
    """Upload a .xlsx or .csv of courses or sites: all rows or none, problems row by row."""
    actor = actor_of(request)
    provider = offers.provider_for(actor, institution)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload"
        with open(path, "wb") as handle:
            for chunk in file.chunks():
                handle.write(chunk)
        result = imports.import_entries(actor, provider, path, file.name or "upload", kind)
    return ImportOut(**result.__dict__)


@router.post("/sessions/{session_id}/enrol", response={201: schemas.EnrolmentOut}, auth=API_AUTH)
def enrol(request, session_id: int):
    """Take a place, or a place on the waiting list when the session is full."""
    e = enrolment.enrol(actor_of(request), session_id)
    return Status(201, _enrolment_out(e))


def _enrolment_out(e: Enrolment) -> schemas.EnrolmentOut:
    return schemas.EnrolmentOut(
        id=e.pk,
        session_id=e.session_id,
        status=e.status,
        waiting_position=selectors.waiting_position(e),
    )


@router.post("/enrolments/{enrolment_id}/cancel", response=schemas.EnrolmentOut, auth=API_AUTH)
def cancel(request, enrolment_id: int):
    """Give up a place; the first person on the waiting list gets it."""
    return _enrolment_out(enrolment.cancel(actor_of(request), enrolment_id))


@router.post("/enrolments/{enrolment_id}/rating", response={201: dict}, auth=API_AUTH)
def rate(request, enrolment_id: int, rating: schemas.RatingIn):
    """Rate the course and its site after taking part (one rating per enrolment)."""
    r = enrolment.rate(
        actor_of(request), enrolment_id, rating.stars, rating.site_stars, rating.comment
    )
    return Status(201, {"id": r.pk, "stars": r.stars, "site_stars": r.site_stars})


@router.get("/me/enrolments", response=list[schemas.EnrolmentOut], auth=API_AUTH)
def my_enrolments(request):
    return [_enrolment_out(e) for e in selectors.my_enrolments(actor_of(request))[:200]]


@router.get("/me/recommendations", response=list[schemas.SuggestionOut], auth=API_AUTH)
def my_recommendations(request):
    """Courses for the signed-in learner, each with the reasons it is recommended."""
    from learncity.identity.models import Learner

    learner = Learner.objects.get(pk=actor_of(request).require_learner())
    return [
        {"course": schemas.course_out(s.course), "score": s.score, "reasons": s.reasons}
        for s in suggestions_for(learner, _lang())
    ]


@router.post("/moderation/{kind}/{entry_id}", response=dict, auth=API_AUTH)
def moderate(request, kind: str, entry_id: int, decision: schemas.ModerationIn):
    """Administrators publish, send back (reject, with a note) or suspend a course or site."""
    model = {"courses": Course, "sites": Site}.get(kind)
    entry = model.objects.filter(pk=entry_id).first() if model else None
    if entry is None:
        raise NotFound("No such entry.")
    entry = offers.moderate(actor_of(request), entry, decision.action, decision.note)
    return {"id": entry.pk, "status": entry.status}


@router.get("/distribution", response=dict, auth=API_AUTH)
def distribution(request):
    """Supply per district per 10,000 residents, the suburb–centre gap, and proposals."""
    report = distribution_report(actor_of(request))
    a = report.analysis
    return {
        "city": a.city,
        "online_courses": report.online_courses,
        "districts": [
            {
                "code": r.supply.code,
                "zone": r.supply.zone,
                "residents": r.supply.residents,
                "courses": r.supply.courses,
                "seats": r.supply.seats,
                "sites": r.supply.sites,
                "per_10k": r.rates,
                "relative": r.relative,
                "under_served": list(r.under_served),
            }
            for r in a.districts
        ],
        "zones": [
            {"zone": z.zone, "residents": z.residents, "totals": z.totals, "per_10k": z.rates}
            for z in a.zones
        ],
        "gaps": [g.__dict__ for g in a.gaps],
        "proposals": [
            {
                "course_id": p.course_id,
                "course": report.courses[p.course_id].title_zh,
                "to_district": p.district,
                "held_in": list(p.held_in),
                "demand": p.demand,
                "waiting": p.waiting,
            }
            for p in report.proposals
        ],
    }
