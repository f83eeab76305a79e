"""The rules for one catalogue entry as typed, shared by form, API and spreadsheet. Pure.

`check_course` and `check_site` take text values and lookups and return the parsed entry or
every problem found (column, code, parameters); the service turns codes into messages in the
reader's language, and the spreadsheet import reports them row by row.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from learncity.catalogue import choices, geo

COURSE_COLUMNS = (
    "code", "title_zh", "title_en", "description_zh", "description_en", "mode", "kind",
    "audiences", "hours", "credits", "level", "category", "xapi_activity_iri", "fee_yuan",
    "public_benefit", "districts",
)  # fmt: skip
COURSE_REQUIRED = ("code", "title_zh", "mode", "kind")
SITE_COLUMNS = (
    "code", "name_zh", "name_en", "kind", "address", "district", "latitude", "longitude",
    "opening_hours", "accessibility", "step_free", "capacity",
)  # fmt: skip
SITE_REQUIRED = ("code", "name_zh", "kind", "address", "district")
LIMITS = {"code": 64, "title_zh": 300, "title_en": 300, "name_zh": 200, "name_en": 200,
          "address": 300, "opening_hours": 300, "xapi_activity_iri": 500,
          "description_zh": 5000, "description_en": 5000, "accessibility": 2000}  # fmt: skip
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]*$")
IRI_PATTERN = re.compile(r"^(https?://[^\s/]+\S*|urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S+|tag:\S+)$")
YES = {"1", "y", "yes", "true", "是", "免费", "公益", "有"}
NO = {"", "0", "n", "no", "false", "否", "收费", "无"}
SEPARATORS = re.compile(r"[,，;；、/\n]+")


@dataclass(frozen=True)
class Problem:
    column: str
    code: str
    params: tuple[tuple[str, str], ...] = ()


@dataclass
class Lookups:
    """What a row may refer to: district finder, framework level numbers, category codes."""

    find_district: Callable[[str], str | None]
    levels: set[int] = field(default_factory=set)
    categories: dict[str, str] = field(default_factory=dict)  # code or name -> code


def _text(values: dict, column: str, problems: list[Problem]) -> str:
    text = (values.get(column) or "").strip()
    limit = LIMITS.get(column)
    if limit and len(text) > limit:
        problems.append(Problem(column, "too_long", (("limit", str(limit)),)))
    return text


def _decimal(values: dict, column: str, limit: Decimal, problems: list[Problem]) -> Decimal | None:
    text = (values.get(column) or "").strip().replace(",", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        problems.append(Problem(column, "not_a_number"))
        return None
    if not number.is_finite() or number < 0 or number > limit:
        problems.append(Problem(column, "out_of_range", (("limit", str(limit)),)))
        return None
    return number.quantize(Decimal("0.01"))


def _flag(values: dict, column: str, problems: list[Problem]) -> bool:
    text = (values.get(column) or "").strip().casefold()
    if text in YES:
        return True
    if text not in NO:
        problems.append(Problem(column, "not_yes_no"))
    return False


def _codes(values: dict, column: str, find, problems: list[Problem]) -> list[str]:
    """Codes or labels separated by commas (or spaces when a piece is not a label itself)."""
    found = []
    for piece in SEPARATORS.split((values.get(column) or "").strip()):
        piece = piece.strip()
        if not piece:
            continue
        code = find(piece)
        parts = [(piece, code)] if code else [(p, find(p)) for p in piece.split()]
        for part, part_code in parts:
            if part_code is None:
                problems.append(Problem(column, "unknown_value", (("value", part[:40]),)))
            else:
                found.append(part_code)
    return found


def _required(values: dict, required: tuple[str, ...], problems: list[Problem]) -> None:
    for column in required:
        if not (values.get(column) or "").strip():
            problems.append(Problem(column, "required"))


def _code(values: dict, problems: list[Problem]) -> str:
    code = _text(values, "code", problems)
    if code and not CODE_PATTERN.match(code):
        problems.append(Problem("code", "bad_code"))
    return code


def check_course(values: dict[str, str], lookups: Lookups) -> dict | list[Problem]:
    problems: list[Problem] = []
    _required(values, COURSE_REQUIRED, problems)
    out: dict = {"code": _code(values, problems)}
    for column in ("title_zh", "title_en", "description_zh", "description_en"):
        out[column] = _text(values, column, problems)
    for column, table in (("mode", choices.MODES), ("kind", choices.COURSE_KINDS)):
        text = (values.get(column) or "").strip()
        out[column] = choices.find(table, text) if text else None
        if text and out[column] is None:
            problems.append(Problem(column, "unknown_value", (("value", text[:40]),)))
    audiences = _codes(values, "audiences", lambda v: choices.find(choices.AUDIENCES, v), problems)
    out["audiences"] = choices.pack(audiences)
    out["hours"] = _decimal(values, "hours", Decimal(10000), problems)
    out["credits"] = _decimal(values, "credits", Decimal(500), problems)
    out["fee_yuan"] = _decimal(values, "fee_yuan", Decimal(1000000), problems) or Decimal(0)
    out["public_benefit"] = _flag(values, "public_benefit", problems)
    if out["public_benefit"] and out["fee_yuan"] > 0:
        problems.append(Problem("fee_yuan", "free_with_fee"))
    out["level"] = _level(values, lookups, problems)
    out["category"] = _category(values, lookups, problems)
    iri = _text(values, "xapi_activity_iri", problems)
    if iri and not IRI_PATTERN.match(iri):
        problems.append(Problem("xapi_activity_iri", "bad_iri"))
    out["xapi_activity_iri"] = iri
    out["districts"] = choices.pack(_codes(values, "districts", lookups.find_district, problems))
    return problems or out


def _level(values: dict, lookups: Lookups, problems: list[Problem]) -> int | None:
    text = (values.get("level") or "").strip()
    if not text:
        return None
    digits = "".join(c for c in text if c.isdigit())
    if not digits or int(digits) not in lookups.levels:
        problems.append(Problem("level", "unknown_value", (("value", text[:40]),)))
        return None
    return int(digits)


def _category(values: dict, lookups: Lookups, problems: list[Problem]) -> str | None:
    text = (values.get("category") or "").strip()
    if not text:
        return None
    code = lookups.categories.get(text) or lookups.categories.get(text.casefold())
    if code is None:
        problems.append(Problem("category", "unknown_value", (("value", text[:40]),)))
    return code


def check_site(
    values: dict[str, str], lookups: Lookups, extent: tuple[float, float, float, float] | None
) -> dict | list[Problem]:
    problems: list[Problem] = []
    _required(values, SITE_REQUIRED, problems)
    out: dict = {"code": _code(values, problems)}
    for column in ("name_zh", "name_en", "address", "opening_hours", "accessibility"):
        out[column] = _text(values, column, problems)
    kind_text = (values.get("kind") or "").strip()
    out["kind"] = choices.find(choices.SITE_KINDS, kind_text) if kind_text else None
    if kind_text and out["kind"] is None:
        problems.append(Problem("kind", "unknown_value", (("value", kind_text[:40]),)))
    district = (values.get("district") or "").strip()
    out["district_code"] = lookups.find_district(district) if district else None
    if district and out["district_code"] is None:
        problems.append(Problem("district", "unknown_value", (("value", district[:40]),)))
    out["latitude"], out["longitude"] = _point(values, extent, problems)
    out["step_free"] = _flag(values, "step_free", problems)
    capacity = _decimal(values, "capacity", Decimal(100000), problems)
    if capacity is not None and capacity != capacity.to_integral_value():
        problems.append(Problem("capacity", "not_whole"))
    out["capacity"] = int(capacity) if capacity is not None else None
    return problems or out


def _point(values: dict, extent, problems: list[Problem]) -> tuple[float | None, float | None]:
    lat, lon = (values.get("latitude") or "").strip(), (values.get("longitude") or "").strip()
    if not lat and not lon:
        return None, None
    if not lat or not lon:
        problems.append(Problem("latitude" if not lat else "longitude", "coordinates.half"))
        return None, None
    try:
        point = geo.check_in_city(geo.parse_point(lat, lon), extent)
    except geo.GeoError as error:
        problems.append(Problem("latitude", error.code))
        return None, None
    return round(point.latitude, 6), round(point.longitude, 6)
