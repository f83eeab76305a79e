"""What each problem code means to the person who caused it, in their language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from learncity.catalogue.rows import Problem
from learncity.errors import ValidationFailed

PROBLEMS = {
    "required": _("This is required."),
    "too_long": _("This is too long: at most %(limit)s characters."),
    "bad_code": _("Use letters, digits, dots, hyphens and underscores only, e.g. XH-CAL-01."),
    "not_a_number": _("Write a number, e.g. 32 or 1.5."),
    "out_of_range": _("The number must be between 0 and %(limit)s."),
    "not_whole": _("Write a whole number."),
    "not_yes_no": _("Write yes or no (是 or 否)."),
    "unknown_value": _("“%(value)s” is not on the list. Use a code or name from the template."),
    "free_with_fee": _("A free public-benefit course cannot charge a fee: set the fee to 0."),
    "bad_iri": _(
        "The xAPI activity IRI must be a full address such as https://example.org/courses/1."
    ),
    "coordinates.half": _("Give both latitude and longitude, or neither."),
    "coordinates.unreadable": _("Latitude and longitude must be decimal degrees, e.g. 31.2304."),
    "coordinates.out_of_range": _(
        "Latitude lies between -90 and 90, longitude between -180 and 180."
    ),
    "coordinates.swapped": _(
        "These look like longitude and latitude swapped: in Shanghai latitude is about 31 and "
        "longitude about 121."
    ),
    "coordinates.outside_city": _(
        "This point lies outside the city. Check the coordinates (WGS-84 decimal degrees)."
    ),
    "schedule.no_weekdays": _("Say on which weekdays it meets, e.g. 135 for Mon, Wed, Fri."),
    "schedule.bad_weekdays": _("Weekdays are digits 1 (Monday) to 7 (Sunday), e.g. 246."),
    "schedule.ends_before_start": _("The last date is before the first date."),
    "schedule.too_long": _("A session may run for at most two years; split it into terms."),
    "schedule.time_order": _("The end time must be after the start time."),
    "schedule.never_meets": _("None of the dates between first and last falls on these weekdays."),
}

COLUMN_LABELS = {
    "code": _("code"),
    "title_zh": _("title (Chinese)"),
    "title_en": _("title (English)"),
    "description_zh": _("description (Chinese)"),
    "description_en": _("description (English)"),
    "mode": _("mode"),
    "kind": _("kind"),
    "audiences": _("audiences"),
    "hours": _("learning hours"),
    "credits": _("credits"),
    "level": _("framework level"),
    "category": _("category"),
    "xapi_activity_iri": _("xAPI activity IRI"),
    "fee_yuan": _("fee (yuan)"),
    "public_benefit": _("free public-benefit course"),
    "districts": _("districts served"),
    "name_zh": _("name (Chinese)"),
    "name_en": _("name (English)"),
    "address": _("address"),
    "district": _("district"),
    "latitude": _("latitude"),
    "longitude": _("longitude"),
    "opening_hours": _("opening hours"),
    "accessibility": _("accessibility"),
    "step_free": _("step-free access"),
    "capacity": _("capacity"),
}


def problem_message(problem: Problem) -> str:
    template = PROBLEMS.get(problem.code, _("This value is not accepted."))
    return str(template) % dict(problem.params) if problem.params else str(template)


def report_entry(row: int, problem: Problem) -> dict:
    return {
        "row": row,
        "column": problem.column,
        "column_label": str(COLUMN_LABELS.get(problem.column, problem.column)),
        "code": problem.code,
        "message": problem_message(problem),
    }


def refuse(problems: list[Problem], row: int = 1) -> ValidationFailed:
    """One error for a form or API call: the first problem's message, all problems in details."""
    entries = [report_entry(row, p) for p in problems]
    first = entries[0]
    message = (
        first["message"]
        if len(entries) == 1
        else _("%(count)s problems; the first, in %(column)s: %(message)s")
        % {"count": len(entries), "column": first["column_label"], "message": first["message"]}
    )
    return ValidationFailed(
        message, field=first["column"], code=f"catalogue.{first['code']}", details=entries
    )
