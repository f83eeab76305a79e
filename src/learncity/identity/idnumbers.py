"""Identity documents: checking numbers against their standards. Pure: imports no Django.

Supported documents:
- ``cn_resident``: mainland resident identity card, 18 characters (GB 11643-1999): 6-digit
  region code, 8-digit birth date, 3-digit sequence (odd = male), ISO 7064 MOD 11-2 check
  character (0-9 or X).
- ``hmt_permit``: residence permit for Hong Kong, Macao and Taiwan residents, same layout with
  region 810000, 820000 or 830000.
- ``foreign_permanent``: foreign permanent resident ID card; the 2023 card has 18 characters
  (``9``, 2-digit province, 3-digit nationality, birth date, sequence, MOD 11-2 check); the
  2004 card has 15 (3-letter nationality, 2-digit province, YYMMDD birth date, 4 digits).
- ``passport``: an ISO 3166 alpha-3 issuing country and a 5-20 character number.

Region codes are checked at province level (the first two digits of GB/T 2260), since
county codes are reissued over the years and an old card stays valid.

Problems are raised as ``IdentityNumberError`` with a stable ``code`` and parameters; the
Django layer turns each code into a message in the user's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

DOCUMENT_TYPES = ("cn_resident", "hmt_permit", "foreign_permanent", "passport")

PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
    ]
)
PERMIT_REGIONS = frozenset({"810000", "820000", "830000"})
_WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]
_CHECK_CHARS = "10X98765432"
_FULL_WIDTH = re.compile(r"[\uff01-\uff5e\u3000]")


class IdentityNumberError(ValueError):
    """Raised when a document number breaks its standard; ``code`` says which rule."""

    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class IdentityDocument:
    """A checked document: its normalised number and what the number itself tells."""

    doc_type: str
    number: str
    birth_date: date | None
    sex: str | None  # "M", "F" or None when the document does not carry it
    country: str = "CHN"


def mod11_2_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def _birth_date(text: str, today: date) -> date:
    try:
        born = date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise IdentityNumberError("impossible_birth_date", value=text) from None
    if born > today:
        raise IdentityNumberError("future_birth_date", value=born.isoformat())
    if born.year < 1880:
        raise IdentityNumberError("impossible_birth_date", value=text)
    return born


def _normalise(number: str) -> str:
    if _FULL_WIDTH.search(number):
        raise IdentityNumberError("full_width")
    return number.strip().replace(" ", "").upper()


def _check_18(number: str, today: date) -> tuple[date, str]:
    if len(number) != 18:
        raise IdentityNumberError("wrong_length", expected=18, actual=len(number))
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdentityNumberError("bad_characters")
    expected = mod11_2_check_char(number[:17])
    if number[17] != expected:
        raise IdentityNumberError("bad_check_char")
    born = _birth_date(number[6:14], today)
    sex = "M" if int(number[16]) % 2 else "F"
    return born, sex


def check_cn_resident(number: str, today: date) -> IdentityDocument:
    number = _normalise(number)
    born, sex = _check_18(number, today)
    if number[:6] in PERMIT_REGIONS:
        raise IdentityNumberError("permit_not_resident_card")
    if number[:2] not in PROVINCE_CODES:
        raise IdentityNumberError("unknown_region", region=number[:6])
    return IdentityDocument("cn_resident", number, born, sex)


def check_hmt_permit(number: str, today: date) -> IdentityDocument:
    number = _normalise(number)
    born, sex = _check_18(number, today)
    if number[:6] not in PERMIT_REGIONS:
        raise IdentityNumberError("unknown_region", region=number[:6])
    return IdentityDocument("hmt_permit", number, born, sex)


def check_foreign_permanent(number: str, today: date) -> IdentityDocument:
    number = _normalise(number)
    if len(number) == 18:
        if not number.startswith("9"):
            raise IdentityNumberError("bad_characters")
        born, sex = _check_18(number, today)
        return IdentityDocument("foreign_permanent", number, born, sex, country="")
    if len(number) == 15:
        if not (number[:3].isalpha() and number[3:].isdigit()):
            raise IdentityNumberError("bad_characters")
        yymmdd = number[5:11]
        century = "19" if int(yymmdd[:2]) > today.year % 100 else "20"
        born = _birth_date(century + yymmdd, today)
        return IdentityDocument("foreign_permanent", number, born, None, country=number[:3])
    raise IdentityNumberError("wrong_length", expected=18, actual=len(number))


_PASSPORT = re.compile(r"^[A-Z0-9]{5,20}$")


def check_passport(number: str, country: str) -> IdentityDocument:
    number = _normalise(number)
    country = _normalise(country or "")
    if not re.fullmatch(r"[A-Z]{3}", country):
        raise IdentityNumberError("bad_country", value=country)
    if not _PASSPORT.match(number):
        raise IdentityNumberError("bad_passport_number")
    return IdentityDocument("passport", number, None, None, country=country)


def check_document(
    doc_type: str, number: str, *, today: date, country: str = ""
) -> IdentityDocument:
    """Check a document number of the given type; raise IdentityNumberError when it is wrong."""
    if doc_type == "cn_resident":
        return check_cn_resident(number, today)
    if doc_type == "hmt_permit":
        return check_hmt_permit(number, today)
    if doc_type == "foreign_permanent":
        return check_foreign_permanent(number, today)
    if doc_type == "passport":
        return check_passport(number, country)
    raise IdentityNumberError("unknown_document_type", value=doc_type)


def blind_index_input(doc: IdentityDocument) -> str:
    """The string whose keyed hash finds an account: type, country and number together."""
    return f"{doc.doc_type}|{doc.country}|{doc.number}"


def mask(number: str) -> str:
    """Show the first six and last four characters only: 310101********123X."""
    if len(number) <= 8:
        return number[:2] + "*" * max(len(number) - 3, 1) + number[-1:]
    keep_head = 6 if len(number) >= 15 else 3
    return number[:keep_head] + "*" * (len(number) - keep_head - 4) + number[-4:]
