"""What each outcome problem means and how to fix it, in the user's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from learncity.identity.messages import problem_message as identity_message
from learncity.records.rows import RowProblem

COLUMN_LABELS = {
    "id_type": _("identity document type"),
    "id_country": _("issuing country"),
    "id_number": _("identity number"),
    "name": _("name"),
    "kind": _("outcome kind"),
    "title": _("title"),
    "code": _("course or certificate code"),
    "hours": _("learning hours"),
    "credits": _("credits"),
    "result": _("result"),
    "started_on": _("start date"),
    "completed_on": _("completion date"),
    "evidence_url": _("evidence link"),
    "reference": _("your reference"),
}

_MESSAGES = {
    "required": _("This value is required. Fill it in."),
    "unknown_id_type": _(
        "Unknown document type. Use 居民身份证, 港澳台居民居住证, 外国人永久居留身份证 "
        "or 护照 (or cn_resident, hmt_permit, foreign_permanent, passport)."
    ),
    "unknown_kind": _(
        "Unknown outcome kind “%(value)s”. Use one of the kinds listed in the "
        "template's second sheet."
    ),
    "too_long": _("Too long: at most %(limit)s characters."),
    "not_a_number": _("“%(value)s” is not a number. Write digits only, e.g. 32 or 1.5."),
    "negative": _("“%(value)s” is negative. Write zero or a positive number."),
    "too_large": _(
        "%(value)s is more than the %(limit)s allowed. Check the unit (hours, not minutes)."
    ),
    "bad_result": _(
        "“%(value)s” is not a result. Write a score from 0 to 100, a grade (A-F, "
        "优秀/良好/中等/及格/不及格) or pass/fail (通过/不通过)."
    ),
    "bad_date": _("“%(value)s” is not a date. Write it as YYYY-MM-DD, e.g. 2024-06-30."),
    "future_date": _("%(value)s is in the future. Outcomes are recorded once completed."),
    "end_before_start": _("The completion date is before the start date. Swap or correct them."),
    "bad_url": _("The evidence link must be a full web address starting with http:// or https://."),
    "learner_not_found": _(
        "No learning account has this identity number. The learner must open "
        "an account first; LearnCity never creates one from a deposit."
    ),
    "name_mismatch": _(
        "The name does not match the account with this identity number. Check "
        "the spelling against the identity document."
    ),
    "duplicate_reference": _(
        "An outcome with this reference was already deposited by your "
        "institution. Remove the row or give a new reference."
    ),
}


def describe(problem: RowProblem) -> str:
    params = dict(problem.params)
    if problem.code.startswith("identity."):
        return identity_message(problem.code.removeprefix("identity."), params)
    template = _MESSAGES.get(problem.code)
    text = str(template) if template else problem.code
    return text % params if params else text


def column_label(column: str) -> str:
    label = COLUMN_LABELS.get(column)
    return str(label) if label else column


def report_entry(row: int, problem: RowProblem) -> dict:
    """One line of an import report: row, column, what is wrong and how to fix it."""
    return {
        "row": row,
        "column": problem.column,
        "column_label": column_label(problem.column),
        "code": problem.code,
        "message": describe(problem),
    }
