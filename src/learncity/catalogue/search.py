"""Catalogue search on either database: full text (Chinese and English), filters, sorting.

One selector for both backends: the text condition is an FTS5 MATCH on SQLite and trigram
LIKE/ILIKE (pg_trgm GIN indexes) on PostgreSQL — see textsearch and searchindex — and
everything else (filters, relevance, distance, start date, paging) is the same ORM query.
Relevance: each term scores 3 when in the title, 1 when in the description; ties go to shorter
titles, then to the earlier start. Distance: to the nearest running session's site.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Length
from django.utils import timezone

from learncity.catalogue import geo, searchindex, textsearch
from learncity.catalogue.matching import (
    COUNT_CAP,
    POOL,
    POOL_MAX,
    count_matches,
    pool_ids,
    relevance,
)
from learncity.catalogue.models import Course, Session, Site

MAX_PER_PAGE = 50
MAX_PAGE = 200
SORTS = ("relevance", "start", "distance")


@dataclass(frozen=True)
class CourseFilters:
    district: str = ""
    mode: str = ""
    kind: str = ""
    audience: str = ""
    free: bool = False
    level: int | None = None
    category: str = ""
    starts_from: date | None = None
    starts_until: date | None = None
    weekday: int | None = None
    part_of_day: str = ""
    provider_id: int | None = None


@dataclass
class Page:
    items: list
    total: int
    total_capped: bool
    page: int
    per_page: int
    query: textsearch.Query
    sort: str
    notes: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, min(MAX_PAGE, -(-self.total // self.per_page)))


def _squared_km(origin: geo.Point, lat: str, lon: str):
    ky, kx = geo.planar_factors(origin)
    dy = (F(lat) - Value(origin.latitude)) * Value(ky)
    dx = (F(lon) - Value(origin.longitude)) * Value(kx)
    return ExpressionWrapper(dy * dy + dx * dx, output_field=FloatField())


def _running_sessions(today: date):
    return Session.objects.filter(course_id=OuterRef("pk"), cancelled=False, ends_on__gte=today)


def filter_courses(qs: QuerySet, f: CourseFilters, today: date | None = None) -> QuerySet:
    """Every filter is a test on the course row (where and when it meets is kept on it)."""
    if f.district:
        qs = qs.filter(
            Q(districts="")
            | Q(districts__contains=f",{f.district},")
            | Q(held_in__contains=f",{f.district},")
        )
    for name in ("mode", "kind"):
        if getattr(f, name):
            qs = qs.filter(**{name: getattr(f, name)})
    if f.audience:
        qs = qs.filter(Q(audiences="") | Q(audiences__contains=f",{f.audience},"))
    if f.free:
        qs = qs.filter(Q(public_benefit=True) | Q(fee_yuan=0))
    if f.level is not None:
        qs = qs.filter(level__number=f.level)
    if f.category:
        qs = qs.filter(category__code=f.category)
    if f.provider_id:
        qs = qs.filter(provider_id=f.provider_id)
    if f.starts_from:
        qs = qs.filter(next_start__gte=f.starts_from)
    if f.starts_until:
        qs = qs.filter(next_start__lte=f.starts_until)
    if f.weekday:
        qs = qs.filter(held_days__contains=f",{f.weekday},")
    if f.part_of_day:
        qs = qs.filter(held_parts__contains=f",{f.part_of_day},")
    return qs


def _page(qs: QuerySet, page: int, per_page: int, count: str = "capped") -> tuple[list, int, bool]:
    """A page and the total: "capped" counts up to COUNT_CAP in a second query, "window" counts
    in the same query (for a bounded pool), "none" leaves the total to the caller."""
    start = (page - 1) * per_page
    if count == "window":
        items = list(qs.annotate(full_count=Window(Count("id")))[start : start + per_page])
        if items or page == 1:
            return items, items[0].full_count if items else 0, False
        count = "capped"
    items = list(qs[start : start + per_page])
    if count == "none":
        return items, 0, False
    total = qs.order_by()[: COUNT_CAP + 1].count()
    return items, min(total, COUNT_CAP), total > COUNT_CAP


def _limits(page: int, per_page: int) -> tuple[int, int]:
    return max(1, min(page, MAX_PAGE)), max(1, min(per_page, MAX_PER_PAGE))


def _ranked_page(base, ix, query, shape, page, per_page, unfiltered: bool):
    """One page ranked within a pool of matching ids, grown once when filters leave the page
    short; the total is exact when the index can count cheaply, else capped at the pool."""
    matches = count_matches(ix, query)
    size = min(POOL_MAX, max(POOL, page * per_page))
    while True:
        ids = pool_ids(ix, query, size + 1)
        saturated = len(ids) > size
        qs = shape(base.filter(id__in=ids[:size]))
        items, total, capped = _page(qs, page, per_page, "none" if unfiltered else "window")
        if not saturated or size >= POOL_MAX or len(items) == per_page:
            break
        size = POOL_MAX
    if unfiltered and matches is not None:
        return items, min(matches, COUNT_CAP), matches > COUNT_CAP
    if unfiltered:
        return items, min(len(ids), size), saturated
    return items, total, capped or saturated


def _with_distance(items: list) -> list:
    for item in items:
        d2 = getattr(item, "d2", None)
        item.distance_km = round(d2**0.5, 1) if d2 is not None else None
    return items


def _sort_for(query: textsearch.Query, sort: str, origin, notes: list[str]) -> str:
    sort = sort if sort in SORTS else ("relevance" if query.terms else "start")
    if sort == "relevance" and query.empty:
        sort = "start"
    if sort == "distance" and origin is None:
        notes.append("distance_needs_origin")
        sort = "relevance" if query.terms else "start"
    return sort


def _notes(text: str, query: textsearch.Query) -> list[str]:
    notes = ["shortened"] if query.shortened else []
    if text.strip() and query.empty:
        notes.append("no_terms")
    return notes


def search_courses(
    text: str = "",
    filters: CourseFilters | None = None,
    *,
    sort: str = "",
    origin: geo.Point | None = None,
    page: int = 1,
    per_page: int = 20,
    today: date | None = None,
) -> Page:
    """Published courses matching the text and filters, one page, with the total."""
    today = today or timezone.localdate()
    page, per_page = _limits(page, per_page)
    query = textsearch.parse(text)
    notes = _notes(text, query)
    sort = _sort_for(query, sort, origin, notes)
    filters = filters or CourseFilters()
    base = Course.objects.filter(status="published").select_related("provider", "level")

    def shape(qs: QuerySet) -> QuerySet:
        qs = filter_courses(qs, filters, today)
        if sort == "relevance":
            body = ("description_zh", "description_en")
            qs = qs.annotate(score=relevance(query, ("title_zh", "title_en"), body))
        if origin is not None:
            qs = qs.annotate(d2=_nearest_session(origin, today))
        start = F("next_start").asc(nulls_last=True)
        if sort == "distance":
            return qs.order_by(F("d2").asc(nulls_last=True), start, "id")
        if sort == "relevance":
            return qs.order_by("-score", Length("title_zh").asc(), start, "id")
        return qs.order_by(start, "id")

    if query.terms:
        unfiltered = filters == CourseFilters()
        items, total, capped = _ranked_page(
            base, searchindex.COURSES, query, shape, page, per_page, unfiltered
        )
    else:
        items, total, capped = _page(shape(base), page, per_page)
    return Page(_with_distance(items), total, capped, page, per_page, query, sort, notes)


def _nearest_session(origin: geo.Point, today: date) -> Subquery:
    nearest = (
        _running_sessions(today)
        .filter(site__latitude__isnull=False)
        .annotate(d2=_squared_km(origin, "site__latitude", "site__longitude"))
        .order_by("d2")
        .values("d2")[:1]
    )
    return Subquery(nearest, output_field=FloatField())


def search_sites(
    text: str = "",
    *,
    district: str = "",
    kind: str = "",
    step_free: bool = False,
    origin: geo.Point | None = None,
    radius_km: float | None = None,
    page: int = 1,
    per_page: int = 20,
) -> Page:
    """Published learning sites by name or address, nearest first when a place is given."""
    page, per_page = _limits(page, per_page)
    query = textsearch.parse(text)
    notes = _notes(text, query)
    sort = "distance" if origin is not None else ("relevance" if query.terms else "name")

    def shape(qs: QuerySet) -> QuerySet:
        if district:
            qs = qs.filter(district_code=district)
        if kind:
            qs = qs.filter(kind=kind)
        if step_free:
            qs = qs.filter(step_free=True)
        if origin is not None:
            if radius_km:
                south, west, north, east = geo.bounding_box(origin, radius_km)
                qs = qs.filter(latitude__range=(south, north), longitude__range=(west, east))
            qs = qs.annotate(d2=_squared_km(origin, "latitude", "longitude"))
            if radius_km:
                qs = qs.filter(d2__lte=radius_km * radius_km)
            return qs.order_by(F("d2").asc(nulls_last=True), "id")
        if query.terms:
            qs = qs.annotate(score=relevance(query, ("name_zh", "name_en"), ("address", "address")))
            return qs.order_by("-score", Length("name_zh").asc(), "id")
        return qs.order_by("district_code", "name_zh", "id")

    base = Site.objects.filter(status="published").select_related("provider")
    if query.terms:
        unfiltered = not (district or kind or step_free or origin)
        items, total, capped = _ranked_page(
            base, searchindex.SITES, query, shape, page, per_page, unfiltered
        )
    else:
        items, total, capped = _page(shape(base), page, per_page)
    return Page(_with_distance(items), total, capped, page, per_page, query, sort, notes)
