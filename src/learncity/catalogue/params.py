"""Reading search parameters as typed in a URL, shared by the pages and the API."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from learncity.catalogue import choices, search, selectors
from learncity.errors import ValidationFailed
from learncity.identity import districts


def _choice(value: str, table: choices.Labels, field: str) -> str:
    if not value:
        return ""
    code = choices.find(table, value)
    if code is None:
        raise ValidationFailed(
            _("“%(value)s” is not one of the choices.") % {"value": value[:40]}, field=field
        )
    return code


def _date(value: str, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(_("Write the date as YYYY-MM-DD."), field=field) from None


def _int(value: str, field: str, low: int, high: int) -> int | None:
    if value in ("", None):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = low - 1
    if not low <= number <= high:
        raise ValidationFailed(
            _("Choose a number from %(low)s to %(high)s.") % {"low": low, "high": high}, field=field
        )
    return number


def district(value: str, field: str = "district") -> str:
    if not value:
        return ""
    found = districts.find(value)
    if found is None:
        raise ValidationFailed(_("Choose a district from the list."), field=field)
    return found.code


def truthy(value) -> bool:
    return str(value).strip().casefold() in ("1", "true", "yes", "on", "是")


def course_filters(get) -> search.CourseFilters:
    """CourseFilters from a QueryDict or dict of strings."""
    return search.CourseFilters(
        district=district(get.get("district", "")),
        mode=_choice(get.get("mode", ""), choices.MODES, "mode"),
        kind=_choice(get.get("kind", ""), choices.COURSE_KINDS, "kind"),
        audience=_choice(get.get("audience", ""), choices.AUDIENCES, "audience"),
        free=truthy(get.get("free", "")),
        level=_int(get.get("level", ""), "level", 1, 12),
        category=(get.get("category", "") or "")[:30],
        starts_from=_date(get.get("starts_from", ""), "starts_from"),
        starts_until=_date(get.get("starts_until", ""), "starts_until"),
        weekday=_int(get.get("weekday", ""), "weekday", 1, 7),
        part_of_day=_choice(get.get("part_of_day", ""), choices.PARTS_OF_DAY, "part_of_day"),
    )


def origin(get):
    """The place to measure distance from: ?latitude=&longitude= or ?near=<district>."""
    return selectors.origin_from(
        district(get.get("near", ""), "near"), get.get("latitude"), get.get("longitude")
    )


def page_number(get) -> int:
    return _int(get.get("page", "") or "1", "page", 1, search.MAX_PAGE) or 1
