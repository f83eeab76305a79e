"""API shapes of catalogue entries."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from ninja import Schema
from pydantic import ConfigDict

from learncity.catalogue import choices
from learncity.catalogue.models import Course, Session, Site

Scalar = str | int | float | bool | None


class CourseIn(Schema):
    """A course as a provider sends it; values as in the spreadsheet (codes or names)."""

    model_config = ConfigDict(extra="forbid")

    code: str
    title_zh: str
    title_en: str = ""
    description_zh: str = ""
    description_en: str = ""
    mode: str
    kind: str
    audiences: list[str] | str = ""
    hours: Scalar = None
    credits: Scalar = None
    level: Scalar = None
    category: str = ""
    xapi_activity_iri: str = ""
    fee_yuan: Scalar = None
    public_benefit: Scalar = False
    districts: list[str] | str = ""

    def as_texts(self) -> dict[str, str]:
        return _texts(self)


def _texts(schema: Schema) -> dict[str, str]:
    """Values as the row rules expect them: text, lists joined by commas, yes/no."""
    out = {}
    for key, value in schema.model_dump().items():
        if isinstance(value, list):
            value = ",".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        out[key] = "" if value is None else str(value)
    return out


class SiteIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: str
    name_zh: str
    name_en: str = ""
    kind: str
    address: str
    district: str
    latitude: Scalar = None
    longitude: Scalar = None
    opening_hours: str = ""
    accessibility: str = ""
    step_free: Scalar = False
    capacity: Scalar = None

    def as_texts(self) -> dict[str, str]:
        return _texts(self)


class SessionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    site_id: int
    starts_on: date
    ends_on: date
    start_time: time
    end_time: time
    capacity: int
    weekdays: str = ""
    room: str = ""
    title_zh: str = ""
    title_en: str = ""


class SessionOut(Schema):
    id: int
    course_id: int | None
    event_id: int | None
    title: str
    site_id: int
    site_name: str
    district_code: str
    room: str
    starts_on: date
    ends_on: date
    weekdays: str
    start_time: time
    end_time: time
    capacity: int
    places_left: int
    cancelled: bool
    distance_km: float | None = None


def session_out(s: Session, language: str) -> SessionOut:
    return SessionOut(
        id=s.pk,
        course_id=s.course_id,
        event_id=s.event_id,
        title=s.title(language),
        site_id=s.site_id,
        site_name=s.site.name(language),
        district_code=s.site.district_code,
        room=s.room,
        starts_on=s.starts_on,
        ends_on=s.ends_on,
        weekdays=s.weekdays,
        start_time=s.start_time,
        end_time=s.end_time,
        capacity=s.capacity,
        places_left=s.places_left,
        cancelled=s.cancelled,
        distance_km=getattr(s, "distance_km", None),
    )


class CourseOut(Schema):
    id: int
    provider: str
    code: str
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    mode: str
    kind: str
    audiences: list[str]
    hours: Decimal | None
    credits: Decimal | None
    level: int | None
    category: str | None
    xapi_activity_iri: str
    fee_yuan: Decimal
    public_benefit: bool
    districts: list[str]
    status: str
    next_start: date | None
    score: int | None = None
    distance_km: float | None = None


def course_out(c: Course) -> CourseOut:
    return CourseOut(
        id=c.pk,
        provider=c.provider.code,
        code=c.code,
        title_zh=c.title_zh,
        title_en=c.title_en,
        description_zh=c.description_zh,
        description_en=c.description_en,
        mode=c.mode,
        kind=c.kind,
        audiences=choices.unpack(c.audiences),
        hours=c.hours,
        credits=c.credits,
        level=c.level.number if c.level_id else None,
        category=c.category.code if c.category_id else None,
        xapi_activity_iri=c.xapi_activity_iri,
        fee_yuan=c.fee_yuan,
        public_benefit=c.public_benefit,
        districts=choices.unpack(c.districts),
        status=c.status,
        next_start=c.next_start,
        score=getattr(c, "score", None),
        distance_km=getattr(c, "distance_km", None),
    )


class SiteOut(Schema):
    id: int
    provider: str
    code: str
    name_zh: str
    name_en: str
    kind: str
    address: str
    district_code: str
    latitude: float | None
    longitude: float | None
    opening_hours: str
    accessibility: str
    step_free: bool
    capacity: int | None
    status: str
    distance_km: float | None = None


def site_out(s: Site) -> SiteOut:
    return SiteOut(
        id=s.pk,
        provider=s.provider.code,
        code=s.code,
        name_zh=s.name_zh,
        name_en=s.name_en,
        kind=s.kind,
        address=s.address,
        district_code=s.district_code,
        latitude=s.latitude,
        longitude=s.longitude,
        opening_hours=s.opening_hours,
        accessibility=s.accessibility,
        step_free=s.step_free,
        capacity=s.capacity,
        status=s.status,
        distance_km=getattr(s, "distance_km", None),
    )


class PageMeta(Schema):
    total: int
    total_capped: bool
    page: int
    per_page: int
    sort: str
    terms: list[str]
    notes: list[str]


class CoursePage(PageMeta):
    items: list[CourseOut]


class SitePage(PageMeta):
    items: list[SiteOut]


def page_meta(page) -> dict:
    return {
        "total": page.total,
        "total_capped": page.total_capped,
        "page": page.page,
        "per_page": page.per_page,
        "sort": page.sort,
        "terms": list(page.query.terms),
        "notes": page.notes,
    }


class EnrolmentOut(Schema):
    id: int
    session_id: int
    status: str
    waiting_position: int | None = None


class RatingIn(Schema):
    model_config = ConfigDict(extra="forbid")
    stars: int
    site_stars: int | None = None
    comment: str = ""


class ModerationIn(Schema):
    model_config = ConfigDict(extra="forbid")
    action: str
    note: str = ""


class SuggestionOut(Schema):
    course: CourseOut
    score: float
    reasons: list[str]
