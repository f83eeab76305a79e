"""Template helpers: labels of codes in the reader's language, titles, recommendations."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from learncity.catalogue import choices
from learncity.identity import districts

register = template.Library()

TABLES = {
    "modes": choices.MODES,
    "course_kinds": choices.COURSE_KINDS,
    "audiences": choices.AUDIENCES,
    "site_kinds": choices.SITE_KINDS,
    "moderation": choices.MODERATION,
    "enrolment": choices.ENROLMENT_STATES,
    "weekdays": choices.WEEKDAYS,
    "event_kinds": choices.EVENT_KINDS,
    "verdicts": choices.VERDICTS,
    "award_kinds": choices.AWARD_KINDS,
    "zones": {"central": ("Central districts", "中心城区"), "pudong": ("Pudong", "浦东新区"),
              "suburb": ("Suburban districts", "郊区")},
}  # fmt: skip


def _lang() -> str:
    return get_language() or "zh-hans"


@register.simple_tag
def label(table: str, code: str) -> str:
    return choices.label(TABLES[table], code, _lang())


@register.simple_tag
def district_name(code: str) -> str:
    d = districts.by_code(code)
    return d.label(_lang()) if d else code


@register.simple_tag
def course_title(course) -> str:
    return course.title(_lang())


@register.simple_tag
def site_name(site) -> str:
    return site.name(_lang())


@register.simple_tag
def session_title(session) -> str:
    return session.title(_lang())


@register.filter
def weekday_names(digits: str) -> str:
    return "、".join(choices.label(choices.WEEKDAYS, d, _lang()) for d in digits or "")


@register.filter
def star_text(value) -> str:
    if value is None:
        return ""
    full = round(float(value))
    return "★" * full + "☆" * (5 - full)


@register.inclusion_tag("catalogue/_for_you.html", takes_context=True)
def catalogue_suggestions(context, limit: int = 3):
    """Courses recommended to the signed-in learner; for the portal home page."""
    from learncity.catalogue.suggestions import suggestions_for
    from learncity.identity.models import Learner

    request = context.get("request")
    learner = getattr(getattr(request, "user", None), "learner", None) if request else None
    if learner is None or not isinstance(learner, Learner):
        return {"suggestions": []}
    return {"suggestions": suggestions_for(learner, _lang(), limit), "LANGUAGE_CODE": _lang()}
