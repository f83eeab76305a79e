"""Checking one outcome as typed (form, API or spreadsheet row). Pure: imports no Django.

Every input path — portal form, API, spreadsheet — turns its values into strings and calls
``check_row``, so the rules and their messages are the same everywhere. Problems carry a
column, a stable code and parameters; records/messages.py says them in the user's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from learncity.identity.idnumbers import IdentityDocument, IdentityNumberError, check_document
from learncity.records.kinds import default_category, find_kind

MAX_HOURS = Decimal(20000)
MAX_CREDITS = Decimal(300)
COLUMNS = (
    "id_type",
    "id_country",
    "id_number",
    "name",
    "kind",
    "title",
    "code",
    "hours",
    "credits",
    "result",
    "started_on",
    "completed_on",
    "evidence_url",
    "reference",
)
REQUIRED = ("id_number", "name", "kind", "title", "completed_on")

ID_TYPE_ALIASES = {
    "": "cn_resident",
    "cn_resident": "cn_resident",
    "居民身份证": "cn_resident",
    "身份证": "cn_resident",
    "hmt_permit": "hmt_permit",
    "港澳台居民居住证": "hmt_permit",
    "foreign_permanent": "foreign_permanent",
    "外国人永久居留身份证": "foreign_permanent",
    "passport": "passport",
    "护照": "passport",
}
GRADES = {
    "A+",
    "A",
    "A-",
    "B+",
    "B",
    "B-",
    "C+",
    "C",
    "C-",
    "D+",
    "D",
    "D-",
    "E",
    "F",
    "优秀",
    "良好",
    "中等",
    "及格",
    "不及格",
}
PASS_WORDS = {
    "pass": "pass",
    "passed": "pass",
    "通过": "pass",
    "合格": "pass",
    "fail": "fail",
    "failed": "fail",
    "不通过": "fail",
    "不合格": "fail",
}
_DATE = re.compile(r"^(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})$")


@dataclass(frozen=True)
class RowProblem:
    column: str
    code: str
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class CheckedOutcome:
    document: IdentityDocument
    name: str
    kind: str
    category: str
    title: str
    code: str
    hours: Decimal | None
    credits: Decimal | None
    result_type: str
    result: str
    started_on: date | None
    completed_on: date
    evidence_url: str
    reference: str


# The parsers below are pure and cached: a spreadsheet of a million rows repeats the same few
# thousand dates, hours and results, and checking them was most of an import's reading time.


@lru_cache(maxsize=8192)
def parse_date(text: str) -> date:
    match = _DATE.match(text.strip())
    if not match:
        raise ValueError(text)
    return date(int(match[1]), int(match[2]), int(match[3]))


@lru_cache(maxsize=4096)
def parse_result(text: str) -> tuple[str, str] | None:
    """Return (result_type, value) or None when the text is no result LearnCity knows."""
    text = text.strip()
    if not text:
        return "none", ""
    word = PASS_WORDS.get(text.casefold())
    if word:
        return "pass", word
    if text.upper() in GRADES:
        return "grade", text.upper()
    try:
        score = Decimal(text)
    except InvalidOperation:
        return None
    if score.is_finite() and 0 <= score <= 100:
        return "score", format(score.normalize(), "f")
    return None


@lru_cache(maxsize=8192)
def _parse_number(text: str, column: str, limit: Decimal) -> Decimal | RowProblem:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return RowProblem(column, "not_a_number", (("value", text[:40]),))
    if not number.is_finite() or number < 0:
        return RowProblem(column, "negative", (("value", text[:40]),))
    if number > limit:
        return RowProblem(column, "too_large", (("value", text[:40]), ("limit", str(limit))))
    return number.quantize(Decimal("0.1"))


def _number(values: dict, column: str, limit: Decimal, problems: list) -> Decimal | None:
    text = values.get(column, "").strip()
    if not text:
        return None
    number = _parse_number(text, column, limit)
    if isinstance(number, RowProblem):
        problems.append(number)
        return None
    return number


def _date(values: dict, column: str, today: date, problems: list) -> date | None:
    text = values.get(column, "").strip()
    if not text:
        return None
    try:
        value = parse_date(text)
    except ValueError:
        problems.append(RowProblem(column, "bad_date", (("value", text[:40]),)))
        return None
    if value > today:
        problems.append(RowProblem(column, "future_date", (("value", value.isoformat()),)))
        return None
    return value


DOCUMENTS_REMEMBERED = 100_000  # per import: a file names the same learners again and again


def _checked_document(values: dict, today: date) -> IdentityDocument | RowProblem:
    doc_type = ID_TYPE_ALIASES.get(values.get("id_type", "").strip())
    if doc_type is None:
        return RowProblem("id_type", "unknown_id_type")
    try:
        return check_document(
            doc_type, values.get("id_number", ""), today=today, country=values.get("id_country", "")
        )
    except IdentityNumberError as error:
        params = tuple((k, str(v)) for k, v in error.params.items())
        return RowProblem("id_number", f"identity.{error.code}", params)


def _document(
    values: dict, today: date, problems: list, remembered: dict | None
) -> IdentityDocument | None:
    """The row's checked document. With ``remembered`` (one import's memo), each distinct
    (type, number, country) is checked once: the check is pure, and a file of a million rows
    usually names a few thousand learners."""
    if remembered is None:
        found = _checked_document(values, today)
    else:
        key = (values.get("id_type", ""), values.get("id_number", ""), values.get("id_country", ""))
        found = remembered.get(key)
        if found is None:
            if len(remembered) >= DOCUMENTS_REMEMBERED:
                remembered.clear()
            found = remembered[key] = _checked_document(values, today)
    if isinstance(found, RowProblem):
        problems.append(found)
        return None
    return found


def check_row(
    values: dict[str, str], today: date, remembered: dict | None = None
) -> CheckedOutcome | list[RowProblem]:
    """Check one outcome; return it cleaned, or every problem found (not only the first).

    ``remembered``: a dict the caller keeps for one batch of rows, to check each identity
    document once (see _document)."""
    problems: list[RowProblem] = [
        RowProblem(c, "required") for c in REQUIRED if not values.get(c, "").strip()
    ]
    missing = {p.column for p in problems}
    document = (
        _document(values, today, problems, remembered) if "id_number" not in missing else None
    )
    kind = find_kind(values.get("kind", "")) if "kind" not in missing else None
    if kind is None and "kind" not in missing:
        problems.append(RowProblem("kind", "unknown_kind", (("value", values["kind"][:40]),)))
    title = values.get("title", "").strip()
    if len(title) > 300:
        problems.append(RowProblem("title", "too_long", (("limit", "300"),)))
    code = values.get("code", "").strip()
    if len(code) > 64:
        problems.append(RowProblem("code", "too_long", (("limit", "64"),)))
    hours = _number(values, "hours", MAX_HOURS, problems)
    credits = _number(values, "credits", MAX_CREDITS, problems)
    result = parse_result(values.get("result", ""))
    if result is None:
        problems.append(RowProblem("result", "bad_result", (("value", values["result"][:40]),)))
    started = _date(values, "started_on", today, problems)
    completed = _date(values, "completed_on", today, problems)
    if started and completed and completed < started:
        problems.append(RowProblem("completed_on", "end_before_start"))
    url = values.get("evidence_url", "").strip()
    if url and (not re.match(r"^https?://\S+$", url) or len(url) > 500):
        problems.append(RowProblem("evidence_url", "bad_url"))
    reference = values.get("reference", "").strip()
    if len(reference) > 100:
        problems.append(RowProblem("reference", "too_long", (("limit", "100"),)))
    if problems or document is None or kind is None or completed is None or result is None:
        return problems or [RowProblem("completed_on", "required")]
    return CheckedOutcome(
        document=document,
        name=values["name"].strip(),
        kind=kind,
        category=default_category(kind),
        title=title,
        code=code,
        hours=hours,
        credits=credits,
        result_type=result[0],
        result=result[1],
        started_on=started,
        completed_on=completed,
        evidence_url=url,
        reference=reference,
    )
