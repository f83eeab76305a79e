"""Words for the engine's reason codes, the publication checks and the notifications."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

REASONS = {
    "not_usable": _("Not usable for transfer: the credit bank has not recognised it (%(status)s)."),
    "expired": _(
        "Too old: completed on %(completed_on)s; this programme counts outcomes from %(cutoff)s."
    ),
    "already_used": _("Already used for this programme by an earlier transfer."),
    "no_rule": _("No transfer rule in force for this programme is about this outcome."),
    "short_result": _("Below the minimum result %(minimum)s of rule %(rule)s (yours: %(found)s)."),
    "short_hours": _("Fewer hours than the %(minimum)s rule %(rule)s asks (yours: %(found)s)."),
    "short_level": _("Its framework level (%(found)s) is not one rule %(rule)s accepts."),
    "short_category": _("Its category (%(found)s) is not one rule %(rule)s accepts."),
    "short_completed": _("Completed on %(found)s, outside the dates rule %(rule)s accepts."),
    "short_accredited": _("Rule %(rule)s accepts outcomes of accredited institutions only."),
    "partner_missing": _(
        "Rule %(rule)s needs another outcome with it (%(needs)s), and none is available."
    ),
    "already_granted": _("The courses of rule %(rule)s were granted by an earlier transfer."),
    "course_taken": _("Course %(course)s is already granted by rule %(by)s in this proposal."),
    "rule_filled": _("Rule %(rule)s is already applied with other outcomes."),
    "cap_total": _("The programme's transfer cap is reached (%(remaining)s credits left)."),
    "cap_institution": _(
        "The cap for credits from %(institution)s is reached (%(remaining)s credits left)."
    ),
    "cap_year": _(
        "The cap for credits from outcomes of %(year)s is reached (%(remaining)s credits left)."
    ),
    "cap_electives": _("The elective credits transfer may fill are used up."),
    "better_combination": _(
        "Rule %(rule)s fits, but other outcomes give more credits for the same courses."
    ),
    "no_transfer_possible": _(
        "This programme's rules leave no credits for transfer (at most %(cap)s)."
    ),
}

IMPOSSIBLE = {
    "residency": _(
        "No transfer is possible: the credits that must be earned at the institution leave none "
        "for transfer."
    ),
    "cap": _("No transfer is possible: the programme's transfer cap is zero or already used."),
}

PROBLEMS = {
    "unknown_courses": _("Rule %(rule)s grants courses no programme has: %(courses)s."),
    "no_sources": _("Rule %(rule)s names no source outcome."),
    "grants_nothing": _("Rule %(rule)s grants neither a course nor elective credits."),
    "bad_electives": _("Rule %(rule)s gives %(value)s elective credits; give a positive number."),
    "never_applies": _("Rule %(rule)s can never apply (source %(slot)s: %(why)s)."),
    "duplicate_rule": _("Rule code %(rule)s is used twice in the standard."),
    "contradictory": _(
        "Rules %(rule)s and %(other)s take the same outcomes for the same courses but give "
        "different elective credits (%(credits)s)."
    ),
    "cyclic": _(
        "Rules %(rules)s form a cycle (%(path)s): a course would count for a course that counts "
        "for it. Remove one of them."
    ),
}

NOTIFICATIONS = {
    "submitted": _("Your application #%(id)s to %(programme)s was submitted."),
    "under_review": _("Your application #%(id)s is being reviewed."),
    "approved": _("Your application #%(id)s was approved: %(credits)s credits."),
    "partly_approved": _("Your application #%(id)s was partly approved: %(credits)s credits."),
    "refused": _("Your application #%(id)s was refused."),
    "appealed": _("Your appeal of application #%(id)s was received."),
    "posted": _("The credits of application #%(id)s were posted to %(programme)s."),
    "withdrawn": _("Your application #%(id)s was withdrawn."),
    "changed": _(
        "Outcomes in your application #%(id)s changed (%(count)s); it must be updated before "
        "it can be posted."
    ),
    "refreshed": _("Application #%(id)s was updated to your current archive."),
}


def _text(table: dict, code: str, params: dict) -> str:
    template = table.get(code)
    if template is None:
        return code
    values = {k: (", ".join(map(str, v)) if isinstance(v, list) else v) for k, v in params.items()}
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return str(template)


def reason_text(code: str, params: dict) -> str:
    return _text(REASONS, code, params)


def problem_text(code: str, params: dict) -> str:
    return _text(PROBLEMS, code, params)


def notification_text(kind: str, params: dict) -> str:
    return _text(NOTIFICATIONS, kind, params)
