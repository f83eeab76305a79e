"""Pages anyone may read: search, a course, a site, near me, events, quality, awards."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from learncity.catalogue import choices, forms, params, search, selectors
from learncity.catalogue.models import AwardScheme, Event, Site
from learncity.catalogue.suggestions import suggestions_for
from learncity.errors import NotFound, ValidationFailed
from learncity.identity import districts
from learncity.identity.models import Learner
from learncity.institutions.services import institution_by_code
from learncity.portal.helpers import actor

NOTES = {
    "shortened": lambda: _("Your search was long, so only its beginning was used."),
    "no_terms": lambda: _(
        "Your search had no letters or digits to look for, so all courses are shown."
    ),
    "distance_needs_origin": lambda: _(
        "To sort by distance, choose a district or give coordinates under “Near”."
    ),
}


def _lang(request) -> str:
    return request.LANGUAGE_CODE or "zh-hans"


def filter_options(request) -> dict:
    return {
        "districts": forms.district_choices(_("Any district")),
        "modes": forms.labelled(choices.MODES, _("Any mode")),
        "kinds": forms.labelled(choices.COURSE_KINDS, _("Any kind")),
        "audiences": forms.labelled(choices.AUDIENCES, _("Anyone")),
        "weekdays": forms.labelled(choices.WEEKDAYS, _("Any day")),
        "parts": forms.labelled(choices.PARTS_OF_DAY, _("Any time")),
        "levels": [("", _("Any level"))] + [(str(n), str(n)) for n in range(1, 9)],
        "sorts": [
            ("relevance", _("Best match")),
            ("start", _("Starting soonest")),
            ("distance", _("Nearest")),
        ],
    }


def catalogue_search(request):
    """Search courses; a signed-in learner first sees courses recommended for them."""
    get = request.GET
    error, page = None, None
    try:
        page = search.search_courses(
            get.get("q", ""),
            params.course_filters(get),
            sort=get.get("sort", ""),
            origin=params.origin(get),
            page=params.page_number(get),
        )
    except ValidationFailed as failed:
        error = failed
    who = actor(request)
    suggestions = []
    if who.learner_id and not get:
        suggestions = suggestions_for(Learner.objects.get(pk=who.learner_id), _lang(request))
    query = get.copy()
    query.pop("page", None)
    return render(
        request,
        "catalogue/search.html",
        {
            "page": page,
            "error": error,
            "notes": [NOTES[n]() for n in (page.notes if page else [])],
            "get": get,
            "query_string": query.urlencode(),
            "suggestions": suggestions,
            **filter_options(request),
        },
    )


def course_detail(request, course_id: int):
    who = actor(request)
    course = selectors.visible_course(who, course_id)
    lang = _lang(request)
    return render(
        request,
        "catalogue/course.html",
        {
            "course": course,
            "title": course.title(lang),
            "description": course.description(lang),
            "sessions": selectors.upcoming_sessions(course),
            "stars": selectors.course_stars(course),
            "mode": choices.label(choices.MODES, course.mode, lang),
            "kind": choices.label(choices.COURSE_KINDS, course.kind, lang),
            "audiences": [
                choices.label(choices.AUDIENCES, a, lang) for a in choices.unpack(course.audiences)
            ],
            "served": [
                districts.by_code(c).label(lang)
                for c in choices.unpack(course.districts)
                if districts.by_code(c)
            ],
            "is_learner": who.learner_id is not None,
        },
    )


def site_detail(request, site_id: int):
    site = Site.objects.select_related("provider").filter(pk=site_id, status="published").first()
    if site is None:
        raise NotFound(_("No such learning site."))
    lang = _lang(request)
    district = districts.by_code(site.district_code)
    sessions = site.sessions.filter(cancelled=False).select_related("course", "event")
    return render(
        request,
        "catalogue/site.html",
        {
            "site": site,
            "name": site.name(lang),
            "kind": choices.label(choices.SITE_KINDS, site.kind, lang),
            "district": district.label(lang) if district else site.district_code,
            "sessions": [s for s in sessions.order_by("starts_on")[:100] if s.ends_on >= _today()],
        },
    )


def _today():
    from django.utils import timezone

    return timezone.localdate()


def near_me(request):
    get = request.GET
    error, origin, sites, sessions = None, None, [], []
    try:
        origin = params.origin(get)
        radius = selectors.radius(get.get("radius_km", ""))
        if origin is not None:
            sites = search.search_sites(
                get.get("q", ""), origin=origin, radius_km=radius, per_page=20
            ).items
            sessions = selectors.sessions_near(origin, radius, limit=30)
    except ValidationFailed as failed:
        error = failed
    return render(
        request,
        "catalogue/near.html",
        {
            "error": error,
            "origin": origin,
            "sites": sites,
            "sessions": sessions,
            "get": get,
            "districts": forms.district_choices(_("Choose…")),
            "radii": ["1", "3", "5", "10", "20"],
        },
    )


def events(request):
    found = Event.objects.filter(published=True, ends_on__gte=_today()).prefetch_related(
        "sessions__site"
    )[:20]
    return render(request, "catalogue/events.html", {"events": found})


def provider_quality(request, code: str):
    institution = institution_by_code(code)
    view = selectors.quality_view(institution.pk)
    return render(
        request,
        "catalogue/quality.html",
        {
            "institution": institution,
            "name": institution.display_name(_lang(request)),
            "view": view,
        },
    )


def awards(request):
    schemes = AwardScheme.objects.filter(published_at__isnull=False).prefetch_related(
        "nominations__team", "nominations__organisation", "nominations__learner"
    )[:20]
    return render(request, "catalogue/awards.html", {"schemes": schemes})
