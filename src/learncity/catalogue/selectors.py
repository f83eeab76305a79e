"""Reads shared by the catalogue's pages and API (search itself is in search.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.catalogue import geo
from learncity.catalogue.messages import PROBLEMS
from learncity.catalogue.models import Course, Enrolment, Inspection, Practitioner, Rating, Session
from learncity.catalogue.services.offers import WRITE_SCOPE
from learncity.errors import NotFound, ValidationFailed
from learncity.identity import districts

NEAR_RADIUS_KM = 5.0
MAX_RADIUS_KM = 50.0


def origin_from(district: str = "", latitude=None, longitude=None) -> geo.Point | None:
    """The place 'near me' means: coordinates if given (checked), else a district's centre."""
    has_lat = latitude not in (None, "")
    has_lon = longitude not in (None, "")
    if has_lat or has_lon:
        if not (has_lat and has_lon):
            raise ValidationFailed(
                PROBLEMS["coordinates.half"], field="latitude", code="coordinates.half"
            )
        try:
            return geo.check_in_city(geo.parse_point(latitude, longitude), geo.city_extent())
        except geo.GeoError as error:
            raise ValidationFailed(
                PROBLEMS[error.code], field="latitude", code=error.code
            ) from None
    if district:
        if districts.by_code(district) is None:
            raise ValidationFailed(_("Choose a district from the list."), field="district")
        centre = geo.district_centre(district)
        if centre is None:
            raise ValidationFailed(
                _("This district has no known centre; give coordinates instead."), field="district"
            )
        return centre
    return None


def radius(value) -> float:
    try:
        km = float(value) if value not in (None, "") else NEAR_RADIUS_KM
    except (TypeError, ValueError):
        raise ValidationFailed(
            _("The distance must be a number of kilometres."), field="radius_km"
        ) from None
    if not 0 < km <= MAX_RADIUS_KM:
        raise ValidationFailed(
            _("Choose a distance between 0 and %(max)s km.") % {"max": int(MAX_RADIUS_KM)},
            field="radius_km",
        )
    return km


def visible_course(actor: Actor, course_id: int) -> Course:
    """A published course, or any course to its provider and to administrators."""
    course = (
        Course.objects.select_related("provider", "level", "category").filter(pk=course_id).first()
    )
    if course is None or not (
        course.status == "published" or actor.may_act_for(course.provider_id, WRITE_SCOPE)
    ):
        raise NotFound(_("No such course."))
    return course


def upcoming_sessions(course: Course, today: date | None = None) -> QuerySet[Session]:
    today = today or timezone.localdate()
    return (
        Session.objects.filter(course=course, cancelled=False, ends_on__gte=today)
        .select_related("site")
        .order_by("starts_on", "start_time", "id")
    )


@dataclass(frozen=True)
class Stars:
    average: float | None
    count: int


def course_stars(course: Course) -> Stars:
    agg = Rating.objects.filter(course=course).aggregate(avg=Avg("stars"), n=Count("id"))
    return Stars(round(agg["avg"], 1) if agg["avg"] is not None else None, agg["n"])


def sessions_near(origin: geo.Point, radius_km: float, days: int = 90, limit: int = 50) -> list:
    """Running or coming sessions of published courses and events, nearest first."""
    today = timezone.localdate()
    south, west, north, east = geo.bounding_box(origin, radius_km)
    sessions = (
        Session.objects.filter(
            cancelled=False,
            ends_on__gte=today,
            starts_on__lte=today + timedelta(days=days),
            site__latitude__range=(south, north),
            site__longitude__range=(west, east),
        )
        .filter(Q(course__status="published") | Q(event__published=True))
        .select_related("site", "course", "event")[:2000]
    )
    found = []
    for s in sessions:
        km = geo.distance_km(origin, geo.Point(s.site.latitude, s.site.longitude))
        if km <= radius_km:
            s.distance_km = round(km, 1)
            found.append(s)
    found.sort(key=lambda s: (s.distance_km, s.starts_on, s.start_time, s.pk))
    return found[:limit]


def my_enrolments(actor: Actor) -> QuerySet[Enrolment]:
    learner_id = actor.require_learner()
    return (
        Enrolment.objects.filter(learner_id=learner_id)
        .select_related("session__course", "session__event", "session__site")
        .prefetch_related("rating")
        .order_by("-session__starts_on", "-id")
    )


def waiting_position(enrolment: Enrolment) -> int | None:
    if enrolment.status != "waiting":
        return None
    return Enrolment.objects.filter(
        session_id=enrolment.session_id, status="waiting", id__lte=enrolment.pk
    ).count()


def moderation_queue(actor: Actor) -> dict[str, QuerySet]:
    actor.require_role("admin")
    from learncity.catalogue.models import Site

    return {
        "courses": Course.objects.filter(status="pending").select_related("provider")[:200],
        "sites": Site.objects.filter(status="pending").select_related("provider")[:200],
    }


@dataclass(frozen=True)
class QualityView:
    provider_id: int
    course_stars: Stars
    site_stars: Stars
    by_course: list[dict]
    practitioners: int
    verified_practitioners: int
    latest_inspection: Inspection | None


def quality_view(provider_id: int) -> QualityView:
    """How learners rate a provider's courses and sites, its staff, its latest inspection."""
    ratings = Rating.objects.filter(provider_id=provider_id)
    overall = ratings.aggregate(avg=Avg("stars"), n=Count("id"))
    site = ratings.filter(site_stars__isnull=False).aggregate(avg=Avg("site_stars"), n=Count("id"))
    by_course = list(
        ratings.filter(course__isnull=False)
        .values("course_id", "course__title_zh", "course__title_en")
        .annotate(avg=Avg("stars"), n=Count("id"))
        .order_by("avg", "course_id")[:100]
    )
    staff = Practitioner.objects.filter(institution_id=provider_id, active=True)
    return QualityView(
        provider_id,
        Stars(round(overall["avg"], 1) if overall["avg"] else None, overall["n"]),
        Stars(round(site["avg"], 1) if site["avg"] else None, site["n"]),
        by_course,
        staff.count(),
        staff.filter(verified_at__isnull=False).count(),
        Inspection.objects.filter(institution_id=provider_id).order_by("-created_at").first(),
    )
