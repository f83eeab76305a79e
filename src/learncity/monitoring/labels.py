"""Names and number formats for published cells, in Chinese or English."""

from __future__ import annotations

from functools import lru_cache

from django.utils.translation import gettext as _

from learncity.identity.districts import all_districts
from learncity.monitoring import bank_file
from learncity.monitoring.catalogue import Catalogue, Indicator

DECIMALS = {"percent": 1, "per_1000": 1, "per_10000": 2, "hours": 1, "count": 0,
            "credits": 1, "persons": 0, "index": 3, "points": 1, "score": 1}


def lang_key(language: str) -> str:
    return "en" if (language or "").startswith("en") else "zh"


@lru_cache(maxsize=1)
def _options() -> dict[str, dict]:
    bank = bank_file.read()
    return {o["code"]: o for item in bank["items"] for o in item.get("options", [])}


def option_rank(code: str) -> int:
    order = list(_options())
    return order.index(code) if code in order else len(order)


def group_label(cat: Catalogue, dimension: str, group: str, language: str) -> str:
    key = lang_key(language)
    if dimension == "district":
        district = next((d for d in all_districts() if d.code == group), None)
        return district.label(language) if district else group
    if dimension == "zone":
        return cat.zones.get(group, {}).get(key, group)
    if dimension == "category":
        return cat.categories.get(group, {}).get(key, group)
    if dimension == "option":
        return _options().get(group, {}).get(key, group)
    if dimension == "age_band":
        return group if key == "en" else f"{group}岁"
    return cat.groups.get(group, {}).get(key, group)


def dimension_label(cat: Catalogue, dimension: str, language: str) -> str:
    return cat.dimensions.get(dimension, {}).get(lang_key(language), dimension)


def unit_label(cat: Catalogue, ind: Indicator, language: str) -> str:
    return cat.units[ind.unit][lang_key(language)]


def number(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    places = DECIMALS.get(unit, 2)
    return f"{value:,.{places}f}"


def shown(value: float | None, unit: str, flag: str = "") -> str:
    """The value as a reader sees it: number and unit sign, or why there is none."""
    if flag == "suppressed" or value is None:
        return _("suppressed (fewer than the minimum number of people)") if flag else "—"
    text = number(value, unit) + ("%" if unit == "percent" else "")
    if unit == "points" and value > 0:
        text = "+" + text
    return text


def flag_label(flag: str) -> str:
    return {
        "suppressed": _("Suppressed: fewer people than the publication minimum"),
        "caution": _("Use with caution (coefficient of variation 16.5–33.3%)"),
        "unreliable": _("Unreliable (coefficient of variation above 33.3% or too few "
                        "respondents)"),
    }.get(flag, "")


def target_met(ind: Indicator, value: float | None) -> bool | None:
    if ind.target is None or value is None:
        return None
    goal, cmp = ind.target["value"], ind.target["comparison"]
    return {">": value > goal, ">=": value >= goal, "<": value < goal, "<=": value <= goal}[cmp]
