"""xAPI value formats: IRIs, language tags, UUIDs, timestamps, durations, versions. Pure.

Every check answers True/False (or parses, raising ValueError), so the statement validator,
the query-parameter parser and the document resources share one notion of "valid".
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime, timedelta, timezone

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_MBOX = re.compile(r"^mailto:[^@\s:/]+@[^@\s/]+$")
_HEX = re.compile(r"^[0-9a-fA-F]+$")

# RFC 5646 language tags (the ABNF of section 2.1, regular and irregular grandfathered tags).
_ALNUM = "[A-Za-z0-9]"
_LANGTAG = (
    r"(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"  # language + extlang
    r"(?:-[A-Za-z]{4})?"  # script
    r"(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"  # region
    rf"(?:-(?:{_ALNUM}{{5,8}}|[0-9]{_ALNUM}{{3}}))*"  # variants
    rf"(?:-[0-9A-WYZa-wyz](?:-{_ALNUM}{{2,8}})+)*"  # extensions
    rf"(?:-[xX](?:-{_ALNUM}{{1,8}})+)?"  # private use
)
_PRIVATE = rf"[xX](?:-{_ALNUM}{{1,8}})+"
_GRANDFATHERED = (
    "en-GB-oed|i-ami|i-bnn|i-default|i-enochian|i-hak|i-klingon|i-lux|i-mingo|i-navajo|i-pwn|"
    "i-tao|i-tay|i-tsu|sgn-BE-FR|sgn-BE-NL|sgn-CH-DE|art-lojban|cel-gaulish|no-bok|no-nyn|"
    "zh-guoyu|zh-hakka|zh-min|zh-min-nan|zh-xiang"
)
_LANGUAGE = re.compile(rf"^(?:{_LANGTAG}|{_PRIVATE}|{_GRANDFATHERED})$", re.IGNORECASE)

_NUM = r"\d+(?:[.,]\d+)?"
_DURATION = re.compile(
    rf"^P(?:(?:{_NUM}Y)?(?:{_NUM}M)?(?:{_NUM}D)?(?:T(?:{_NUM}H)?(?:{_NUM}M)?(?:{_NUM}S)?)?|{_NUM}W)$"
)
_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?"
    r"(Z|z|[+-]\d{2}(?::?\d{2})?)?$"
)

INTERACTION_TYPES = (
    "true-false",
    "choice",
    "fill-in",
    "long-fill-in",
    "matching",
    "performance",
    "sequencing",
    "likert",
    "numeric",
    "other",
)


# Statements repeat the same verbs, activity IRIs and language tags: checks are remembered.
@functools.lru_cache(maxsize=16384)
def _iri_ok(value: str) -> bool:
    return bool(_IRI.match(value))


@functools.lru_cache(maxsize=1024)
def _language_ok(value: str) -> bool:
    return bool(_LANGUAGE.match(value))


def is_iri(value) -> bool:
    return isinstance(value, str) and _iri_ok(value)


def is_uuid(value) -> bool:
    return isinstance(value, str) and bool(_UUID.match(value))


def is_mbox(value) -> bool:
    return isinstance(value, str) and bool(_MBOX.match(value))


def is_sha1(value) -> bool:
    return isinstance(value, str) and len(value) == 40 and bool(_HEX.match(value))


def is_sha2(value) -> bool:
    return isinstance(value, str) and len(value) in (56, 64, 96, 128) and bool(_HEX.match(value))


def is_language(value) -> bool:
    return isinstance(value, str) and _language_ok(value)


def is_duration(value) -> bool:
    if not isinstance(value, str) or value in ("P", "PT") or value.endswith("T"):
        return False
    return bool(_DURATION.match(value))


def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_mime_type(value) -> bool:
    return isinstance(value, str) and bool(
        re.match(r"^[\w!#$&^.+-]+/[\w!#$&^.+-]+(\s*;.*)?$", value)
    )


def statement_version_ok(value, api_version: str) -> bool:
    if not isinstance(value, str):
        return False
    if re.match(r"^1\.0(\.\d+)?$", value):
        return True
    return api_version.startswith("2") and bool(re.match(r"^2\.0(\.\d+)?$", value))


def parse_timestamp(value) -> datetime:
    """Parse an ISO 8601 / RFC 3339 timestamp into an aware UTC datetime; ValueError if not one."""
    if not isinstance(value, str):
        raise ValueError("not a string")
    match = _TIMESTAMP.match(value.strip())
    if not match:
        raise ValueError(value)
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    if zone is None or zone in ("Z", "z"):
        tz = UTC
    else:
        digits = zone[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
        if hours == 0 and minutes == 0 and zone[0] == "-":
            raise ValueError("negative zero offset")  # ISO 8601 forbids -00, -0000 and -00:00
        if hours > 23 or minutes > 59:
            raise ValueError("offset out of range")
        sign = -1 if zone[0] == "-" else 1
        tz = timezone(sign * timedelta(hours=hours, minutes=minutes))
    parsed = datetime(
        int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro, tz
    )
    return parsed.astimezone(UTC)


def is_timestamp(value) -> bool:
    try:
        parse_timestamp(value)
    except ValueError:
        return False
    return True


def format_timestamp(moment: datetime) -> str:
    """UTC with a Z, milliseconds (microseconds when present): how the LRS returns times."""
    moment = moment.astimezone(UTC)
    micro = moment.microsecond
    fraction = f"{micro // 1000:03d}" if micro % 1000 == 0 else f"{micro:06d}"
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + fraction + "Z"
