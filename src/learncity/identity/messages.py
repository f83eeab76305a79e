"""Messages for identity-number problems in the user's language, keyed by the pure codes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from learncity.errors import InvalidIdentityDocument
from learncity.identity.idnumbers import IdentityNumberError

_MESSAGES = {
    "wrong_length": _("The identity number must have %(expected)s characters; it has %(actual)s."),
    "bad_characters": _(
        "The identity number may hold only digits and a final X. Check for "
        "letters, spaces or punctuation."
    ),
    "full_width": _(
        "The identity number contains full-width characters. Switch the input method "
        "to half-width and type it again."
    ),
    "bad_check_char": _(
        "The last character of the identity number does not match the others "
        "(check character). Check each digit against the card."
    ),
    "impossible_birth_date": _(
        "The birth date inside the identity number (%(value)s) is not a "
        "real date. Check the 7th to 14th characters."
    ),
    "future_birth_date": _(
        "The birth date inside the identity number (%(value)s) is in the "
        "future. Check the 7th to 14th characters."
    ),
    "unknown_region": _(
        "The identity number starts with region code %(region)s, which is not a "
        "region of the People's Republic of China for this document type."
    ),
    "permit_not_resident_card": _(
        "This number belongs to a residence permit for Hong Kong, "
        "Macao and Taiwan residents. Choose that document type."
    ),
    "bad_country": _("Give the passport's issuing country as a three-letter code, e.g. USA."),
    "bad_passport_number": _("A passport number has 5 to 20 letters and digits."),
    "unknown_document_type": _("Unknown identity document type %(value)s."),
    "birth_date_mismatch": _("The date of birth you entered does not match the identity number."),
    "sex_mismatch": _("The sex you entered does not match the identity number."),
}


def problem_message(code: str, params: dict | None = None) -> str:
    template = _MESSAGES.get(code, _MESSAGES["bad_characters"])
    return str(template) % (params or {}) if params else str(template)


def as_domain_error(
    error: IdentityNumberError, field: str = "id_number"
) -> InvalidIdentityDocument:
    return InvalidIdentityDocument(
        problem_message(error.code, error.params), field=field, code=f"identity.{error.code}"
    )
