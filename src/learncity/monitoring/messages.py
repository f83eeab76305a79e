"""What each survey-answer problem says to a respondent or an analyst, in their language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from learncity.monitoring.answers import Problem

TEXTS = {
    "required": _("Please answer this question."),
    "not_an_option": _("“%(value)s” is not one of the choices."),
    "not_a_number": _("“%(value)s” is not a whole number in the allowed range."),
    "out_of_range": _("“%(value)s” is outside the allowed range."),
    "too_long": _("The answer is too long (at most 1,000 characters)."),
    "bad_column": _("“%(value)s” is not a valid value for this column."),
    "missing_column": _("The file has no column “%(value)s”."),
}


def problem_text(problem: Problem) -> str:
    return str(TEXTS[problem.kind]) % {"value": problem.value}
